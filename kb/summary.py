"""What `tilskudd ingest` shows: progress bars (stderr) and the per-report summary (stdout).

CLI-side only: the library reports to a `kb.ingest.Progress` object and never prints; this module
draws that progress with tqdm and formats the `IngestResult`s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from .ingest import IngestResult

LONG_REPORT = 5
"""A stage with at least this many steps gets its own (per page) bar."""

UNITS = {"pages": "page", "images": "page", "nlp": "text"}


class TqdmProgress:
    """One bar over the files, and one per stage of a long report (pages, passages)."""

    def __init__(self, total: int, disable: bool | None = None):
        from tqdm import tqdm

        self._tqdm = tqdm
        self._disable = disable
        self._files = tqdm(total=total, unit="report", desc="ingest", disable=disable,
                           leave=False, position=0)
        self._stage = None

    def start_report(self, path: Path) -> None:
        self._files.set_postfix_str(path.name)

    def stage(self, name: str, total: int) -> None:
        self._close_stage()
        if total >= LONG_REPORT:
            self._stage = self._tqdm(total=total, desc=f"  {name}", unit=UNITS.get(name, "it"),
                                     disable=self._disable, leave=False, position=1)

    def advance(self, n: int = 1) -> None:
        if self._stage is not None:
            self._stage.update(n)

    def end_report(self, result: IngestResult) -> None:
        self._close_stage()
        self._files.update(1)

    def _close_stage(self) -> None:
        if self._stage is not None:
            self._stage.close()
            self._stage = None

    def __enter__(self) -> "TqdmProgress":
        return self

    def __exit__(self, *exc) -> None:
        self._close_stage()
        self._files.close()


COLUMNS = ("file", "status", "grants", "allocations", "facts", "passages", "recon ok",
           "recon failed", "unresolved names", "unresolved places")


def summary_rows(results: Sequence[IngestResult]) -> list[tuple[str, ...]]:
    rows = []
    for r in results:
        counted = r.status in ("ingested", "replaced")
        nums = (r.grants, r.allocations, r.facts, r.passages, r.reconciliations_ok,
                r.reconciliations_failed, len(r.unresolved_names), len(r.unresolved_places))
        rows.append((r.path.name, r.status, *(str(n) if counted else "-" for n in nums)))
    return rows


def print_summary(results: Sequence[IngestResult], echo: Callable[[str], None]) -> None:
    """The table, then the data-quality section: failed reconciliations, unresolved items, and
    what the extractor left out."""
    rows = [COLUMNS, *summary_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for n, row in enumerate(rows):
        echo("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            echo("  ".join("-" * w for w in widths))
    for r in results:
        if r.status == "unchanged":
            echo(f"{r.path.name}: {r.message}")
    quality = [r for r in results
               if r.failed_reconciliations or r.unresolved_names or r.unresolved_places or r.warnings]
    if not quality:
        return
    echo("")
    echo("Data quality")
    for r in quality:
        echo(f"{r.path.name}:")
        for f in r.failed_reconciliations:
            echo(f"  reconciliation failed: {f.description}: stated {_nok(f.stated)}, "
                 f"computed {_nok(f.computed)}, difference {_nok(f.stated - f.computed)} (page {f.page})")
        for name in r.unresolved_names:
            echo(f"  name not resolved: {name}")
        for place in r.unresolved_places:
            echo(f"  place not resolved: {place}")
        for warning in r.warnings:
            echo(f"  warning: {warning}")


def _nok(n: int) -> str:
    """2 175 000 — Norwegian thousands separators, as the reports print them."""
    return f"{n:,}".replace(",", " ")
