"""The `tilskudd extract` command."""

from __future__ import annotations

import json
from collections import Counter

import click


def _nok(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def summary_text(report) -> str:
    """A short human summary of an ExtractedReport."""
    info = report.report
    out = [f"{info.filename}: {info.title} ({info.year}, {info.publisher}), "
           f"{info.page_count} pages, sha256 {info.sha256[:12]}"]
    per_scheme = Counter(g.scheme_key for g in report.grants)
    sums: Counter = Counter()
    for g in report.grants:
        sums[g.scheme_key] += g.amount_nok
    out.append("Schemes:")
    for s in report.schemes:
        part = f" {s.part}: {s.part_name}" if s.part else ""
        out.append(f"  {s.key:8} {s.name}{part}")
    out.append("Grants per scheme:")
    for key in sorted(per_scheme, key=lambda k: str(k)):
        out.append(f"  {str(key):8} {per_scheme[key]:3} grants, {_nok(sums[key])} NOK")
    rows = [a for a in report.allocations if not a.is_sum_row]
    if report.allocations:
        out.append(f"Allocations: {len(rows)} municipalities, {_nok(sum(a.amount_nok for a in rows))} NOK"
                   + (" (+ SUM row)" if len(rows) < len(report.allocations) else ""))
    kinds = Counter(f.kind for f in report.facts)
    out.append("Facts: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    out.append(f"Passages: {len(report.passages)}")
    ok = sum(1 for r in report.reconciliations if r.ok)
    out.append(f"Reconciliations: {ok} OK, {len(report.reconciliations) - ok} MISMATCH")
    for r in report.reconciliations:
        flag = "OK      " if r.ok else "MISMATCH"
        out.append(f"  {flag} stated {_nok(r.stated)} computed {_nok(r.computed)} "
                   f"(p. {r.page}) {r.description}")
    for w in report.warnings:
        out.append(f"Warning: {w}")
    return "\n".join(out)


@click.command("extract")
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print all records as JSON.")
@click.option("--debug-dir", type=click.Path(file_okay=False), default=None,
              help="Save pdfplumber's table-finder images for each page here.")
def extract_command(path, as_json, debug_dir):
    """Extract the records of one report PDF, without touching a database."""
    from extract import extract_report
    from extract.pdf import save_debug_images

    report = extract_report(path)
    if debug_dir:
        written = save_debug_images(path, debug_dir)
        click.echo(f"Saved {len(written)} table-finder images to {debug_dir}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary_text(report))
