"""Every error `nlp/` raises, under one base class. Messages are one line."""


class NLPError(Exception):
    """Base class for NLP errors."""


class ModelNotFoundError(NLPError):
    """The trained NER model is missing."""


class CorpusNotFoundError(NLPError):
    """A NorNE split (train/dev/test .conllu) is missing."""
