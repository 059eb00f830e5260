"""`make bench`: every benchmark, measured in one run on this machine, printed as a table.

Each benchmark module has `run(**kwargs) -> list[Measure]`-compatible dicts:
{"name", "value", "unit", "target", "ok", "note"}. Run one alone with
`python -m bench ingest` (or tagging, linking, search).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time

BENCHES = ["ingest", "tagging", "linking", "search"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    rows: list[dict] = []
    print(f"machine: {machine()}", flush=True)
    for name in names:
        mod = importlib.import_module(f"bench.bench_{name}")
        t0 = time.perf_counter()
        result = mod.run()
        for row in result:
            row.setdefault("bench", name)
            rows.append(row)
        print(f"  {name}: done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    width = max(len(r["name"]) for r in rows)
    print()
    print(f"{'measure'.ljust(width)}  {'value':>14}  {'target':>12}  ok   note")
    for r in rows:
        value = r["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        target = r.get("target") or ""
        ok = {True: "yes", False: "NO", None: ""}[r.get("ok")]
        print(f"{r['name'].ljust(width)}  {shown:>10} {r.get('unit', ''):<4}  {target:>12}  {ok:<4} {r.get('note', '')}")
    os.makedirs("bench/out", exist_ok=True)
    with open("bench/out/results.json", "w") as f:
        json.dump({"machine": machine(), "results": rows}, f, indent=2, ensure_ascii=False)
    return 0 if all(r.get("ok") is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
