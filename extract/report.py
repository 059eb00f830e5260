"""`extract_report()`: a report PDF in, an `ExtractedReport` out.

Reads each page once (`pdf.load_document`), then works on the lines in reading order: tables
(`tables`), headings and schemes (`sections`), summary lines and paragraphs (`passages`),
figures and narrative grants (`figures`), and finally the reconciliations (`reconcile`).
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Callable, Any, Mapping, Optional

from . import reconcile
from .amounts import find_amounts, parse_amount, parse_count
from .errors import NotAGrantReportError
from .figures import narrative_grants, sentence_figures, summary_line, topic_of
from .passages import paragraphs, section_of, sentences
from .pdf import Document, load_document, reading_lines
from .records import (
    Allocation,
    ExtractedReport,
    Fact,
    Grant,
    Passage,
    Reconciliation,
    ReportInfo,
)
from .sections import find_headings, plain_scheme_headings, publisher_of, report_kind, scheme_key_at, schemes_from, title_and_year
from .settings import ExtractSettings
from .tables import Table, find_tables

log = logging.getLogger(__name__)


def extract_report(path: str | Path,
                   settings: Optional[ExtractSettings | Mapping[str, Any]] = None,
                   on_page: Optional[Callable[[int, int], None]] = None) -> ExtractedReport:
    """Extract every record of one grant report PDF (see `extract.records`).

    `on_page(page_number, page_count)` is called after each page is read (for progress bars).
    """
    settings = ExtractSettings.resolve(settings)
    doc = load_document(path, settings, on_page)
    return records_from(doc, settings)


def _scaled(text: str, value: int, scale: int) -> int:
    """A table "i 1 000 kr" prints thousands; an amount written with kr/mill. is already NOK."""
    if scale == 1 or any(a.is_money for a in find_amounts(text)):
        return value
    return value * scale


def _table_records(tables, headings, year, warnings):
    grants: list[Grant] = []
    allocations: list[Allocation] = []
    table_sums: list[tuple] = []
    g_index = 0
    for table in tables:
        key = scheme_key_at(headings, table.first_line)
        cols = table.header.columns
        scale = table.header.scale
        if table.kind == "allocations":
            ki = next(i for i, c in enumerate(cols) if c.role == "kommune")
            ai = next((i for i, c in enumerate(cols) if c.role == "amount"), None)
            ci = {c.count_of: i for i, c in enumerate(cols) if c.role == "count"}
            for r, row in enumerate(table.rows):
                amount = parse_amount(row.cells[ai]) if ai is not None else None
                if amount is None:
                    warnings.append(f"municipality table row {r + 1} ({row.cells[ki]!r}): "
                                    f"no amount in {row.cells[ai]!r}; row left out")
                    continue
                counts = {k: parse_count(row.cells[i]) if row.cells[i] else None
                          for k, i in ci.items()}
                allocations.append(Allocation(
                    row.cells[ki], _scaled(row.cells[ai], amount, scale), year, row.page,
                    counts.get("driftsstotte"), counts.get("aktivitetsstotte"),
                    row.is_sum, key, row.bbox, r))
            continue
        oi = next(i for i, c in enumerate(cols) if c.role == "organisation")
        pi = next((i for i, c in enumerate(cols) if c.role == "project"), None)
        ar = next((i for i, c in enumerate(cols) if c.role == "area"),
                  next((i for i, c in enumerate(cols) if c.role == "kommune"), None))
        amount_cols = [(i, c) for i, c in enumerate(cols) if c.role == "amount"]
        sums: dict = {}
        sum_page = table.page
        for r, row in enumerate(table.rows):
            if row.is_sum:
                for i, c in amount_cols:
                    value = parse_amount(row.cells[i])
                    if value is not None:
                        sums[c.year or year] = _scaled(row.cells[i], value, scale)
                sum_page = row.page
                continue
            org = row.cells[oi]
            got = False
            for i, c in amount_cols:
                text = row.cells[i].strip()
                if not text or text in "-–—":
                    continue
                value = parse_amount(text)
                if value is None:
                    warnings.append(f"table {g_index + 1} row {r + 1} ({org!r}): "
                                    f"{text!r} in the {c.label!r} column is not an amount; left out")
                    continue
                got = True
                grants.append(Grant(
                    org, _scaled(text, value, scale), c.year or year, row.page, key,
                    row.cells[pi] if pi is not None and row.cells[pi] else None,
                    row.cells[ar] if ar is not None and row.cells[ar] else None,
                    text, "table", row.bbox, g_index, r))
            if not got and not any(row.cells[i].strip() for i, _ in amount_cols):
                warnings.append(f"table {g_index + 1} row {r + 1} ({org!r}): no amount; left out")
        if sums:
            table_sums.append((g_index, key, sums, sum_page))
        g_index += 1
    return grants, allocations, table_sums


def records_from(doc: Document, settings: ExtractSettings) -> ExtractedReport:
    lines = reading_lines(doc, settings)
    body_size = doc.body_size
    rules = {p.number: p.rules for p in doc.pages}
    tables: list[Table] = find_tables(lines, rules, body_size, settings)
    if not tables:
        raise NotAGrantReportError(
            f"{Path(doc.path).name} holds no grant table (no 'Organisasjon ... Tilskudd' header): "
            "is this an IMDi grant report?")
    in_tables = frozenset().union(*(t.line_indexes for t in tables))
    body_size = _prose_size(lines, in_tables) or body_size
    headings = find_headings(lines, body_size, settings, in_tables)
    if not any(h.level == "scheme" for h in headings):
        plain = plain_scheme_headings(lines, body_size, in_tables)
        headings = sorted(headings + plain, key=lambda h: h.first)
    heading_lines = frozenset(i for h in headings for i in range(h.first, h.last + 1))
    title, year = title_and_year(lines, doc.metadata)
    if year is None:
        year = max((c.year for t in tables for c in t.header.columns if c.year), default=0)
    warnings: list[str] = [w for t in tables for w in t.warnings]
    grants, allocations, table_sums = _table_records(tables, headings, year, warnings)

    # summary lines ("Driftsstøtte: 2 240 993kr") are figures, not prose
    facts: list[Fact] = []
    summary_idx = set()
    for i, line in enumerate(lines):
        if i in in_tables or i in heading_lines:
            continue
        found = summary_line(line.text)
        if found:
            label, value, text = found
            summary_idx.add(i)
            facts.append(Fact("summary", value, "NOK", line.page, text, line.text, year,
                              scheme_key_at(headings, i), label, _bbox(line)))
    skip = in_tables | heading_lines | frozenset(summary_idx)
    paras = paragraphs(lines, skip, settings, body_size)
    passages = []
    schemes_with_table_grants = {g.scheme_key for g in grants}
    for n, para in enumerate(paras):
        key = scheme_key_at(headings, para.first)
        passages.append(Passage(para.text, para.page, section_of(headings, para.first), n, key))
        topic = None
        for off, sentence in sentences(para.text):
            topic = topic_of(sentence) or topic
            page = para.page_at(off)
            for fig in sentence_figures(sentence):
                label = fig.label
                if fig.kind in ("grants_given", "applications_received", "amount_granted",
                                "amount_applied") and label is None:
                    label = topic
                facts.append(Fact(fig.kind, fig.value, fig.unit, para.page_at(off + fig.offset),
                                  fig.text, sentence, year, key, label))
            if key not in schemes_with_table_grants:
                for ng in narrative_grants(sentence):
                    grants.append(Grant(ng.organisation, ng.amount.value, year, page, key,
                                        amount_text=ng.amount.text, source="narrative",
                                        sentence=sentence))
    schemes = schemes_from(headings)
    recs: list[Reconciliation] = []
    for t_index, key, sums, page in table_sums:
        recs += reconcile.table_sums(t_index, f"Table {t_index + 1} (scheme {key})", sums,
                                     grants, page, key)
    recs += reconcile.allocation_sums(allocations)
    keys = []
    for s in schemes:
        for k in (str(s.number), s.key):
            if k not in keys:
                keys.append(k)
    recs += reconcile.scheme_figures(facts, grants, keys, year)
    recs += reconcile.allocation_figures(facts, allocations)
    recs += reconcile.summary_figures(facts)
    publisher = publisher_of(lines, doc.metadata)
    info = ReportInfo(title, year, publisher, doc.page_count, doc.sha256, Path(doc.path).name,
                      report_kind(title, lines))
    for w in warnings:
        log.warning("%s", w)
    return ExtractedReport(info, tuple(schemes), tuple(grants), tuple(allocations), tuple(facts),
                           tuple(passages), tuple(recs), tuple(warnings))


def _prose_size(lines, skip) -> float:
    """The font size of running text: the size most characters outside tables have."""
    sizes: Counter = Counter()
    for i, line in enumerate(lines):
        if i not in skip:
            for w in line.words:
                sizes[round(w.size, 1)] += len(w.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _bbox(line):
    from .records import BBox

    return BBox(line.x0, line.top, line.x1, line.bottom)
