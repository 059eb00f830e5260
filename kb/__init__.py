"""The knowledge base: SQLite schema, ingest, linking, places. The door: `KnowledgeBase`."""

from .errors import KBError

__all__ = ["KBError", "KnowledgeBase", "IngestResult"]


def __getattr__(name):
    # Lazy, so that `tilskudd --help` does not import SQLAlchemy.
    if name == "KnowledgeBase":
        from .store import KnowledgeBase

        return KnowledgeBase
    if name == "IngestResult":
        from .ingest import IngestResult

        return IngestResult
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
