"""How the sample reports are laid out with reportlab: page, fonts, margins, tables.

A `Layout` (page, fonts, margins) plus one `TableSpec` per table (ruling lines or whitespace
only, vertical alignment, repeated header row or not, column widths) turns a
`samples.content.Report` into a PDF (`build_pdf`). The samples' own layouts are in
samples/build_samples.py; tests/layouts.py has others. `Pages` records where each block and
table row was printed, for the golden files. Output is deterministic (reportlab `invariant=1`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
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


class Pages:
    """Where things were drawn: `pages[ref]` is the sorted list of pages a block or table row was
    drawn on (ref: ("block", index) or ("row", table key, row index)); `footnotes[page]`."""

    def __init__(self):
        self.pages: dict[tuple, list[int]] = {}
        self.footnotes: dict[int, list[tuple[str, str]]] = {}

    def record(self, ref: tuple, page: int) -> None:
        pages = self.pages.setdefault(ref, [])
        if page not in pages:
            pages.append(page)

    def first(self, ref: tuple) -> Optional[int]:
        return min(self.pages[ref]) if ref in self.pages else None

    def last(self, ref: tuple) -> Optional[int]:
        return max(self.pages[ref]) if ref in self.pages else None


class MarkedParagraph(Paragraph):
    """A paragraph that records the pages it is drawn on, and puts its footnotes (if any) at the
    foot of the page where its last part is drawn."""

    ref: Optional[tuple] = None
    footnotes: tuple = ()
    recorder: Optional[Pages] = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for i, part in enumerate(parts):
            part.ref, part.recorder = self.ref, self.recorder
            part.footnotes = self.footnotes if i == len(parts) - 1 else ()
        return parts

    def draw(self):
        if self.recorder is not None:
            page = self.canv.getPageNumber()
            if self.ref is not None:
                self.recorder.record(self.ref, page)
            if self.footnotes:
                self.recorder.footnotes.setdefault(page, []).extend(self.footnotes)
        super().draw()


def marked(text: str, style, recorder: Pages, ref: tuple, footnotes=()) -> MarkedParagraph:
    p = MarkedParagraph(text, style)
    p.ref, p.recorder, p.footnotes = ref, recorder, tuple(footnotes)
    return p


class RecordingTable(Table):
    """A table that records the page each of its rows is drawn on (the first cell of a data row
    carries `row_ref`); reportlab rebuilds split tables with `self.__class__`, so this holds
    for every part of a table that crosses pages."""

    recorder: Optional[Pages] = None

    def draw(self):
        page = self.canv.getPageNumber()
        for row in self._cellvalues:
            cell = row[0][0] if isinstance(row[0], (list, tuple)) and row[0] else row[0]
            ref = getattr(cell, "row_ref", None)
            if ref is not None:
                ref[0].record(ref[1], page)
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


def table_flowable(t: content.Table, spec: TableSpec, layout: Layout, frame_width: float,
                   recorder: Optional[Pages] = None):
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
        cells = [
            para(cell, is_header or (is_sum and t.kind != "summary"),
                 TA_RIGHT if c in amount_cols else TA_LEFT)
            for c, cell in enumerate(row)
        ]
        if recorder is not None and not is_header:
            cells[0].row_ref = (recorder, ("row", t.key, r - (1 if t.header else 0)))
        data.append(cells)
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
    table = RecordingTable(data, colWidths=widths, repeatRows=1 if (t.header and spec.repeat_header) else 0,
                  hAlign="LEFT", style=TableStyle(cmds))
    return table


def flowables(report: Report, layout: Layout, frame_width: float, recorder: Pages) -> list:
    st = _Styles(layout)
    out = title_block(report, st)
    out.append(NextPageTemplate("later"))
    pending_caption = None
    for index, block in enumerate(report.blocks):
        ref = ("block", index)
        if isinstance(block, Heading):
            p = marked(escape(block.text), st.h[min(block.level, 3) - 1], recorder, ref)
            if block.level == 3:  # a caption: keep it with its table
                pending_caption = p
                continue
            out += [CondPageBreak(90), p]  # no heading alone at the foot of a page
        elif isinstance(block, content.Paragraph):
            style = {"item": st.item, "quote": st.quote, "note": st.note}.get(block.kind, st.body)
            text = _markup(block.text, layout, hyphenate=block.kind == "body")
            notes = [(m, report.footnotes[m]) for m in re.findall(r"\[\^(\w+)\]", block.text)]
            out.append(marked(text, style, recorder, ref, notes))
        elif isinstance(block, content.Table):
            spec = layout.tables.get(block.key, TableSpec())
            table = table_flowable(block, spec, layout, frame_width, recorder)
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


def build_pdf(report: Report, out_path: Path, layout: Layout,
              recorder: Optional[Pages] = None) -> Path:
    """Lay out `report` as a PDF at `out_path` (deterministic bytes). `recorder`, if given, is
    filled with the pages each block and table row was drawn on."""
    register_fonts()
    rl_config.invariant = 1
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    W, H = layout.pagesize
    left, top, right, bottom = layout.margins
    recorder = recorder if recorder is not None else Pages()
    note_space = 36 if report.footnotes else 0
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
        notes = recorder.footnotes.get(canv.getPageNumber(), [])
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
    doc.build(flowables(report, layout, fw, recorder))
    return out_path


def _short_title(report: Report) -> str:
    return report.title if not report.series else report.publisher_full
