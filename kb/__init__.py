"""The knowledge base: SQLite schema, ingest, linking, places. The door: `KnowledgeBase`."""

from .errors import KBError

__all__ = ["KBError"]
