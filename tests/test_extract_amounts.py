"""The one amount parser: a table of spellings (tests/data/amounts.csv) and properties."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.amounts import find_amounts, parse_amount, parse_count

CASES = list(csv.DictReader(open(Path(__file__).parent / "data" / "amounts.csv", encoding="utf-8")))


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_amount_spellings(case):
    expected = int(case["expected"]) if case["expected"] else None
    assert parse_amount(case["text"]) == expected


def test_find_amounts_in_a_real_sentence_with_a_wrapped_amount_joined():
    # scheme 3, 2015: the amount was wrapped over a line break in the PDF
    s = ("IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner, på til sammen kr. 19 087 "
         "739,-. 25 prosjekter fikk tildelt støtte over ordningen i 2015 på til sammen kr. 8 "
         "581 430.-.")
    money = [(a.text, a.value) for a in find_amounts(s) if a.is_money]
    assert money == [("kr. 19 087 739,-", 19087739), ("kr. 8 581 430.-", 8581430)]
    plain = [a.value for a in find_amounts(s) if not a.is_money]
    assert plain == [40, 39, 25, 2015]


@pytest.mark.parametrize("text,value", [("åtte", 8), ("tre", 3), ("120", 120), ("11 393", 11393),
                                        ("Fjorten", 14), ("mange", None)])
def test_counts_in_digits_and_number_words(text, value):
    assert parse_count(text) == value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_exception_on_arbitrary_text(text):
    found = find_amounts(text)
    for a in found:
        assert text[a.start:a.end] == a.text
        assert a.value >= 0
    parse_amount(text)


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


SPELLINGS = [
    lambda n, s: _grouped(n, s),
    lambda n, s: _grouped(n, s) + "kr",
    lambda n, s: _grouped(n, s) + " kr",
    lambda n, s: "kr. " + _grouped(n, s) + ",-",
    lambda n, s: "kr. " + _grouped(n, s) + ".-",
    lambda n, s: "Kr " + _grouped(n, s),
    lambda n, s: "NOK " + _grouped(n, s),
    lambda n, s: str(n),
]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**10), st.sampled_from(SPELLINGS),
       st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"]))
def test_round_trip_of_formatted_amounts(n, spell, sep):
    assert parse_amount(spell(n, sep)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99),
       st.sampled_from(["mill.", "mill. kr", "millioner", "millioner kroner", "mill. kroner"]))
def test_round_trip_of_millions(whole, hundredths, word):
    text = f"{whole},{hundredths:02d} {word}"
    assert parse_amount(text) == whole * 1_000_000 + hundredths * 10_000
