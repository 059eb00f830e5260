"""Reconciliations: every total or count the report states, against what its rows add up to.

Generic rules, none tied to one year's report:
- a table's `SUM` row, per numeric column, against the column's rows;
- a scheme's stated count (`25 prosjekter fikk tildelt`, `åtte frivillige organisasjoner`)
  against its grant rows, and its stated amount (granted, else budget) against their sum; a
  scheme's figure covers its parts (`4` covers `4/Del 1` and `4/Del 2`);
- counts stated about the municipality table (`120 ... driftsstøtte`, `de 20 kommunene`)
  against its columns and rows;
- a block of summary lines ending in `SUM:` against the lines above it; a stated total that
  names summary lines (`til drift- og aktivitetsstøtte`) against those lines; a summary line
  against the narrative amounts that make it up (`Adm. kostnader` = Oslo's + Ålesund's).
The source's mismatches are reported with both numbers, never corrected.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from .records import Allocation, Fact, Grant, Reconciliation

SUM_LABEL = re.compile(r"^(sum|totalt|total|i alt|samlet)$", re.I)


def _under(key: Optional[str], scheme: str) -> bool:
    return key is not None and (key == scheme or key.startswith(scheme + "/"))


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def table_sums(table_index: int, label: str, sum_values: dict, grants: Sequence[Grant],
               page: int, scheme_key: Optional[str]) -> list[Reconciliation]:
    """`sum_values`: {year: stated} from a grant table's Sum row."""
    out = []
    rows = [g for g in grants if g.table_index == table_index]
    for year, stated in sum_values.items():
        part = [g for g in rows if g.year == year]
        out.append(Reconciliation(
            f"{label}: printed Sum row ({year}) vs the {len(part)} rows",
            stated, sum(g.amount_nok for g in part), page, scheme_key, "sum"))
    return out


def allocation_sums(allocs: Sequence[Allocation]) -> list[Reconciliation]:
    rows = [a for a in allocs if not a.is_sum_row]
    out = []
    for s in (a for a in allocs if a.is_sum_row):
        n = len(rows)
        out.append(Reconciliation(f"Municipality table: SUM row amount vs the {n} municipality rows",
                                  s.amount_nok, sum(a.amount_nok for a in rows), s.page, s.scheme_key))
        for attr, what in (("orgs_driftsstotte", "organisations with driftsstøtte"),
                           ("orgs_aktivitetsstotte", "organisations with aktivitetsstøtte")):
            stated = getattr(s, attr)
            if stated is not None:
                out.append(Reconciliation(
                    f"Municipality table: SUM row count of {what} vs the {n} rows",
                    stated, sum(getattr(a, attr) or 0 for a in rows), s.page, s.scheme_key, "count"))
    return out


def scheme_figures(facts: Sequence[Fact], grants: Sequence[Grant], scheme_keys: Sequence[str],
                   report_year: Optional[int]) -> list[Reconciliation]:
    out = []
    for key in scheme_keys:
        own = [f for f in facts if f.scheme_key == key and f.label is None]
        mine = [g for g in grants if _under(g.scheme_key, key)]
        if report_year is not None and any(g.year == report_year for g in mine):
            mine = [g for g in mine if g.year == report_year]
        if not mine:
            continue
        seen = set()
        for f in own:
            if f.kind in ("grants_given", "organisations") and f.value not in seen:
                seen.add(f.value)
                out.append(Reconciliation(
                    f"Scheme {key}: stated number of grants ('{f.text}' {f.kind.replace('_', ' ')}) "
                    f"vs grant rows", f.value, len(mine), f.page, key, "count"))
        granted = [f for f in own if f.kind == "amount_granted"]
        budget = [f for f in own if f.kind == "budget"]
        for f in (granted or budget)[:1]:
            what = "amount granted" if granted else "amount set aside"
            out.append(Reconciliation(
                f"Scheme {key}: stated {what} ({f.text}) vs sum of {len(mine)} grants",
                f.value, sum(g.amount_nok for g in mine), f.page, key, "sum"))
    return out


def allocation_figures(facts: Sequence[Fact], allocs: Sequence[Allocation]) -> list[Reconciliation]:
    rows = [a for a in allocs if not a.is_sum_row]
    if not rows:
        return []
    key = rows[0].scheme_key
    out = []
    seen = set()
    for f in facts:
        if f.scheme_key != key:
            continue
        if f.kind == "grants_given" and f.label in ("driftsstotte", "aktivitetsstotte"):
            attr = "orgs_" + f.label
            out.append(Reconciliation(
                f"Stated '{f.text}' granted {f.label.replace('stotte', 'støtte')} vs the "
                f"municipality table's column sum", f.value,
                sum(getattr(a, attr) or 0 for a in rows), f.page, key, "count"))
        elif f.kind == "municipalities" and ("municipalities", f.value) not in seen:
            seen.add(("municipalities", f.value))
            out.append(Reconciliation(
                f"Stated 'de {f.text} kommunene' vs municipality rows in the table",
                f.value, len(rows), f.page, key, "count"))
    return out


def _stems(label: str) -> list[str]:
    return [w for w in re.split(r"[^\wæøå]+", label.lower()) if len(w) >= 3]


def summary_figures(facts: Sequence[Fact]) -> list[Reconciliation]:
    out = []
    summary = [f for f in facts if f.kind == "summary"]
    # blocks of summary lines that end in a SUM line
    block: list[Fact] = []
    for f in summary:
        if f.label and SUM_LABEL.match(f.label.strip()):
            if block:
                out.append(Reconciliation(
                    f"Summary lines: '{f.label}: {f.text}' vs the {len(block)} lines above it",
                    f.value, sum(b.value for b in block), f.page, f.scheme_key))
            block = []
        else:
            block.append(f)
    parts = [f for f in summary if f.label and not SUM_LABEL.match(f.label.strip())]
    for f in facts:
        if f.kind == "amount_distributed":
            s = f.sentence.lower()
            named = [p for p in parts if p.scheme_key == f.scheme_key
                     and any(st[:5] in s for st in _stems(p.label)[:1])]
            if named:
                out.append(Reconciliation(
                    f"Stated total {f.text} vs summary lines "
                    + " + ".join(p.label for p in named),
                    f.value, sum(p.value for p in named), f.page, f.scheme_key))
    spent = [f for f in facts if f.kind == "spent" and f.label]
    for p in parts:
        stems = _stems(p.label)
        if not stems:
            continue
        match = [f for f in spent if f.scheme_key == p.scheme_key and all(
            any(w.startswith(st) for w in _stems(f.label)) for st in stems)]
        if match:
            out.append(Reconciliation(
                f"Summary line '{p.label}: {p.text}' vs amounts stated in the text ("
                + " + ".join(_fmt(f.value) for f in match) + ")",
                p.value, sum(f.value for f in match), p.page, p.scheme_key))
    return out
