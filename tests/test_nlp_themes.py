"""The theme tagger on real phrases and project names of the 2015 report
(tests/data/nlp_theme_cases.csv: text, expected theme ids, why)."""

import csv

import pytest

from nlp.themes import ThemesFileError, load_rules, load_themes, theme_patterns
from nlp_fixtures import DATA, tagger  # noqa: F401

CASES = list(csv.DictReader(open(DATA / "nlp_theme_cases.csv", encoding="utf-8")))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_themes_for(tagger, case):
    expected = sorted(t for t in case["themes"].split(";") if t)
    assert sorted(h.theme_id for h in tagger.themes_for(case["text"])) == expected, case["why"]


def test_evidence_is_the_words_that_decided(tagger):
    hits = tagger.themes_for("forebyggende arbeid mot TVE og KLL")
    assert [(h.theme_id, h.evidence) for h in hits] == [("tvangsekteskap", "TVE"),
                                                         ("kjonnslemlestelse", "KLL")]


def test_taxonomy_has_twenty_themes():
    themes = load_themes()
    assert len(themes) == 20
    assert themes[0].id == "tvangsekteskap"


def test_rules_name_only_known_themes(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("broad:\n  tvang: [x]\n", encoding="utf-8")
    broad, extra = load_rules(bad)
    with pytest.raises(ThemesFileError, match="unknown theme: tvang"):
        theme_patterns(load_themes(), broad, extra, str.lower)


def test_acronym_patterns_are_case_sensitive():
    broad, extra = load_rules()
    patterns = theme_patterns(load_themes(), broad, extra, str.lower)
    acronyms = {p.term for p in patterns if p.kind == "acronym"}
    assert {"TVE", "KLL", "FGM", "NSK", "LHBT"} <= acronyms
