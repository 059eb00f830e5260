"""extract_report reports each page it reads, so the CLI can show a per-page progress bar."""

from pathlib import Path

from extract import extract_report

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "imdi_tilskuddsrapport_2015.pdf"


def test_on_page_is_called_once_per_page_in_order():
    seen = []
    report = extract_report(SAMPLE, on_page=lambda n, count: seen.append((n, count)))
    assert seen == [(n, 17) for n in range(1, 18)]
    assert report.report.page_count == 17


def test_ingest_shows_a_page_stage_for_a_long_report(tmp_path):
    from kb import KnowledgeBase

    class Recorder:
        def __init__(self):
            self.events = []

        def start_report(self, path):
            self.events.append(("start", path.name))

        def stage(self, name, total):
            self.events.append(("stage", name, total))

        def advance(self, n=1):
            self.events.append(("advance", n))

        def end_report(self, result):
            self.events.append(("end", result.status))

    rec = Recorder()
    with KnowledgeBase(tmp_path / "kb.sqlite") as kb:
        kb.ingest([SAMPLE], progress=rec)
    assert rec.events[:3] == [("start", SAMPLE.name), ("stage", "pages", 17), ("advance", 1)]
    assert rec.events.count(("advance", 1)) >= 17
    assert rec.events[-1] == ("end", "ingested")
