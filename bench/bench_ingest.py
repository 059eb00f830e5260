"""Ingest cost against a bare pdfplumber pass and against pdftotext, over samples/*.pdf.

Measured in one run, one after the other, on the same files:

- pdfplumber pass: `pdfplumber.open` + `page.extract_words()` on every page (the yardstick);
- pdftotext (poppler-utils) on each file, as a subprocess;
- extraction alone: `extract.extract_report` on each file;
- ingest, fresh process: `tilskudd ingest samples/ --db NEW -q` (imports, spaCy model, places),
  and the same with `OPENBLAS_NUM_THREADS=1`;
- ingest in-process into a fresh database (`KnowledgeBase(new).ingest(samples)`): includes the
  one-time costs (loading the places, loading the NLP model);
- ingest with everything loaded: the same `KnowledgeBase` again with `replace=True`, which
  re-extracts, re-tags and rewrites every report: the steady cost of one more report. A third
  pass, under cProfile, is not timed;
- growth: one small report ingested by a new `KnowledgeBase` into an empty base and into
  generated bases of 10 000 and 100 000 grants (bench/generate.py).

Each is timed in wall-clock seconds and in CPU seconds (this process's, or the child's). The
machine is shared, so the ratios use CPU seconds; wall seconds are shown next to them. A cProfile
of the loaded ingest goes to bench/out/ingest_profile.txt (top functions by own and cumulative
time).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 2.0


class Clock:
    """Wall and CPU seconds of a block: this process's CPU, plus waited-for children's."""

    def __enter__(self):
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        self._child = self._children()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = (time.process_time() - self._cpu) + (self._children() - self._child)

    @staticmethod
    def _children() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime


def _pdfs() -> list[Path]:
    return sorted(SAMPLES.glob("*.pdf"))


def pdfplumber_pass(pdfs: list[Path]) -> tuple[int, int]:
    """(pages, words): open every file and extract the words of every page."""
    import pdfplumber

    pages = words = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                words += len(page.extract_words())
                pages += 1
    return pages, words


def pdftotext_pass(pdfs: list[Path]) -> int:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext not found: install poppler-utils (make system-deps)")
    chars = 0
    for path in pdfs:
        out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
        chars += len(out.stdout)
    return chars


def extract_pass(pdfs: list[Path]) -> int:
    from extract import extract_report

    return sum(len(extract_report(p).grants) for p in pdfs)


def cli_ingest(db: Path, **env) -> None:
    exe = Path(sys.executable).with_name("tilskudd")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "kb.cli"]
    subprocess.run([*cmd, "ingest", str(SAMPLES), "--db", str(db), "-q"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env})


def _row(name, value, unit, target="", ok=None, note=""):
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": ok, "note": note}


def run() -> list[dict]:
    from kb.store import KnowledgeBase

    pdfs = _pdfs()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        with Clock() as plumber:
            pages, words = pdfplumber_pass(pdfs)
        with Clock() as poppler:
            pdftotext_pass(pdfs)
        with Clock() as extraction:
            extract_pass(pdfs)
        with Clock() as cli:
            cli_ingest(tmp / "cli.sqlite")
        # the same with OpenBLAS (numpy's gemm, used by the NER model) on one thread: its
        # worker threads otherwise spin on a busy 2-core machine
        with Clock() as cli_1t:
            cli_ingest(tmp / "cli1.sqlite", OPENBLAS_NUM_THREADS="1")
        kb = KnowledgeBase(tmp / "kb.sqlite")
        try:
            with Clock() as fresh:
                results = kb.ingest([SAMPLES])
            tagged = kb._tagger is not None  # whether the NLP model was there to load
            with Clock() as loaded:
                again = kb.ingest([SAMPLES], replace=True)
            profile = cProfile.Profile()  # a third pass, profiled (the profiler slows it down)
            profile.enable()
            again += kb.ingest([SAMPLES], replace=True)
            profile.disable()
        finally:
            kb.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bad = [r for r in [*results, *again] if r.failed]
    if bad:
        raise RuntimeError(f"{bad[0].path.name}: {bad[0].message}")
    _write_profile(profile, OUT / "ingest_profile.txt")

    files = f"{len(pdfs)} files, {pages} pages, {words:,} words"
    nlp_note = "with NLP" if tagged else "NO NLP: model missing"

    def timing(name, clock, note=""):
        wall = f"{clock.wall:.2f} s wall" + (f"; {note}" if note else "")
        return _row(f"ingest: {name}", round(clock.cpu, 2), "s cpu", note=wall)

    def ratio(name, clock, base, target=False, note=""):
        value = clock.cpu / base.cpu
        return _row(f"ingest: {name}", round(value, 2), "x",
                    target=f"<= {TARGET_RATIO:.0f}x" if target else "",
                    ok=(value <= TARGET_RATIO) if target else None,
                    note=f"wall {clock.wall / base.wall:.2f}x" + (f"; {note}" if note else ""))

    return [
        timing("pdfplumber pass (extract_words)", plumber, files),
        timing("pdftotext -layout", poppler),
        timing("extract_report alone", extraction),
        timing("tilskudd ingest, fresh process", cli, "imports, model, places, fresh DB"),
        timing("tilskudd ingest, OPENBLAS_NUM_THREADS=1", cli_1t, "the same, BLAS on one thread"),
        timing("KnowledgeBase.ingest, fresh DB", fresh, "incl. model and places load; " + nlp_note),
        timing("KnowledgeBase.ingest, loaded", loaded, "replace=True; " + nlp_note),
        ratio("extract / pdfplumber", extraction, plumber),
        ratio("ingest loaded / pdfplumber", loaded, plumber, target=True, note=nlp_note),
        ratio("ingest fresh DB / pdfplumber", fresh, plumber, note="one-time costs included"),
        ratio("CLI ingest / pdfplumber", cli, plumber, note="whole command, cold"),
        ratio("CLI ingest 1 BLAS thread / pdfplumber", cli_1t, plumber, note="whole command, cold"),
        ratio("ingest loaded / pdftotext", loaded, poppler),
        *growth(),
    ]


GROWTH_SIZES = (0, 10_000, 100_000)
GROWTH_REPORT = SAMPLES / "imdi_asylmottak_2018.pdf"


def growth(sizes=GROWTH_SIZES) -> list[dict]:
    """One small report (1 page, 6 grants) ingested by a new `KnowledgeBase` (as each
    `tilskudd ingest` command does) into a base that already holds N generated grants
    (bench/generate.py): what an ingest costs as the knowledge base grows."""
    from kb.store import KnowledgeBase

    from . import generate

    rows = []
    base_cpu = None
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="bench-growth-"))
        try:
            db = tmp / "kb.sqlite"
            if n:
                shutil.copyfile(generate.ensure(n), db)
            with Clock() as clock, KnowledgeBase(db) as kb:
                [result] = kb.ingest([GROWTH_REPORT])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if result.failed:
            raise RuntimeError(f"{GROWTH_REPORT.name} into {n:,} grants: {result.message}")
        base_cpu = base_cpu or clock.cpu
        rows.append(_row(f"ingest growth: 1 report into a base of {n:,} grants", round(clock.cpu, 2),
                         "s cpu", note=f"{clock.wall:.1f} s wall; {clock.cpu / base_cpu:.1f}x the empty base"))
    return rows


def _write_profile(profile: cProfile.Profile, path: Path) -> None:
    buf = io.StringIO()
    stats = pstats.Stats(profile, stream=buf)
    stats.strip_dirs()
    buf.write("== by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(40)
    buf.write("\n== by own time ==\n")
    stats.sort_stats("tottime").print_stats(25)
    path.write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    for r in run():
        print(r)
