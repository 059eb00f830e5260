"""Opening a report PDF: checks, SHA-256, and each page's words, lines and rulings read once.

`load_document(path)` returns a `Document` of plain data (pdfplumber is closed afterwards);
everything downstream works on these lines, so words are extracted exactly once per page.
Bad input raises the named errors of `extract.errors` with a one-line message.
"""

from __future__ import annotations

import hashlib
import re
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .errors import (
    CorruptPDFError,
    EmptyPDFError,
    EncryptedPDFError,
    NoTextLayerError,
    NotAPDFError,
)
from .settings import ExtractSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline on one page, left to right."""

    words: tuple[Word, ...]
    page: int  # 1-based

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The font size most of the line's characters have."""
        sizes = Counter()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        letters = sum(len(w.text) for w in self.words)
        return sum(len(w.text) for w in self.words if w.bold) * 2 > letters


@dataclass(frozen=True)
class Rule:
    """A horizontal ruling (or the top/bottom edge of a filled cell) on a page."""

    x0: float
    x1: float
    y: float


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    page_count: int
    pages: tuple[Page, ...]
    metadata: dict = field(default_factory=dict)

    @property
    def body_size(self) -> float:
        """The font size of running text: the size most characters have."""
        sizes: Counter = Counter()
        for page in self.pages:
            for line in page.lines:
                for w in line.words:
                    sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0] if sizes else 10.0

    def all_lines(self) -> list[Line]:
        return [line for page in self.pages for line in page.lines]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_bytes(path: Path) -> None:
    size = path.stat().st_size
    name = path.name
    if size == 0:
        raise NotAPDFError(f"{name} is empty (0 bytes): pass the report's PDF file")
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise NotAPDFError(
            f"{name} is {kind} (no %PDF header): download the report as PDF and try again")
    if b"%%EOF" not in tail:
        raise CorruptPDFError(
            f"{name} is truncated or damaged (no end-of-file marker): download the PDF again")


def _is_bold(fontname: str) -> bool:
    f = (fontname or "").lower()
    return any(k in f for k in ("bold", "black", "heavy", "semibold", "demi", ",b", "-b"))


def _group_lines(words: list[Word], page_no: int, settings: ExtractSettings) -> list[Line]:
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        mid = (w.top + w.bottom) / 2
        height = max(w.bottom - w.top, 1.0)
        placed = False
        for cur in reversed(lines[-3:]):
            ctop = min(x.top for x in cur)
            cbot = max(x.bottom for x in cur)
            cmid = (ctop + cbot) / 2
            if abs(mid - cmid) <= settings.line_overlap * min(height, cbot - ctop):
                cur.append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
    out = [Line(tuple(sorted(ws, key=lambda w: w.x0)), page_no) for ws in lines]
    out = sorted(out, key=lambda line: (line.top, line.x0))
    return [ln for k, ln in enumerate(out) if not _is_footnote_mark(ln, out[max(0, k - 1):k + 2])]


def _is_footnote_mark(line: Line, neighbours: list[Line]) -> bool:
    """A line of only small superscript digits (`virksomhet¹`) overlapping a text line."""
    if not all(w.text.isdigit() and len(w.text) <= 2 for w in line.words):
        return False
    for other in neighbours:
        if other is line:
            continue
        if (line.size < 0.9 * other.size and line.bottom > other.top and line.top < other.bottom
                and other.x0 <= line.x0 <= other.x1):
            return True
    return False


def _page_rules(page) -> list[Rule]:
    rules = []
    for e in page.horizontal_edges:
        if e["x1"] - e["x0"] >= 20:
            rules.append(Rule(float(e["x0"]), float(e["x1"]), float(e["top"])))
    return sorted(rules, key=lambda r: (r.y, r.x0))


def _open(path: Path):
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    name = path.name
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        kind = type(inner).__name__
        if "Password" in kind or "Encrypt" in kind or "password" in str(inner).lower():
            raise EncryptedPDFError(
                f"{name} is encrypted: save an unprotected copy (e.g. qpdf --decrypt) and try again"
            ) from exc
        raise CorruptPDFError(
            f"{name} cannot be read as a PDF ({kind}): download the PDF again") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise CorruptPDFError(
            f"{name} cannot be read as a PDF ({type(exc).__name__}): download the PDF again") from exc
    return pdf, pages


def load_document(path: str | Path, settings: Optional[ExtractSettings] = None,
                  on_page: Optional[Callable[[int, int], None]] = None) -> Document:
    """Check and read a PDF: every page's lines (with font size and boldness) and rulings."""
    settings = ExtractSettings.resolve(settings)
    path = Path(path)
    _check_bytes(path)
    digest = sha256_of(path)
    pdf, pdf_pages = _open(path)
    name = path.name
    try:
        if not pdf_pages:
            raise EmptyPDFError(f"{name} has no pages: check that the export finished")
        pages = []
        n_chars = 0
        for i, p in enumerate(pdf_pages, start=1):
            try:
                raw = p.extract_words(
                    x_tolerance=settings.x_tolerance, y_tolerance=settings.y_tolerance,
                    keep_blank_chars=False, use_text_flow=False,
                    extra_attrs=["fontname", "size"])
                rules = _page_rules(p)
            except Exception as exc:
                raise CorruptPDFError(
                    f"{name}: page {i} is damaged ({type(exc).__name__}): download the PDF again"
                ) from exc
            words = [
                Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]),
                     float(w["bottom"]), float(w["size"]), _is_bold(w["fontname"]))
                for w in raw if w["text"].strip()
            ]
            n_chars += sum(len(w.text) for w in words)
            pages.append(Page(i, float(p.width), float(p.height),
                              tuple(_group_lines(words, i, settings)), tuple(rules)))
            p.flush_cache()
            if on_page is not None:
                on_page(i, len(pdf_pages))
        if n_chars < settings.min_text_chars:
            raise NoTextLayerError(
                f"{name} has no text layer (a scan?): run OCR first (ocrmypdf) and try again")
        metadata = {k: v for k, v in (pdf.metadata or {}).items() if isinstance(v, str)}
    finally:
        pdf.close()
    log.info("%s: %d pages, %d characters", name, len(pages), n_chars)
    return Document(str(path), digest, len(pages), tuple(pages), metadata)


def save_debug_images(path: str | Path, out_dir: str | Path) -> list[Path]:
    """Save pdfplumber's table-finder picture of every page (lines and text strategies)."""
    path, out_dir = Path(path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_bytes(path)
    pdf, pages = _open(path)
    written = []
    try:
        for i, page in enumerate(pages, start=1):
            for strategy in ("lines", "text"):
                img = page.to_image(resolution=72).debug_tablefinder(
                    {"vertical_strategy": strategy, "horizontal_strategy": strategy})
                target = out_dir / f"{path.stem}-p{i:03d}-{strategy}.png"
                img.save(target)
                written.append(target)
    finally:
        pdf.close()
    return written


_FURNITURE = re.compile(r"^(?:side\s+)?\d{1,4}(?:\s*(?:av|/|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)


def reading_lines(doc: Document, settings: Optional[ExtractSettings] = None) -> list[Line]:
    """All lines in reading order, without page numbers and running headers/footers."""
    settings = ExtractSettings.resolve(settings)
    repeated: Counter = Counter()
    for page in doc.pages:
        band = settings.margin_fraction * page.height
        for line in {ln.text for ln in page.lines
                     if ln.top < band or ln.bottom > page.height - band}:
            repeated[re.sub(r"\d+", "#", line)] += 1
    out = []
    for page in doc.pages:
        band = settings.margin_fraction * page.height
        for line in page.lines:
            in_margin = line.top < band or line.bottom > page.height - band
            if in_margin and (_FURNITURE.match(line.text.strip()) or (
                    doc.page_count >= 3 and repeated[re.sub(r"\d+", "#", line.text)] >= 3)):
                continue
            out.append(line)
    return out
