"""Page-region PNGs: the part of a page a grant row was read from.

Cheap on purpose: the PDF is opened once, each page that holds a grant row is rendered once
(pdfplumber/pypdfium2, 100 dpi) and every row region is cropped from that one bitmap. Rendering
a `page.crop(bbox)` would render the whole page again for every row.
"""

from __future__ import annotations

import io
import math
import logging
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Optional

from extract.records import BBox

log = logging.getLogger(__name__)

RESOLUTION = 100
"""Dots per inch of the rendered pages."""

MARGIN = 4.0
"""PDF points added above and below a row, so the ruling lines and descenders show."""


def render_regions(
    pdf: str | Path | bytes,
    regions: Iterable[tuple[object, int, BBox]],
    on_page: Optional[Callable[[], None]] = None,
) -> dict[object, bytes]:
    """PNG bytes per key for `(key, page, bbox)` regions (1-based pages, PDF points).

    The region spans the full page width and the bbox's height plus `MARGIN`. `on_page` is
    called after each rendered page (for progress bars). Pages that cannot be rendered are
    logged and skipped: an image is a convenience, never a reason to fail an ingest.
    """
    import pdfplumber

    by_page: dict[int, list[tuple[object, BBox]]] = defaultdict(list)
    for key, page, bbox in regions:
        if bbox is not None:
            by_page[page].append((key, bbox))
    if not by_page:
        return {}
    out: dict[object, bytes] = {}
    source = io.BytesIO(pdf) if isinstance(pdf, (bytes, bytearray)) else pdf
    with pdfplumber.open(source) as doc:
        for page_no in sorted(by_page):
            if not 1 <= page_no <= len(doc.pages):
                log.warning("grant image: page %s out of range", page_no)
                continue
            page = doc.pages[page_no - 1]
            try:
                bitmap = page.to_image(resolution=RESOLUTION).original
            except Exception as exc:  # a rendering problem must not fail the ingest
                log.warning("grant image: page %s not rendered: %s", page_no, exc)
                continue
            out.update(_crop_rows(bitmap, page.bbox, by_page[page_no]))
            page.close()
            if on_page is not None:
                on_page()
    return out


def _crop_rows(bitmap, page_bbox, rows: list[tuple[object, BBox]]) -> dict[object, bytes]:
    px0, ptop, px1, pbottom = page_bbox
    scale = bitmap.size[0] / (px1 - px0)
    out = {}
    for key, bbox in rows:
        top = max(ptop, bbox.top - MARGIN)
        bottom = min(pbottom, bbox.bottom + MARGIN)
        if bottom <= top:
            continue
        box = (0, math.floor((top - ptop) * scale), bitmap.size[0], math.ceil((bottom - ptop) * scale))
        buf = io.BytesIO()
        bitmap.crop(box).save(buf, format="PNG", optimize=False)
        out[key] = buf.getvalue()
    return out
