"""Search benchmark: the published site over generated knowledge bases of growing size.

For each size N (grants) it builds, or reuses from bench/out/, a knowledge base with the real
schema (bench/generate.py), starts the site exactly as users get it (`tilskudd serve --db FILE
--port P` in a subprocess: Datasette 0.65, datasette_config/, the file opened immutable) and
measures from this process with httpx, one request at a time:

- full-text search of grants as the site serves it: `/tilskudd/grants?_search=<term>` (HTML,
  with the table's facets and row count), realistic terms from broad (`Oslo`) to narrow;
- the same search as data only (`grants.json?_search=...&_nofacet=1&_nocount=1`): what the
  FTS query itself costs;
- the organisation page `/tilskudd/organisations/<id>` of random organisations;
- the site's own search page, the `grants_browse` view (places and themes as JSON arrays, six
  facets), with a search term and without one (what a visitor opens first).

Each figure is the median (value) and 95th percentile (note) of its requests (after warm-up requests that are
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

    def wait(self, client, timeout: float = 300.0) -> float:
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


# The requests timed at each size: key -> (what, URL template, requests, what the answer must hold).
# `{q}` is a search term, `{org}` an organisation id. The grants_browse pages (the site's own
# search page, a view with places and themes as JSON arrays and six facets) are slow at 1M, so
# they get fewer requests.
KINDS = {
    "search_page": ("grants FTS search page (HTML, facets, count)",
                    "/tilskudd/grants?_search={q}", REQUESTS, "where search matches"),
    "search_data": ("grants FTS search rows (JSON, no facets/count)",
                    "/tilskudd/grants.json?_search={q}&_nofacet=1&_nocount=1", REQUESTS, '"rows": ['),
    "org_page": ("organisation page", "/tilskudd/organisations/{org}", REQUESTS, 'class="org-name"'),
    "browse_search": ("grants_browse FTS search page (HTML)", "/tilskudd/grants_browse?_search={q}",
                      15, "where search matches"),
    "browse": ("grants_browse page, no search (HTML)", "/tilskudd/grants_browse", 5, "<table"),
}
TARGETED = ("search_page", "org_page", "browse_search")


def _timed(client, urls: list[str], must: str) -> tuple[list[float], list[str]]:
    """Milliseconds per request, and the errors: answers that are not a 200 holding `must`
    (Datasette's "SQL query took too long" is a 400). Errors are timed too."""
    out, errors = [], []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200 or must not in r.text:
            title = r.text.split("<title>", 1)[-1].split("</title>", 1)[0] if "<title>" in r.text else ""
            errors.append(f"HTTP {r.status_code} {title}".strip())
    return out, errors


def _stats(ms: list[float]) -> tuple[float, float]:
    if len(ms) < 2:
        return ms[0], ms[0]
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
    """Build (or reuse) the base of n grants and time each kind of request."""
    import httpx
    from urllib.parse import quote

    t = time.perf_counter()
    cached = generate.db_path(n).exists()
    db = generate.ensure(n)
    build_s = time.perf_counter() - t
    count = max(k for _, _, k, _ in KINDS.values()) + WARMUP
    orgs = _org_ids(db, count, rng)
    terms = [TERMS[i % len(TERMS)] for i in range(count)]
    rng.shuffle(terms)
    site = Site(db)
    result: dict = {}
    try:
        with httpx.Client(timeout=120.0) as client:
            startup = site.wait(client)
            for key, (_what, template, k, must) in KINDS.items():
                urls = [site.base + template.format(q=quote(q), org=quote(o))
                        for q, o in zip(terms[:k + WARMUP], orgs[:k + WARMUP])]
                _timed(client, urls[:WARMUP], must)
                result[key] = _timed(client, urls[WARMUP:], must)
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
        rows.append({"name": f"search {label}: database", "value": round(m["size_mb"]),
                     "unit": "MB", "target": "", "ok": None,
                     "note": f"{n:,} grants; {how}; site up in {m['startup_s']:.1f} s"})
        for key, (what, _t, k, _m) in KINDS.items():
            ms, errors = m[key]
            median, p95 = _stats(ms)
            target = f"< {TARGET_MS:.0f} ms" if n == TARGET_N and key in TARGETED else ""
            ok = (median < TARGET_MS and not errors) if target else None
            note = f"{k} requests, p95 {p95:,.0f} ms"
            if errors:
                note += f"; {len(errors)} errors ({errors[0]})"
            rows.append({"name": f"search {label}: {what}", "value": round(median, 1),
                         "unit": "ms", "target": target, "ok": ok, "note": note})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
