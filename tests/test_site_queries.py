"""Every canned query returns the right rows (tests/data/site_queries.csv), run through Datasette."""

from __future__ import annotations

import csv
import urllib.parse
from pathlib import Path

import pytest

from site_fixtures import site_app, site_db  # noqa: F401  (fixtures)

CASES = list(csv.DictReader((Path(__file__).parent / "data" / "site_queries.csv").open(encoding="utf-8")))
QUERIES = ["organisation_history", "grants_in_municipality", "top_recipients", "grants_by_theme",
           "name_variants", "reconciliation_failures", "passages_mentioning"]


def rows_as_text(rows: list[dict], columns: list[str]) -> str:
    return ";".join("|".join("" if r[c] is None else str(r[c]) for c in columns) for r in rows)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['query']}-{c['params']}" for c in CASES])
def test_canned_query_rows(case, site_app):
    qs = urllib.parse.urlencode(urllib.parse.parse_qsl(case["params"], keep_blank_values=True))
    response = site_app(f"/tilskudd/{case['query']}.json?{qs}&_shape=array")
    assert response.status_code == 200, response.text
    got = rows_as_text(response.json(), case["columns"].split("|"))
    if case["match"] == "exact":
        assert got == case["expected"]
    else:  # "includes": every expected row is there, in this order (linking may add more pairs)
        got_rows = got.split(";")
        expected = case["expected"].split(";")
        assert [r for r in got_rows if r in expected] == expected


def test_every_canned_query_has_cases():
    assert {c["query"] for c in CASES} == set(QUERIES)


def test_every_canned_query_is_published(site_app):
    meta = site_app("/-/metadata.json").json()
    assert sorted(meta["databases"]["tilskudd"]["queries"]) == sorted(QUERIES)


def test_canned_query_page_shows_amounts_in_kroner(site_app):
    html = site_app("/tilskudd/organisation_history?name=MiR").text
    assert "350 000 kr" in html
    assert 'href="/-/pdf/2.pdf#page=' in html  # the 2015 report


def test_theme_query_adds_up_to_what_the_report_states(site_app):
    """The 2015 report: '25 prosjekter fikk tildelt støtte over ordningen i 2015 på til sammen
    kr. 8 581 430' (scheme 3, against forced marriage): the theme finds exactly those."""
    rows = site_app("/tilskudd/grants_by_theme.json?theme=tvangsekteskap&_shape=array").json()
    assert len(rows) == 25
    assert sum(r["amount_nok"] for r in rows) == 8_581_430
    assert {(r["year"], r["scheme_number"]) for r in rows} == {(2015, 3)}


def test_merged_organisation_id_redirects_to_where_it_went(site_app, site_db):
    import sqlite3

    conn = sqlite3.connect(site_db)
    old, new = conn.execute("SELECT old_id, organisation_id FROM referents WHERE old_id != organisation_id "
                            "ORDER BY old_id LIMIT 1").fetchone()
    conn.close()
    response = site_app(f"/tilskudd/organisations/{old}")
    assert (response.status_code, response.headers["location"]) == (302, f"/tilskudd/organisations/{new}")
    assert site_app("/tilskudd/organisations/no-such-id").status_code == 404
