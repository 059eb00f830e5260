"""Linking in the knowledge base: organisations, stable ids, redirects, judgements, review.

The grants are real rows of the 2014 Prop. 1 S table, the 2015 report (schemes 2-5) and the
2018 asylmottak table (tests/data/linking_grants.csv), written into a temporary SQLite file
with the real schema and views.
"""

import pytest
from linking_fixtures import delete_report, make_kb, write_report
from sqlalchemy import text
from sqlmodel import select

from kb.errors import JudgementError, NotFoundError
from kb.judgements import judgements_in_force, record_judgement, review_items, undo_judgement
from kb.organisations import link_organisations, open_session, resolve_organisation_id
from kb.models import Alias, Judgement, Match, Organisation, Referent

@pytest.fixture
def kb(tmp_path):
    kb = make_kb(tmp_path / "kb.sqlite")
    yield kb
    kb.close()


def _org_of(session, name: str) -> str:
    return session.exec(select(Alias.organisation_id).where(Alias.name == name)).one()


def _org_years(session, name: str):
    oid = _org_of(session, name)
    return session.execute(text(
        "SELECT year, grants, amount_nok FROM organisation_years WHERE organisation_id = :o "
        "ORDER BY year"), {"o": oid}).all()


def test_organisation_years_links_2014_2015_and_2018(kb):
    with kb.session() as s:
        # Prop. 1 S 2014 + 2015 column, the 2015 report's scheme 2 and 3
        assert _org_years(s, "Multikulturelt Initiativ Og Ressursnettverk (Mir)") == [
            (2014, 1, 200_000), (2015, 3, 500_000 + 500_000 + 350_000)]
        # MiRA: Prop. 1 S, scheme 2 (`MiRA`) and scheme 5 narrative (`MiRA-Senteret`)
        assert _org_years(s, "MiRA-Senteret") == [
            (2014, 1, 1_450_000), (2015, 3, 1_550_000 + 2_050_000 + 650_000)]
        assert _org_years(s, "Røde Kors") == [(2015, 2, 350_000 + 725_000), (2018, 1, 900_000)]
        assert _org_years(s, "Norsk Fotballforbund") == [(2015, 1, 200_000), (2018, 1, 1_500_000)]
        assert _org_years(s, "Skeiv Verden") == [(2015, 1, 450_000), (2018, 1, 237_000)]
        assert _org_years(s, "Caritas Norge") == [(2015, 3, 2_375_000), (2018, 1, 1_500_000)]
        # look-alikes stay apart
        assert _org_years(s, "Oslo Røde Kors") == [(2015, 1, 283_430)]
        assert _org_years(s, "KIA Roagaland") == [(2015, 1, 100_000)]
        assert _org_years(s, "Innvandrernes Landsorganisasjon Oslo") == [(2018, 1, 500_000)]
        assert _org_of(s, "MiRA") != _org_of(s, "Multikulturelt initiativ- og ressursnettverk")
        assert _org_of(s, "Norsk Folkehjelp") != _org_of(s, "Norsk Folkehjelp Oslo")
        n_rows = s.execute(text("SELECT COUNT(*), COUNT(DISTINCT organisation_id || '/' || year) "
                                "FROM organisation_years")).one()
        assert n_rows[0] == n_rows[1]  # one row per organisation and year


def test_organisation_row_has_canonical_name_years_and_acronym(kb):
    with kb.session() as s:
        org = s.get(Organisation, _org_of(s, "MiRA"))
        assert org.name == "MiRA – Ressurssenter for innvandrer- og flyktningkvinner"
        assert org.all_names == "MiRA | MiRA – Ressurssenter for innvandrer- og flyktningkvinner | MiRA-Senteret"
        assert (org.first_year, org.last_year, org.acronym) == (2014, 2015, "MIRA")
        alias = s.exec(select(Alias).where(Alias.name == "MiRA-Senteret")).one()
        assert alias.method == "acronym" and alias.explanation.startswith("linked to 'MiRA")


def test_matches_store_outcomes_with_method_and_explanation(kb):
    with kb.session() as s:
        unsure = s.exec(select(Match).where(Match.outcome == "unsure")).all()
        assert [(m.name_a, m.name_b, m.method) for m in unsure] == [
            ("Stiftelsen Kirkens Bymisjon I Trondheim",
             "Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & Aksept og mestring",
             "guard:place-subset")]
        linked = s.exec(select(Match).where(Match.outcome == "linked")).all()
        assert all(m.method and m.explanation for m in linked)
        assert len(linked) == 18


def test_ids_are_stable_across_relink_and_rebuild(kb, tmp_path):
    with kb.session() as s:
        before = {a.name: a.organisation_id for a in s.exec(select(Alias))}
        redirects = {r.old_id: r.organisation_id for r in s.exec(select(Referent))}
        link_organisations(s)
    with kb.session() as s:
        assert {a.name: a.organisation_id for a in s.exec(select(Alias))} == before
        assert {r.old_id: r.organisation_id for r in s.exec(select(Referent))} == redirects
        # ids handed out while only some reports were in still resolve
        for old, new in redirects.items():
            assert resolve_organisation_id(s, old) == new
    # a full rebuild from the same reports, in another order, gives the same ids
    other = make_kb(tmp_path / "rebuilt.sqlite", reports=("asylmottak", "report2015", "prop1s"))
    with other.session() as s:
        assert {a.name: a.organisation_id for a in s.exec(select(Alias))} == before
    other.close()


def test_judgement_same_merges_and_the_old_id_resolves(kb):
    with kb.session() as s:
        a, b = "Stiftelsen Kirkens Bymisjon I Trondheim", \
            "Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & Aksept og mestring"
        old_a, old_b = _org_of(s, a), _org_of(s, b)
        assert old_a != old_b
        assert [(i.a.name, i.b.name) for i in review_items(s)] == [(a, b)]
        record_judgement(s, a, b, "same", who="tester", note="Batteriet is a unit of KBT")
        summary = link_organisations(s)
        assert summary.judgements == 1
        merged = _org_of(s, a)
        assert _org_of(s, b) == merged and merged in (old_a, old_b)
        gone = old_b if merged == old_a else old_a
        assert resolve_organisation_id(s, gone) == merged
        assert s.get(Referent, gone).reason == "merged"
        assert review_items(s) == []
        match = s.exec(select(Match).where(Match.name_a == a, Match.name_b == b)).one()
        assert (match.outcome, match.method) == ("linked", "judgement")


def test_judgement_different_splits_and_survives_relink_and_replace(kb):
    with kb.session() as s:
        before = _org_of(s, "Røde Kors")
        assert _org_of(s, "Norges Røde Kors") == before
        record_judgement(s, "Røde Kors", "Norges Røde Kors", "different", who="tester")
        link_organisations(s)
        assert _org_of(s, "Røde Kors") != _org_of(s, "Norges Røde Kors")
        assert before in (_org_of(s, "Røde Kors"), _org_of(s, "Norges Røde Kors"))
    # `ingest --replace` of the 2015 report: its grants and aliases go and come back
    with kb.session() as s:
        delete_report(s, "report2015")
        link_organisations(s)
        write_report(s, "report2015")
        link_organisations(s)
    with kb.session() as s:
        assert _org_of(s, "Røde Kors") != _org_of(s, "Norges Røde Kors")
        assert [j.decision for j in judgements_in_force(s)] == ["different"]


def test_undo_restores_the_scores_decision(kb):
    with kb.session() as s:
        record_judgement(s, "Røde Kors", "Norges Røde Kors", "different", who="tester")
        link_organisations(s)
        j = undo_judgement(s, "Norges Røde Kors", "Røde Kors")
        assert j.undone_at is not None
        link_organisations(s)
        assert _org_of(s, "Røde Kors") == _org_of(s, "Norges Røde Kors")
        # kept, never deleted
        assert len(s.exec(select(Judgement)).all()) == 1
        with pytest.raises(NotFoundError):
            undo_judgement(s, "Røde Kors", "Norges Røde Kors")


def test_unsure_judgement_keeps_apart_and_out_of_review(kb):
    with kb.session() as s:
        a, b = "Stiftelsen Kirkens Bymisjon I Trondheim", \
            "Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & Aksept og mestring"
        record_judgement(s, a, b, "unsure", who="tester")
        link_organisations(s)
        assert _org_of(s, a) != _org_of(s, b)
        assert review_items(s) == []


def test_a_new_judgement_supersedes_the_old_one(kb):
    with kb.session() as s:
        record_judgement(s, "Røde Kors", "Norges Røde Kors", "different", who="a")
        record_judgement(s, "Norges Røde Kors", "Røde Kors", "same", who="b")
        assert [(j.decision, j.who) for j in judgements_in_force(s)] == [("same", "b")]
        assert len(s.exec(select(Judgement)).all()) == 2


def test_judgement_errors(kb):
    with kb.session() as s:
        with pytest.raises(JudgementError):
            record_judgement(s, "Røde Kors", "Norges Røde Kors", "maybe", who="t")
        with pytest.raises(JudgementError):  # same normalized form: cannot be told apart
            record_judgement(s, "Human rights service (HRS)", "Human Rights Service (HRS)", "different", who="t")
        with pytest.raises(NotFoundError):
            record_judgement(s, "Røde Kors", "Foreningen som ikke finnes", "same", who="t")


def test_review_evidence_names_years_schemes_amounts_places(kb):
    with kb.session() as s:
        [item] = review_items(s)
        assert item.b.name == ("Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & "
                               "Aksept og mestring")
        assert (item.b.years, item.b.amount_nok, item.b.areas) == ([2015], 245_000, ["Trondheim"])
        assert (item.a.years, item.a.amount_nok, item.a.grants) == ([2015], 200_000, 1)
        assert item.a.schemes == ["Tilskudd til tiltak mot tvangsekteskap, kjønnslemlestelse og "
                                  "alvorlige begrensninger av unges frihet (2015)"]
        assert item.impact == 445_000


def test_open_session_refuses_a_missing_file(tmp_path):
    with pytest.raises(NotFoundError):
        with open_session(str(tmp_path / "nope.sqlite")):
            pass


def test_judgements_outlive_the_database_file(kb, tmp_path):
    """A full rebuild: the file is deleted and the same reports are ingested again."""
    with kb.session() as s:
        record_judgement(s, "Røde Kors", "Norges Røde Kors", "different", who="kari", note="Del 2")
        record_judgement(s, "Caritas Norge", "Caritas Norge – Region øst, indre øst, vest, midt, sør",
                         "unsure", who="kari")
        undo_judgement(s, "Caritas Norge", "Caritas Norge – Region øst, indre øst, vest, midt, sør")
        link_organisations(s)
    kb.close()
    journal = tmp_path / "kb.judgements.jsonl"
    assert [line.count('"event"') for line in journal.read_text().splitlines()] == [1, 1, 1]
    (tmp_path / "kb.sqlite").unlink()
    rebuilt = make_kb(tmp_path / "kb.sqlite")
    with rebuilt.session() as s:
        assert _org_of(s, "Røde Kors") != _org_of(s, "Norges Røde Kors")
        assert _org_of(s, "Caritas Norge") == _org_of(
            s, "Caritas Norge – Region øst, indre øst, vest, midt, sør")
        rows = s.exec(select(Judgement).order_by(Judgement.at)).all()
        assert [(j.decision, j.who, j.note, j.undone_at is None) for j in rows] == [
            ("different", "kari", "Del 2", True), ("unsure", "kari", None, False)]
    rebuilt.close()
