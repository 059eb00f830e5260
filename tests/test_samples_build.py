"""The sample PDFs in samples/ and their golden files: determinism, truth, and the layout
features the extractor is meant to meet (wrapped cells, page breaks, ruling lines or none)."""

from __future__ import annotations

import csv
import functools
import json
import re
import sys
from pathlib import Path

import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples import build_samples, content  # noqa: E402

SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "data" / "golden"
SLUGS = ["imdi_tilskuddsrapport_2015", "prop1s_2014_2015_nasjonale_ressursmiljo", "imdi_asylmottak_2018"]
SUMS = list(csv.DictReader(open(ROOT / "tests" / "data" / "samples_golden_sums.csv", encoding="utf-8")))


def golden(slug: str) -> dict:
    return json.loads((GOLDEN / f"{slug}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def read_pages(slug: str) -> tuple:
    """Per page of samples/SLUG.pdf: (text, words, number of lines and rects, chars)."""
    with pdfplumber.open(SAMPLES / f"{slug}.pdf") as pdf:
        return tuple((p.extract_text() or "", p.extract_words(), len(p.lines) + len(p.rects), p.chars)
                     for p in pdf.pages)


@pytest.fixture
def pages_2015() -> tuple:
    return read_pages("imdi_tilskuddsrapport_2015")


# --- the build ------------------------------------------------------------------------------


def test_build_is_deterministic(tmp_path):
    a = build_samples.build_all(tmp_path / "a")
    b = build_samples.build_all(tmp_path / "b")
    assert [p.name for p in a] == [f"{s}.pdf" for s in SLUGS]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_committed_files_are_what_the_generator_builds(tmp_path):
    built = build_samples.build_all(tmp_path, tmp_path / "golden")
    assert len(built) == 6
    for path in built:
        committed = (SAMPLES if path.suffix == ".pdf" else GOLDEN) / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is stale: run .venv/bin/python samples/build_samples.py")


@pytest.mark.parametrize("report", content.reports(), ids=lambda r: r.slug)
def test_golden_file_is_the_content_plus_pages(report):
    truth = golden(report.slug)
    for key in ("schemes", "grants", "allocations", "summary_lines"):
        assert all(isinstance(r.pop("page"), int) for r in truth[key])
    assert truth == json.loads(json.dumps(content.golden(report), ensure_ascii=False))


@pytest.mark.parametrize("slug", SLUGS)
def test_golden_pages_are_where_the_rows_are_printed(slug):
    pages = read_pages(slug)
    misplaced = [
        (g["organisation"], g["amount_text"], g["page"])
        for g in golden(slug)["grants"]
        if g["amount_text"] not in squash(pages[g["page"] - 1][0])
        or g["organisation"].split()[0] not in pages[g["page"] - 1][0]
    ]
    assert misplaced == []


# --- the truth --------------------------------------------------------------------------------


@pytest.mark.parametrize("row", SUMS, ids=lambda r: f"{r['sample']}:{r['scheme_key']}:{r['year']}")
def test_golden_grant_counts_and_sums(row):
    grants = [g for g in golden(row["sample"])["grants"]
              if g["scheme_key"] == row["scheme_key"] and g["year"] == int(row["year"])]
    assert len(grants) == int(row["grants"])
    assert sum(g["amount_nok"] for g in grants) == int(row["amount_nok"])
    assert {g["source"] for g in grants} == {row["source"]}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_grant_is_counted_in_the_sums_table(slug):
    listed = sum(int(r["grants"]) for r in SUMS if r["sample"] == slug)
    assert len(golden(slug)["grants"]) == listed


@pytest.mark.parametrize("row", [r for r in SUMS if r["printed_total"]],
                         ids=lambda r: f"{r['sample']}:{r['scheme_key']}:{r['year']}")
def test_printed_totals_appear_in_the_pdf(row):
    text = squash(" ".join(page[0] for page in read_pages(row["sample"])))
    assert row["printed_total"] in text


def test_2015_grants_in_print_order():
    g = golden("imdi_tilskuddsrapport_2015")["grants"]
    assert [x["scheme_key"] for x in g] == ["2"] * 14 + ["3"] * 25 + ["4/Del 1"] * 13 + ["4/Del 2"] * 8 + ["5"] * 3
    assert g[0] == {"scheme_key": "2", "organisation": "Antirasistisk senter (ARS)", "project": None,
                    "area": None, "amount_nok": 2175000, "amount_text": "2 175 000kr", "year": 2015,
                    "source": "table", "table_index": 0, "row_index": 0, "page": 8}
    by_org = {(x["scheme_key"], x["organisation"]): x for x in g}
    trondheim = by_org[("3", "Stiftelsen Kirkens Bymisjon I Trondheim, Batteriet Midt-Norge & Aksept og mestring")]
    assert (trondheim["project"], trondheim["area"], trondheim["amount_nok"]) == ("Søster til søster", "Trondheim", 245000)
    tyrkisk = by_org[("3", "Tyrkisk Kvinneforening")]
    assert tyrkisk["area"] == "Oslo/Akerhsus, Drammen. Nedre Eiker/ Mjøndalen, Stavanger, Porsgrunn, Moss"
    assert by_org[("4/Del 1", "KIA Roagaland")]["project"] == (
        "Kulturkompetanse - informasjon og veiledning for arbeidsinnvandrere i Stavanger")
    assert by_org[("4/Del 2", "Røde Kors")]["amount_text"] == "725000"
    assert by_org[("4/Del 1", "Caritas Norge")]["amount_text"] == "375 000"
    assert [(x["organisation"], x["amount_nok"], x["amount_text"]) for x in g[-3:]] == [
        ("MiRA-Senteret", 650000, "kr. 650 000,-"),
        ("Primærmedisinsk Verksted", 1100000, "kr. 1 100 000,-"),
        ("Leadership Foundation", 250000, "kr. 250 000,-"),
    ]


def test_2015_table_cells_are_text_of_the_source():
    """Every table cell of the golden file is printed, whitespace aside, in IMDi's own text."""
    source = squash((SAMPLES / "source" / "imdi_tilskuddsrapport_2015.txt").read_text(encoding="utf-8"))
    missing = [
        (g["organisation"], field, g[field])
        for g in golden("imdi_tilskuddsrapport_2015")["grants"] if g["source"] == "table"
        for field in ("organisation", "project", "area", "amount_text")
        if g[field] and g[field] not in source
    ]
    assert missing == []


def test_2015_schemes():
    s = golden("imdi_tilskuddsrapport_2015")["schemes"]
    assert [(x["number"], x["part"]) for x in s] == [(1, None), (2, None), (3, None), (4, None), (4, "Del 1"), (4, "Del 2"), (5, None)]
    assert s[0]["name"] == "Frivillig virksomhet i lokalsamfunn som bidrar til deltakelse, dialog og samhandling"
    assert s[4]["part_name"] == ("Informasjon om det norske samfunnet rettet mot arbeidsinnvandrere og "
                                 "personer som ikke omfattes av introduksjonsordningen.")
    assert s[3]["name"] == s[5]["name"] == "Informasjons- og veiledningstiltak rettet mot innvandrere"


def test_2015_allocations_match_the_source_rows():
    text = (SAMPLES / "source" / "imdi_tilskuddsrapport_2015.txt").read_text(encoding="utf-8")
    rows = re.findall(r"^(\w+) +(\d{1,3}(?: \d{3})*) (\d+) (\d+)\s*$", text, flags=re.M)
    expected = [(k, int(a.replace(" ", "")), int(d), int(s)) for k, a, d, s in rows]
    a = golden("imdi_tilskuddsrapport_2015")["allocations"]
    assert [(x["kommune"], x["amount_nok"], x["orgs_driftsstotte"], x["orgs_aktivitetsstotte"]) for x in a] == expected
    assert len(a) == 21 and [x["is_sum_row"] for x in a] == [False] * 20 + [True]


def test_2015_allocation_sums():
    a = golden("imdi_tilskuddsrapport_2015")["allocations"]
    rows, total = a[:20], a[20]
    assert (total["kommune"], total["amount_nok"]) == ("SUM", 9957523)
    assert sum(x["amount_nok"] for x in rows) == 9957521  # the report's SUM row is 2 kroner off
    assert sum(x["orgs_driftsstotte"] for x in rows) == total["orgs_driftsstotte"] == 120
    assert sum(x["orgs_aktivitetsstotte"] for x in rows) == total["orgs_aktivitetsstotte"] == 291


def test_2015_summary_lines_add_up():
    s = golden("imdi_tilskuddsrapport_2015")["summary_lines"]
    assert [x["label"] for x in s] == ["Driftsstøtte", "Aktivitetsstøtte", "Ubrukte midler",
                                       "Adm. kostnader", "Klaremidler IMDi", "SUM"]
    assert sum(x["amount_nok"] for x in s[:5]) == s[5]["amount_nok"] == 10034568


def test_prop_multi_year_table():
    g = golden("prop1s_2014_2015_nasjonale_ressursmiljo")
    caritas = [(x["year"], x["amount_nok"]) for x in g["grants"] if x["organisation"] == "Caritas Norge"]
    assert caritas == [(2015, 1000000)]
    mira = [(x["year"], x["amount_nok"]) for x in g["grants"] if x["organisation"].startswith("MiRA")]
    assert mira == [(2014, 1450000), (2015, 1550000)]
    assert g["totals"] == [{"year": 2014, "text": "14,0 mill. kr", "amount_nok": 14000000},
                           {"year": 2015, "text": "15,5 mill. kr", "amount_nok": 15500000}]
    assert g["report"] == {"year": 2015, "title": "Prop. 1 S (2014–2015) for budsjettåret 2015", "publisher": "BLD"}


def test_asylmottak_names_exactly_as_in_the_csv():
    with open(SAMPLES / "source" / "2018_asylmottak_lokallag.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    g = golden("imdi_asylmottak_2018")["grants"]
    assert [(x["organisation"], x["project"], x["amount_nok"]) for x in g] == [
        (r["organisation"], r["project"], int(r["amount_nok"])) for r in rows]


# --- what the 2015 PDF looks like ------------------------------------------------------------


def _page_of(pages, needle) -> list[int]:
    return [i for i, (text, *_rest) in enumerate(pages) if needle in squash(text)]


def test_2015_text_is_clean_norwegian(pages_2015):
    text = "\n".join(p[0] for p in pages_2015)
    assert len(pages_2015) == 17
    for word in ("Ålesund", "Bærum", "Tønsberg", "særlig", "Søster til søster", "KIA Roagaland"):
        assert word in text
    assert "(cid:" not in text and "\xad" not in text and "\ufffd" not in text


def test_2015_footnote_on_page_one(pages_2015):
    text, words, _, chars = pages_2015[0]
    assert "Barne- likestillings- og inkluderingsdepartementet (2014-2015). Prop. 1 S, side 59 - 62." in text
    body = [c for c in chars if c["text"] == "t" and c["size"] == 10]
    supers = [c for c in chars if c["text"] == "1" and c["size"] < 9 and c["top"] < 500]
    assert body and len(supers) == 1  # the marker after "virksomhet", raised and smaller


def test_2015_hyphenated_line_ends(pages_2015):
    """Some long words break at a line end with a hyphen, as a word processor does."""
    paragraphs = " ".join(b.text for b in content.imdi_2015().blocks if isinstance(b, content.Paragraph))
    words = set(re.findall(r"\w+", paragraphs))
    broken = []
    for text, *_ in pages_2015:
        lines = text.split("\n")
        for line, nxt in zip(lines, lines[1:]):
            m = re.search(r"(\w+)-$", line)
            if m and nxt and (m.group(1) + nxt.split()[0].rstrip(".,;:")) in words:
                broken.append(m.group(1) + "-" + nxt.split()[0])
    assert len(broken) >= 3, broken


def test_scheme_3_table_continues_with_repeated_header(pages_2015):
    first, last = _page_of(pages_2015, "Ungdom Mot Vold"), _page_of(pages_2015, "Tradisjoner i vår kultur")
    assert len(first) == 1 and last == [first[0] + 1]
    header = _page_of(pages_2015, "Organisasjon Prosjektnavn Geografisk område Tilskudd")
    assert first[0] in header and first[0] + 1 in header
    assert pages_2015[first[0]][2] <= 1  # whitespace only: no ruling lines but the running header's


def test_scheme_4_del_1_table_continues_without_header(pages_2015):
    first, last = _page_of(pages_2015, "Caritas Norge Informasjons- og"), _page_of(pages_2015, "KIA Roagaland")
    assert len(first) == 1 and last == [first[0] + 1]
    assert "Prosjektnavn" not in pages_2015[last[0]][0]
    assert pages_2015[first[0]][2] > 15  # a grid: a line per row and column


def _word(words, text, after=None):
    hits = [w for w in words if w["text"] == text and (after is None or w["top"] >= after["top"] - 1)]
    return hits[0]


def test_scheme_3_amount_on_the_last_line_of_a_wrapped_row(pages_2015):
    page = _page_of(pages_2015, "Batteriet Midt-Norge &")[0]
    words = pages_2015[page][1]
    first = _word(words, "Stiftelsen", after=_word(words, "Tilskudd"))
    org_first_line = [w for w in words if w["text"] == "Trondheim," and w["x0"] < 150][0]
    last = _word(words, "Aksept", after=org_first_line)
    amount = _word(words, "245")
    assert first["top"] < last["top"]
    assert abs(amount["top"] - last["top"]) < 1
    assert abs(amount["top"] - org_first_line["top"]) > 8


def test_scheme_4_del_1_amount_vertically_centred(pages_2015):
    page = _page_of(pages_2015, "Caritas Norge Informasjons- og")[0]
    words = pages_2015[page][1]
    caritas = _word(words, "Caritas", after=_word(words, "Prosjektnavn"))
    amount = _word(words, "375", after=caritas)
    middle = _word(words, "Porsgrunn,", after=caritas)  # second of the area's three lines
    assert abs(amount["top"] - middle["top"]) < 3
    assert amount["top"] - caritas["top"] > 8
