"""datasette_config/ and kb/publish.py: metadata, settings, the serve command's errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from kb.publish import CONFIG_DIR, DATABASE, build_metadata, check_servable
from kb.errors import NotFoundError
from site_fixtures import TILSKUDD, site_app, site_db  # noqa: F401  (fixtures)


def schema_descriptions() -> dict:
    from kb.schema_docs import table_descriptions

    return table_descriptions()


@pytest.fixture(scope="module")
def meta(site_db):
    return build_metadata(site_db)


def test_site_identity(meta):
    assert meta["title"] == "tilskudd — IMDi-tilskudd til frivillige organisasjoner"
    assert "NLOD" in meta["license"] and "CC BY 4.0 Kartverket" in meta["license"] and "CC0 NorNE" in meta["license"]
    assert meta["source_url"].startswith("https://www.imdi.no/")
    assert meta["extra_css_urls"] == ["/static/site.css"]


def test_every_table_and_column_is_described_from_the_schema(meta, site_db):
    tables = meta["databases"][DATABASE]["tables"]
    docs = schema_descriptions()
    conn = sqlite3.connect(site_db)
    for table, doc in docs.items():
        if table not in tables:
            continue
        assert tables[table]["description"] == doc["description"], table
        present = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
        for column, text in doc["columns"].items():
            if column in present and text:
                assert tables[table]["columns"][column] == text, (table, column)
    for name in ("grants", "organisations", "aliases", "passages", "grant_places", "places", "reconciliations"):
        assert tables[name]["description"], name
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")}
        assert set(tables[name]["columns"]) == columns, name
    conn.close()
    assert tables["grants"]["columns"]["organisation_raw"] == \
        "Organisation exactly as printed (wrapped lines joined by one space)"


def test_search_and_facets_configured(meta):
    tables = meta["databases"][DATABASE]["tables"]
    assert tables["grants_browse"]["facets"] == [
        "year", "scheme_name", "organisation_name", {"array": "places"}, {"array": "places_today"}, {"array": "themes"}]
    assert (tables["grants_browse"]["fts_table"], tables["grants_browse"]["fts_pk"]) == ("grants_fts", "grant_id")
    assert (tables["organisations"]["fts_table"], tables["organisations"]["fts_pk"]) == ("organisations_fts", "rowid")
    assert (tables["passages"]["fts_table"], tables["passages"]["fts_pk"]) == ("passages_fts", "id")
    assert tables["report_files"]["hidden"] and tables["grant_images"]["hidden"]


def test_settings():
    settings = json.loads((CONFIG_DIR / "settings.json").read_text())
    assert settings["sql_time_limit_ms"] == 1500
    assert settings["max_returned_rows"] == 2000
    assert settings["facet_time_limit_ms"] == 200


def test_settings_are_in_force(site_app):
    settings = site_app("/-/settings.json").json()
    assert (settings["sql_time_limit_ms"], settings["max_returned_rows"], settings["default_page_size"]) == (1500, 2000, 50)


def test_database_is_published_immutable_as_tilskudd(site_app):
    databases = {d["name"]: d for d in site_app("/-/databases.json").json()}
    assert set(databases) == {"tilskudd"}
    assert databases["tilskudd"]["is_mutable"] is False


def test_check_servable_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(NotFoundError, match="no knowledge base at"):
        check_servable(tmp_path / "nope.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(NotFoundError, match="not a tilskudd knowledge base"):
        check_servable(other)


def test_serve_command_fails_with_one_line(tmp_path):
    result = subprocess.run([str(TILSKUDD), "serve", "--db", str(tmp_path / "nope.sqlite")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: no knowledge base at {tmp_path / 'nope.sqlite'} "
                                                  "(build one with `tilskudd ingest` or `tilskudd demo`)"]
