"""`tilskudd review`, `tilskudd judge` and `tilskudd link` through click's CliRunner, on a
temporary knowledge base with real grant rows (see linking_fixtures.py)."""

import pytest
from click.testing import CliRunner
from linking_fixtures import make_kb
from sqlmodel import select

from kb.cli import main
from kb.models import Alias, Judgement

TRONDHEIM = "Stiftelsen Kirkens Bymisjon I Trondheim"
UNITS = "Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & Aksept og mestring"


@pytest.fixture
def db(tmp_path):
    kb = make_kb(tmp_path / "kb.sqlite")
    kb.close()
    return str(tmp_path / "kb.sqlite")


def _run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_review_lists_the_unsure_pair_with_evidence(db):
    result = _run("review", "--db", db)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == ("1. 445 000 NOK at stake (guard:place-subset, score 53): same place and an "
                        f"extra place ('{UNITS}' names midt norge): a unit of the same body?")
    assert lines[1].startswith(f"   A: {TRONDHEIM}  [org-")
    assert lines[2] == "       years 2015; 1 grants, 200 000 NOK"
    assert "       places: Trondheim" in lines
    assert lines[-1] == f'   decide: tilskudd judge "{TRONDHEIM}" "{UNITS}" --same|--different|--unsure'


def test_judge_same_then_undo(db):
    result = _run("judge", TRONDHEIM, UNITS, "--same", "--db", db, "--who", "ola", "--note", "units")
    assert result.exit_code == 0
    assert result.output == f"Recorded: '{TRONDHEIM}' / '{UNITS}' are same (by ola).\n"
    assert _run("review", "--db", db).output == "Nothing to review: no unsure pairs without a judgement.\n"
    from kb.store import KnowledgeBase

    with KnowledgeBase(db) as kb, kb.session() as s:
        orgs = {a.name: a.organisation_id for a in s.exec(select(Alias))}
        assert orgs[TRONDHEIM] == orgs[UNITS]
        [j] = s.exec(select(Judgement)).all()
        assert (j.decision, j.who, j.note, j.undone_at) == ("same", "ola", "units", None)
    result = _run("judge", TRONDHEIM, UNITS, "--undo", "--db", db)
    assert result.exit_code == 0 and result.output.startswith(f"Undid 'same' on '{TRONDHEIM}' / '{UNITS}' (by ola, ")
    assert _run("review", "--db", db).output.startswith("1. 445 000 NOK at stake")


def test_judge_errors_are_one_line(db):
    result = CliRunner().invoke(main, ["judge", "Røde Kors", "Norges Røde Kors", "--db", db])
    assert result.exit_code == 2 and "say --same, --different, --unsure or --undo" in result.output
    result = CliRunner().invoke(main, ["judge", "Røde Kors", "Ingen slik forening", "--same", "--db", db])
    assert result.exit_code == 1
    assert result.output == "Error: no organisation name like 'Ingen slik forening' in the knowledge base\n"
    result = CliRunner().invoke(main, ["review", "--db", db + ".missing"])
    assert result.exit_code == 1 and result.output.startswith("Error: no knowledge base at ")


def test_link_command_relinks_and_summarises(db):
    result = _run("link", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("71 names → 54 organisations; pairs: 18 linked, 1 unsure")
