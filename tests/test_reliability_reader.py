"""A reader querying through Datasette while `tilskudd ingest` writes in another process.

The site is the product's own Datasette (`kb.publish.datasette_instance`, datasette_config/), on
the live file (not immutable, so it sees each commit). While a `tilskudd ingest samples/`
process adds the 2015 report and the Prop. 1 S report to a base that holds the 2018 report,
every request must answer 200, every answer must show a committed state (never half a report),
and the 2018 report's rows must read the same each time.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb import KnowledgeBase

from reliability_fixtures import ROOT, SAMPLE_2018, SAMPLES

GRANTS_SQL = ("select count(*) as n, coalesce(sum(amount_nok), 0) as nok, "
              "count(distinct report_id) as reports from grants")
REPORT_SQL = ("select organisation_raw, project, amount_nok, page from grants where report_id = 1 "
              "order by row_index")


@pytest.fixture
def base(tmp_path) -> Path:
    db = tmp_path / "kb.sqlite"
    with KnowledgeBase(db) as kb:
        [result] = kb.ingest(SAMPLE_2018)
    assert result.status == "ingested"
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


async def read_while(ds, proc: subprocess.Popen, org_id: str) -> tuple[list, list, int]:
    """Query the site until the ingest process ends (and once more after it)."""
    from urllib.parse import urlencode

    states, report_rows, during = [], [], 0
    while True:
        running = proc.poll() is None
        r1 = await ds.client.get("/tilskudd.json?" + urlencode({"sql": GRANTS_SQL, "_shape": "array"}))
        r2 = await ds.client.get("/tilskudd.json?" + urlencode({"sql": REPORT_SQL, "_shape": "array"}))
        r3 = await ds.client.get(f"/tilskudd/organisations/{org_id}")
        r4 = await ds.client.get("/tilskudd/grants.json?_search=asylmottak&_shape=array")
        for r in (r1, r2, r3, r4):
            assert r.status_code == 200, (r.url, r.status_code, r.text[:300])
        states.append(tuple(r1.json()[0].values()))
        report_rows.append([tuple(x.values()) for x in r2.json()])
        during += running and proc.poll() is None
        if not running:
            return states, report_rows, during
        await asyncio.sleep(0.05)


def test_datasette_reads_committed_states_while_an_ingest_runs(base):
    from kb.publish import datasette_instance

    before = rows(base, REPORT_SQL)
    assert len(before) == 6
    [(org_id,)] = rows(base, "select a.organisation_id from aliases a "
                             "where a.name = 'Norges Fotballforbund'")
    ds = datasette_instance(base, immutable=False)
    exe = Path(sys.executable).with_name("tilskudd")

    async def scenario():
        await ds.invoke_startup()
        first = await ds.client.get("/tilskudd/grants.json?_size=1")
        assert first.status_code == 200
        proc = subprocess.Popen([str(exe), "ingest", str(SAMPLES), "--db", str(base), "-q"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                                env=dict(os.environ, PYTHONWARNINGS="ignore"))
        try:
            got = await read_while(ds, proc, org_id)
        finally:
            if proc.poll() is None:
                proc.kill()
            out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
        return got

    t0 = time.monotonic()
    states, report_rows, during = asyncio.run(scenario())
    assert time.monotonic() - t0 < 600

    # the committed states, in ingest order: the base, then one more report at a time
    per_report = rows(base, "select r.filename, count(g.id), coalesce(sum(g.amount_nok), 0) "
                            "from reports r left join grants g on g.report_id = r.id "
                            "group by r.id order by r.id")
    assert [f for f, _, _ in per_report] == [
        "imdi_asylmottak_2018.pdf", "imdi_tilskuddsrapport_2015.pdf",
        "prop1s_2014_2015_nasjonale_ressursmiljo.pdf"]
    committed, n, nok = [], 0, 0
    for k, (_, count, amount) in enumerate(per_report, 1):
        n, nok = n + count, nok + amount
        committed.append((n, nok, k))
    assert set(states) <= set(committed), sorted(set(states) - set(committed))
    assert states[0] == committed[0] and states[-1] == committed[-1]
    assert states == sorted(states)  # never backwards
    assert during >= 3, "the reader made too few requests while the ingest ran"
    print(f"{len(states)} reads, {during} while the ingest ran; states seen: {sorted(set(states))}")
    assert all(r == before for r in report_rows)
    assert rows(base, "PRAGMA integrity_check") == [("ok",)]
