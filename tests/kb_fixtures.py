"""Fixtures for the kb tests: a hand-made `ExtractedReport` with real rows of the 2015 report
(lines 737-739, 1020, 438/452 of the source text), and a small real PDF that prints them, so
that row images can be rendered from it.

`fake_extract(monkeypatch, {pdf_name: ExtractedReport})` makes `extract.extract_report` return
the given report for that file name and fall through to the real extractor otherwise.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from extract.records import (
    Allocation, BBox, ExtractedReport, Fact, Grant, Passage, Reconciliation, ReportInfo, Scheme,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "data" / "golden"

ROWS = [  # organisation, project, area, amount, scheme key, top of row on page 1
    ("MiRA", None, None, 2_050_000, "2", 100.0),
    ("Multikulturelt initiativ- og ressursnettverk", None, None, 500_000, "2", 120.0),
    ("Pakistansk Kulturforening Skedsmo", "Empowerment for unges valg mot frihet", "Skedsmo",
     350_000, "3", 160.0),
]


def make_pdf(path: Path, extra: str = "") -> Path:
    """A one-page PDF that prints ROWS where the hand-made records say they are."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    height = A4[1]
    c.setFont("Helvetica", 10)
    c.drawString(50, height - 60, "Tilskudd 2015 " + extra)
    for org, project, area, amount, _key, top in ROWS:
        y = height - top - 10
        c.drawString(50, y, org)
        if project:
            c.drawString(250, y, project[:30])
        c.drawRightString(540, y, f"{amount:,}".replace(",", " "))
    c.showPage()
    c.save()
    return path


def report(path: Path, year: int = 2015) -> ExtractedReport:
    """The records the extractor would return for `make_pdf(path)`."""
    data = path.read_bytes()
    grants = tuple(
        Grant(organisation=org, amount_nok=amount, year=year, page=1, scheme_key=key,
              project=project, area=area, amount_text=f"{amount:,}".replace(",", " ") + "kr",
              bbox=BBox(50.0, top, 540.0, top + 12.0), table_index=0 if key == "2" else 1,
              row_index=i)
        for i, (org, project, area, amount, key, top) in enumerate(ROWS)
    ) + (Grant(organisation="MiRA-Senteret", amount_nok=650_000, year=year, page=1,
               scheme_key="5", amount_text="kr. 650 000,-", source="narrative",
               sentence="MiRA-Senteret fikk kr. 650 000,-."),)
    return ExtractedReport(
        report=ReportInfo(title="Rapport om tilskuddsordningene 2015", year=year,
                          publisher="IMDi", page_count=1,
                          sha256=hashlib.sha256(data).hexdigest(), filename=path.name),
        schemes=(
            Scheme(2, "Tilskudd til nasjonale ressursmiljøer på integreringsfeltet", 1),
            Scheme(3, "Tilskudd til integreringsarbeid i regi av frivillige organisasjoner", 1),
            Scheme(5, "Innsats for særlig utsatte innvandrergrupper", 1),
        ),
        grants=grants,
        allocations=(
            Allocation("Skedsmo", 275_326, year, 1, 0, 6, bbox=BBox(50.0, 200.0, 540.0, 212.0)),
            Allocation("SUM", 9_957_523, year, 1, 120, 291, is_sum_row=True),
        ),
        facts=(Fact("applications_received", 40, "count", 1, "40 søknader",
                    "IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner, på til sammen "
                    "kr. 19 087 739,-", year=year, scheme_key="3"),),
        passages=(
            Passage("Pakistansk Kulturforening Skedsmo har opparbeidet seg god kontaktflate i "
                    "kommunen og arbeider mot tvangsekteskap.", 1, "Resultater", 0, "3"),
        ),
        reconciliations=(
            Reconciliation("scheme 2 table total", 2_550_000, 2_550_000, 1, "2"),
            Reconciliation("allocation table SUM", 9_957_523, 9_957_524, 1, kind="sum"),
        ),
    )


def fake_extract(monkeypatch, reports: dict[str, ExtractedReport]) -> None:
    import extract

    real = extract.extract_report

    def fake(path, settings=None, on_page=None):
        name = Path(path).name
        return reports[name] if name in reports else real(path, settings, on_page)

    monkeypatch.setattr(extract, "extract_report", fake)


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted (query_only; as the last connection to close it removes
    the -wal/-shm files, which a `mode=ro` connection would leave behind)."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA query_only = ON")
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def copy_distinct(src: Path, dst: Path, n: int) -> Path:
    """A copy of a PDF with a different SHA-256 (a PDF comment appended after %%EOF)."""
    shutil.copyfile(src, dst)
    with open(dst, "ab") as f:
        f.write(f"\n% copy {n}\n".encode())
    return dst


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF with a correct xref table from its objects (1-based numbering)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def bad_inputs(folder: Path) -> dict[str, Path]:
    """One file per kind of bad input the extraction issue names (all named *.pdf)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    files = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / f"{name}.pdf"
        files[name].write_bytes(data)

    put("empty", b"")
    put("html", b"<!DOCTYPE html>\n<html><head><title>Tilskudd</title></head>"
                b"<body><h1>Tilskudd 2015</h1></body></html>\n")
    good = make_pdf(folder / "whole.tmp")
    put("truncated", good.read_bytes()[: len(good.read_bytes()) // 2])
    good.unlink()
    put("zero_pages", _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                b"<< /Type /Pages /Kids [] /Count 0 >>"]))

    def drawn(name: str, draw, **kwargs) -> None:
        path = folder / f"{name}.pdf"
        c = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)
        draw(c)
        c.showPage()
        c.save()
        files[name] = path

    def text(c):
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, "Rapport om tilskuddsordningene 2015")
        c.drawString(72, 740, "IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner.")

    def shapes(c):  # a "scan": drawing only, no text layer
        c.setFillGray(0.3)
        for i in range(20):
            c.rect(72, 700 - i * 20, 300 + (i % 5) * 20, 10, fill=1, stroke=0)

    drawn("encrypted", text, encrypt="hemmelig")
    drawn("image_only", shapes)
    drawn("no_grant_table", text)
    return files


@pytest.fixture(scope="session")
def tagger():
    """The real NLP tagger (committed model, reference places), loaded once for the session."""
    from nlp import Tagger

    return Tagger.load()
