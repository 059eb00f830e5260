"""tests/layouts.py renders the same reports with other software and settings: check that each
rendering is a real PDF of that content (every table word printed), in its own page and font."""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest

from layouts import LAYOUTS, render
from samples import content

REPORTS = content.reports()
EXPECTED = {  # (page width, page height) in points, and a font every rendering must use
    "html_print": ((594.96, 841.92), "LiberationSerif"),
    "reportlab_variant": ((612.0, 792.0), "DejaVuSerif"),
    "word_processor": ((595.3, 841.89), "LiberationSerif"),  # LibreOffice Writer, A4
}


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"[^\s\-–]+", text))


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.slug)
def test_rendering_prints_every_table_word(layout, report, tmp_path):
    pdf_path = render(layout, report, tmp_path)
    with pdfplumber.open(pdf_path) as pdf:
        size = (round(float(pdf.pages[0].width), 2), round(float(pdf.pages[0].height), 2))
        fonts = {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars}
        printed = tokens(" ".join(w["text"] for p in pdf.pages for w in p.extract_words()))
    expected_size, font = EXPECTED[layout]
    assert size == expected_size
    assert font in fonts
    cells = " ".join(
        " ".join(line for cell in row for line in cell)
        for block in report.blocks if isinstance(block, content.Table)
        for row in block.rows
    )
    assert tokens(cells) - printed == Counter()


def test_layouts_registry():
    assert set(LAYOUTS) == {"html_print", "reportlab_variant", "word_processor"}
