"""Page-region PNGs: the part of a page a grant row was read from.

Cheap on purpose: the PDF is opened once, each page that holds a grant row is rendered once at
100 dpi and every row region is cropped from that one bitmap. Rendering goes straight through
pypdfium2 (the renderer pdfplumber itself uses for `page.to_image()`, and a dependency of
pdfplumber): `page.crop(bbox).to_image()` would render the whole page again for every row, and
pdfplumber re-opens the document for every page image (about 5x slower on the samples).
"""

from __future__ import annotations

import io
import logging
import math
from collections import defaultdict
from typing import Callable, Iterable, Optional

from extract.records import BBox

log = logging.getLogger(__name__)

RESOLUTION = 100
"""Dots per inch of the rendered pages (grayscale: a quarter of the encoding time of RGB and
less than half the bytes, and the reports are black on white)."""

MARGIN = 4.0
"""PDF points added above and below a row, so the ruling lines and descenders show."""


def render_regions(
    pdf: bytes,
    regions: Iterable[tuple[object, int, Optional[BBox]]],
    on_page: Optional[Callable[[], None]] = None,
) -> dict[object, bytes]:
    """PNG bytes per key for `(key, page, bbox)` regions (1-based pages; bbox in pdfplumber's
    coordinates: PDF points from the top-left of the page's media box).

    A region spans the full page width and the bbox's height plus `MARGIN` above and below,
    widened to whole pixels. `on_page` is called after each rendered page (progress bars).
    Pages that cannot be rendered are logged and skipped: an image is a convenience, never a
    reason to fail an ingest.
    """
    by_page: dict[int, list[tuple[object, BBox]]] = defaultdict(list)
    for key, page, bbox in regions:
        if bbox is not None:
            by_page[page].append((key, bbox))
    if not by_page:
        return {}
    import pypdfium2 as pdfium

    out: dict[object, bytes] = {}
    doc = pdfium.PdfDocument(pdf)
    try:
        for page_no in sorted(by_page):
            if not 1 <= page_no <= len(doc):
                log.warning("grant image: page %s out of range", page_no)
                continue
            try:
                page = doc[page_no - 1]
                # pdfplumber measures `top` from the media box's top; pdfium renders the crop box
                offset = page.get_mediabox()[3] - page.get_cropbox()[3]
                bitmap = page.render(scale=RESOLUTION / 72, grayscale=True).to_pil()
                page.close()
            except Exception as exc:  # a rendering problem must not fail the ingest
                log.warning("grant image: page %s not rendered: %s", page_no, exc)
                continue
            out.update(_crop_rows(bitmap, offset, by_page[page_no]))
            if on_page is not None:
                on_page()
    finally:
        doc.close()
    return out


def _crop_rows(bitmap, offset: float, rows: list[tuple[object, BBox]]) -> dict[object, bytes]:
    scale = RESOLUTION / 72
    width, height = bitmap.size
    out = {}
    for key, bbox in rows:
        top = max(0, math.floor((bbox.top - MARGIN - offset) * scale))
        bottom = min(height, math.ceil((bbox.bottom + MARGIN - offset) * scale))
        if bottom <= top:
            continue
        buf = io.BytesIO()
        bitmap.crop((0, top, width, bottom)).save(buf, format="PNG")
        out[key] = buf.getvalue()
    return out
