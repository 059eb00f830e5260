"""`tilskudd demo` (what `make demo` runs): builds the base from samples/ and serves it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from site_fixtures import running_server

pytestmark = pytest.mark.slow


def test_demo_builds_from_samples_and_serves(tmp_path):
    db = tmp_path / "tilskudd.sqlite"
    with running_server(db, command="demo", timeout=300) as url:
        front = httpx.get(url + "/")
        log = Path(db).with_suffix(".demo.log").read_text()
    assert front.status_code == 200
    assert f"Building {db} from " in log and "Open http://127.0.0.1:" in log
    conn = sqlite3.connect(db)
    reports = conn.execute("SELECT filename FROM reports ORDER BY filename").fetchall()
    grants = conn.execute("SELECT COUNT(*) FROM grants WHERE counted").fetchone()[0]
    rows = conn.execute("SELECT COUNT(*) FROM grants").fetchone()[0]
    per_report = conn.execute("SELECT r.filename, COUNT(g.id) FROM reports r JOIN grants g ON g.report_id = r.id "
                              "GROUP BY r.id ORDER BY r.filename").fetchall()
    conn.close()
    lines = log.splitlines()
    for filename, count in per_report:
        assert f"  {filename}: ingested, {count} grants" in lines
    assert [r[0] for r in reports] == ["imdi_asylmottak_2018.pdf", "imdi_tilskuddsrapport_2015.pdf",
                                       "prop1s_2014_2015_nasjonale_ressursmiljo.pdf"]
    # the front page says what the base holds
    assert '<span class="num">3</span><span class="lbl">rapporter</span>' in front.text
    assert f'<span class="num">{grants}</span>' in front.text and grants == 81
    assert f"({rows} rader)" in front.text and rows == 94
    assert "2014–2018" in front.text
