"""Place resolution, judged on every area string and municipality of the 2015 report.

tests/data/place_cases.csv: one row per case; `expected` are the place ids in printed order
('-' for a part kept unresolved), `expected_today` the places in force today that cover them
(in order, without repeats), `methods` how each part resolved. Rows whose `source` ends in
'allocation' are municipality cells of the allocation table (`resolve_kommune`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import NotFoundError
from kb.places import PlaceIndex, split_area

CASES_CSV = Path(__file__).parent / "data" / "place_cases.csv"


def _cases() -> list[dict]:
    with open(CASES_CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


CASES = _cases()


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return PlaceIndex.from_reference()


def _today(index: PlaceIndex, place_ids: list[str]) -> list[str]:
    out: list[str] = []
    for pid in place_ids:
        for current in index.current_places(pid):
            if current not in out:
                out.append(current)
    return out


@pytest.mark.parametrize("case", CASES, ids=[f"{c['area']}@{c['year']}/{c['source']}" for c in CASES])
def test_place_case(index, case):
    year = int(case["year"])
    if case["source"].endswith("allocation"):
        matches = [index.resolve_kommune(case["area"], year)]
    else:
        matches = index.resolve_area(case["area"], year)
    got = [m.place_id or "-" for m in matches]
    assert got == case["expected"].split(";")
    assert [m.method for m in matches] == case["methods"].split(";")
    today = _today(index, [m.place_id for m in matches if m.place_id])
    assert today == [t for t in case["expected_today"].split(";") if t]
    for m in matches:
        assert (m.score is not None) == (m.method == "fuzzy")
        if m.place_id is None:
            assert m.area_part.strip(), "an unresolved part is kept with its text"


def test_every_2015_area_string_and_municipality_is_a_case():
    """The 2015 sample's grant tables (area column) and allocation table, as the sample
    content prints them (wrapped cell lines joined by one space)."""
    from samples.content import Table, imdi_2015

    areas, kommuner = set(), set()
    for block in imdi_2015().blocks:
        if not isinstance(block, Table):
            continue
        for field, into in (("area", areas), ("kommune", kommuner)):
            if field in block.fields:
                col = block.fields.index(field)
                into.update(block.cell_text(row, col) for row in range(len(block.rows)))
    kommuner.discard("SUM")
    case_areas = {c["area"] for c in CASES if c["year"] == "2015" and c["source"].startswith("2015 scheme")}
    case_kommuner = {c["area"] for c in CASES if c["source"] == "2015 allocation"}
    assert len(areas) == 27 and len(kommuner) == 20
    assert areas <= case_areas, sorted(areas - case_areas)
    assert kommuner == case_kommuner


@pytest.mark.parametrize("area, parts", [
    ("Oslo/Akerhsus, Drammen. Nedre Eiker/ Mjøndalen, Stavanger, Porsgrunn, Moss",
     ["Oslo", "Akerhsus", "Drammen", "Nedre Eiker", "Mjøndalen", "Stavanger", "Porsgrunn", "Moss"]),
    ("Nordland; Øksnes, Sortlandog Lødingen", ["Nordland", "Øksnes", "Sortlandog Lødingen"]),
    ("Bergen/Omegn", ["Bergen/Omegn"]),
    ("Oslo/hele landet?", ["Oslo", "hele landet?"]),
    ("St. Hanshaugen, Sagene", ["St. Hanshaugen", "Sagene"]),
    ("Oslo, Drammen, \u00a0Lørenskog", ["Oslo", "Drammen", "Lørenskog"]),
])
def test_split_area(area, parts):
    assert split_area(area) == parts


def test_area_parts_keep_the_printed_text(index):
    matches = index.resolve_area("Nordland; Øksnes, Sortlandog Lødingen", 2015)
    assert [m.area_part for m in matches] == ["Nordland", "Øksnes", "Sortlandog", "Lødingen"]
    matches = index.resolve_area("Oslo/Akerhsus, Drammen", 2015)
    assert [(m.area_part, m.method, m.score) for m in matches] == [
        ("Oslo", "exact", None), ("Akerhsus", "fuzzy", 87.5), ("Drammen", "exact", None)]


def test_resolve_kommune_ambiguous_lists_candidates(index):
    m = index.resolve_kommune("Nes", 2015)
    assert (m.place_id, m.method, m.candidates) == (None, "ambiguous", ("kommune:0236", "kommune:0616"))


def test_resolve_kommune_only_finds_kommuner(index):
    assert index.resolve_kommune("Nordland", 2015).method == "unresolved"
    assert index.resolve_kommune("Oslo", 2015).place_id == "kommune:0301"


def test_short_words_are_not_fuzzy_matched(index):
    # 'Mose' is one letter from 'Moss' but shorter than 5 letters: never guessed.
    assert [(m.place_id, m.method) for m in index.resolve_area("Mose", 2015)] == [(None, "unresolved")]


def test_current_places_of_unknown_id(index):
    with pytest.raises(NotFoundError):
        index.current_places("kommune:9999")


def _unambiguous_kommuner(year: int) -> list[tuple[str, str]]:
    """(name, place id) of every kommune in force in `year` whose name is one place only."""
    from collections import Counter

    from kb.place_reference import load_reference

    rows = [(p.name, p.id) for p in load_reference().places if p.kind == "kommune" and p.valid_in(year)]
    counts = Counter(name for name, _ in rows)
    return sorted((n, i) for n, i in rows if counts[n] == 1 and n != "Oslo")


KOMMUNER = {year: _unambiguous_kommuner(year) for year in (2010, 2015, 2021, 2024)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year_names=st.sampled_from(sorted(KOMMUNER)).flatmap(
           lambda y: st.tuples(st.just(y), st.lists(st.sampled_from(KOMMUNER[y]), min_size=1, max_size=6))),
       separators=st.lists(st.sampled_from([", ", "; ", "/", " / ", " og ", " & ", ". ", ",", " + "]),
                           min_size=5, max_size=5))
def test_any_list_of_kommuner_resolves_to_them_in_order(index, year_names, separators):
    year, names = year_names
    area = names[0][0]
    for (name, _), sep in zip(names[1:], separators):
        area += sep + name
    matches = index.resolve_area(area, year)
    assert [(m.place_id, m.method) for m in matches] == [(pid, "exact") for _, pid in names]
