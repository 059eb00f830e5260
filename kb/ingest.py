"""Ingest of one report: what goes into the database, and what the caller is told.

`KnowledgeBase.ingest()` (kb/store.py) drives it: extract outside any transaction, `prepare()`
the expensive extras (NLP, place resolution, row images) still outside it, then `write()` every
row of the report in the one transaction the store opened. `delete_report_rows()` empties a
report for `--replace` in that same transaction.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Protocol

from sqlalchemy import text
from sqlmodel import Session, select

from extract.records import ExtractedReport

from . import rows
from .models import (Alias, GrantImage, GrantPlace, GrantTheme, IngestRun, Mention, PassageTheme,
                     Place, Report, ReportFile, Theme)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FailedReconciliation:
    description: str
    stated: int
    computed: int
    page: int


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file. `status`: ingested, replaced, unchanged or failed."""

    path: Path
    status: str
    sha256: Optional[str] = None
    report_id: Optional[int] = None
    message: str = ""
    grants: int = 0
    allocations: int = 0
    facts: int = 0
    passages: int = 0
    reconciliations_ok: int = 0
    reconciliations_failed: int = 0
    failed_reconciliations: tuple[FailedReconciliation, ...] = ()
    unresolved_names: tuple[str, ...] = ()
    unresolved_places: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def describe(self, full_path: bool = True) -> str:
        """"<file>: <message>", without naming the file twice when the message (an extractor
        error, say) already starts with its name: "/in/x.pdf is empty (0 bytes): ..."."""
        where = str(self.path) if full_path else self.path.name
        if self.message.startswith(self.path.name + " "):
            return where + self.message[len(self.path.name):]
        return f"{where}: {self.message}"


class Progress(Protocol):
    """What `KnowledgeBase.ingest(progress=...)` reports to; the CLI draws bars from it."""

    def start_report(self, path: Path) -> None: ...
    def stage(self, name: str, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def end_report(self, result: IngestResult) -> None: ...


class NoProgress:
    def start_report(self, path: Path) -> None: pass
    def stage(self, name: str, total: int) -> None: pass
    def advance(self, n: int = 1) -> None: pass
    def end_report(self, result: IngestResult) -> None: pass


def expand_paths(paths) -> list[Path]:
    """Files as given; folders become their `*.pdf` files (recursively), sorted. No duplicates."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Prepared:
    """Everything computed outside the transaction, keyed by record index."""

    passage_lemmas: dict[int, str] = field(default_factory=dict)
    project_lemmas: dict[int, str] = field(default_factory=dict)
    passage_entities: dict[int, list] = field(default_factory=dict)
    passage_themes: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    grant_themes: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)
    grant_places: dict[int, list[dict]] = field(default_factory=dict)
    allocation_places: dict[int, Optional[str]] = field(default_factory=dict)
    images: dict[int, bytes] = field(default_factory=dict)


def write(session: Session, extracted: ExtractedReport, prepared: Prepared, *, pdf: bytes,
          path: Path, sha256: str, version: str, now, replace_id: Optional[int],
          normalize, link, reuse: Optional[dict[str, list[int]]] = None) -> tuple[int, dict[str, int]]:
    """Insert every row of one report; returns (report id, alias ids by printed name).

    `replace_id`: the report to refill (its rows deleted by `delete_report_rows()`, whose answer
    is `reuse`); its id and, row by row, its old row ids are kept.
    `link(session, alias_ids)` assigns organisations to the report's aliases.
    """
    reuse = reuse or {}
    report = rows.report_row(extracted, sha256=sha256, filename=path.name,
                             extractor_version=version, ingested_at=now)
    if replace_id is not None:
        report.id = replace_id
        session.merge(report)
    else:
        session.add(report)
    session.flush()
    rid = report.id if replace_id is None else replace_id
    session.add(ReportFile(report_id=rid, filename=path.name, pdf=pdf))

    schemes = _reuse(rows.scheme_rows(extracted, rid), reuse.get("schemes", []))
    session.add_all(schemes)
    session.flush()
    scheme_ids = {s.key: s.id for s in schemes}

    alias_ids = _upsert_aliases(session, rows.organisation_names(extracted.grants), normalize)
    known = _known_places(session, prepared)
    allocation_places = {i: p for i, p in prepared.allocation_places.items() if p in known}

    grants = _reuse(rows.grant_rows(extracted, rid, scheme_ids, alias_ids, prepared.project_lemmas),
                    reuse.get("grants", []))
    passages = _reuse(rows.passage_rows(extracted, rid, scheme_ids, prepared.passage_lemmas),
                      reuse.get("passages", []))
    session.add_all(grants)
    session.add_all(passages)
    session.add_all(_reuse(rows.allocation_rows(extracted, rid, scheme_ids, allocation_places),
                           reuse.get("allocations", [])))
    session.add_all(_reuse(rows.fact_rows(extracted, rid, scheme_ids), reuse.get("facts", [])))
    session.add_all(_reuse(rows.reconciliation_rows(extracted, rid, scheme_ids),
                           reuse.get("reconciliations", [])))
    session.flush()
    tidy_aliases(session, sorted(set(reuse.get("aliases", [])) | set(alias_ids.values())))
    link(session, alias_ids)

    themes = set(session.exec(select(Theme.id)))
    extra: list[Any] = []
    for i, png in prepared.images.items():
        extra.append(GrantImage(grant_id=grants[i].id, png=png))
    for i, places in prepared.grant_places.items():
        extra.extend(GrantPlace(grant_id=grants[i].id, **_known_or_unresolved(p, known)) for p in places)
    for i, themes_ in prepared.grant_themes.items():
        extra.extend(GrantTheme(grant_id=grants[i].id, theme_id=t, source=src, evidence=ev)
                     for t, (src, ev) in themes_.items() if t in themes)
    for i, hits in prepared.passage_themes.items():
        extra.extend(PassageTheme(passage_id=passages[i].id, theme_id=t, evidence=ev)
                     for t, ev in dict(reversed(hits)).items() if t in themes)
    org_of = _organisations_by_name(session, prepared, normalize)
    for i, ents in prepared.passage_entities.items():
        extra.extend(Mention(passage_id=passages[i].id, report_id=rid, page=passages[i].page,
                             **_linked_mention(e, org_of, normalize)) for e in ents)
    session.add_all(extra)
    session.flush()
    return rid, alias_ids


def _known_or_unresolved(match: dict, known: set[str]) -> dict:
    if match["place_id"] is None or match["place_id"] in known:
        return match
    return dict(match, place_id=None, method="unresolved")


def _organisations_by_name(session: Session, prepared: Prepared, normalize) -> dict[str, str]:
    """normalize_name(printed name) → organisation id, for the ORG mentions the tagger could not
    link (names this very report prints in its tables are linked only now, after linking)."""
    wanted = {normalize(e["text"]) for ents in prepared.passage_entities.values() for e in ents
              if e["label"] == "ORG" and e["organisation_id"] is None}
    if not wanted:
        return {}
    found = session.exec(select(Alias.normalized, Alias.organisation_id).where(
        Alias.normalized.in_(sorted(wanted)), Alias.organisation_id.is_not(None)))
    out: dict[str, str] = {}
    for norm, org_id in found:
        out.setdefault(norm, org_id)
    return out


def _linked_mention(entity: dict, org_of: dict[str, str], normalize) -> dict:
    if entity["label"] == "ORG" and entity["organisation_id"] is None:
        return dict(entity, organisation_id=org_of.get(normalize(entity["text"])))
    return entity


def _known_places(session: Session, prepared: Prepared) -> set[str]:
    """The resolved place ids that are in `places` (all of them once places are loaded)."""
    wanted = {p for p in prepared.allocation_places.values() if p}
    wanted |= {m["place_id"] for ms in prepared.grant_places.values() for m in ms if m["place_id"]}
    if not wanted:
        return set()
    have = set(session.exec(select(Place.id).where(Place.id.in_(sorted(wanted)))))
    if wanted - have:
        log.warning("%d resolved places are not in the places table: %s", len(wanted - have),
                    ", ".join(sorted(wanted - have)[:5]))
    return have


def _upsert_aliases(session: Session, names: dict[str, tuple[int, int]], normalize) -> dict[str, int]:
    """One alias per printed name: new names are added, known ones widen their years."""
    if not names:
        return {}
    existing = {a.name: a for a in session.exec(select(Alias).where(Alias.name.in_(list(names))))}
    new = []
    for name, (lo, hi) in names.items():
        a = existing.get(name)
        if a is None:
            new.append(Alias(name=name, normalized=normalize(name), first_year=lo, last_year=hi))
        else:
            a.first_year = min(a.first_year or lo, lo)
            a.last_year = max(a.last_year or hi, hi)
            session.add(a)
    session.add_all(new)
    session.flush()
    return {a.name: a.alias_id for a in [*existing.values(), *new]}


_REPORT_CHILDREN = """
DELETE FROM grant_images WHERE grant_id IN (SELECT id FROM grants WHERE report_id = :r);
DELETE FROM grant_themes WHERE grant_id IN (SELECT id FROM grants WHERE report_id = :r);
DELETE FROM grant_places WHERE grant_id IN (SELECT id FROM grants WHERE report_id = :r);
DELETE FROM passage_themes WHERE passage_id IN (SELECT id FROM passages WHERE report_id = :r);
DELETE FROM mentions WHERE report_id = :r;
DELETE FROM grants WHERE report_id = :r;
DELETE FROM allocations WHERE report_id = :r;
DELETE FROM facts WHERE report_id = :r;
DELETE FROM passages WHERE report_id = :r;
DELETE FROM reconciliations WHERE report_id = :r;
DELETE FROM schemes WHERE report_id = :r;
DELETE FROM report_files WHERE report_id = :r
"""


REUSED = ("schemes", "grants", "allocations", "facts", "passages", "reconciliations")
"""Tables whose row ids a replaced report hands on to its new rows, in order: the same
extraction gets the same ids, so links to `/grants/<id>` keep working after `--replace`."""


def delete_report_rows(session: Session, report_id: int) -> dict[str, list[int]]:
    """Delete every row that came from the report's file, keeping the `reports` row (and so its
    id), aliases, organisations, judgements and matches. Returns the deleted ids per table (and
    the report's alias ids under "aliases"), for `write(reuse=...)`."""
    old = {t: [i for (i,) in session.execute(text(f"SELECT id FROM {t} WHERE report_id = :r ORDER BY id"),
                                              {"r": report_id})] for t in REUSED}
    old["aliases"] = [a for (a,) in session.execute(
        text("SELECT DISTINCT alias_id FROM grants WHERE report_id = :r AND alias_id IS NOT NULL"),
        {"r": report_id})]
    for stmt in _REPORT_CHILDREN.split(";"):
        session.execute(text(stmt), {"r": report_id})
    session.flush()
    return old


def tidy_aliases(session: Session, alias_ids) -> None:
    """First/last year of these aliases from the grants that print them now; an alias no grant
    prints any more (a replaced report's old reading) is dropped."""
    for alias_id in alias_ids:
        lo, hi = session.execute(
            text("SELECT MIN(year), MAX(year) FROM grants WHERE alias_id = :a"), {"a": alias_id}).one()
        if lo is None:
            session.execute(text("DELETE FROM aliases WHERE alias_id = :a"), {"a": alias_id})
        else:
            session.execute(text("UPDATE aliases SET first_year = :lo, last_year = :hi WHERE alias_id = :a"),
                            {"lo": lo, "hi": hi, "a": alias_id})
    session.flush()


def _reuse(new_rows: list, ids: list[int]) -> list:
    for row, old_id in zip(new_rows, ids):
        row.id = old_id
    return new_rows


def unresolved_names(session: Session, names) -> list[str]:
    """Printed names of this report without an organisation, or that linking was unsure about."""
    names = list(names)
    if not names:
        return []
    out = []
    for name in names:
        row = session.execute(text(
            "SELECT a.organisation_id, EXISTS(SELECT 1 FROM matches m WHERE m.outcome = 'unsure' "
            "AND (m.name_a = a.name OR m.name_b = a.name)) FROM aliases a WHERE a.name = :n"),
            {"n": name}).first()
        if row is None or row[0] is None or row[1]:
            out.append(name)
    return out


def unresolved_places(session: Session, report_id: int) -> list[str]:
    """Area parts and municipality names of this report that did not resolve to a place."""
    parts = session.execute(text(
        "SELECT DISTINCT gp.area_part FROM grant_places gp JOIN grants g ON g.id = gp.grant_id "
        "WHERE g.report_id = :r AND gp.place_id IS NULL "
        "UNION SELECT DISTINCT kommune_raw FROM allocations "
        "WHERE report_id = :r AND place_id IS NULL AND NOT is_sum_row"), {"r": report_id}).all()
    return sorted(p for (p,) in parts)


def record_run(session: Session, extracted: ExtractedReport, *, path: Path, sha256: str,
               report_id: int, status: str, now, names: list[str], places: list[str]) -> IngestResult:
    """The data-quality record (`ingest_runs`) of one report, and the result for the caller."""
    recs = extracted.reconciliations
    failed = tuple(FailedReconciliation(r.description, r.stated, r.computed, r.page)
                   for r in recs if not r.ok)
    result = IngestResult(
        path=path, status=status, sha256=sha256, report_id=report_id,
        grants=len(extracted.grants), allocations=len(extracted.allocations),
        facts=len(extracted.facts), passages=len(extracted.passages),
        reconciliations_ok=len(recs) - len(failed), reconciliations_failed=len(failed),
        failed_reconciliations=failed, unresolved_names=tuple(names),
        unresolved_places=tuple(places), warnings=tuple(extracted.warnings),
    )
    message = (f"{result.grants} grants, {result.allocations} allocations, {result.facts} facts, "
               f"{result.passages} passages; reconciliations {result.reconciliations_ok} ok, "
               f"{result.reconciliations_failed} failed")
    result = _replace(result, message=message)
    session.add(IngestRun(
        started_at=now, path=str(path), sha256=sha256, report_id=report_id, status=status,
        message=message, grants=result.grants, allocations=result.allocations,
        facts=result.facts, passages=result.passages,
        reconciliations_ok=result.reconciliations_ok,
        reconciliations_failed=result.reconciliations_failed,
        unresolved_names=" | ".join(names), unresolved_places=" | ".join(places),
        warnings=" | ".join(result.warnings),
    ))
    return result


def _replace(result: IngestResult, **changes) -> IngestResult:
    import dataclasses

    return dataclasses.replace(result, **changes)


def report_id_for(session: Session, sha256: str) -> Optional[int]:
    return session.exec(select(Report.id).where(Report.sha256 == sha256)).first()
