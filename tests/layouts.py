"""Other renderings of the sample reports, for held-out extraction tests.

The sample PDFs in samples/ are one layout of the content in samples/content.py. The functions
here lay out the SAME content with other software and settings, into a directory the test
chooses (nothing is committed), so a test can check that extraction does not depend on one
layout:

    from layouts import LAYOUTS, render
    pdf = render("html_print", content.imdi_2015(), tmp_path)   # or render_html_print(...)

Each renderer is `fn(report, out_dir) -> Path` (the PDF) and is registered in `LAYOUTS`; add
another layout ("(c) any other layout") by writing such a function and registering it. The
truth for every rendering is `samples.content.golden(report)`.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples import content  # noqa: E402
from samples.layout import Layout, TableSpec, build_pdf  # noqa: E402
from samples.content import Heading, NarrativeGrant, Report  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

Renderer = Callable[[Report, Path], Path]


# --- (a) HTML printed to PDF by headless Chromium -------------------------------------------

# Per table: CSS class (borders or not), column widths in percent (None: the browser decides).
HTML_TABLES = {
    "tilskudd_2": ("plain", (70, 30)),
    "summary_2015": ("plain", (60, 40)),
    "kommuner_2015": ("boxed", (22, 18, 30, 30)),
    "tilskudd_3": ("boxed", (30, 30, 25, 15)),
    "tilskudd_4_del_1": ("plain", (26, 36, 26, 12)),
    "tilskudd_4_del_2": ("boxed", (65, 35)),
    "tabell_4_6": ("boxed", (56, 22, 22)),
    "lokallag_2018": ("plain", (45, 40, 15)),
}

CSS = """
@page { size: A4; margin: 18mm 20mm 20mm 24mm; }
body { font-family: "Liberation Serif", serif; font-size: 11.5pt; line-height: 1.35;
       text-align: left; hyphens: none; }
h1 { font-family: "Liberation Sans", sans-serif; font-size: 17pt; margin: 1.1em 0 .4em; }
h2 { font-family: "Liberation Sans", sans-serif; font-size: 13pt; margin: 1em 0 .3em; }
h3 { font-family: "Liberation Sans", sans-serif; font-size: 11pt; margin: .9em 0 .3em;
     font-style: italic; }
.title { font-size: 22pt; margin-top: 0; }
.publisher { font-family: "Liberation Sans", sans-serif; font-size: 9pt; color: #555; }
p.item { margin-left: 2em; }
p.quote, p.note { margin-left: 3em; margin-right: 3em; font-size: 10pt; }
.footnotes { border-top: 1px solid #999; margin-top: 1.5em; font-size: 8.5pt; }
table { border-collapse: collapse; margin: .5em 0 1em; font-family: "Liberation Sans",
        sans-serif; font-size: 9.5pt; width: 100%; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
td, th { padding: 3px 6px; vertical-align: top; text-align: left; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
table.boxed td, table.boxed th { border: 1px solid #333; }
table.plain th { border-bottom: 2px solid #000; }
"""


def report_html(report: Report) -> str:
    """The report as one HTML document (cells as their text: the browser wraps them)."""
    out = [f"<!DOCTYPE html><html lang='no'><head><meta charset='utf-8'>",
           f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
           f"<div class='publisher'>{html.escape(report.publisher_full)}</div>",
           f"<h1 class='title'>{html.escape(report.title)}</h1>"]
    if report.subtitle:
        out.append(f"<p>{html.escape(report.subtitle)}</p>")
    notes = []
    for block in report.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 3)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, content.Paragraph):
            text = html.escape(block.text)
            for marker in re.findall(r"\[\^(\w+)\]", block.text):
                text = text.replace(f"[^{marker}]", f"<sup>{marker}</sup>")
                notes.append((marker, report.footnotes[marker]))
            out.append(f"<p class='{block.kind}'>{text}</p>")
            if notes:  # footnotes at the end of the paragraph's section, as a web page would
                out.append("<div class='footnotes'>" + "".join(
                    f"<p><sup>{m}</sup> {html.escape(t)}</p>" for m, t in notes) + "</div>")
                notes = []
        elif isinstance(block, content.Table):
            out.append(_html_table(block))
        elif isinstance(block, NarrativeGrant):
            continue
    out.append("</body></html>")
    return "\n".join(out)


def _html_table(t: content.Table) -> str:
    css, widths = HTML_TABLES.get(t.key, ("boxed", None))
    amount = {i for i, f in enumerate(t.fields) if f.startswith(("amount", "orgs"))}
    if t.kind == "summary":
        amount = {1}
    rows = []
    if widths:
        rows.append("<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in widths) + "</colgroup>")
    if t.header:
        rows.append("<thead><tr>" + "".join(
            f"<th class='{'amount' if i in amount else ''}'>{html.escape(' '.join(c))}</th>"
            for i, c in enumerate(t.header)) + "</tr></thead>")
    rows.append("<tbody>")
    for r in range(len(t.rows)):
        rows.append("<tr>" + "".join(
            f"<td class='{'amount' if i in amount else ''}'>{html.escape(t.cell_text(r, i))}</td>"
            for i in range(len(t.rows[r]))) + "</tr>")
    rows.append("</tbody>")
    return f"<table class='{css}'>" + "".join(rows) + "</table>"


def render_html_print(report: Report, out_dir: Path) -> Path:
    """Write `report` as HTML into out_dir and print it to PDF with headless Chromium."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"{report.slug}.html"
    page.write_text(report_html(report), encoding="utf-8")
    pdf = out_dir / f"{report.slug}.html_print.pdf"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
             page.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {page}")
    return pdf


# --- (b) reportlab with other page, font, margins, column widths and table styles ----------------

VARIANT_TABLES = {
    "tilskudd_2": TableSpec(lines="none", wrap="auto", widths=(0.62, 0.38), width=0.7, font_size=10),
    "summary_2015": TableSpec(lines="grid", wrap="auto", widths=(0.6, 0.4), width=0.55,
                              font_size=10, header_fill=None),
    "kommuner_2015": TableSpec(lines="grid", wrap="auto", widths=(0.25, 0.2, 0.275, 0.275),
                               valign="TOP", amount_valign="TOP", font_size=9.5),
    "tilskudd_3": TableSpec(lines="grid", wrap="auto", widths=(0.34, 0.31, 0.21, 0.14),
                            valign="MIDDLE", amount_valign="MIDDLE", font_size=9.5,
                            repeat_header=False),
    "tilskudd_4_del_1": TableSpec(lines="rules", wrap="auto", widths=(0.3, 0.3, 0.25, 0.15),
                                  valign="TOP", amount_valign="BOTTOM", font_size=9.5,
                                  header_fill=None),
    "tilskudd_4_del_2": TableSpec(lines="grid", wrap="auto", widths=(0.7, 0.3), width=0.65,
                                  font_size=10),
    "tabell_4_6": TableSpec(lines="grid", wrap="auto", widths=(0.5, 0.25, 0.25), font_size=10),
    "lokallag_2018": TableSpec(lines="none", wrap="auto", widths=(0.28, 0.5, 0.22), font_size=10,
                               amount_valign="BOTTOM", header_fill=None),
}

VARIANT_LAYOUT = Layout(
    pagesize=(612.0, 792.0),  # US Letter
    margins=(18 * 2.8346, 15 * 2.8346, 30 * 2.8346, 20 * 2.8346),
    font="DejaVuSerif", bold="DejaVuSerif-Bold",
    table_font="DejaVuSerif", table_bold="DejaVuSerif-Bold",
    size=11, leading=15, heading_sizes=(16, 12.5, 11), heading_color="#000000",
    justify=False, hyphenate=False, running_head=False,
    tables=VARIANT_TABLES,
)


def render_reportlab_variant(report: Report, out_dir: Path) -> Path:
    """The report with reportlab, but on Letter paper, in DejaVu Serif, with other margins,
    column widths (cells wrap where the width makes them wrap) and table styles."""
    out = Path(out_dir) / f"{report.slug}.reportlab_variant.pdf"
    return build_pdf(report, out, VARIANT_LAYOUT)


# --- (c) a word processor's PDF export: LibreOffice Writer ------------------------------------

SOFFICE = "soffice"  # Debian's libreoffice-writer-nogui (installed by .ci/system-deps)


def render_word_processor(report: Report, out_dir: Path) -> Path:
    """The report's HTML opened in LibreOffice Writer and exported to PDF (writer_pdf_Export):
    Writer's own fonts (Liberation), table layout, page breaks inside tables and repeated
    header rows, as a word processor's "Export as PDF" makes them."""
    out_dir = Path(out_dir)
    work = out_dir / f"{report.slug}-writer"
    work.mkdir(parents=True, exist_ok=True)
    page = work / f"{report.slug}.html"
    page.write_text(report_html(report), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="soffice-profile-")
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
             "--outdir", str(work), str(page)],
            check=True, capture_output=True, timeout=240,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / f"{report.slug}.word_processor.pdf"
    (work / f"{report.slug}.pdf").rename(pdf)
    return pdf


LAYOUTS: dict[str, Renderer] = {
    "html_print": render_html_print,
    "reportlab_variant": render_reportlab_variant,
    "word_processor": render_word_processor,
}


def render(layout: str, report: Report, out_dir: Path) -> Path:
    return LAYOUTS[layout](report, Path(out_dir))
