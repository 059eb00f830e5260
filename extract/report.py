"""`extract_report()`: a report PDF in, an `ExtractedReport` out."""

from __future__ import annotations

from pathlib import Path

from .records import ExtractedReport


def extract_report(path: str | Path) -> ExtractedReport:
    raise NotImplementedError
