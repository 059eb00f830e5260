"""A knowledge base made before a column was added gains it on open, and ingest works on it."""

import sqlite3

from kb import KnowledgeBase

from reliability_fixtures import SAMPLE_2018


def columns(db, table):
    con = sqlite3.connect(db)
    try:
        return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
    finally:
        con.close()


def test_older_knowledge_base_gains_new_columns(tmp_path):
    db = tmp_path / "old.sqlite"
    with KnowledgeBase(db) as kb:
        kb.create()
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE ingest_runs DROP COLUMN warnings")  # as an older version made it
    con.commit()
    con.close()
    assert "warnings" not in columns(db, "ingest_runs")
    with KnowledgeBase(db) as kb:
        [result] = kb.ingest(SAMPLE_2018)
    assert (result.status, result.grants) == ("ingested", 6)
    assert columns(db, "ingest_runs")[-1] == "warnings"
    con = sqlite3.connect(db)
    assert con.execute("SELECT status, warnings FROM ingest_runs").fetchall() == [("ingested", "")]
    con.close()
