"""The pair matcher on real names from the 2014, 2015 and 2018 reports and invented look-alikes
(tests/data/linking_cases.csv): one parametrised test, then precision and recall overall."""

import csv
from pathlib import Path

import pytest

from kb.linking import NameRecord, cluster, match_pair

CASES = Path(__file__).parent / "data" / "linking_cases.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))
OUTCOME = {"same": "linked", "different": "different", "unsure": "unsure"}


def test_the_table_is_big_enough():
    assert len(ROWS) >= 80
    assert {r["expected"] for r in ROWS} == {"same", "different", "unsure"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['name_a']} | {r['name_b']}" for r in ROWS])
def test_linking_case(row):
    decision = match_pair(row["name_a"], row["name_b"])
    assert decision.outcome == OUTCOME[row["expected"]], decision.explanation
    assert decision.method and decision.explanation
    # symmetric
    assert match_pair(row["name_b"], row["name_a"]).outcome == decision.outcome


def test_precision_and_recall_over_the_table():
    linked = [match_pair(r["name_a"], r["name_b"]).outcome == "linked" for r in ROWS]
    same = [r["expected"] == "same" for r in ROWS]
    tp = sum(l and s for l, s in zip(linked, same))
    fp = sum(l and not s for l, s in zip(linked, same))
    assert fp == 0  # precision 1.0: no look-alike is merged
    assert tp / sum(same) >= 0.95


def test_batch_clustering_agrees_with_the_pairs():
    """Linking all names of the table at once gives no merge the table forbids."""
    names = sorted({r["name_a"] for r in ROWS} | {r["name_b"] for r in ROWS})
    ids = {n: i for i, n in enumerate(names)}
    result = cluster([NameRecord(i, n) for n, i in ids.items()])
    where = {m: k for k, members in enumerate(result.clusters) for m in members}
    for r in ROWS:
        together = where[ids[r["name_a"]]] == where[ids[r["name_b"]]]
        if r["expected"] == "different":
            assert not together, (r["name_a"], r["name_b"])
        if r["expected"] == "same":
            assert together, (r["name_a"], r["name_b"])


def test_decisions_explain_themselves():
    d = match_pair("Oslo Røde Kors", "Norges Røde Kors")
    assert (d.outcome, d.method) == ("different", "guard:place")
    assert d.explanation == "a place qualifier makes a different entity ('Oslo Røde Kors' names oslo)"
    d = match_pair("MiRA", "Multikulturelt Initiativ- og Ressursnettverk (MiR)")
    assert (d.outcome, d.method, d.explanation) == ("different", "guard:acronym", "different acronyms: MIRA vs MIR")
    d = match_pair("NOAS", "Norsk organisasjon for asylsøkere")
    assert (d.outcome, d.method, d.score) == ("linked", "acronym-expansion", 95.0)


def test_match_pair_is_symmetric_and_total():
    """On arbitrary strings of the characters names are made of: no exception, same outcome
    both ways round."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    chars = st.sampled_from(list("abcæøåABCÆØÅ -–&().,/") + ["og", "Og", "NOAS", "KIA", " i ", "Oslo"])
    names = st.lists(chars, max_size=12).map("".join)

    @settings(max_examples=300, deadline=None)
    @given(names, names)
    def check(a, b):
        assert match_pair(a, b).outcome == match_pair(b, a).outcome

    check()
