"""The plain records that `extract_report()` returns.

Frozen dataclasses, no database: `kb/` turns them into rows. Every record that comes from the
PDF carries the 1-based `page` it was read from; table rows also carry their `bbox` in PDF points
(`x0, top, x1, bottom`, pdfplumber's coordinates, origin top-left).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "BBox") -> "BBox":
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class ReportInfo:
    """What the report is. `kind` is "grant_report" (a report on the grants given in `year`)
    or "budget_proposition" (a Prop. S table of appropriations per organisation: the amounts
    are what the budget set aside, which a grant report for the same year supersedes)."""

    title: str
    year: int
    publisher: str
    page_count: int
    sha256: str
    filename: str
    kind: str = "grant_report"


@dataclass(frozen=True)
class Scheme:
    """A grant scheme (tilskuddsordning) or one part of it, from a numbered section heading.

    `part` is e.g. "Del 1" (None when the scheme has no parts); `key` identifies the scheme
    within a report ("4", "4/Del 1").
    """

    number: int
    name: str
    page: int
    part: Optional[str] = None
    part_name: Optional[str] = None

    @property
    def key(self) -> str:
        return f"{self.number}/{self.part}" if self.part else str(self.number)


@dataclass(frozen=True)
class Grant:
    """One grant: a table row, or a grant stated only in the narrative (`source="narrative"`).

    `organisation`, `project` and `area` are exactly as printed, wrapped lines joined by one
    space. `amount_text` is the amount as printed. For multi-year tables there is one Grant per
    amount column, each with its own `year`.
    """

    organisation: str
    amount_nok: int
    year: int
    page: int
    scheme_key: Optional[str] = None
    project: Optional[str] = None
    area: Optional[str] = None
    amount_text: str = ""
    source: str = "table"  # "table" | "narrative"
    bbox: Optional[BBox] = None
    table_index: Optional[int] = None  # which grant table in the report (0-based)
    row_index: Optional[int] = None  # which row in that table (0-based)
    sentence: Optional[str] = None  # for narrative grants: the sentence it came from


@dataclass(frozen=True)
class Allocation:
    """A row of the municipality allocation table (`Kommune | Tildeling | ...`)."""

    kommune: str  # as printed
    amount_nok: int
    year: int
    page: int
    orgs_driftsstotte: Optional[int] = None
    orgs_aktivitetsstotte: Optional[int] = None
    is_sum_row: bool = False
    scheme_key: Optional[str] = None
    bbox: Optional[BBox] = None
    row_index: Optional[int] = None


@dataclass(frozen=True)
class Fact:
    """A figure the report states: in a narrative sentence or a summary line.

    kind is one of: budget, applications_received, amount_applied, grants_given, amount_granted,
    members, participants, measures, organisations, summary (summary lines such as
    "Driftsstøtte: 2 240 993kr"), or another short snake_case word.
    """

    kind: str
    value: int
    unit: str  # "NOK" | "count"
    page: int
    text: str  # the figure as printed, e.g. "kr. 19 087 739,-"
    sentence: str  # the whole sentence (or summary line) it came from
    year: Optional[int] = None
    scheme_key: Optional[str] = None
    label: Optional[str] = None  # e.g. "Driftsstøtte" for a summary line
    bbox: Optional[BBox] = None


@dataclass(frozen=True)
class Passage:
    """A narrative paragraph, with hyphenation and line wrapping undone."""

    text: str
    page: int
    section: str  # the heading it sits under
    index: int  # position in the report (0-based)
    scheme_key: Optional[str] = None


@dataclass(frozen=True)
class Reconciliation:
    """A total or count the report states, against what the extracted rows add up to."""

    description: str
    stated: int
    computed: int
    page: int
    scheme_key: Optional[str] = None
    kind: str = "sum"  # "sum" | "count"

    @property
    def ok(self) -> bool:
        return self.stated == self.computed


@dataclass(frozen=True)
class ExtractedReport:
    report: ReportInfo
    schemes: tuple[Scheme, ...] = ()
    grants: tuple[Grant, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    facts: tuple[Fact, ...] = ()
    passages: tuple[Passage, ...] = ()
    reconciliations: tuple[Reconciliation, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what `tilskudd extract --json` prints)."""
        data = dataclasses.asdict(self)
        for rec in data["reconciliations"]:
            rec["ok"] = rec["stated"] == rec["computed"]
        data["schemes"] = [
            dict(d, key=s.key) for d, s in zip(data["schemes"], self.schemes)
        ]
        return data
