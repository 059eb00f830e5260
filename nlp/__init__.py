"""Norwegian NLP for grant reports: NER (trained on NorNE), gazetteers, themes. The door: `Tagger`."""

from .errors import ModelNotFoundError, NLPError
from .pipeline import Entity, TagResult, Tagger
from .themes import ThemeHit

__all__ = ["Entity", "ModelNotFoundError", "NLPError", "TagResult", "Tagger", "ThemeHit"]
