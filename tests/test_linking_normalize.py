"""normalize_name() and name_parts() on real printed names (tests/data/linking_normalize_cases.csv)."""

import csv
from pathlib import Path

import pytest

from kb.normalize import acronym_of, name_parts, normalize_name, place_names

CASES = Path(__file__).parent / "data" / "linking_normalize_cases.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_normalize_case(row):
    parts = name_parts(row["name"])
    assert parts.normalized == row["normalized"]
    assert normalize_name(row["name"]) == row["normalized"]
    assert (acronym_of(row["name"]) or "") == row["acronym"]
    assert ";".join(sorted(parts.places)) == row["places"]


def test_normalize_is_idempotent_on_the_cases():
    for row in ROWS:
        once = normalize_name(row["name"])
        assert normalize_name(once) == once, row["name"]


def test_legal_form_and_notes_are_kept_apart():
    parts = name_parts("Stiftelsen Kirkens Bymisjon i Bergen (ny i 2010)")
    assert parts.legal_form == "stiftelsen"
    assert parts.notes == ("ny i 2010",)
    assert parts.normalized == "kirke bymisjon bergen"


def test_head_and_tail_split_at_a_separating_dash():
    parts = name_parts("Caritas Norge – Region øst, indre øst, vest, midt, sør")
    assert parts.head == "caritas norge"
    assert parts.tail == "region øst indre øst vest midt sør"
    assert name_parts("MiRA-Senteret").tail == ""  # a hyphen in a word is not a separator


def test_place_names_come_from_the_reference_data():
    names = place_names()
    assert {"skedsmo", "rogaland", "vest agder", "bergen", "groruddalen", "alna"} <= names
    assert "kors" not in names and "norge" not in names
