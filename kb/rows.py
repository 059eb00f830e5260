"""Records → rows: the pure conversion of an `ExtractedReport` into sqlmodel rows.

No session, no I/O: each function takes the records and the ids the database has handed out so
far (report id, scheme ids by key, alias ids by printed name) and returns new row objects. The
records are never changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Mapping, Optional

from extract.records import BBox, ExtractedReport, Grant

from .models import (
    AllocationRow,
    FactRow,
    GrantRow,
    PassageRow,
    ReconciliationRow,
    Report,
    SchemeRow,
)


def _bbox(bbox: Optional[BBox]) -> dict:
    if bbox is None:
        return {"x0": None, "top": None, "x1": None, "bottom": None}
    return {"x0": bbox.x0, "top": bbox.top, "x1": bbox.x1, "bottom": bbox.bottom}


def _scheme(key: Optional[str], scheme_ids: Mapping[str, int]) -> Optional[int]:
    return scheme_ids.get(key) if key is not None else None


def report_row(extracted: ExtractedReport, *, sha256: str, filename: str,
               extractor_version: str, ingested_at: datetime) -> Report:
    info = extracted.report
    return Report(
        sha256=sha256, filename=filename, title=info.title, year=info.year,
        publisher=info.publisher, kind=info.kind, page_count=info.page_count,
        ingested_at=ingested_at,
        extractor_version=extractor_version,
    )


def scheme_rows(extracted: ExtractedReport, report_id: int) -> list[SchemeRow]:
    """One row per distinct scheme key (the first heading wins if a key repeats)."""
    year = extracted.report.year
    seen: set[str] = set()
    rows = []
    for s in extracted.schemes:
        if s.key in seen:
            continue
        seen.add(s.key)
        rows.append(SchemeRow(report_id=report_id, year=year, key=s.key, number=s.number,
                              name=s.name, part=s.part, part_name=s.part_name, page=s.page))
    return rows


def organisation_names(grants: Iterable[Grant]) -> dict[str, tuple[int, int]]:
    """Distinct printed names with the first and last year they appear, in order of appearance."""
    years: dict[str, tuple[int, int]] = {}
    for g in grants:
        lo, hi = years.get(g.organisation, (g.year, g.year))
        years[g.organisation] = (min(lo, g.year), max(hi, g.year))
    return years


def grant_rows(extracted: ExtractedReport, report_id: int, scheme_ids: Mapping[str, int],
               alias_ids: Mapping[str, int],
               project_lemmas: Mapping[int, str] | None = None) -> list[GrantRow]:
    """One row per grant, in the extractor's order (so `grant_rows(...)[i]` is grant i)."""
    lemmas = project_lemmas or {}
    return [
        GrantRow(
            report_id=report_id, scheme_id=_scheme(g.scheme_key, scheme_ids), year=g.year,
            organisation_raw=g.organisation, alias_id=alias_ids.get(g.organisation),
            project=g.project, project_lemmas=lemmas.get(i), area=g.area,
            amount_nok=g.amount_nok, amount_text=g.amount_text, source=g.source,
            sentence=g.sentence, page=g.page, table_index=g.table_index,
            row_index=g.row_index, **_bbox(g.bbox),
        )
        for i, g in enumerate(extracted.grants)
    ]


def allocation_rows(extracted: ExtractedReport, report_id: int, scheme_ids: Mapping[str, int],
                    place_ids: Mapping[int, Optional[str]] | None = None) -> list[AllocationRow]:
    """One row per allocation; `place_ids` maps the allocation's index to its place."""
    places = place_ids or {}
    return [
        AllocationRow(
            report_id=report_id, scheme_id=_scheme(a.scheme_key, scheme_ids), year=a.year,
            kommune_raw=a.kommune, place_id=places.get(i), amount_nok=a.amount_nok,
            orgs_driftsstotte=a.orgs_driftsstotte, orgs_aktivitetsstotte=a.orgs_aktivitetsstotte,
            is_sum_row=a.is_sum_row, page=a.page, **_bbox(a.bbox),
        )
        for i, a in enumerate(extracted.allocations)
    ]


def fact_rows(extracted: ExtractedReport, report_id: int,
              scheme_ids: Mapping[str, int]) -> list[FactRow]:
    return [
        FactRow(report_id=report_id, scheme_id=_scheme(f.scheme_key, scheme_ids), year=f.year,
                kind=f.kind, label=f.label, value=f.value, unit=f.unit, text=f.text,
                sentence=f.sentence, page=f.page)
        for f in extracted.facts
    ]


def passage_rows(extracted: ExtractedReport, report_id: int, scheme_ids: Mapping[str, int],
                 lemmas: Mapping[int, str] | None = None) -> list[PassageRow]:
    """One row per passage; `lemmas` maps the passage's list index to its lemmas."""
    year = extracted.report.year
    lem = lemmas or {}
    return [
        PassageRow(report_id=report_id, scheme_id=_scheme(p.scheme_key, scheme_ids), year=year,
                   section=p.section, position=p.index, text=p.text, lemmas=lem.get(i),
                   page=p.page)
        for i, p in enumerate(extracted.passages)
    ]


def reconciliation_rows(extracted: ExtractedReport, report_id: int,
                        scheme_ids: Mapping[str, int]) -> list[ReconciliationRow]:
    return [
        ReconciliationRow(report_id=report_id, scheme_id=_scheme(r.scheme_key, scheme_ids),
                          description=r.description, kind=r.kind, stated=r.stated,
                          computed=r.computed, ok=r.ok, page=r.page)
        for r in extracted.reconciliations
    ]
