"""Build the sample PDFs in samples/ and their golden truth files in tests/data/golden/.

    .venv/bin/python samples/build_samples.py            # samples/*.pdf + tests/data/golden/*.json
    .venv/bin/python samples/build_samples.py --out DIR  # PDFs only, into DIR

The content (text, tables, truth) lives in samples/content.py, the layout machinery in
samples/layout.py; this module chooses how each sample table looks (ruling lines or whitespace
only, vertical alignment, repeated header row or not) and writes the golden files.
tests/layouts.py renders the same content with other layouts. The output is deterministic
(reportlab `invariant=1`): building twice gives byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples import content  # noqa: E402
from samples.content import Report  # noqa: E402
from samples.layout import Layout, Pages, TableSpec, build_pdf  # noqa: E402

GOLDEN_DIR = ROOT / "tests" / "data" / "golden"

SAMPLE_TABLES = {
    # scheme 2: a full grid, single-line rows, amounts like "2 175 000kr"
    "tilskudd_2": TableSpec(lines="grid", valign="MIDDLE", amount_valign="MIDDLE",
                            width=0.8, font_size=9),
    "summary_2015": TableSpec(lines="none", width=0.45, font_size=9.5, header_fill=None),
    "kommuner_2015": TableSpec(lines="rules", valign="BOTTOM", amount_valign="BOTTOM",
                               widths=(0.2, 0.18, 0.31, 0.31), font_size=9),
    # scheme 3: whitespace only, the amount on the LAST line of a wrapped row, crosses a page
    # break WITH a repeated header row
    "tilskudd_3": TableSpec(lines="none", valign="TOP", amount_valign="BOTTOM",
                            repeat_header=True, header_fill=None),
    # scheme 4 Del 1: a grid, amounts vertically centred, crosses a page break WITHOUT a header
    "tilskudd_4_del_1": TableSpec(lines="grid", valign="TOP", amount_valign="MIDDLE",
                                  repeat_header=False),
    "tilskudd_4_del_2": TableSpec(lines="zebra", width=0.6, font_size=9, header_fill=None),
    "tabell_4_6": TableSpec(lines="rules", widths=(0.6, 0.2, 0.2), font_size=9, header_fill=None),
    # the 2018 table wraps where its column widths make it wrap, amounts on the FIRST line
    "lokallag_2018": TableSpec(lines="grid", wrap="auto", widths=(0.36, 0.46, 0.18), font_size=9),
}

SAMPLE_LAYOUT = Layout(tables=SAMPLE_TABLES)
PROP_LAYOUT = replace(SAMPLE_LAYOUT, font="DejaVuSerif", bold="DejaVuSerif-Bold",
                      heading_color="#000000", first_page_number=59)


def layout_for(report: Report) -> Layout:
    return PROP_LAYOUT if report.slug.startswith("prop1s") else SAMPLE_LAYOUT


def golden_json(truth: dict) -> str:
    """The golden file's text: one record per line, so diffs show what changed."""
    parts = []
    for key, value in truth.items():
        if isinstance(value, list):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f' "{key}": [\n{items}\n ]' if value else f' "{key}": []')
        else:
            parts.append(f' "{key}": {json.dumps(value, ensure_ascii=False)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_golden(report: Report, recorder: Pages, golden_dir: Path = GOLDEN_DIR) -> Path:
    """The truth for the sample PDF: content.golden() plus the pages things were printed on."""
    golden_dir.mkdir(parents=True, exist_ok=True)
    path = golden_dir / f"{report.slug}.json"
    path.write_text(golden_json(content.golden(report, recorder)), encoding="utf-8")
    return path


def build_all(out_dir: Path, golden_dir: Optional[Path] = None) -> list[Path]:
    paths = []
    for report in content.reports():
        recorder = Pages()
        paths.append(build_pdf(report, Path(out_dir) / f"{report.slug}.pdf", layout_for(report),
                               recorder))
        if golden_dir is not None:
            paths.append(write_golden(report, recorder, golden_dir))
    return paths


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the PDFs here (no golden files)")
    args = parser.parse_args(argv)
    if args.out:
        paths = build_all(args.out)
    else:
        paths = build_all(ROOT / "samples", GOLDEN_DIR)
    for p in paths:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
