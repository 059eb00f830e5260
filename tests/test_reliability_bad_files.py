"""Bad days do not lose data: one corpus of bad files (tests/reliability_fixtures.py), each through
the extractor and through `tilskudd ingest`, against a knowledge base that already holds a real
report (samples/imdi_asylmottak_2018.pdf, ingested by the real pipeline).

A rejected file gets its exact one-line message (tests/data/reliability_bad_files.csv), exit code
1 and a database file that is byte-for-byte what it was; the malformed table is not rejected: its
good rows are ingested and the two it skipped are named in warnings.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import extract.errors
from extract import extract_report
from kb import KnowledgeBase
from kb.cli import main

from reliability_fixtures import KINDS, REJECTED, ROOT, SAMPLE_2018, bad_corpus

CASES = {row["kind"]: row for row in csv.DictReader(
    (ROOT / "tests" / "data" / "reliability_bad_files.csv").open(encoding="utf-8"))}

MALFORMED_GRANTS = [  # (organisation, project, amount, page, row) of the rows that stay
    ("Caritas Norge – Region øst, indre øst, vest, midt, sør",
     "Arbeidsliv, muligheter og rettigheter for asylsøkere", 1_500_000, 1, 0),
    ("Norges Fotballforbund", "Fotballaktivitet for voksne flyktninger i asylmottak", 1_500_000, 1, 2),
    ("Norske Kvinners Sanitetsforening", "Aktiviteter for kvinner på asylmottak", 656_000, 1, 4),
    ("Skeiv Verden", "Skeiv intro", 237_000, 1, 5),
]
MALFORMED_WARNINGS = (
    "table 1 row 2 ('Innvandrernes Landsorganisasjon Oslo'): no amount; left out",
    "table 1 row 4 ('Norges Røde Kors'): 'ikke oppgitt' in the 'Beløp' column is not an amount; left out",
)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return bad_corpus(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """A closed knowledge base holding the real 2018 sample, ingested by the real pipeline."""
    db = tmp_path_factory.mktemp("base") / "kb.sqlite"
    with KnowledgeBase(db) as kb:
        [result] = kb.ingest(SAMPLE_2018)
    assert (result.status, result.grants) == ("ingested", 6)
    assert sorted(p.name for p in db.parent.iterdir()) == ["kb.sqlite"]
    return db


@pytest.fixture
def db(base_db, tmp_path) -> Path:
    copy = tmp_path / "kb.sqlite"
    shutil.copyfile(base_db, copy)
    return copy


def test_the_corpus_has_every_kind(corpus):
    assert sorted(corpus) == sorted(KINDS)
    assert sorted(CASES) == sorted(REJECTED)
    assert corpus["empty"].stat().st_size == 0
    assert all(p.suffix == ".pdf" for p in corpus.values())


@pytest.mark.parametrize("kind", REJECTED)
def test_extract_report_names_the_problem_in_one_line(kind, corpus):
    case = CASES[kind]
    with pytest.raises(extract.errors.ExtractError) as info:
        extract_report(corpus[kind])
    assert type(info.value).__name__ == case["error"]
    assert type(info.value) is getattr(extract.errors, case["error"])
    assert str(info.value) == case["message"]
    assert "\n" not in str(info.value)


def test_malformed_table_gives_the_good_rows_and_names_the_skipped_ones(corpus):
    report = extract_report(corpus["malformed_table"])
    assert [(g.organisation, g.project, g.amount_nok, g.page, g.row_index) for g in report.grants] \
        == MALFORMED_GRANTS
    assert report.warnings == MALFORMED_WARNINGS
    assert report.report.year == 2018


@pytest.mark.parametrize("kind", REJECTED)
def test_cli_rejects_with_one_line_and_leaves_the_database_unchanged(kind, corpus, db):
    before = sha(db)
    result = CliRunner().invoke(main, ["ingest", str(corpus[kind]), "--db", str(db), "-q"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    # the message names the file once, by the path the user gave
    message = CASES[kind]["message"]
    assert message.startswith(f"{kind}.pdf ")
    assert result.stderr == f"Error: {corpus[kind]}{message[len(kind) + 4:]}\n"
    assert "Traceback" not in result.output
    assert sha(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["kb.sqlite"]


def test_cli_ingests_the_malformed_table_partially(corpus, db):
    result = CliRunner().invoke(main, ["ingest", str(corpus["malformed_table"]), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    [row] = [line.split() for line in result.stdout.splitlines() if line.split()[:1] == ["malformed_table.pdf"]]
    assert row[:3] == ["malformed_table.pdf", "ingested", "4"]
    assert grants_of(db, "malformed_table.pdf") == [(o, p, a, pg) for o, p, a, pg, _ in MALFORMED_GRANTS]
    assert len(grants_of(db, "imdi_asylmottak_2018.pdf")) == 6
    # what was left out is in the summary and in the data-quality record, not only on screen
    assert [line.strip() for line in result.stdout.splitlines() if "warning:" in line] == [
        f"warning: {w}" for w in MALFORMED_WARNINGS]
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        [(warnings,)] = con.execute("SELECT warnings FROM ingest_runs WHERE path LIKE '%malformed_table.pdf'")
        assert warnings == " | ".join(MALFORMED_WARNINGS)
        assert con.execute("SELECT warnings FROM ingest_runs WHERE path LIKE '%imdi_asylmottak_2018.pdf'"
                           ).fetchall() == [("",)]
    finally:
        con.close()


def grants_of(db: Path, filename: str) -> list[tuple]:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT g.organisation_raw, g.project, g.amount_nok, g.page FROM grants g "
            "JOIN reports r ON r.id = g.report_id WHERE r.filename = ? ORDER BY g.row_index",
            (filename,)).fetchall()
    finally:
        con.close()


def test_whole_corpus_through_the_real_command(corpus, db, tmp_path):
    """One `tilskudd ingest` process over a folder of every kind: the seven bad files are
    refused one line each, the malformed table goes in partially, the earlier report stays."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in corpus.values():
        shutil.copyfile(path, folder / path.name)
    exe = Path(sys.executable).with_name("tilskudd")
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(exe), "ingest", str(folder), "--db", str(db), "-q"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error: ")]
    assert sorted(errors) == sorted(
        f"Error: {folder / (kind + '.pdf')}{CASES[kind]['message'][len(kind) + 4:]}" for kind in REJECTED)
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING extract.report: ")]
    assert warnings == [f"WARNING extract.report: {w}" for w in MALFORMED_WARNINGS]
    status = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines()
              if line.split() and line.split()[0].endswith(".pdf")}
    assert status == {**{f"{k}.pdf": "failed" for k in REJECTED}, "malformed_table.pdf": "ingested"}
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT filename FROM reports ORDER BY id").fetchall() == [
            ("imdi_asylmottak_2018.pdf",), ("malformed_table.pdf",)]
        assert con.execute("SELECT status, COUNT(*) FROM ingest_runs GROUP BY status").fetchall() == [
            ("ingested", 2)]
    finally:
        con.close()
    assert len(grants_of(db, "imdi_asylmottak_2018.pdf")) == 6
    assert len(grants_of(db, "malformed_table.pdf")) == 4
