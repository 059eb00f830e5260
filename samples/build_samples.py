"""Build the sample PDFs in samples/ and their golden truth files in tests/data/golden/.

    .venv/bin/python samples/build_samples.py            # samples/*.pdf + tests/data/golden/*.json
    .venv/bin/python samples/build_samples.py --out DIR  # PDFs only, into DIR

The content (text, tables, truth) lives in samples/content.py; this module is the layout: a
`Layout` (page, fonts, margins) plus one `TableSpec` per table (ruling lines or whitespace only,
vertical alignment, repeated header row or not, column widths). tests/layouts.py renders the same
content with other layouts. The output is deterministic (reportlab `invariant=1`): building twice
gives byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportlab import rl_config  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from samples import content  # noqa: E402
from samples.content import Heading, NarrativeGrant, Report  # noqa: E402

FONT_DIR = ROOT / "samples" / "fonts"
GOLDEN_DIR = ROOT / "tests" / "data" / "golden"
FONTS = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}


def register_fonts() -> None:
    for name, filename in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    for family in ("DejaVuSans", "DejaVuSerif", "DejaVuSansCondensed"):
        pdfmetrics.registerFontFamily(family, normal=family, bold=family + "-Bold",
                                      italic=family, boldItalic=family + "-Bold")


@dataclass(frozen=True)
class TableSpec:
    """How one table is drawn.

    lines: "grid" (all ruling lines), "none" (whitespace only), "rules" (lines above/below the
    header and above a sum row), "zebra" (shaded alternate rows, no lines).
    wrap: "source" keeps each cell's printed lines (the wraps of the source); "auto" lets the cell
    wrap wherever the column width makes it wrap.
    widths: column widths as fractions of the table width (None: fitted to the longest lines).
    """

    lines: str = "grid"
    valign: str = "TOP"  # text cells
    amount_valign: str = "TOP"  # amount cells
    repeat_header: bool = True
    wrap: str = "source"
    widths: Optional[tuple[float, ...]] = None
    font_size: float = 8.5
    width: float = 1.0  # fraction of the frame width
    header_fill: Optional[str] = "#dde4ee"


@dataclass(frozen=True)
class Layout:
    pagesize: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (25 * mm, 22 * mm, 25 * mm, 22 * mm)  # l t r b
    font: str = "DejaVuSans"
    bold: str = "DejaVuSans-Bold"
    table_font: str = "DejaVuSansCondensed"
    table_bold: str = "DejaVuSansCondensed-Bold"
    size: float = 10
    leading: float = 14
    heading_sizes: tuple[float, float, float] = (15, 12, 10.5)
    heading_color: str = "#1f3864"
    justify: bool = True
    hyphenate: bool = True  # soft hyphens in long compounds: a word processor's line-end breaks
    first_page_number: int = 1
    running_head: bool = True
    tables: dict[str, TableSpec] = field(default_factory=dict)


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

# Compound joints where a word processor would break a long word at a line end.
_JOINTS = re.compile(
    r"(?<=\w{4})(?=(?:organisasjon|ordning|befolkning|arbeid|deltakelse|samfunn|tilskudd|miljø"
    r"|forvalter|grupper|departement|direktorat|kvinner|innvandrer|prosjekt|støtte|midlene"
    r"|kontakt|nettverk|tiltak|tillit|sentral)\w{2,})",
)


def soft_hyphenate(text: str) -> str:
    """Put soft hyphens at compound joints of long words (>= 14 letters)."""
    def word(m: re.Match) -> str:
        w = m.group(0)
        return _JOINTS.sub("\u00ad", w) if len(w) >= 14 else w
    return re.sub(r"\w+", word, text)


def _markup(text: str, layout: Layout, hyphenate: bool) -> str:
    if hyphenate and layout.hyphenate:
        text = soft_hyphenate(text)
    return re.sub(r"\[\^(\w+)\]", r"<super>\1</super>", escape(text))


class FootnotedParagraph(Paragraph):
    """A paragraph with footnote markers: records its footnotes for the page it is drawn on."""

    def __init__(self, text, style, footnotes, sink):
        super().__init__(text, style)
        self.footnotes, self.sink = footnotes, sink

    def draw(self):
        self.sink.setdefault(self.canv.getPageNumber(), []).extend(self.footnotes)
        super().draw()


class _Styles:
    def __init__(self, layout: Layout):
        L = layout
        self.body = ParagraphStyle("body", fontName=L.font, fontSize=L.size, leading=L.leading,
                                   alignment=TA_JUSTIFY if L.justify else TA_LEFT, spaceAfter=6)
        self.item = replace_style(self.body, "item", leftIndent=16, spaceAfter=3)
        self.quote = replace_style(self.body, "quote", leftIndent=24, rightIndent=24,
                                   fontSize=L.size - 1, leading=L.leading - 1.5)
        self.note = replace_style(self.body, "note", fontSize=L.size - 1.5, leading=L.leading - 3)
        self.h = [
            ParagraphStyle(f"h{i + 1}", fontName=L.bold, fontSize=s, leading=s * 1.3,
                           textColor=colors.HexColor(L.heading_color),
                           spaceBefore=(14, 10, 8)[i], spaceAfter=(8, 5, 4)[i])
            for i, s in enumerate(L.heading_sizes)
        ]
        self.title = ParagraphStyle("title", fontName=L.bold, fontSize=20, leading=25,
                                    textColor=colors.HexColor(L.heading_color), spaceAfter=8)
        self.subtitle = ParagraphStyle("subtitle", fontName=L.font, fontSize=12, leading=16,
                                       spaceAfter=4)
        self.small = ParagraphStyle("small", fontName=L.font, fontSize=8, leading=10)


def replace_style(style: ParagraphStyle, name: str, **kw) -> ParagraphStyle:
    s = ParagraphStyle(name, parent=style)
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def title_block(report: Report, st: _Styles) -> list:
    out = [Paragraph(escape(report.publisher_full), st.small), Spacer(1, 6)]
    out.append(Paragraph(escape(report.title), st.title))
    if report.subtitle:
        out.append(Paragraph(escape(report.subtitle), st.subtitle))
    out.append(Spacer(1, 14))
    return out


def table_flowable(t: content.Table, spec: TableSpec, layout: Layout, frame_width: float):
    """A reportlab Table for `t` drawn as `spec` says."""
    amount_cols = {i for i, f in enumerate(t.fields) if f.startswith("amount") or f.startswith("orgs")}
    if t.kind == "summary":
        amount_cols = {1}
    size = spec.font_size
    total_width = frame_width * spec.width
    rows = ([t.header] if t.header else []) + list(t.rows)
    ncols = len(rows[0])
    pad = 4

    def needed(col: int, font: str, fs: float) -> float:
        def width(line: str, r: int) -> float:
            bold = (r == 0 and bool(t.header)) or rows[r][0][:1] in (("SUM",), ("Sum",))
            return pdfmetrics.stringWidth(line, layout.table_bold if bold else font, fs)
        return max(width(line, r) for r, row in enumerate(rows) for line in row[col]) + 2 * pad + 1

    if spec.widths:
        widths = [w * total_width for w in spec.widths]
    else:
        widths = [needed(c, layout.table_font, size) for c in range(ncols)]
    if spec.wrap == "source":
        # shrink the font until every printed line fits its column (no extra wraps)
        while any(needed(c, layout.table_font, size) > widths[c] * (total_width / sum(widths)) + 0.01
                  for c in range(ncols)) and size > 6:
            size -= 0.25
        widths = [w * total_width / sum(widths) for w in widths]
    else:
        widths = [w * total_width / sum(widths) for w in widths]

    def para(cell, bold, align):
        style = ParagraphStyle("cell", fontName=layout.table_bold if bold else layout.table_font,
                               fontSize=size, leading=size * 1.22, alignment=align)
        sep = "<br/>" if spec.wrap == "source" else " "
        return Paragraph(sep.join(escape(line) for line in cell), style)

    data = []
    for r, row in enumerate(rows):
        is_header = bool(t.header) and r == 0
        is_sum = row[0] and row[0][0].upper() == "SUM"
        data.append([
            para(cell, is_header or (is_sum and t.kind != "summary"),
                 TA_RIGHT if c in amount_cols else TA_LEFT)
            for c, cell in enumerate(row)
        ])
    cmds = [
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), spec.valign),
    ]
    for c in amount_cols:
        cmds.append(("VALIGN", (c, 0), (c, -1), spec.amount_valign))
    if t.header:
        cmds.append(("VALIGN", (0, 0), (-1, 0), "BOTTOM"))
        if spec.header_fill:
            cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(spec.header_fill)))
    if spec.lines == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif spec.lines == "rules":
        cmds += [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                 ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black)]
        if rows[-1][0] and rows[-1][0][0].upper() == "SUM":
            cmds.append(("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black))
    elif spec.lines == "zebra":
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eeeeee")]))
    table = Table(data, colWidths=widths, repeatRows=1 if (t.header and spec.repeat_header) else 0,
                  hAlign="LEFT", style=TableStyle(cmds))
    return table


def flowables(report: Report, layout: Layout, frame_width: float, footnote_sink: dict) -> list:
    st = _Styles(layout)
    out = title_block(report, st)
    out.append(NextPageTemplate("later"))
    pending_caption = None
    for block in report.blocks:
        if isinstance(block, Heading):
            p = Paragraph(escape(block.text), st.h[min(block.level, 3) - 1])
            if block.level == 3:  # a caption: keep it with its table
                pending_caption = p
                continue
            out += [CondPageBreak(90), p]  # no heading alone at the foot of a page
        elif isinstance(block, content.Paragraph):
            style = {"item": st.item, "quote": st.quote, "note": st.note}.get(block.kind, st.body)
            text = _markup(block.text, layout, hyphenate=block.kind == "body")
            markers = re.findall(r"\[\^(\w+)\]", block.text)
            if markers:
                notes = [(m, report.footnotes[m]) for m in markers]
                out.append(FootnotedParagraph(text, style, notes, footnote_sink))
            else:
                out.append(Paragraph(text, style))
        elif isinstance(block, content.Table):
            spec = layout.tables.get(block.key, TableSpec())
            table = table_flowable(block, spec, layout, frame_width)
            if pending_caption is not None:
                if len(block.rows) <= 8:
                    out.append(KeepTogether([pending_caption, table]))
                else:  # a long table starts where the text ends and flows over the page break
                    out += [CondPageBreak(70), pending_caption, table]
                pending_caption = None
            else:
                out.append(table)
            out.append(Spacer(1, 10))
        elif isinstance(block, NarrativeGrant):
            continue  # stated in the preceding paragraph
        if pending_caption is not None and not isinstance(block, Heading):
            out[len(out) - 1:len(out) - 1] = [CondPageBreak(70), pending_caption]
            pending_caption = None
    if pending_caption is not None:
        out.append(pending_caption)
    return out


def build_pdf(report: Report, out_path: Path, layout: Layout = SAMPLE_LAYOUT) -> Path:
    """Lay out `report` as a PDF at `out_path` (deterministic bytes)."""
    register_fonts()
    rl_config.invariant = 1
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    W, H = layout.pagesize
    left, top, right, bottom = layout.margins
    footnotes: dict[int, list] = {}
    note_space = 36 if report.footnotes else 0
    st = _Styles(layout)
    note_style = ParagraphStyle("fn", fontName=layout.font, fontSize=7.5, leading=9.5)

    def decorate(canv, doc):
        canv.saveState()
        number = layout.first_page_number + canv.getPageNumber() - 1
        canv.setFont(layout.font, 8.5)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.drawRightString(W - right, bottom - 24, str(number))
        if layout.running_head and canv.getPageNumber() > 1:
            canv.setFont(layout.font, 7.5)
            canv.drawString(left, H - top + 14, report.series or report.publisher)
            canv.drawRightString(W - right, H - top + 14, _short_title(report))
            canv.setLineWidth(0.4)
            canv.line(left, H - top + 10, W - right, H - top + 10)
        notes = footnotes.get(canv.getPageNumber(), [])
        if notes:
            canv.setLineWidth(0.5)
            canv.line(left, bottom + note_space - 4, left + 50 * mm, bottom + note_space - 4)
            y = bottom + note_space - 8
            for marker, text in notes:
                p = Paragraph(f"<super>{escape(marker)}</super> {escape(text)}", note_style)
                w, h = p.wrap(W - left - right, note_space)
                p.drawOn(canv, left, y - h)
                y -= h
        canv.restoreState()

    doc = BaseDocTemplate(
        str(out_path), pagesize=layout.pagesize, leftMargin=left, rightMargin=right,
        topMargin=top, bottomMargin=bottom, title=report.title, author=report.publisher_full,
        subject=f"{report.title} ({report.year})", creator="tilskudd samples/build_samples.py",
        producer="ReportLab", invariant=1,
    )
    fw = W - left - right
    first = Frame(left, bottom + note_space, fw, H - top - bottom - note_space, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(left, bottom, fw, H - top - bottom, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPageEnd=decorate),
        PageTemplate("later", [later], onPageEnd=decorate),
    ])
    doc.build(flowables(report, layout, fw, footnotes))
    del st
    return out_path


def _short_title(report: Report) -> str:
    return report.title if not report.series else report.publisher_full


def layout_for(report: Report) -> Layout:
    return PROP_LAYOUT if report.slug.startswith("prop1s") else SAMPLE_LAYOUT


def write_golden(report: Report, golden_dir: Path = GOLDEN_DIR) -> Path:
    golden_dir.mkdir(parents=True, exist_ok=True)
    path = golden_dir / f"{report.slug}.json"
    path.write_text(json.dumps(content.golden(report), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def build_all(out_dir: Path, golden_dir: Optional[Path] = None) -> list[Path]:
    paths = []
    for report in content.reports():
        paths.append(build_pdf(report, Path(out_dir) / f"{report.slug}.pdf", layout_for(report)))
        if golden_dir is not None:
            paths.append(write_golden(report, golden_dir))
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
