"""`KnowledgeBase`: the one door of `kb/`. It owns the engine, the sessions and the ingest.

    kb = KnowledgeBase("tilskudd.sqlite")
    results = kb.ingest(["samples/"])      # one transaction per report
    with kb.session() as session: ...      # one transaction
    kb.close()

The database file is not touched until it is needed: a bad PDF fails in extraction, before the
file is opened, so the database stays byte-for-byte as it was. SQLite runs in WAL mode (readers
such as Datasette keep working during an ingest), with foreign keys on and a busy timeout.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine, select

from . import ingest as _ingest
from .annotations import prepare
from .errors import KBError
from .ingest import IngestResult, NoProgress, Progress
from .organisations import link_organisations
from .models import ALL_TABLES, Alias, Place, Theme
from .normalize import normalize_name
from .places import PlaceIndex, load_places
from .search import build_search_index
from .views import VIEWS, create_views

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000

UNCHANGED = "already in the knowledge base (same SHA-256); nothing changed"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tilskudd")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


class KnowledgeBase:
    """The knowledge base in one SQLite file."""

    def __init__(self, path: str | Path, *, tagger=None):
        """`tagger`: a loaded `nlp.Tagger` to use as it is (its gazetteer is then the caller's
        business); by default one is loaded on first use and fed with the base's names."""
        self.path = Path(path)
        self._engine = None
        self._places = None  # PlaceIndex, built on first use
        self._tagger = tagger  # nlp Tagger, loaded on first use
        self._tagger_given = tagger is not None
        self._tagger_names: set[str] = set()  # the organisation names its gazetteer knows
        self._tagger_failed = False
        self._created = False  # create() has run on this object

    # -- engine and sessions -------------------------------------------------------------
    @property
    def engine(self):
        if self._engine is None:
            engine = create_engine(f"sqlite:///{self.path}")
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
            self._engine = engine
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._created = False

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------
    def create(self) -> None:
        """Tables, views, places and themes. Idempotent: writes nothing when all are there
        (and does not even look again on the same object)."""
        if self._created:
            return
        with self.session() as session:
            conn = session.connection()
            SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in ALL_TABLES])
            raw = conn.connection.dbapi_connection
            _add_missing_columns(raw, conn.dialect)
            have = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
            if any(_words(f"CREATE VIEW {name} AS {sql}") != _words(have.get(name))
                   for name, sql in VIEWS.items()):
                create_views(raw)
            load_places(session)  # writes only what differs from kb/data
            self._load_themes(session)
        self._created = True

    @staticmethod
    def _load_themes(session: Session) -> None:
        import yaml
        from importlib.resources import files

        data = yaml.safe_load((files("nlp") / "data" / "themes.yaml").read_text(encoding="utf-8"))
        have = {t.id: t for t in session.exec(select(Theme))}
        for t in data.get("themes", []):
            row = Theme(id=t["id"], label_no=t["label_no"], label_en=t["label_en"],
                        definition=t.get("definition", ""))
            old = have.get(row.id)
            if old is None:
                session.add(row)
            elif (old.label_no, old.label_en, old.definition) != (row.label_no, row.label_en, row.definition):
                session.merge(row)

    # -- ingest --------------------------------------------------------------------------
    def ingest(self, paths, replace: bool = False, progress: Optional[Progress] = None) -> list[IngestResult]:
        """Ingest PDF files and folders of PDFs (sorted), each report in its own transaction.

        Bad input does not raise: its result has status 'failed' and the one-line message, and
        nothing is written for it. Other reports are ingested all the same.

        Two passes: every file is extracted first (nothing is written), so the NLP gazetteer
        knows every organisation name the reports print in their tables; then each report is
        written in its own transaction.
        """
        progress = progress or NoProgress()
        files = _ingest.expand_paths(paths)
        results: list[Optional[IngestResult]] = [None] * len(files)
        pending: list[tuple[int, _Extracted]] = []
        for k, path in enumerate(files):
            progress.start_report(path)
            outcome = self._extract(path, replace, progress)
            if isinstance(outcome, IngestResult):
                results[k] = outcome
                progress.end_report(outcome)
            else:
                pending.append((k, outcome))
        names = {g.organisation for _, e in pending for g in e.report.grants}
        for k, item in pending:
            progress.start_report(item.path)
            try:
                results[k] = self._store(item, names, progress, replace)
            except SQLAlchemyError as exc:
                reason = _one_line(getattr(exc, "orig", None) or exc)
                raise KBError(f"{item.path}: database error in {self.path}: {reason}") from exc
            progress.end_report(results[k])
        return [r for r in results if r is not None]

    def _extract(self, path: Path, replace: bool, progress: Progress):
        """An `IngestResult` (unchanged, failed) or the extracted report to write."""
        from extract import extract_report
        from extract.errors import ExtractError

        started = datetime.now(timezone.utc)
        try:
            sha = _ingest.sha256_bytes(path.read_bytes())
        except OSError as exc:
            return IngestResult(path=path, status="failed", message=f"cannot read the file: {exc.strerror or exc}")
        existing = self._find_report(sha)
        if existing is not None and not replace:
            return IngestResult(path=path, status="unchanged", sha256=sha, report_id=existing,
                                message=UNCHANGED)
        try:
            def on_page(number: int, count: int) -> None:
                if number == 1:
                    progress.stage("pages", count)
                progress.advance()

            extracted = extract_report(path, on_page=on_page)
            progress.stage("pages", 0)  # closes the page bar
        except ExtractError as exc:
            return IngestResult(path=path, status="failed", sha256=sha, message=_one_line(exc))
        except Exception as exc:  # an extractor bug on one odd file must not stop a folder
            log.warning("%s: extraction crashed", path, exc_info=True)
            return IngestResult(path=path, status="failed", sha256=sha, message=(
                f"could not be read as a grant report ({type(exc).__name__}: {_one_line(exc)})"))
        return _Extracted(path, sha, extracted, started)

    def _store(self, item: "_Extracted", names: set[str], progress: Progress,
               replace: bool) -> IngestResult:
        """Write one extracted report in one transaction (replacing its old rows if present)."""
        existing = self._find_report(item.sha256)
        if existing is not None and not replace:  # the same file twice in one run
            return IngestResult(path=item.path, status="unchanged", sha256=item.sha256,
                                report_id=existing, message=UNCHANGED)
        pdf = item.path.read_bytes()
        if _ingest.sha256_bytes(pdf) != item.sha256:
            return IngestResult(path=item.path, status="failed", sha256=item.sha256,
                                message="the file changed while it was being ingested; ingest it again")
        self.create()
        prepared = prepare(item.report, pdf, places=self._place_index(), tagger=self._load_tagger(names),
                           progress=progress)
        with self.session() as session:
            replace_id = _ingest.report_id_for(session, item.sha256)
            reuse = _ingest.delete_report_rows(session, replace_id) if replace_id is not None else None
            rid, alias_ids = _ingest.write(
                session, item.report, prepared, pdf=pdf, path=item.path, sha256=item.sha256,
                version=_version(), now=item.started, replace_id=replace_id, normalize=normalize_name,
                link=self._link_aliases, reuse=reuse)
            result = _ingest.record_run(
                session, item.report, path=item.path, sha256=item.sha256, report_id=rid,
                status="replaced" if replace_id is not None else "ingested", now=item.started,
                names=_ingest.unresolved_names(session, alias_ids),
                places=_ingest.unresolved_places(session, rid))
            self._build_search(session)
        log.info("%s: %s (report %s)", item.path, result.status, rid)
        return result

    def _find_report(self, sha: str) -> Optional[int]:
        """The report id with this SHA-256, read without writing anything (not even WAL mode).

        A plain connection with `query_only`, not `mode=ro`: a read-only connection cannot remove
        the `-wal`/`-shm` files of a WAL database when it closes, this one (the last to close)
        does, and an empty log writes nothing to the main file."""
        if self._engine is None:
            if not self.path.is_file():
                return None
            try:
                con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    con.execute("PRAGMA query_only = ON")
                    row = con.execute("SELECT id FROM reports WHERE sha256 = ?", (sha,)).fetchone()
                finally:
                    con.close()
            except sqlite3.Error:  # not created yet, or not a knowledge base
                return None
            return row[0] if row else None
        with self.session() as session:
            try:
                return _ingest.report_id_for(session, sha)
            except Exception:  # tables not created yet
                return None

    # -- what is computed outside the transaction -----------------------------------------
    def _place_index(self):
        if self._places is None:
            self._places = PlaceIndex.from_reference()
        return self._places

    def _load_tagger(self, names: set[str]):
        """The NLP tagger, its gazetteer fed with every place, every known printed name (with its
        organisation) and the names about to be ingested. Loaded once; again only when new
        names come (another `ingest()` call on the same object)."""
        if self._tagger_failed or self._tagger_given:
            return self._tagger
        if self._tagger is not None and names <= self._tagger_names:
            return self._tagger
        from nlp import Tagger
        from nlp.errors import NLPError

        with self.session() as session:
            places = [(p.id, p.name, p.kind) for p in session.exec(select(Place))]
            orgs = [(a.organisation_id, a.name) for a in session.exec(
                select(Alias).where(Alias.organisation_id.is_not(None)))]
        known = {name for _, name in orgs}
        orgs += [(None, name) for name in sorted(names - known)]
        try:
            self._tagger = Tagger.load(places=places, organisations=orgs)
        except NLPError as exc:
            log.warning("no NLP tagging: %s", exc)
            self._tagger_failed = True
            return None
        self._tagger_names = known | names
        return self._tagger

    # -- linking -------------------------------------------------------------------------
    @staticmethod
    def _link_aliases(session: Session, alias_ids: dict[str, int]) -> None:
        """Give the report's printed names an organisation, inside the ingest transaction."""
        link_organisations(session)

    def link(self) -> None:
        """(Re)run organisation linking and place resolution over the whole base, then the
        search index. One transaction."""
        self.create()
        index = self._place_index()
        with self.session() as session:
            link_organisations(session)
            _resolve_places(session, index)
            self._build_search(session)

    @staticmethod
    def _build_search(session: Session) -> None:
        build_search_index(session.connection().connection.dbapi_connection)


@dataclass(frozen=True)
class _Extracted:
    """A report extracted and waiting for its transaction."""

    path: Path
    sha256: str
    report: object  # extract.ExtractedReport
    started: datetime


# -- helpers ----------------------------------------------------------------------------
def _on_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}",
                   "synchronous=NORMAL"):
        dbapi_conn.execute(f"PRAGMA {pragma}")


def _on_begin(conn) -> None:
    # Take the write lock up front: one writer at a time, readers (WAL) keep reading.
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    # Foreign keys are checked at COMMIT, so rows may be written in any order within a transaction.
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _words(sql: Optional[str]) -> list[str]:
    return (sql or "").split()


def _resolve_places(session: Session, index) -> None:
    """Resolve every grant's area and every allocation's municipality afresh (executemany)."""
    known = set(session.exec(select(Place.id)))
    session.execute(text("DELETE FROM grant_places"))
    rows = []
    for gid, area, year in session.execute(text("SELECT id, area, year FROM grants WHERE area IS NOT NULL")):
        for m in index.resolve_area(area, year):
            ok = m.place_id is None or m.place_id in known
            rows.append({"g": gid, "p": m.place_id if ok else None, "a": m.area_part,
                         "m": m.method if ok else "unresolved", "s": m.score})
    if rows:
        session.execute(text("INSERT INTO grant_places (grant_id, place_id, area_part, method, score) "
                             "VALUES (:g, :p, :a, :m, :s)"), rows)
    updates = []
    for aid, name, year in session.execute(text(
            "SELECT id, kommune_raw, year FROM allocations WHERE NOT is_sum_row")).all():
        place = index.resolve_kommune(name, year).place_id
        updates.append({"p": place if place in known else None, "a": aid})
    if updates:
        session.execute(text("UPDATE allocations SET place_id = :p WHERE id = :a"), updates)


def _add_missing_columns(raw, dialect) -> None:
    """A knowledge base made by an older version gains the columns added since (with their
    defaults), so it can be ingested into without a rebuild. Nothing else is migrated."""
    for table in ALL_TABLES:
        t = table.__table__
        have = {row[1] for row in raw.execute(f'PRAGMA table_info("{t.name}")')}
        for column in t.columns:
            if column.name in have:
                continue
            default = column.default.arg if column.default is not None else None
            literal = "NULL" if default is None or callable(default) else repr(default).replace('"', "'")
            if isinstance(default, bool):
                literal = str(int(default))
            raw.execute(f'ALTER TABLE "{t.name}" ADD COLUMN "{column.name}" '
                        f'{column.type.compile(dialect=dialect)} DEFAULT {literal}')
            log.info("added column %s.%s", t.name, column.name)
