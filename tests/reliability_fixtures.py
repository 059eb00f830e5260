"""The corpus of bad files for the reliability tests, made by the tests from the real samples.

`bad_corpus(folder)` writes one file per kind of bad day and returns {kind: path}; every file is
named `*.pdf`, as a user would have it:

- empty: 0 bytes;
- html: the HTML page a browser saves when a download link answers with a web page;
- truncated: the first 60 % of samples/imdi_asylmottak_2018.pdf (a download cut short);
- encrypted: the 2018 grant table drawn with reportlab, password-protected;
- image_only: page 1 of the 2018 sample rendered to a picture and placed on a page (a scan);
- zero_pages: a well-formed PDF whose page tree is empty;
- no_grant_table: a valid PDF with the 2018 report's narrative but no grant table;
- malformed_table: the 2018 report laid out by samples/build_samples.py with one row's amount
  missing and the word `ikke oppgitt` in another row's amount cell.
"""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

from kb_fixtures import _raw_pdf  # one minimal-PDF writer for all bad-file fixtures

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_2018 = SAMPLES / "imdi_asylmottak_2018.pdf"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ["empty", "html", "truncated", "encrypted", "image_only", "zero_pages", "no_grant_table",
         "malformed_table"]
REJECTED = KINDS[:-1]

NARRATIVE_2018 = (
    "Tilskuddsordningen skal bidra til at beboere i asylmottak får delta i aktiviteter",
    "sammen med lokalbefolkningen, og til at frivillige organisasjoner kan drive",
    "integreringsprosjekter i og rundt mottakene. Landsdekkende organisasjoner kan søke",
    "om tilskudd til fordeling til sine lokallag.",
)

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html lang=\"nb\"><head><meta charset=\"utf-8\">"
    b"<title>Tilskudd til integreringsprosjekter i asylmottak 2018 | IMDi</title></head>\n"
    b"<body><h1>Siden finnes ikke</h1><p>Lenken du fulgte kan v\xc3\xa6re utdatert.</p>"
    b"</body></html>\n"
)


def _canvas(path: Path, **kwargs):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)


def _text_page(path: Path, lines, encrypt=None) -> Path:
    c = _canvas(path, encrypt=encrypt)
    c.setFont("Helvetica", 10)
    y = 780
    for line in lines:
        c.drawString(56, y, line)
        y -= 14
    c.showPage()
    c.save()
    return path


def _table_lines_2018() -> list[str]:
    from samples import content

    report = content.asylmottak_2018()
    table = report.blocks[-1]
    lines = [report.title, "", "Organisasjon    Prosjekt    Beløp"]
    lines += ["    ".join(" ".join(cell) for cell in row) for row in table.rows]
    return lines


def _scan_of(sample: Path, path: Path) -> Path:
    """Page 1 of `sample` as a picture on an otherwise empty page: no text layer."""
    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader

    pdf = pypdfium2.PdfDocument(str(sample))
    try:
        image = pdf[0].render(scale=1.0).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    buf.seek(0)
    c = _canvas(path)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def malformed_report():
    """The 2018 report with row 2's amount missing and `ikke oppgitt` as row 4's amount."""
    from samples import content

    report = content.asylmottak_2018()
    blocks = list(report.blocks)
    table = blocks[-1]
    rows = list(table.rows)
    rows[1] = (rows[1][0], rows[1][1], ())
    rows[3] = (rows[3][0], rows[3][1], ("ikke oppgitt",))
    blocks[-1] = replace(table, rows=tuple(rows))
    return replace(report, blocks=tuple(blocks), slug="malformed_table")


def bad_corpus(folder: Path) -> dict[str, Path]:
    from samples import build_samples

    folder.mkdir(parents=True, exist_ok=True)
    files = {kind: folder / f"{kind}.pdf" for kind in KINDS}
    files["empty"].write_bytes(b"")
    files["html"].write_bytes(HTML_PAGE)
    good = SAMPLE_2018.read_bytes()
    files["truncated"].write_bytes(good[: len(good) * 6 // 10])
    _text_page(files["encrypted"], _table_lines_2018(), encrypt="hemmelig")
    _scan_of(SAMPLE_2018, files["image_only"])
    files["zero_pages"].write_bytes(_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                              b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    _text_page(files["no_grant_table"], ("Tilskudd til integreringsprosjekter i asylmottak 2018",
                                         "", *NARRATIVE_2018))
    malformed = malformed_report()
    build_samples.build_pdf(malformed, files["malformed_table"], build_samples.layout_for(malformed))
    return files
