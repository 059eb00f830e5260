"""Search benchmark: the published site over generated knowledge bases of growing size.

For each size N (grants) it builds, or reuses from bench/out/, a knowledge base with the real
schema (bench/generate.py), starts the site exactly as users get it (`tilskudd serve --db FILE
--port P` in a subprocess: Datasette 0.65, datasette_config/, the file opened immutable) and
measures from this process with httpx, one request at a time:

- full-text search of grants as the site serves it: `/tilskudd/grants?_search=<term>` (HTML,
  with the table's facets and row count), realistic terms from broad (`Oslo`) to narrow;
- the same search as data only (`grants.json?_search=...&_nofacet=1&_nocount=1`): what the
  FTS query itself costs;
- the organisation page `/tilskudd/organisations/<id>` of random organisations.

Each figure is the median and 95th percentile of its requests (after warm-up requests that are
not counted). Sizes: `SIZES` (override with $BENCH_SEARCH_SIZES="100000,1000000").
"""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import generate

SIZES = (100_000, 1_000_000, 3_000_000)
TARGET_MS = 100.0
TARGET_N = 1_000_000
REQUESTS = 50
WARMUP = 3

TERMS = [
    "kulturforening", "Røde Kors", "Somalisk kvinneforening", "tvangsekteskap", "leksehjelp",
    "Drammen", "Kirkens Bymisjon", "jentegrupper", "arbeidsinnvandrere", "fotballklubb Bergen",
    "Oslo", "Eritreisk", "kjønnslemlestelse", "Frivilligsentral", "norskopplæring",
    "Pakistansk kulturforening Lørenskog", "mentorordning", "Stiftelsen Fargespill", "KIA",
    "Tromsø",
]


def _sizes() -> tuple[int, ...]:
    env = os.environ.get("BENCH_SEARCH_SIZES")
    return tuple(int(x) for x in env.split(",")) if env else SIZES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """`tilskudd serve` on a database, in a subprocess, until closed."""

    def __init__(self, db: Path):
        self.db = db
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        exe = Path(sys.executable).with_name("tilskudd")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "kb.cli"]
        self.proc = subprocess.Popen(
            [*cmd, "serve", "--db", str(db), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self, client, timeout: float = 120.0) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tilskudd serve exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                if client.get(self.base + "/-/versions.json").status_code == 200:
                    return time.perf_counter() - t0
            except Exception:  # not listening yet
                pass
            time.sleep(0.2)
        raise RuntimeError(f"tilskudd serve did not answer within {timeout:.0f} s")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _timed(client, urls: list[str]) -> list[float]:
    """Milliseconds per request; every answer must be a 200."""
    out = []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        ms = (time.perf_counter() - t) * 1000
        if r.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {r.status_code}")
        out.append(ms)
    return out


def _stats(ms: list[float]) -> tuple[float, float]:
    return statistics.median(ms), statistics.quantiles(ms, n=20, method="inclusive")[18]


def _org_ids(db: Path, k: int, rng: random.Random) -> list[str]:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        total = con.execute("SELECT COUNT(*) FROM organisations").fetchone()[0]
        rowids = [rng.randint(1, total) for _ in range(k)]
        return [con.execute("SELECT id FROM organisations WHERE rowid = ?", (r,)).fetchone()[0]
                for r in rowids]
    finally:
        con.close()


def measure(n: int, rng: random.Random) -> dict:
    """Build (or reuse) the base of n grants and time the three kinds of request."""
    import httpx
    from urllib.parse import quote

    t = time.perf_counter()
    cached = generate.db_path(n).exists()
    db = generate.ensure(n)
    build_s = time.perf_counter() - t
    orgs = _org_ids(db, REQUESTS + WARMUP, rng)
    terms = [TERMS[i % len(TERMS)] for i in range(REQUESTS + WARMUP)]
    rng.shuffle(terms)
    site = Site(db)
    try:
        with httpx.Client(timeout=60.0) as client:
            startup = site.wait(client)
            page = [f"{site.base}/tilskudd/grants?_search={quote(q)}" for q in terms]
            data = [f"{site.base}/tilskudd/grants.json?_search={quote(q)}&_nofacet=1&_nocount=1&_size=50"
                    for q in terms]
            org = [f"{site.base}/tilskudd/organisations/{quote(o)}" for o in orgs]
            result = {}
            for name, urls in (("search_page", page), ("search_data", data), ("org_page", org)):
                _timed(client, urls[:WARMUP])
                result[name] = _stats(_timed(client, urls[WARMUP:]))
    finally:
        site.close()
    result.update(n=n, build_s=build_s, cached=cached, startup_s=startup,
                  size_mb=db.stat().st_size / 1e6)
    return result


def run() -> list[dict]:
    rng = random.Random(7)
    rows: list[dict] = []
    for n in _sizes():
        m = measure(n, rng)
        label = f"{n:,}".replace(",", " ")
        how = "cached" if m["cached"] else f"generated in {m['build_s']:.0f} s"
        for key, what in (("search_page", "FTS search page (HTML, facets, count)"),
                          ("search_data", "FTS search rows (JSON, no facets/count)"),
                          ("org_page", "organisation page")):
            median, p95 = m[key]
            target = f"< {TARGET_MS:.0f} ms" if n == TARGET_N and key != "search_data" else ""
            ok = (median < TARGET_MS) if target else None
            rows.append({"name": f"search {label}: {what} median", "value": round(median, 1),
                         "unit": "ms", "target": target, "ok": ok,
                         "note": f"{REQUESTS} requests"})
            rows.append({"name": f"search {label}: {what} p95", "value": round(p95, 1),
                         "unit": "ms", "target": "", "ok": None, "note": ""})
        rows.append({"name": f"search {label}: database", "value": round(m["size_mb"]),
                     "unit": "MB", "target": "", "ok": None,
                     "note": f"{how}; site up in {m['startup_s']:.1f} s"})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
