"""Tagging speed: words per second of `nlp.Tagger.tag_many()` over the 2015 report's passages.

The passages are the prose paragraphs of samples/source/imdi_tilskuddsrapport_2015.content.txt
(the real report text), tagged with the full pipeline (NER, gazetteers with all reference places
and the report's organisations, lemmas, themes) repeatedly for at least 3 seconds after one
warm-up pass. Target: at least 5,000 words per second (words = whitespace-separated tokens).

    .venv/bin/python bench/bench_tagging.py
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "samples" / "source" / "imdi_tilskuddsrapport_2015.content.txt"
ORGS = ROOT / "tests" / "data" / "nlp_orgs_2015.csv"
TARGET_WPS = 5000
MIN_SECONDS = 3.0


def passages(path: Path = CONTENT) -> list[str]:
    """Prose paragraphs of the content file: no headings, markup, tables or list items."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line[0] in "%@#-|[" or "|" in line or len(line.split()) < 8:
            continue
        out.append(line)
    return out


def measure(texts: list[str]) -> dict:
    from nlp import Tagger
    from nlp.evaluate import read_organisations

    started = time.perf_counter()
    tagger = Tagger.load(organisations=read_organisations(ORGS) if ORGS.exists() else ())
    load_s = time.perf_counter() - started
    tagger.tag_many(texts[:20])  # warm-up
    words_per_pass = sum(len(t.split()) for t in texts)
    words, passes, started = 0, 0, time.perf_counter()
    while True:
        tagger.tag_many(texts)
        words += words_per_pass
        passes += 1
        elapsed = time.perf_counter() - started
        if elapsed >= MIN_SECONDS:
            break
    return {"wps": words / elapsed, "passages": len(texts), "words": words_per_pass,
            "passes": passes, "load_s": load_s}


def run() -> list[dict]:
    m = measure(passages())
    return [{"name": "tagging: words per second (tag_many, full pipeline)", "value": round(m["wps"]),
             "unit": "w/s", "target": f">= {TARGET_WPS:,}", "ok": m["wps"] >= TARGET_WPS,
             "note": f"{m['passages']} passages, {m['words']:,} words x {m['passes']}; "
                     f"tagger loaded in {m['load_s']:.1f} s"}]


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    for row in run():
        print(row)
