"""Held-out layouts: the same reports rendered by other software (tests/layouts.py: Chromium
print-to-PDF of HTML; reportlab on Letter paper in a serif font with other column widths),
which the extractor was not tuned on. The truth is the same content's golden data."""

import re
import shutil
import subprocess
import tempfile

import pytest

import layouts
from extract import extract_report
from extract_fixtures import project, reconciliation_rows, strip, summary_lines, golden_reconciliations
from samples import content

pytestmark = pytest.mark.slow

# One more browser layout, ours: close to a browser's defaults (cells vertically centred, no
# column widths so the browser sizes columns to their text, narrow cell spacing, justified
# header text, Letter paper, a sans font), which tests/layouts.py does not make.
BROWSER_DEFAULTS_CSS = """
@page { size: Letter; margin: 12mm 14mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.2;
       text-align: justify; }
h1 { font-size: 15pt; } h2 { font-size: 12pt; } h3 { font-size: 10.5pt; }
table { border-spacing: 3px; font-size: 9pt; }
td.amount { white-space: nowrap; }
"""


def render_browser_defaults(report, out_dir):
    html = layouts.report_html(report)
    html = re.sub(r"<style>.*?</style>", "<style>" + BROWSER_DEFAULTS_CSS + "</style>", html,
                  flags=re.S)
    html = re.sub(r"<colgroup>.*?</colgroup>", "", html)
    page = out_dir / f"{report.slug}.defaults.html"
    page.write_text(html, encoding="utf-8")
    pdf = out_dir / f"{report.slug}.browser_defaults.pdf"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        subprocess.run([layouts.CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                        "--no-pdf-header-footer", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return pdf


RENDERERS = dict(layouts.LAYOUTS, browser_defaults=render_browser_defaults)
REPORTS = {r.slug: r for r in content.reports()}
CASES = [(layout, slug) for layout in sorted(RENDERERS) for slug in sorted(REPORTS)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    for layout, slug in CASES:
        pdf = RENDERERS[layout](REPORTS[slug], tmp_path_factory.mktemp(layout))
        out[layout, slug] = (extract_report(pdf).to_dict(), content.golden(REPORTS[slug]))
    return out


@pytest.mark.parametrize("layout,slug", CASES)
def test_grants_allocations_and_summary_lines(rendered, layout, slug):
    mine, gold = rendered[layout, slug]
    assert project(mine["grants"], gold["grants"], pages=False) == strip(gold["grants"], pages=False)
    assert len(mine["grants"]) == len(gold["grants"])
    assert project(mine["allocations"], gold["allocations"], pages=False) == strip(
        gold["allocations"], pages=False)
    assert len(mine["allocations"]) == len(gold["allocations"])
    lines = summary_lines(mine)
    assert project(lines, gold["summary_lines"], pages=False) == strip(gold["summary_lines"], pages=False)
    assert len(lines) == len(gold["summary_lines"])


@pytest.mark.parametrize("layout,slug", CASES)
def test_schemes_and_report_info(rendered, layout, slug):
    mine, gold = rendered[layout, slug]
    assert [{k: s[k] for k in ("number", "name", "part", "part_name")} for s in mine["schemes"]] == [
        {k: s[k] for k in ("number", "name", "part", "part_name")} for s in gold["schemes"]]
    assert {k: mine["report"][k] for k in ("title", "year", "publisher")} == gold["report"]


@pytest.mark.parametrize("layout,slug", CASES)
def test_reconciliations_same_as_the_sample(rendered, layout, slug):
    mine, _ = rendered[layout, slug]
    want = [{k: v for k, v in r.items() if k != "page"} for r in golden_reconciliations(slug)]
    got = [{k: v for k, v in r.items() if k != "page"} for r in reconciliation_rows(mine)]
    assert got == want


@pytest.mark.parametrize("layout,slug", CASES)
def test_no_warnings_and_prose_stays_prose(rendered, layout, slug):
    mine, gold = rendered[layout, slug]
    assert list(mine["warnings"]) == []
    text = " ".join(p["text"] for p in mine["passages"])
    for g in gold["grants"]:
        if g["source"] == "narrative":
            assert f"{g['organisation']} fikk {g['amount_text']}" in text
    if slug == "imdi_tilskuddsrapport_2015":
        assert "Minotenk har utarbeidet et eget kursopplegg for unge vokse mellom 18 og 25 år" in text
        assert "introduksjonsordningen" in text


@pytest.mark.parametrize("layout,slug", CASES)
def test_pages_inside_the_document(rendered, layout, slug):
    mine, _ = rendered[layout, slug]
    n = mine["report"]["page_count"]
    for g in mine["grants"] + mine["allocations"]:
        assert 1 <= g["page"] <= n
