"""Publishing the knowledge base with Datasette 0.65 (the library side of `serve` and `demo`).

    metadata = build_metadata("tilskudd.sqlite")   # datasette_config/metadata.yml + schema docs
    serve("tilskudd.sqlite", port=8001)             # read-only (immutable), blocks

The site's configuration lives in `datasette_config/` (metadata.yml, settings.json, templates/,
plugins/, static/). Table and column descriptions are not written there: they come from
`kb.schema_docs.table_descriptions()`, which reads them from `kb/models.py`, so the schema docs
and the site say the same thing. The database is always published under the name `tilskudd`
(`/tilskudd/grants`), whatever the file is called, so URLs, templates and canned queries hold.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from .errors import KBError, NotFoundError

log = logging.getLogger(__name__)

DATABASE = "tilskudd"
"""The name the database is published under."""

CONFIG_DIR = Path(__file__).resolve().parent.parent / "datasette_config"
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def _read_yaml(path: Path) -> dict:
    import yaml

    with path.open(encoding="utf-8") as fp:
        return yaml.safe_load(fp) or {}


def _descriptions() -> dict[str, dict]:
    """{table: {"description", "columns": {column: description}}} from the schema docs, plus
    the site's own search view."""
    from .schema_docs import table_descriptions
    from .search import BROWSE_DESCRIPTION, BROWSE_VIEW

    docs = dict(table_descriptions())
    if BROWSE_VIEW not in docs:
        grants, flat = docs.get("grants", {}).get("columns", {}), docs.get("grants_flat", {}).get("columns", {})
        columns = {**{c: grants[c] for c in grants if c != "id"}, **flat,
                   "places": "Places the grant's area names, as named in the grant's year",
                   "places_today": "Today's municipalities (or regions) covering those places",
                   "themes": "Themes of the grant (Norwegian labels)"}
        docs[BROWSE_VIEW] = {"description": BROWSE_DESCRIPTION, "columns": columns}
    return docs


def build_metadata(db: str | Path | None = None, config_dir: Path = CONFIG_DIR) -> dict:
    """Datasette metadata: the hand-written `metadata.yml` merged with the schema descriptions.

    Hand-written table settings (title, facets, sort, search) win; a table's `description` and
    its `columns` descriptions are filled from the schema where metadata.yml does not set them.
    `db`, when given, must exist; tables it does not hold are left out of the metadata.
    """
    meta = _read_yaml(config_dir / "metadata.yml")
    present = None
    if db is not None:
        path = Path(db)
        if not path.exists():
            raise NotFoundError(f"no knowledge base at {path}")
        present = _columns(path)
    dbmeta = meta.setdefault("databases", {}).setdefault(DATABASE, {})
    tables = dbmeta.setdefault("tables", {})
    for table, doc in _descriptions().items():
        if present is not None and table not in present:
            continue
        entry = tables.setdefault(table, {})
        if doc.get("description") and "description" not in entry:
            entry["description"] = doc["description"]
        columns = dict(doc.get("columns") or {})
        columns.update(entry.get("columns") or {})
        if present is not None:
            columns = {c: columns[c] for c in present[table] if columns.get(c)}
        if columns:
            entry["columns"] = columns
    if present is not None:
        for table in list(tables):
            if table not in present:
                del tables[table]
    return meta


def _columns(path: Path) -> dict[str, list[str]]:
    """{table or view: [columns]} of the file, read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        return {name: [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")] for name in names}
    finally:
        conn.close()


def ensure_search_index(db: str | Path) -> bool:
    """Build the search index if the file has none (bases written before kb.search existed).

    Returns True when it had to build it. The store normally keeps it current at every ingest.
    Also checkpoints the WAL, since an immutable reader does not see it. A file that cannot be
    written is served as it is.
    """
    from .search import build_search_index, has_search_index

    conn = sqlite3.connect(str(db))
    try:
        if has_search_index(conn):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return False
        log.warning("%s has no search index; building it", db)
        with conn:
            build_search_index(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True
    except sqlite3.OperationalError as exc:  # read-only file or directory
        log.warning("%s: search index not checked or built (%s)", db, exc)
        return False
    finally:
        conn.close()


def check_servable(db: str | Path) -> Path:
    """`db` is a knowledge base this site can publish, or a one-line NotFoundError says why."""
    path = Path(db)
    if not path.is_file():
        raise NotFoundError(f"no knowledge base at {path} (build one with `tilskudd ingest` or `tilskudd demo`)")
    try:
        tables = _columns(path)
    except sqlite3.DatabaseError as exc:
        raise NotFoundError(f"{path} is not a SQLite knowledge base: {exc}") from None
    missing = [t for t in ("reports", "grants", "organisations") if t not in tables]
    if missing:
        raise NotFoundError(f"{path} is not a tilskudd knowledge base (no table {missing[0]})")
    return path


def datasette_instance(db: str | Path, config_dir: Path = CONFIG_DIR, immutable: bool = True):
    """A configured Datasette for `db` (not started). Immutable unless told otherwise; either
    way the site offers no way to write (the SQL page runs SELECT only)."""
    from datasette.app import Datasette
    from datasette.database import Database

    path = check_servable(db)
    ensure_search_index(path)
    files = {"immutables": [str(path)]} if immutable else {"files": [str(path)]}
    ds = Datasette(config_dir=config_dir, metadata=build_metadata(path, config_dir), **files)
    for name in list(ds.databases):
        if name != "_internal":
            ds.remove_database(name)
    ds.add_database(Database(ds, path=str(path), is_mutable=not immutable), name=DATABASE)
    return ds


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8001, immutable: bool = True) -> None:
    """Serve the knowledge base until interrupted. Read-only: the file is opened immutable."""
    import uvicorn
    from datasette.cli import check_databases, run_sync

    ds = datasette_instance(db, immutable=immutable)
    run_sync(ds.invoke_startup)
    run_sync(lambda: check_databases(ds))
    log.info("serving %s on http://%s:%s/", db, host, port)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def build_demo_db(db: str | Path, samples_dir: str | Path) -> list:
    """Build `db` from the PDFs in `samples_dir` through the store (idempotent: reports already
    in the base are left unchanged). Returns the store's IngestResults."""
    from .store import KnowledgeBase

    samples = Path(samples_dir)
    if not any(samples.glob("*.pdf")):
        raise NotFoundError(f"no sample PDFs in {samples}")
    with KnowledgeBase(db) as kb:
        kb.create()
        results = kb.ingest([samples])
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise KBError(failed[0].describe(full_path=False))
    ensure_search_index(db)
    return results
