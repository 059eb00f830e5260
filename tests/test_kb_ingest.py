"""Ingest into a real SQLite file: rows, idempotency, --replace, one transaction, WAL readers.

The records are hand-made (tests/kb_fixtures.py: real rows of the 2015 report) and the PDF is a
small real one that prints them, so these tests do not depend on the extractor.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

import kb.ingest
from kb import KnowledgeBase
from kb.cli import main
from kb.models import Judgement

from kb_fixtures import dump, fake_extract, file_hash, make_pdf, report, tagger  # noqa: F401 (fixture)


@pytest.fixture
def pdfs(tmp_path, monkeypatch):
    """Two distinct PDFs (a.pdf, b.pdf: different SHA-256) with their hand-made records."""
    folder = tmp_path / "in"
    folder.mkdir()
    a = make_pdf(folder / "a.pdf", "a")
    b = make_pdf(folder / "b.pdf", "b")
    fake_extract(monkeypatch, {"a.pdf": report(a), "b.pdf": report(b, year=2016)})
    return a, b


def rows(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_ingest_writes_exact_rows(tmp_path, pdfs, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        [result] = base.ingest(pdfs[0])
    assert (result.status, result.grants, result.allocations, result.facts, result.passages) == (
        "ingested", 4, 2, 1, 1)
    assert (result.reconciliations_ok, result.reconciliations_failed) == (1, 1)
    assert [(f.description, f.stated, f.computed) for f in result.failed_reconciliations] == [
        ("allocation table SUM", 9_957_523, 9_957_524)]
    assert rows(db, "SELECT year, scheme_number, part, organisation_raw, project, area, amount_nok, "
                    "page FROM grants_flat ORDER BY grant_id") == [
        (2015, 2, None, "MiRA", None, None, 2_050_000, 1),
        (2015, 2, None, "Multikulturelt initiativ- og ressursnettverk", None, None, 500_000, 1),
        (2015, 3, None, "Pakistansk Kulturforening Skedsmo", "Empowerment for unges valg mot frihet",
         "Skedsmo", 350_000, 1),
        (2015, 5, None, "MiRA-Senteret", None, None, 650_000, 1),
    ]
    # every grant has an organisation; table rows keep their bbox; narrative ones have none
    assert rows(db, "SELECT COUNT(*) FROM grants_flat WHERE organisation_id IS NULL") == [(0,)]
    assert rows(db, "SELECT organisation_raw, x0, top, x1, bottom, source FROM grants ORDER BY id")[2] == (
        "Pakistansk Kulturforening Skedsmo", 50.0, 160.0, 540.0, 172.0, "table")
    assert rows(db, "SELECT kommune_raw, kommunenummer, amount_nok, is_sum_row FROM allocations_flat") == [
        ("Skedsmo", "0231", 275_326, 0), ("SUM", None, 9_957_523, 1)]
    assert rows(db, "SELECT area_part, place_id FROM grant_places") == [("Skedsmo", "kommune:0231")]
    assert rows(db, "SELECT description, stated, computed, ok FROM reconciliations ORDER BY id") == [
        ("scheme 2 table total", 2_550_000, 2_550_000, 1),
        ("allocation table SUM", 9_957_523, 9_957_524, 0)]
    assert rows(db, "SELECT name, first_year, last_year FROM aliases ORDER BY name") == [
        ("MiRA", 2015, 2015), ("MiRA-Senteret", 2015, 2015),
        ("Multikulturelt initiativ- og ressursnettverk", 2015, 2015),
        ("Pakistansk Kulturforening Skedsmo", 2015, 2015)]
    assert rows(db, "SELECT pdf FROM report_files") == [(pdfs[0].read_bytes(),)]
    assert rows(db, "SELECT status, grants, reconciliations_failed FROM ingest_runs") == [("ingested", 4, 1)]
    assert rows(db, "SELECT COUNT(*) FROM themes") == [(20,)]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]


def test_grant_images_are_pngs_of_table_rows_only(tmp_path, pdfs, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(pdfs[0])
    images = rows(db, "SELECT g.organisation_raw, i.png FROM grant_images i JOIN grants g ON g.id = i.grant_id "
                      "ORDER BY g.id")
    assert [name for name, _ in images] == [
        "MiRA", "Multikulturelt initiativ- og ressursnettverk", "Pakistansk Kulturforening Skedsmo"]
    from PIL import Image
    import io

    sizes = []
    for _, png in images:
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        sizes.append(Image.open(io.BytesIO(png)).size)
    # full page width at 100 dpi (A4: 595 pt = 827 px); rows 12 pt + 2 x 4 pt margin = 27.8 px,
    # widened to whole pixels: tops 96/116/156 pt -> 133.3/161.1/216.7 px (floor), bottoms ceil
    assert sizes == [(827, 29), (827, 28), (827, 29)]


def test_second_ingest_changes_nothing_and_says_so(tmp_path, pdfs, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(pdfs[0])
    before, digest = dump(db), file_hash(db)
    with KnowledgeBase(db, tagger=tagger) as base:
        [again] = base.ingest(pdfs[0])
    assert again.status == "unchanged"
    assert again.report_id == 1
    assert dump(db) == before
    assert file_hash(db) == digest
    result = CliRunner().invoke(main, ["ingest", str(pdfs[0]), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.stdout
    assert "already in the knowledge base (same SHA-256); nothing changed" in result.stdout
    assert file_hash(db) == digest


def test_replace_keeps_judgements_and_organisation_ids(tmp_path, pdfs, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(list(pdfs))
        with base.session() as session:
            session.add(Judgement(name_a="MiRA", name_b="MiRA-Senteret", normalized_a="mira",
                                  normalized_b="mira senteret", decision="same", who="test",
                                  at=datetime(2026, 1, 1, tzinfo=timezone.utc), note="same centre"))
    judgements = rows(db, "SELECT * FROM judgements")
    orgs = rows(db, "SELECT grant_id, report_id, organisation_raw, organisation_id FROM grants_flat ORDER BY grant_id")
    aliases = rows(db, "SELECT alias_id, name, organisation_id FROM aliases ORDER BY alias_id")
    tables = {t: f"SELECT * FROM {t} ORDER BY 1" for t in (
        "schemes", "allocations", "facts", "reconciliations", "grant_images", "organisations")}
    tables["grant_places"] = "SELECT grant_id, place_id, area_part, method, score FROM grant_places ORDER BY 1"
    others = {t: rows(db, sql) for t, sql in tables.items()}
    report_ids = rows(db, "SELECT id, sha256 FROM reports ORDER BY id")
    with KnowledgeBase(db, tagger=tagger) as base:
        [replaced] = base.ingest(pdfs[0], replace=True)
    assert replaced.status == "replaced"
    assert replaced.report_id == 1
    assert rows(db, "SELECT * FROM judgements") == judgements
    # the same extraction again: the same grant ids, alias ids, organisations and rows
    assert rows(db, "SELECT grant_id, report_id, organisation_raw, organisation_id FROM grants_flat "
                    "ORDER BY grant_id") == orgs
    assert rows(db, "SELECT alias_id, name, organisation_id FROM aliases ORDER BY alias_id") == aliases
    assert {t: rows(db, sql) for t, sql in tables.items()} == others
    assert rows(db, "SELECT id, sha256 FROM reports ORDER BY id") == report_ids
    # nothing doubled: still one report's worth of rows per report
    assert rows(db, "SELECT report_id, COUNT(*) FROM grants GROUP BY report_id") == [(1, 4), (2, 4)]
    assert rows(db, "SELECT COUNT(*) FROM grant_images") == [(6,)]
    assert rows(db, "SELECT COUNT(*) FROM report_files") == [(2,)]
    assert rows(db, "SELECT name, first_year, last_year FROM aliases WHERE name = 'MiRA'") == [
        ("MiRA", 2015, 2016)]
    assert rows(db, "SELECT status FROM ingest_runs ORDER BY id") == [
        ("ingested",), ("ingested",), ("replaced",)]


def test_a_failure_inside_the_transaction_leaves_no_trace(tmp_path, pdfs, monkeypatch, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(pdfs[0])
    before = dump(db)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # record_run runs last in the transaction, after every row of the report was written
    monkeypatch.setattr(kb.ingest, "record_run", explode)
    with KnowledgeBase(db, tagger=tagger) as base, pytest.raises(RuntimeError, match="disk on fire"):
        base.ingest(pdfs[1])
    assert dump(db) == before
    assert rows(db, "SELECT COUNT(*) FROM grants WHERE report_id <> 1") == [(0,)]


def test_a_reader_queries_while_an_ingest_holds_its_transaction(tmp_path, pdfs, monkeypatch, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(pdfs[0])
    seen = []
    real = kb.ingest.record_run

    def read_during_write(session, *args, **kwargs):
        # the writer has inserted report b's rows but not committed: a reader sees report a only
        reader = sqlite3.connect(db, timeout=0.5)
        try:
            seen.append(reader.execute("SELECT report_id, COUNT(*) FROM grants_flat GROUP BY report_id").fetchall())
        finally:
            reader.close()
        return real(session, *args, **kwargs)

    monkeypatch.setattr(kb.ingest, "record_run", read_during_write)
    with KnowledgeBase(db, tagger=tagger) as base:
        [result] = base.ingest(pdfs[1])
    assert result.status == "ingested"
    assert seen == [[(1, 4)]]
    assert rows(db, "SELECT report_id, COUNT(*) FROM grants_flat GROUP BY report_id") == [(1, 4), (2, 4)]


def test_create_is_idempotent_and_writes_nothing_the_second_time(tmp_path, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.create()
    digest, before = file_hash(db), dump(db)
    with KnowledgeBase(db, tagger=tagger) as base:
        base.create()
    assert file_hash(db) == digest
    assert dump(db) == before
    names = {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"grants", "aliases", "ingest_runs", "grants_flat", "organisation_years", "allocations_flat"} <= names


def test_folder_ingest_is_sorted_and_reports_each_file(tmp_path, pdfs):
    db = tmp_path / "kb.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(pdfs[0].parent), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "status", "grants", "allocations", "facts", "passages", "recon",
                                "ok", "recon", "failed", "unresolved", "names", "unresolved", "places"]
    assert lines[2].split() == ["a.pdf", "ingested", "4", "2", "1", "1", "1", "1", "0", "0"]
    assert lines[3].split() == ["b.pdf", "ingested", "4", "2", "1", "1", "1", "1", "0", "0"]
    assert ("reconciliation failed: allocation table SUM: stated 9 957 523, computed 9 957 524, "
            "difference -1 (page 1)") in result.stdout
    assert rows(db, "SELECT id, filename, year FROM reports ORDER BY id") == [(1, "a.pdf", 2015), (2, "b.pdf", 2016)]


def test_unresolved_places_are_kept_listed_and_recorded(tmp_path, monkeypatch, tagger):
    import dataclasses

    from extract.records import Grant

    pdf = make_pdf(tmp_path / "a.pdf")
    base_report = report(pdf)
    far = Grant(organisation="Somalisk kvinneforening", amount_nok=100_000, year=2015, page=1,
                scheme_key="3", project="Kvinnegruppe", area="Oslo, Fjernt land", amount_text="100 000")
    fake_extract(monkeypatch, {"a.pdf": dataclasses.replace(base_report, grants=base_report.grants + (far,))})
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        [result] = base.ingest(pdf)
    assert result.unresolved_places == ("Fjernt land",)
    assert rows(db, "SELECT gp.area_part, gp.place_id, gp.method FROM grant_places gp JOIN grants g "
                    "ON g.id = gp.grant_id WHERE g.organisation_raw = 'Somalisk kvinneforening' ORDER BY gp.id") == [
        ("Oslo", "kommune:0301", "exact"), ("Fjernt land", None, "unresolved")]
    assert rows(db, "SELECT unresolved_places FROM ingest_runs") == [("Fjernt land",)]


def test_link_recomputes_places_and_organisations_from_the_rows(tmp_path, pdfs, tagger):
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        base.ingest(list(pdfs))
    places = rows(db, "SELECT grant_id, place_id, area_part, method FROM grant_places ORDER BY grant_id")
    flat = rows(db, "SELECT grant_id, organisation_id FROM grants_flat ORDER BY grant_id")
    con = sqlite3.connect(db)
    con.execute("DELETE FROM grant_places")
    con.execute("UPDATE allocations SET place_id = NULL")
    con.commit()
    con.close()
    with KnowledgeBase(db, tagger=tagger) as base:
        base.link()
    assert rows(db, "SELECT grant_id, place_id, area_part, method FROM grant_places ORDER BY grant_id") == places
    assert places == [(3, "kommune:0231", "Skedsmo", "exact"), (7, "kommune:0231", "Skedsmo", "exact")]
    assert rows(db, "SELECT kommune_raw, place_id FROM allocations WHERE NOT is_sum_row") == [
        ("Skedsmo", "kommune:0231"), ("Skedsmo", "kommune:0231")]
    assert rows(db, "SELECT grant_id, organisation_id FROM grants_flat ORDER BY grant_id") == flat


def test_the_same_file_twice_in_one_run_is_ingested_once(tmp_path, monkeypatch, tagger):
    folder = tmp_path / "in"
    folder.mkdir()
    a = make_pdf(folder / "a.pdf")
    copy = folder / "a_copy.pdf"
    copy.write_bytes(a.read_bytes())
    fake_extract(monkeypatch, {"a.pdf": report(a), "a_copy.pdf": report(copy)})
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db, tagger=tagger) as base:
        results = base.ingest(folder)
    assert [(r.path.name, r.status, r.report_id) for r in results] == [
        ("a.pdf", "ingested", 1), ("a_copy.pdf", "unchanged", 1)]
    assert rows(db, "SELECT COUNT(*) FROM grants") == [(4,)]


def test_nlp_finds_the_reports_own_names_in_its_narrative(tmp_path, pdfs):
    """No tagger given: the store loads the real one with the report's printed names in its
    gazetteer, so the passage's organisation is found whole and linked to its organisation."""
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db) as base:
        base.ingest(pdfs[0])
    [(org_id,)] = rows(db, "SELECT organisation_id FROM grants_flat WHERE organisation_raw = "
                           "'Pakistansk Kulturforening Skedsmo'")
    assert rows(db, "SELECT start, end, label, text, organisation_id, place_id, page FROM mentions") == [
        (0, 33, "ORG", "Pakistansk Kulturforening Skedsmo", org_id, None, 1)]
    assert rows(db, "SELECT theme_id, evidence FROM passage_themes") == [("tvangsekteskap", "tvangsekteskap")]
    assert ("tvangsekteskap", "passage") in rows(
        db, "SELECT gt.theme_id, gt.source FROM grant_themes gt JOIN grants g ON g.id = gt.grant_id "
            "WHERE g.organisation_raw = 'Pakistansk Kulturforening Skedsmo'")
    assert rows(db, "SELECT lemmas FROM passages") == [
        ("pakistansk kulturforening skedsmo ha opparbeide seg god kontaktflate i kommune og arbeide mot "
         "tvangsekteskap",)]
