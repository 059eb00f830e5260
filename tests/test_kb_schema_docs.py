"""docs/schema.md is generated from kb/models.py and kb/views.py, and is up to date."""

from __future__ import annotations

from kb.models import ALL_TABLES
from kb.schema_docs import render, table_descriptions
from kb.views import VIEWS

from kb_fixtures import ROOT


def test_docs_schema_md_is_up_to_date():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == render() + "\n", (
        "run: python -m kb.schema_docs > docs/schema.md")


def test_every_table_view_and_column_has_a_description():
    desc = table_descriptions()
    assert set(desc) == {t.__tablename__ for t in ALL_TABLES} | set(VIEWS)
    missing = [f"{t}.{c}" for t, d in desc.items() for c, text in d["columns"].items() if not text]
    assert missing == []
    assert all(d["description"] for d in desc.values())


def test_view_columns_take_their_description_from_the_table_they_come_from():
    desc = table_descriptions()
    flat = desc["grants_flat"]["columns"]
    assert list(flat) == ["grant_id", "year", "scheme_number", "scheme_name", "part", "organisation_raw",
                          "organisation_id", "organisation_name", "project", "area", "amount_nok",
                          "report_id", "page", "counted"]
    assert flat["scheme_number"] == "Scheme number in the report (1-5 in 2015)"
    assert flat["organisation_name"] == "Canonical name (the fullest recent form)"
    assert desc["allocations_flat"]["columns"]["kommunenummer"] == (
        "Official number (kommunenummer, fylkesnummer, bydelsnummer)")
    assert desc["organisation_years"]["columns"]["grants"] == "Number of grants"
    assert desc["organisation_years"]["columns"]["amount_nok"] == "Sum: amount in whole NOK"
