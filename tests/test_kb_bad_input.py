"""Bad input: a one-line error, exit 1, and the database file byte-for-byte unchanged.

The bad files go through the real extractor (extract.extract_report); a good file ingested
first comes from hand-made records (tests/kb_fixtures.py).
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from kb import KnowledgeBase
from kb.cli import main

from kb_fixtures import bad_inputs, dump, fake_extract, file_hash, make_pdf, report, tagger  # noqa: F401 (fixture)

KINDS = ["empty", "html", "truncated", "encrypted", "image_only", "zero_pages", "no_grant_table"]


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    return bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.fixture
def base(tmp_path, monkeypatch, tagger):
    """A knowledge base file holding one good report, closed (WAL checkpointed)."""
    good = make_pdf(tmp_path / "good.pdf")
    fake_extract(monkeypatch, {"good.pdf": report(good)})
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as kb:
        [result] = kb.ingest(good)
    assert result.status == "ingested"
    return db


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_leaves_the_database_unchanged(kind, bad, base, tmp_path):
    digest, before = file_hash(base), dump(base)
    result = CliRunner().invoke(main, ["ingest", str(bad[kind]), "--db", str(base)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {bad[kind]}")
    assert lines[0].count(bad[kind].name) == 1, lines[0]  # the file is named once
    assert len(lines[0]) > len(f"Error: {bad[kind]}: ") + 10
    assert file_hash(base) == digest
    assert dump(base) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kb.sqlite")) == ["kb.sqlite"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_does_not_create_a_database(kind, bad, tmp_path):
    db = tmp_path / "new.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(bad[kind]), "--db", str(db)])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert not any(p.name.startswith("new.sqlite") for p in tmp_path.iterdir())


@pytest.mark.parametrize("kind", KINDS)
def test_library_reports_bad_input_as_failed_without_writing(kind, bad, base, tagger):
    digest = file_hash(base)
    with KnowledgeBase(base, tagger=tagger) as kb:
        [result] = kb.ingest(bad[kind])
    assert result.status == "failed"
    assert result.message and "\n" not in result.message
    assert file_hash(base) == digest


def test_folder_with_one_bad_file_ingests_the_good_ones(tmp_path, monkeypatch, bad):
    folder = tmp_path / "in"
    folder.mkdir()
    a, c = make_pdf(folder / "a.pdf", "a"), make_pdf(folder / "c.pdf", "c")
    (folder / "b.pdf").write_bytes(bad["truncated"].read_bytes())
    fake_extract(monkeypatch, {"a.pdf": report(a), "c.pdf": report(c, year=2016)})
    db = tmp_path / "kb.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 1
    table = [line.split()[:2] for line in result.stdout.splitlines()[2:5]]
    assert table == [["a.pdf", "ingested"], ["b.pdf", "failed"], ["c.pdf", "ingested"]]
    errors = result.stderr.splitlines()
    assert errors == [f"Error: {folder / 'b.pdf'} is truncated or damaged (no end-of-file marker): "
                      "download the PDF again"]
    con = sqlite3.connect(db)
    assert con.execute("SELECT filename FROM reports ORDER BY id").fetchall() == [("a.pdf",), ("c.pdf",)]
    assert con.execute("SELECT path, status FROM ingest_runs ORDER BY id").fetchall() == [
        (str(folder / "a.pdf"), "ingested"), (str(folder / "c.pdf"), "ingested")]
    con.close()
