"""Ingest of the real sample PDFs (samples/) through the real extractor.

grants_flat equals the golden rows (tests/data/golden/<stem>.json); a second ingest changes
nothing; kill -9 in the middle of an ingest leaves a consistent file with earlier reports intact.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from kb import KnowledgeBase
from kb.cli import main

from kb_fixtures import GOLDEN, ROOT, SAMPLES, copy_distinct, dump, file_hash, tagger  # noqa: F401 (fixture)

STEMS = sorted(p.stem for p in SAMPLES.glob("*.pdf"))


def golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def scheme(key: str) -> tuple[int, str | None]:
    number, _, part = key.partition("/")
    return int(number), part or None


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("samples") / "kb.sqlite"
    with KnowledgeBase(db) as kb:
        results = kb.ingest(SAMPLES)
    assert [(r.path.name, r.status) for r in results] == [(f"{s}.pdf", "ingested") for s in STEMS]
    return db


def query(db, sql, *params):
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_three_samples_exist():
    assert STEMS == ["imdi_asylmottak_2018", "imdi_tilskuddsrapport_2015",
                     "prop1s_2014_2015_nasjonale_ressursmiljo"]


@pytest.mark.parametrize("stem", STEMS)
def test_grants_flat_equals_the_golden_rows(stem, samples_db):
    expected = [
        (g["organisation"], g["project"], g["area"], g["amount_nok"], g["year"], *scheme(g["scheme_key"]))
        for g in golden(stem)["grants"]
    ]
    got = query(samples_db,
                "SELECT f.organisation_raw, f.project, f.area, f.amount_nok, f.year, f.scheme_number, f.part "
                "FROM grants_flat f JOIN reports r ON r.id = f.report_id WHERE r.filename = ? "
                "ORDER BY f.grant_id", f"{stem}.pdf")
    assert got == expected


@pytest.mark.parametrize("stem", STEMS)
def test_every_grant_has_an_organisation_and_every_table_row_an_image(stem, samples_db):
    [(missing_org, table_rows, images)] = query(
        samples_db,
        "SELECT SUM(f.organisation_id IS NULL), SUM(g.source = 'table'), COUNT(i.grant_id) "
        "FROM grants_flat f JOIN grants g ON g.id = f.grant_id JOIN reports r ON r.id = g.report_id "
        "LEFT JOIN grant_images i ON i.grant_id = g.id WHERE r.filename = ?", f"{stem}.pdf")
    assert missing_org == 0
    assert images == table_rows


def test_allocations_equal_the_golden_rows(samples_db):
    stem = "imdi_tilskuddsrapport_2015"
    expected = [(a["kommune"], a["amount_nok"], a["orgs_driftsstotte"], a["orgs_aktivitetsstotte"],
                 int(a["is_sum_row"])) for a in golden(stem)["allocations"]]
    got = query(samples_db, "SELECT kommune_raw, amount_nok, orgs_driftsstotte, orgs_aktivitetsstotte, "
                            "is_sum_row FROM allocations_flat ORDER BY rowid")
    assert got == expected
    # Skedsmo as it was in 2015
    assert query(samples_db, "SELECT kommunenummer FROM allocations_flat WHERE kommune_raw = 'Skedsmo'") == [("0231",)]


def test_ingest_runs_record_each_report(samples_db):
    runs = query(samples_db, "SELECT path, status, grants FROM ingest_runs ORDER BY id")
    assert [(os.path.basename(p), s, n) for p, s, n in runs] == [
        (f"{stem}.pdf", "ingested", len(golden(stem)["grants"])) for stem in STEMS]


def test_second_ingest_of_the_samples_changes_nothing(samples_db, tmp_path):
    db = tmp_path / "copy.sqlite"
    db.write_bytes(samples_db.read_bytes())
    before, digest = dump(db), file_hash(db)
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.stdout.splitlines()[2:5]] == [
        [f"{stem}.pdf", "unchanged"] for stem in STEMS]
    assert dump(db) == before
    assert file_hash(db) == digest


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_earlier_reports_intact(samples_db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    source = SAMPLES / "imdi_tilskuddsrapport_2015.pdf"
    copies = 4
    for i in range(copies):
        copy_distinct(source, folder / f"r{i}.pdf", i)
    db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kb.cli import main; main()", "ingest", str(folder), "--db", str(db), "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if query(db, "SELECT COUNT(*) FROM ingest_runs")[0][0] >= 1:
                    break
            except sqlite3.Error:  # not created yet
                pass
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    reports = con.execute("SELECT id, filename FROM reports ORDER BY id").fetchall()
    assert 1 <= len(reports) < copies
    assert [name for _, name in reports] == [f"r{i}.pdf" for i in range(len(reports))]
    # each report that is in is complete: as many grants as its ingest run counted, the golden ones
    expected = [(g["organisation"], g["amount_nok"]) for g in golden("imdi_tilskuddsrapport_2015")["grants"]]
    for rid, _ in reports:
        assert con.execute("SELECT grants FROM ingest_runs WHERE report_id = ?", (rid,)).fetchall() == [(len(expected),)]
        assert con.execute("SELECT organisation_raw, amount_nok FROM grants WHERE report_id = ? ORDER BY id",
                           (rid,)).fetchall() == expected
    # no rows of a half-written report
    assert con.execute("SELECT COUNT(*) FROM grants WHERE report_id NOT IN (SELECT id FROM reports)").fetchone() == (0,)
    con.close()

    # and the next ingest picks up where the killed one stopped
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    statuses = [line.split()[1] for line in result.stdout.splitlines()[2:2 + copies]]
    assert statuses == ["unchanged"] * len(reports) + ["ingested"] * (copies - len(reports))


def test_nlp_tags_passages_and_grants_of_the_2015_report(samples_db):
    """Lemmas, mentions and themes from the committed NLP model (nlp/model)."""
    rid = query(samples_db, "SELECT id FROM reports WHERE filename = 'imdi_tilskuddsrapport_2015.pdf'")[0][0]
    assert query(samples_db, "SELECT COUNT(*) FROM passages WHERE report_id = ? AND lemmas IS NULL", rid) == [(0,)]
    assert query(samples_db, "SELECT COUNT(*) FROM grants WHERE report_id = ? AND project IS NOT NULL "
                             "AND project_lemmas IS NULL", rid) == [(0,)]
    # names printed in the grant tables are found in the narrative and linked to their organisation
    linked = query(samples_db,
                   "SELECT DISTINCT m.text FROM mentions m JOIN aliases a ON a.name = m.text "
                   "WHERE m.report_id = ? AND m.label = 'ORG' AND m.organisation_id = a.organisation_id", rid)
    assert {"Norges Røde Kors", "Norsk Folkehjelp", "Primærmedisinsk Verksted", "MiRA-Senteret"} <= {t for (t,) in linked}
    assert query(samples_db,
                 "SELECT COUNT(*) FROM mentions m JOIN aliases a ON a.name = m.text WHERE m.label = 'ORG' "
                 "AND m.organisation_id IS NOT a.organisation_id") == [(0,)]
    # places in the narrative link to places as they were in 2015
    assert query(samples_db, "SELECT DISTINCT place_id FROM mentions WHERE report_id = ? AND label = 'PLACE' "
                             "AND text = 'Skedsmo'", rid) == [("kommune:0231",)]
    # scheme 3 is about forced marriage: its grants carry the theme, from the scheme's name
    assert query(samples_db,
                 "SELECT g.organisation_raw, gt.source FROM grant_themes gt JOIN grants g ON g.id = gt.grant_id "
                 "WHERE gt.theme_id = 'tvangsekteskap' AND g.organisation_raw = 'Pakistansk Kulturforening Skedsmo'"
                 ) == [("Pakistansk Kulturforening Skedsmo", "scheme")]


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["html_print", "reportlab_variant", "word_processor"])
def test_held_out_layouts_give_the_golden_rows_too(layout, tmp_path, tagger):
    """The same reports rendered by other software (tests/layouts.py), ingested as a folder."""
    import layouts
    from samples import content

    folder = tmp_path / "in"
    folder.mkdir()
    for report in content.reports():
        layouts.render(layout, report, folder)
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as kb:
        results = kb.ingest(folder)
    assert [(r.path.name, r.status) for r in results] == [
        (f"{stem}.{layout}.pdf", "ingested") for stem in STEMS]
    for stem in STEMS:
        expected = [(g["organisation"], g["project"], g["area"], g["amount_nok"], g["year"],
                     *scheme(g["scheme_key"])) for g in golden(stem)["grants"]]
        got = query(db, "SELECT f.organisation_raw, f.project, f.area, f.amount_nok, f.year, f.scheme_number, "
                        "f.part FROM grants_flat f JOIN reports r ON r.id = f.report_id WHERE r.filename = ? "
                        "ORDER BY f.grant_id", f"{stem}.{layout}.pdf")
        assert got == expected, stem
