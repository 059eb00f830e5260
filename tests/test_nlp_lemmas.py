"""Lemmas: the NorNE-derived word list plus compound, genitive and suffix rules."""

import csv

import pytest

from nlp.lemmas import Lemmatizer
from nlp_fixtures import DATA

CASES = list(csv.DictReader(open(DATA / "nlp_lemma_cases.csv", encoding="utf-8")))


@pytest.fixture(scope="module")
def lemmatizer():
    return Lemmatizer.load()


@pytest.mark.parametrize("case", CASES, ids=[c["word"] for c in CASES])
def test_lemma(lemmatizer, case):
    assert lemmatizer.lemma(case["word"]) == case["lemma"], case["why"]


def test_lemma_table_is_a_word_list_not_text():
    """The committed table is sorted, one form per line: a word list, no corpus sentences."""
    import gzip

    from nlp.lemmas import TABLE_PATH

    lines = gzip.open(TABLE_PATH, "rt", encoding="utf-8").read().splitlines()
    forms = [line.split("\t")[0] for line in lines]
    assert [f.lower() for f in forms] == sorted(f.lower() for f in forms)
    assert all(" " not in line for line in lines)
    assert 20_000 < len(lines) < 40_000


def test_lemmatize_passage_for_search(tagger):
    text = "I utgangspunktet var arbeidsinnvandrerne ment å skulle klare seg selv."
    assert tagger.lemmatize(text) == "i utgangspunkt være arbeidsinnvandrer mene å skulle klare seg selv"


def test_search_forms_meet(tagger):
    """`tvangsekteskap` finds `tvangsekteskapet`: both lemmatize to the same word."""
    assert "tvangsekteskap" in tagger.lemmatize("Tvangsekteskapet er et tema").split()
    assert tagger.lemmatize("arbeidsinnvandrer") == tagger.lemmatize("arbeidsinnvandrerne")


from nlp_fixtures import tagger  # noqa: E402,F401  (fixture)
