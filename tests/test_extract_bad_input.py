"""Bad input: each kind raises its named error with a one-line message saying what is wrong and
what to do; the CLI prints that line and exits 1. A malformed table gives warnings and a partial
result instead of a crash."""

import io

import pytest
from click.testing import CliRunner
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from extract import extract_report
from extract.errors import (
    CorruptPDFError,
    EmptyPDFError,
    EncryptedPDFError,
    NoTextLayerError,
    NotAGrantReportError,
    NotAPDFError,
)
from extract_fixtures import SAMPLES
from kb.cli import main

SAMPLE = SAMPLES / "imdi_tilskuddsrapport_2015.pdf"


def _empty(path):
    path.write_bytes(b"")


def _html(path):
    path.write_text("<!DOCTYPE html><html><body><h1>Tilskudd 2015</h1></body></html>")


def _truncated(path):
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _encrypted(path):
    c = canvas.Canvas(str(path), encrypt="hemmelig")
    c.drawString(72, 720, "Organisasjon Tilskudd")
    c.drawString(72, 700, "Caritas Norge 1 000 000kr")
    c.save()


def _scanned(path):
    from PIL import Image, ImageDraw

    img = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(img)
    for y in range(80, 700, 24):
        draw.rectangle([60, y, 520, y + 10], fill=40)  # lines of "text" as pixels
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    from reportlab.lib.utils import ImageReader

    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()


def _no_pages(path):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def _no_table(path):
    styles = getSampleStyleSheet()
    story = [Paragraph("Årsrapport 2015", styles["Title"]),
             Paragraph("I 2015 forvaltet IMDi tilskuddsordningene på vegne av Barne-, "
                       "likestillings- og inkluderingsdepartementet (BLD). Det var satt av "
                       "kr. 12 334 000 til denne tilskuddsordningen.", styles["Normal"])]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


CASES = [
    ("empty.pdf", _empty, NotAPDFError, "empty"),
    ("page.pdf", _html, NotAPDFError, "HTML"),
    ("truncated.pdf", _truncated, CorruptPDFError, "truncated"),
    ("encrypted.pdf", _encrypted, EncryptedPDFError, "encrypted"),
    ("scan.pdf", _scanned, NoTextLayerError, "run OCR first (ocrmypdf)"),
    ("nopages.pdf", _no_pages, EmptyPDFError, "no pages"),
    ("prose.pdf", _no_table, NotAGrantReportError, "no grant table"),
]


@pytest.mark.parametrize("name,make,error,words", CASES, ids=[c[0] for c in CASES])
def test_named_error_with_one_line_message(tmp_path, name, make, error, words):
    path = tmp_path / name
    make(path)
    with pytest.raises(error) as info:
        extract_report(path)
    message = str(info.value)
    assert "\n" not in message
    assert words in message and name in message
    assert ":" in message  # "what is wrong: what to do"


@pytest.mark.parametrize("name,make,error,words", CASES, ids=[c[0] for c in CASES])
def test_cli_exits_non_zero_with_the_message(tmp_path, name, make, error, words):
    path = tmp_path / name
    make(path)
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0]


def test_missing_file_is_an_error_too(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 1 and "nope.pdf" in result.output


def test_malformed_table_gives_warnings_and_a_partial_result(tmp_path):
    path = tmp_path / "malformed.pdf"
    styles = getSampleStyleSheet()
    rows = [["Organisasjon", "Tilskudd"],
            ["Antirasistisk senter (ARS)", "2 175 000kr"],
            ["Caritas Norge", "ikke avklart"],
            ["Human rights service (HRS)", ""],
            ["Utrop", "500 000kr"]]
    table = Table(rows, colWidths=[300, 120])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story = [Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", styles["Heading1"]), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert [(g.organisation, g.amount_nok, g.scheme_key) for g in report.grants] == [
        ("Antirasistisk senter (ARS)", 2175000, "2"), ("Utrop", 500000, "2")]
    assert report.warnings == (
        "table 1 row 2 ('Caritas Norge'): 'ikke avklart' in the 'Tilskudd' column is not an "
        "amount; left out",
        "table 1 row 3 ('Human rights service (HRS)'): no amount; left out",
    )
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0
    assert "Warning: table 1 row 2 ('Caritas Norge')" in result.output


def test_settings_are_validated_with_the_bad_key_named():
    from extract.errors import SettingsError
    from extract.settings import ExtractSettings

    with pytest.raises(SettingsError, match="unknown extract setting 'row_gapp'"):
        extract_report(SAMPLE, {"row_gapp": 1.0})
    with pytest.raises(SettingsError, match="'margin_fraction' must be between 0 and 0.5"):
        ExtractSettings(margin_fraction=0.7)
    with pytest.raises(SettingsError, match="'row_gap' must be a number"):
        ExtractSettings.resolve({"row_gap": "wide"})
    assert ExtractSettings.resolve({"row_gap": 2.0}).row_gap == 2.0
