"""The published site in a real browser: Debian's chromium driven by Playwright against
`tilskudd serve` on localhost (no browser downloads: executable_path=/usr/bin/chromium)."""

from __future__ import annotations

import csv
import sqlite3
import statistics
import time
import urllib.parse
from pathlib import Path

import httpx
import pytest

from site_fixtures import running_server, site_db  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
CASES = list(csv.DictReader((Path(__file__).parent / "data" / "site_queries.csv").open(encoding="utf-8")))


def nok(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


@pytest.fixture(scope="module")
def server(site_db):
    with running_server(site_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server):
    """A fresh page; fails the test if anything it loads is not on the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    yield tab
    context.close()
    # chrome-extension:/chrome: are the browser's own PDF viewer, not the network
    local = (server, "data:", "about:", "blob:", "chrome-extension:", "chrome:")
    foreign = [u for u in requested if not u.startswith(local)]
    assert not foreign, foreign


@pytest.fixture(scope="module")
def db(site_db):
    conn = sqlite3.connect(f"file:{site_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def org_with_printed_name(db, printed: str) -> sqlite3.Row:
    return db.execute("SELECT o.* FROM organisations o JOIN aliases a ON a.organisation_id = o.id "
                      "WHERE a.name = ?", [printed]).fetchone()


@pytest.mark.parametrize("variant, printed", [
    ("Kirkens Bymisjon Bergen", "Stiftelsen Kirkens Bymisjon i Bergen"),
    ("MiR", "Multikulturelt Initiativ Og Ressursnettverk (Mir)"),
])
def test_search_by_name_variant_reaches_organisation_page(page, server, db, variant, printed):
    org = org_with_printed_name(db, printed)
    page.goto(server + "/")
    page.fill("#q", variant)
    page.click("#search-organisations")
    page.wait_for_load_state()
    assert "_search=" in page.url
    page.click(f"table.rows-and-columns a.org-link:text-is('{org['name']}')")
    page.wait_for_load_state()
    assert page.url.startswith(server + "/tilskudd/organisations/")
    assert page.inner_text("h1.org-name").startswith(org["name"])
    assert printed in page.inner_text("#names")


def test_facets_filter_grants_by_year_and_municipality(page, server, db):
    page.goto(server + "/tilskudd/grants_browse")
    page.click("#facet-year a:text-is('2015')")
    page.wait_for_load_state()
    assert "year=2015" in page.url
    page.click("#facet-places_today a:text-is('Lillestrøm')")
    page.wait_for_load_state()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))
    assert query["year"] == "2015" and query["places_today__arraycontains"] == "Lillestrøm"
    expected = db.execute(
        "SELECT g.organisation_raw FROM grants g JOIN grant_places gp ON gp.grant_id = g.id "
        "JOIN place_successors ps ON ps.place_id = gp.place_id JOIN places cp ON cp.id = ps.current_place_id "
        "WHERE g.year = 2015 AND cp.name = 'Lillestrøm' GROUP BY g.id ORDER BY g.amount_nok DESC, g.id").fetchall()
    shown = page.locator("table.rows-and-columns tbody td.col-organisation_raw").all_inner_texts()
    assert shown == [r[0] for r in expected] and "Pakistansk Kulturforening Skedsmo" in shown


def test_grant_page_shows_source_image_and_opens_pdf_at_its_page(page, server, db):
    grant = db.execute("SELECT * FROM grants WHERE organisation_raw = 'Pakistansk Kulturforening Skedsmo' "
                       "AND year = 2015").fetchone()
    page.goto(f"{server}/tilskudd/grants/{grant['id']}")
    assert nok(grant["amount_nok"]) in page.inner_text("h1")
    image_width = page.eval_on_selector("#grant-image", "img => img.complete ? img.naturalWidth : -1")
    assert image_width > 100
    link = page.get_attribute("#open-pdf", "href")
    assert link == f"/-/pdf/{grant['report_id']}.pdf#page={grant['page']}"
    assert page.inner_text("#open-pdf") == f"Åpne PDF på side {grant['page']}"
    with page.expect_response(lambda r: "/-/pdf/" in r.url) as info:
        try:
            page.click("#open-pdf")
        except Exception:  # headless chromium may turn a PDF into a download: the response is what counts
            pass
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.url == server + link.split("#")[0]
    assert page.url == server + link  # the viewer opened the PDF at #page=N
    assert page.request.get(server + link).body()[:5] == b"%PDF-"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['query']}-{c['params']}" for c in CASES])
def test_each_canned_query_in_the_browser(page, server, case):
    page.goto(f"{server}/tilskudd/{case['query']}")
    for name, value in urllib.parse.parse_qsl(case["params"], keep_blank_values=True):
        page.fill(f"input[name='{name}']", value)
    page.click("form.sql input[type=submit]")
    page.wait_for_load_state()
    expected = [row.split("|") for row in case["expected"].split(";")] if case["expected"] else []
    columns = case["columns"].split("|")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == len(expected) if case["match"] == "exact" else rows.count() >= len(expected)
    if "amount_nok" in columns:
        shown = page.locator("table.rows-and-columns tbody td.col-amount_nok").all_inner_texts()
        amounts = [nok(int(r[columns.index("amount_nok")])) for r in expected]
        if case["match"] == "exact":
            assert shown == amounts
        else:
            assert all(a in shown for a in amounts)


def test_organisation_page_screenshot(page, server, db, tmp_path):
    org = org_with_printed_name(db, "Multikulturelt Initiativ Og Ressursnettverk (Mir)")
    page.goto(f"{server}/tilskudd/organisations/{urllib.parse.quote(org['id'])}")
    shot = tmp_path / "organisation.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert page.inner_text("h1.org-name").startswith(org["name"])
    names = [r[0] for r in db.execute("SELECT name FROM aliases WHERE organisation_id = ?", [org["id"]])]
    names_text = page.inner_text("#names")
    assert names and all(n in names_text for n in names)
    per_report = db.execute(
        "SELECT g.year, g.report_id, SUM(g.amount_nok) FROM grants g JOIN aliases a ON a.alias_id = g.alias_id "
        "WHERE a.organisation_id = ? GROUP BY g.year, g.report_id ORDER BY g.year, g.report_id", [org["id"]]).fetchall()
    table = [r.split("\t") for r in page.locator("#per-year tbody tr").all_inner_texts()]
    assert [(int(r[0]), r[3].strip()) for r in table] == [(y, nok(s)) for y, _, s in per_report]
    assert {2014, 2015} <= {y for y, _, _ in per_report}
    years = sorted({y for y, _, _ in per_report})
    assert page.locator("#years svg.chart rect.bar").count() == len(years)
    assert page.locator("#years svg.chart text.year").all_text_contents() == [str(y) for y in range(years[0], years[-1] + 1)]
    assert "Tvangsekteskap" in page.inner_text("#themes")
    assert "Oslo" in page.inner_text("#places")
    mentions = [r[0] for r in db.execute("SELECT text FROM mentions WHERE organisation_id = ? "
                                         "ORDER BY passage_id, start", [org["id"]])]
    assert mentions and page.locator("#passages mark").all_inner_texts() == mentions


def test_pages_answer_within_200_ms(server):
    paths = ["/", "/tilskudd/grants_browse", "/tilskudd/organisations?_search=MiR",
             "/tilskudd/passages?_search=tvangsekteskap", "/tilskudd/organisation_history?name=MiR"]
    with httpx.Client(base_url=server) as client:
        org = client.get("/tilskudd/organisation_history.json?name=MiR&_shape=array").json()[0]["organisation_id"]
        paths.append("/tilskudd/organisations/" + urllib.parse.quote(org))
        for path in paths:
            assert client.get(path).status_code == 200, path  # warm up
            times = []
            for _ in range(5):
                start = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
            assert statistics.median(times) < 0.2, (path, times)


def test_writes_are_refused(server, db):
    before = db.execute("SELECT COUNT(*) FROM grants").fetchone()[0]
    response = httpx.get(server + "/tilskudd.json", params={"sql": "DELETE FROM grants"})
    assert response.status_code == 400
    assert response.json()["error"] == "Statement must be a SELECT"
    for path in ("/tilskudd", "/tilskudd/grants", "/tilskudd/organisation_history", "/tilskudd/grants/-/insert"):
        response = httpx.post(server + path, data={"sql": "DELETE FROM grants"})
        assert response.status_code == 405, path
        assert "read-only" in response.text
    assert db.execute("SELECT COUNT(*) FROM grants").fetchone()[0] == before


def test_slow_query_is_cut_off_with_a_clear_message(page, server):
    sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT COUNT(*) FROM n"
    start = time.perf_counter()
    page.goto(f"{server}/tilskudd?sql={urllib.parse.quote(sql)}")
    assert time.perf_counter() - start < 10
    assert "SQL query took too long" in page.inner_text("body")
