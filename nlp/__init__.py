"""Norwegian NLP for grant reports: NER (trained on NorNE), gazetteers, themes. The door: `Tagger`."""

from .errors import NLPError

__all__ = ["NLPError"]
