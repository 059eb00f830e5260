"""Table finding on layouts the sample generator does not make: reportlab tables with the
amount on the first, middle or last line of a wrapped row, with and without rulings, centred
header cells, narrow gutters, tables over a page break without a repeated header, and a
multi-year table with a Sum row that does not add up. Rows are real ones from the 2015 report."""

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from extract import extract_report

ROWS = [
    ("Ungdom Mot Vold", "KAMP for selvstendig valg 2015", "Oslo/Akershus", "400 000"),
    ("Stiftelsen Kirkens Bymisjon i Bergen",
     "Økt valgfrihet for unge og foreldre gjennom dialog og nettverksarbeid", "Bergen", "500 000"),
    ("Skeiv Verden", "Åpen og trygg 15", "Østlandet", "450 000"),
    ("Stiftelsen Kvinneuniversitetet Nord, KUN senter for kunnskap og likestilling",
     "Kulturer i brytning", "Steinkjer og Hamarøy", "400 000"),
    ("Tyrkisk Kvinneforening", "Nei, nei og nei til tvangsekteskap",
     "Oslo/Akerhsus, Drammen. Nedre Eiker/ Mjøndalen, Stavanger, Porsgrunn, Moss", "200 000"),
    ("Oslo Røde Kors", "Røde Kors-telefonen om tvangsekteskap og kjønnslemlestelse", "Oslo", "283 430"),
    ("Ilm - Islams Lære & Metode",
     "Mitt liv, Mitt valg & Min fremtid - forebyggende arbeid mot TVE og KLL", "Oslo, Drammen", "328 000"),
]

CELL = ParagraphStyle("cell", fontName="Times-Roman", fontSize=9, leading=10.5)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Times-Bold")
BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=13)
H1 = ParagraphStyle("h1", fontName="Times-Bold", fontSize=14, leading=18, spaceAfter=6)


def _build(path, *, valign, rules, header_align="LEFT", repeat=1, pad=3, copies=1,
           widths=(120, 150, 110, 60), pagesize=A4):
    head = ["Organisasjon", "Prosjektnavn", "Geografisk område", "Tilskudd"]
    data = [[Paragraph(h, HEAD) for h in head]]
    for _ in range(copies):
        for org, project, area, amount in ROWS:
            data.append([Paragraph(org, CELL), Paragraph(project, CELL), Paragraph(area, CELL), amount])
    style = [("VALIGN", (0, 0), (-1, -1), valign), ("FONTNAME", (3, 1), (3, -1), "Times-Roman"),
             ("FONTSIZE", (3, 1), (3, -1), 9), ("ALIGN", (3, 0), (3, -1), "RIGHT"),
             ("ALIGN", (0, 0), (-1, 0), header_align),
             ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]
    if rules == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif rules == "below":
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey))
    table = Table(data, colWidths=list(widths), repeatRows=repeat)
    table.setStyle(TableStyle(style))
    story = [Paragraph("3. Holdningsskapende/forebyggende arbeid mot tvangsekteskap", H1),
             Paragraph("25 prosjekter fikk tildelt støtte over ordningen i 2015 på til sammen "
                       "kr. 8 581 430.-.", BODY),
             Spacer(1, 8), table, Spacer(1, 10),
             Paragraph("Eksempler på gode tiltak", H1),
             Paragraph("Furuset Idrettsforeningen har gjennom å ta utgangspunkt i ung til "
                       "ung-metodikk utdannet rollemodeller i lokalsamfunnet.", BODY)]
    SimpleDocTemplate(str(path), pagesize=pagesize, title="Tilskudd 2015").build(story)
    return path


def _rows(report):
    return [(g.organisation, g.project, g.area, g.amount_text) for g in report.grants]


LAYOUTS = [
    dict(valign="TOP", rules="grid"),
    dict(valign="TOP", rules="none", pad=4),
    dict(valign="MIDDLE", rules="none", pad=4),
    dict(valign="MIDDLE", rules="below", header_align="CENTER"),
    dict(valign="BOTTOM", rules="none", pad=4),
    dict(valign="BOTTOM", rules="grid", header_align="CENTER", widths=(150, 130, 100, 55)),
    dict(valign="TOP", rules="none", pad=0, widths=(118, 152, 112, 58)),
    dict(valign="MIDDLE", rules="grid", pagesize=letter, widths=(110, 170, 120, 50)),
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[
    "-".join(f"{k}={v}" for k, v in sorted(lay.items())) for lay in LAYOUTS])
def test_wrapped_rows_read_the_same_in_every_layout(tmp_path, layout):
    report = extract_report(_build(tmp_path / "t.pdf", **layout))
    assert _rows(report) == ROWS
    assert [g.scheme_key for g in report.grants] == ["3"] * len(ROWS)
    assert [g.row_index for g in report.grants] == list(range(len(ROWS)))


@pytest.mark.parametrize("repeat", [0, 1])
@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_table_over_page_breaks_with_and_without_repeated_header(tmp_path, repeat, valign):
    report = extract_report(_build(tmp_path / "t.pdf", valign=valign, rules="none",
                                   repeat=repeat, pad=4, copies=8))
    assert _rows(report) == ROWS * 8
    assert len({g.page for g in report.grants}) >= 2
    # the paragraph after the table is prose, not a table row
    assert any(p.text.startswith("Furuset Idrettsforeningen") for p in report.passages)


def test_multi_year_table_with_a_sum_row_that_does_not_add_up(tmp_path):
    path = tmp_path / "prop.pdf"
    data = [["Organisasjon", "Tilskot 2014", "Tilskot 2015"],
            ["Antirasistisk senter (ARS)", "2 175 000", "2 175 000"],
            ["Human Rights Service (HRS)", "900 000", "1 000 000"],
            ["Caritas Norge", "", "1 000 000"],
            ["Sum", "4,1 mill. kr", "4,2 mill. kr"]]
    table = Table(data, colWidths=[240, 90, 90])
    table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                               ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                               ("FONTNAME", (0, 0), (-1, 0), "Times-Bold"),
                               ("FONTNAME", (0, 1), (-1, -1), "Times-Roman")]))
    story = [Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", H1),
             Paragraph("Tabell 4.6 Tilskot til nasjonale ressursmiljø", BODY), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert [(g.organisation, g.year, g.amount_nok) for g in report.grants] == [
        ("Antirasistisk senter (ARS)", 2014, 2175000), ("Antirasistisk senter (ARS)", 2015, 2175000),
        ("Human Rights Service (HRS)", 2014, 900000), ("Human Rights Service (HRS)", 2015, 1000000),
        ("Caritas Norge", 2015, 1000000)]
    assert [(r.stated, r.computed, r.ok) for r in report.reconciliations] == [
        (4100000, 3075000, False), (4200000, 4175000, False)]


def test_table_in_thousands_of_kroner(tmp_path):
    path = tmp_path / "thousands.pdf"
    data = [["Organisasjon", "Tilskot 2015"],
            ["Antirasistisk senter (ARS)", "2 175"],
            ["Caritas Norge", "1 000"],
            ["Sum", "3,2 mill. kr"]]
    table = Table(data, colWidths=[240, 90])
    table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                               ("FONTNAME", (0, 0), (-1, -1), "Times-Roman")]))
    story = [Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", H1),
             Paragraph("Tabell 4.6 Tilskot til nasjonale ressursmiljø (i 1 000 kr)", BODY), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert [(g.organisation, g.year, g.amount_nok, g.amount_text) for g in report.grants] == [
        ("Antirasistisk senter (ARS)", 2015, 2175000, "2 175"), ("Caritas Norge", 2015, 1000000, "1 000")]
    assert [(r.stated, r.computed, r.ok) for r in report.reconciliations] == [(3200000, 3175000, False)]


def test_scheme_headings_set_like_body_text(tmp_path):
    """A report whose headings are not bold or larger: the numbered lines standing alone."""
    path = tmp_path / "plain.pdf"
    plain = ParagraphStyle("plain", fontName="Times-Roman", fontSize=10.5, leading=13, spaceBefore=9)
    data = [["Organisasjon", "Tilskudd"], ["Norsk Folkehjelp", "400000"], ["Røde Kors", "725000"]]
    table = Table(data, colWidths=[240, 90])
    table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                               ("FONTNAME", (0, 0), (-1, -1), "Times-Roman")]))
    story = [Paragraph("I 2015 lå følgende tilskuddsordninger under denne posten:", plain),
             Paragraph("1. Frivillig virksomhet i lokalsamfunn", BODY),
             Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", BODY),
             Paragraph("1. Frivillig virksomhet i lokalsamfunn", plain),
             Paragraph("Denne tilskuddsordningen er todelt. " * 6, plain),
             Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", plain),
             Paragraph("I 2015 var det 2 organisasjoner som fikk støtte gjennom denne ordningen.", plain),
             table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert [(s.number, s.name, s.page) for s in report.schemes] == [
        (1, "Frivillig virksomhet i lokalsamfunn", 1),
        (2, "Nasjonale ressursmiljø på integreringsfeltet", 1)]
    assert [(g.organisation, g.scheme_key) for g in report.grants] == [
        ("Norsk Folkehjelp", "2"), ("Røde Kors", "2")]
    assert [(r.stated, r.computed, r.ok) for r in report.reconciliations] == [(2, 2, True)]


def test_other_column_names_kommune_as_area_and_bare_year_columns(tmp_path):
    path = tmp_path / "other.pdf"
    t1 = Table([["Tilskuddsmottaker", "Kommune", "Tildelt beløp"],
                ["Norges Fotballforbund", "Oslo", "1 500 000"],
                ["Skeiv Verden", "Bergen", "237 000"]], colWidths=[200, 120, 100])
    t2 = Table([["Organisasjon", "2014", "2015"],
                ["Utrop", "500 000", "500 000"],
                ["Caritas Norge", "-", "1 000 000"]], colWidths=[200, 100, 100])
    for t in (t1, t2):
        t.setStyle(TableStyle([("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                               ("FONTNAME", (0, 0), (-1, -1), "Times-Roman")]))
    story = [Paragraph("1. Tilskudd til integreringsprosjekter i asylmottak", H1), t1,
             Paragraph("2. Nasjonale ressursmiljø på integreringsfeltet", H1), t2]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert [(g.organisation, g.area, g.year, g.amount_nok, g.scheme_key) for g in report.grants] == [
        ("Norges Fotballforbund", "Oslo", 2015, 1500000, "1"),  # no year stated: the latest
        ("Skeiv Verden", "Bergen", 2015, 237000, "1"),
        ("Utrop", None, 2014, 500000, "2"), ("Utrop", None, 2015, 500000, "2"),
        ("Caritas Norge", None, 2015, 1000000, "2")]
    assert report.allocations == ()


def test_header_cells_wrapped_in_narrow_columns(tmp_path):
    path = tmp_path / "narrow.pdf"
    data = [[Paragraph(h, HEAD) for h in ("Organisasjon", "Prosjektnavn", "Geografisk område", "Tilskudd")]]
    for org, project, area, amount in ROWS[:3]:
        data.append([Paragraph(org, CELL), Paragraph(project, CELL), Paragraph(area, CELL), amount])
    table = Table(data, colWidths=[150, 160, 66, 60])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                               ("FONTNAME", (3, 1), (3, -1), "Times-Roman"), ("FONTSIZE", (3, 1), (3, -1), 9),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]))
    story = [Paragraph("3. Holdningsskapende/forebyggende arbeid", H1), table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    report = extract_report(path)
    assert _rows(report) == ROWS[:3]
