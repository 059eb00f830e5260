"""Every error `kb/` raises, under one base class. Messages are one line."""


class KBError(Exception):
    """Base class for knowledge-base errors."""


class NotFoundError(KBError):
    """A name, id or file the caller asked for is not in the knowledge base."""


class JudgementError(KBError):
    """A judgement cannot be recorded or undone as asked."""


class PlaceDataError(KBError):
    """The place reference data in kb/data/ is inconsistent (duplicate or unknown place ids)."""
