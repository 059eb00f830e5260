"""Each grant is counted once across reports: the Prop. 1 S (2014–2015) budget figures for 2015
are kept, but organisation totals use the 2015 grant report where it covers the organisation."""

import sqlite3

from site_fixtures import site_db  # noqa: F401  (the base built from samples/)

from kb.models import Alias
from kb.organisations import _canonical


def _rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_reports_have_their_kind(site_db):
    db = site_db
    assert _rows(db, "SELECT filename, kind FROM reports ORDER BY filename") == [
        ("imdi_asylmottak_2018.pdf", "grant_report"),
        ("imdi_tilskuddsrapport_2015.pdf", "grant_report"),
        ("prop1s_2014_2015_nasjonale_ressursmiljo.pdf", "budget_proposition"),
    ]


def test_budget_figures_covered_by_the_2015_report_are_not_counted(site_db):
    db = site_db
    # all 13 Prop. 2015 amounts belong to organisations the 2015 report also lists (scheme 2)
    assert _rows(db, """SELECT g.year, COUNT(*), SUM(g.amount_nok) FROM grants g
                        JOIN reports r ON r.id = g.report_id
                        WHERE NOT g.counted GROUP BY g.year""") == [(2015, 13, 15_500_000)]
    # the 2014 column has no grant report beside it: counted
    assert _rows(db, """SELECT COUNT(*), SUM(amount_nok) FROM grants
                        WHERE year = 2014 AND counted""") == [(12, 14_000_000)]


def test_organisation_years_counts_each_grant_once(site_db):
    db = site_db
    rows = _rows(db, """SELECT organisation_name, year, grants, amount_nok FROM organisation_years
                        WHERE organisation_name LIKE 'MiRA%' OR organisation_name LIKE 'Caritas%'
                        ORDER BY organisation_name, year""")
    assert rows == [
        ("Caritas Norge", 2015, 2, 1_375_000),  # scheme 2 + scheme 4/Del 1 in the 2015 report
        ("Caritas Norge", 2018, 1, 1_500_000),
        ("MiRA – Ressurssenter for innvandrer- og flyktningkvinner", 2014, 1, 1_450_000),
        ("MiRA – Ressurssenter for innvandrer- og flyktningkvinner", 2015, 2, 2_700_000),  # 2 050 000 + 650 000
    ]
    # the view's 2015 total equals what the 2015 report itself states, grant by grant
    assert _rows(db, "SELECT SUM(amount_nok) FROM organisation_years WHERE year = 2015") == \
        _rows(db, """SELECT SUM(g.amount_nok) FROM grants g JOIN reports r ON r.id = g.report_id
                     WHERE r.filename = 'imdi_tilskuddsrapport_2015.pdf'""")


def test_canonical_name_is_not_a_regional_unit_of_another_name():
    members = [Alias(name="Caritas Norge", normalized="caritas norge", first_year=2015, last_year=2015),
               Alias(name="Caritas Norge – Region øst, indre øst, vest, midt, sør",
                     normalized="caritas norge region øst indre øst vest midt sør",
                     first_year=2018, last_year=2018)]
    assert _canonical(members).name == "Caritas Norge"
    # an acronym-led form with its expansion is still the fullest recent form
    members = [Alias(name="MiRA", normalized="mira", first_year=2015, last_year=2015),
               Alias(name="MiRA – Ressurssenter for innvandrer- og flyktningkvinner",
                     normalized="mira ressurssenter for innvandrer og flyktningkvinner",
                     first_year=2015, last_year=2015)]
    assert _canonical(members).name == "MiRA – Ressurssenter for innvandrer- og flyktningkvinner"
