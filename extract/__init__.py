"""Extract IMDi grant reports from PDF into plain records. The door: `extract_report(path)`."""

from .errors import ExtractError
from .records import (
    Allocation,
    BBox,
    ExtractedReport,
    Fact,
    Grant,
    Passage,
    Reconciliation,
    ReportInfo,
    Scheme,
)
from .report import extract_report

__all__ = [
    "extract_report",
    "ExtractError",
    "ExtractedReport",
    "ReportInfo",
    "Scheme",
    "Grant",
    "Allocation",
    "Fact",
    "Passage",
    "Reconciliation",
    "BBox",
]
