"""The benchmark's synthetic knowledge base (bench/generate.py) stays a valid knowledge base as
the schema changes: real tables and views, consistent keys, a search index that finds its
names, and a file the site accepts. Small N, so it runs in the normal test suite."""

from __future__ import annotations

import sqlite3

import pytest

from bench import generate
from kb.publish import check_servable
from kb.search import has_search_index, match_expression

N = 3000


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return generate.generate(tmp_path_factory.mktemp("gen") / "kb.sqlite", N)


@pytest.fixture
def con(db):
    c = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    yield c
    c.close()


def test_counts_and_keys(con):
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT COUNT(*) FROM grants") == N
    assert one("SELECT COUNT(*) FROM organisations") == N // 20
    assert one("SELECT COUNT(*) FROM reports") == 18
    assert one("SELECT COUNT(*) FROM schemes") == 18 * 5
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # every grant reaches an organisation through its alias, in the analysts' view
    assert one("SELECT COUNT(*) FROM grants_flat WHERE organisation_id IS NULL") == 0
    assert one("SELECT SUM(grants) FROM organisation_years") == N
    # every grant is in the year of its report, and its area resolves to places of that year
    assert one("SELECT COUNT(*) FROM grants g JOIN reports r ON r.id = g.report_id "
               "WHERE r.year != g.year") == 0
    assert one("SELECT COUNT(*) FROM grant_places gp JOIN grants g ON g.id = gp.grant_id "
               "JOIN places p ON p.id = gp.place_id WHERE p.kind = 'kommune' AND NOT "
               "(COALESCE(p.valid_from, 0) <= g.year AND g.year <= COALESCE(p.valid_to, 9999))") == 0


def test_search_index_finds_names_and_projects(con):
    assert has_search_index(con)
    name, = con.execute("SELECT organisation_raw FROM grants WHERE id = 1").fetchone()
    hits = {r for (r,) in con.execute("SELECT rowid FROM grants_fts WHERE grants_fts MATCH ?",
                                      (match_expression(name),))}
    assert 1 in hits
    found = con.execute("SELECT COUNT(*) FROM grants_fts WHERE grants_fts MATCH ?",
                        (match_expression("kjønnslemlestelse"),)).fetchone()[0]
    expected = con.execute("SELECT COUNT(*) FROM grants WHERE project LIKE '%kjønnslemlestelse%' "
                           "OR area LIKE '%kjønnslemlestelse%'").fetchone()[0]
    assert found == expected > 0


def test_same_n_same_file(db, tmp_path):
    again = generate.generate(tmp_path / "again.sqlite", N)
    dump = lambda p: sqlite3.connect(p).execute(  # noqa: E731
        "SELECT id, organisation_raw, project, area, amount_nok FROM grants ORDER BY id").fetchall()
    assert dump(again) == dump(db)


def test_the_site_accepts_it(db):
    assert check_servable(db) == db
