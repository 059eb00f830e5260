"""The content of the sample reports, kept apart from their layout.

Every renderer (samples/build_samples.py, tests/layouts.py) lays out the same `Report` objects,
and the golden truth files are computed from them (`golden()`), so what is printed is the truth.

Sources (see samples/README.md):
- `source/imdi_tilskuddsrapport_2015.content.txt`: IMDi's 2015 report, prepared by hand from
  `source/imdi_tilskuddsrapport_2015.txt` in the small markup described below;
- `source/2014-2015_nasjonale_ressursmiljo_prop1s.csv` (Prop. 1 S (2014-2015), Tabell 4.6);
- `source/2018_asylmottak_lokallag.csv` (imdi.no, 2018).

Markup of `*.content.txt` (one block per paragraph, blocks separated by blank lines):
  `% comment`, `@key value` (title, subtitle, publisher, publisher_full, year),
  `# heading`, `## sub-heading`, `### caption`; a trailing `{scheme}` makes a heading a scheme
  heading (`N. name`), `{part}` a part heading (`Del N - name`);
  `- item`, `> quote`, `[^1]` footnote marker, `[^1]: footnote text`;
  `!grant SCHEME | organisation | amount as printed` a grant stated in the preceding paragraph;
  `::: KIND KEY [scheme=S] [fields=a,b]` ... `:::` a table: the first row is the header; cells are
  separated by ` | `; `\\` is a line break inside a cell (where the source wraps the cell).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Protocol, Union

SOURCE_DIR = Path(__file__).resolve().parent / "source"

Cell = tuple[str, ...]  # the printed lines of one cell


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 section, 2 sub-section, 3 caption
    scheme: Optional[int] = None
    name: Optional[str] = None  # scheme name (without the number)
    part: Optional[str] = None  # "Del 1"
    part_name: Optional[str] = None


@dataclass(frozen=True)
class Paragraph:
    text: str  # may contain footnote markers `[^1]`
    kind: str = "body"  # body | item | quote


@dataclass(frozen=True)
class Table:
    key: str
    kind: str  # grants | allocations | summary
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    fields: tuple[str, ...] = ()  # organisation, project, area, amount, amount:YEAR, kommune, ...
    scheme_key: Optional[str] = None

    def cell_text(self, row: int, col: int) -> str:
        return " ".join(self.rows[row][col])


@dataclass(frozen=True)
class NarrativeGrant:
    scheme_key: str
    organisation: str
    amount_text: str


@dataclass(frozen=True)
class Total:
    """A total printed in a table's sum row that is not a data row (e.g. "14,0 mill. kr")."""

    table_key: str
    year: int
    text: str
    amount_nok: int


Block = Union[Heading, Paragraph, Table, NarrativeGrant]


@dataclass(frozen=True)
class Report:
    slug: str  # file name without extension
    title: str
    subtitle: str
    publisher: str
    publisher_full: str
    year: int
    blocks: tuple[Block, ...]
    footnotes: dict[str, str] = field(default_factory=dict)
    totals: tuple[Total, ...] = ()
    series: str = ""  # e.g. "Prop. 1 S (2014–2015)"


def amount_value(text: str) -> int:
    """The integer NOK amount of an amount as printed in a grant cell ("2 175 000kr" -> 2175000)."""
    return int(re.sub(r"\D", "", text.split(",-")[0]))


# --- the markup reader -------------------------------------------------------------------

_SCHEME = re.compile(r"^(\d+)\.\s+(.*)$")
_PART = re.compile(r"^(Del \d+)\s*-\s*(.*)$")


def _cell(text: str) -> Cell:
    return tuple(line.strip() for line in text.split("\\"))


def _table(head: str, lines: list[str]) -> Table:
    words = head.split()
    kind, key = words[1], words[2]
    opts = dict(w.split("=", 1) for w in re.findall(r"\w+=[^=]+?(?=\s+\w+=|$)", " ".join(words[3:])))
    rows = [tuple(_cell(c) for c in line.split(" | ")) for line in lines]
    if kind == "summary":  # a block of label/amount lines without a header row
        rows.insert(0, ())
    return Table(
        key=key,
        kind=kind,
        header=rows[0],
        rows=tuple(rows[1:]),
        fields=tuple(opts["fields"].split(",")) if "fields" in opts else (),
        scheme_key=opts.get("scheme"),
    )


def _heading(line: str) -> Heading:
    hashes, text = line.split(" ", 1)
    level = len(hashes)
    if text.endswith(" {scheme}"):
        text = text[: -len(" {scheme}")]
        m = _SCHEME.match(text)
        return Heading(text, level, scheme=int(m.group(1)), name=m.group(2))
    if text.endswith(" {part}"):
        text = text[: -len(" {part}")]
        m = _PART.match(text)
        return Heading(text, level, part=m.group(1), part_name=m.group(2))
    return Heading(text, level)


def read_markup(path: Path, slug: str) -> Report:
    meta: dict[str, str] = {}
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line or line.startswith("%"):
            continue
        if line.startswith("@"):
            k, v = line[1:].split(" ", 1)
            meta[k] = v
        elif line.startswith(":::"):
            body = []
            while lines[i].rstrip() != ":::":
                body.append(lines[i].rstrip())
                i += 1
            i += 1
            blocks.append(_table(line, body))
        elif line.startswith("#"):
            blocks.append(_heading(line))
        elif line.startswith("[^"):
            marker, text = line[2:].split("]: ", 1)
            footnotes[marker] = text
        elif line.startswith("!grant "):
            scheme, org, amount = (p.strip() for p in line[len("!grant ") :].split("|"))
            blocks.append(NarrativeGrant(scheme, org, amount))
        elif line.startswith("- "):
            blocks.append(Paragraph(line[2:], "item"))
        elif line.startswith("> "):
            blocks.append(Paragraph(line[2:], "quote"))
        else:
            blocks.append(Paragraph(line))
    return Report(
        slug=slug,
        title=meta["title"],
        subtitle=meta.get("subtitle", ""),
        publisher=meta["publisher"],
        publisher_full=meta.get("publisher_full", meta["publisher"]),
        year=int(meta["year"]),
        blocks=tuple(blocks),
        footnotes=footnotes,
    )


# --- the three sample reports --------------------------------------------------------------


def imdi_2015() -> Report:
    return read_markup(SOURCE_DIR / "imdi_tilskuddsrapport_2015.content.txt", "imdi_tilskuddsrapport_2015")


def _csv_rows(name: str) -> tuple[list[dict[str, str]], list[tuple[str, int, str]]]:
    """The data rows, and the `#total,YEAR,VALUE,printed "TEXT" ...` lines as (year, value, text)."""
    text = (SOURCE_DIR / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    records = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    totals = []
    for line in lines:
        if line.startswith("#total,"):
            _, year, value, rest = line.split(",", 3)
            totals.append((year, int(value), re.search(r'"([^"]+)"', rest).group(1)))
    return records, totals


def nok(value: int, sep: str = " ") -> str:
    """2175000 -> '2 175 000' (sep: the thousands separator)."""
    return f"{value:,}".replace(",", sep)


PROP_SEP = " "  # thousands separator in the Prop.'s table


def prop1s_2015() -> Report:
    records, totals = _csv_rows("2014-2015_nasjonale_ressursmiljo_prop1s.csv")
    orgs: list[str] = []
    amounts: dict[tuple[str, str], int] = {}
    for r in records:
        if r["organisation"] not in orgs:
            orgs.append(r["organisation"])
        amounts[(r["organisation"], r["year"])] = int(r["amount_nok"])
    total_text = {year: printed for year, _, printed in totals}
    total_value = {year: value for year, value, _ in totals}
    rows = []
    for org in orgs:
        cells = [(org,)]
        for year in ("2014", "2015"):
            cells.append((nok(amounts[(org, year)], PROP_SEP),) if (org, year) in amounts else ("",))
        rows.append(tuple(cells))
    rows.append((("Sum",), (total_text["2014"],), (total_text["2015"],)))
    table = Table(
        key="tabell_4_6",
        kind="grants",
        header=(("Organisasjon",), ("Tilskot 2014",), ("Tilskot 2015",)),
        rows=tuple(rows),
        fields=("organisation", "amount:2014", "amount:2015"),
        scheme_key="2",
    )
    blocks = (
        Heading("4 Nærare om budsjettforslaget", 1),
        Heading("Kap. 821 Busetjing av flyktningar og tiltak for innvandrarar, post 71", 2),
        Heading("2. Nasjonale ressursmiljø på integreringsfeltet", 1, scheme=2,
                name="Nasjonale ressursmiljø på integreringsfeltet"),
        Paragraph(
            "Målet med tilskotet til nasjonale ressursmiljø på integreringsfeltet er å medverke "
            "til auka deltaking i, og auka tillit til, samfunnet blant innvandrarar og barna "
            "deira. Tilskotet blir øyremerkt den enkelte organisasjonen over statsbudsjettet. "
            "Tabell 4.6 viser tilskotet til kvar organisasjon i 2014 og forslaget for 2015."
        ),
        Heading("Tabell 4.6 Tilskot til nasjonale ressursmiljø", 3),
        table,
        Paragraph(
            "Caritas Norge er ny mottakar av tilskot over ordninga frå 2015.", "note"
        ),
    )
    return Report(
        slug="prop1s_2014_2015_nasjonale_ressursmiljo",
        title="Prop. 1 S (2014–2015) for budsjettåret 2015",
        subtitle="Proposisjon til Stortinget (forslag til stortingsvedtak). "
                 "Barne-, likestillings- og inkluderingsdepartementet",
        publisher="BLD",
        publisher_full="Barne-, likestillings- og inkluderingsdepartementet (BLD)",
        year=2015,
        blocks=blocks,
        totals=tuple(
            Total("tabell_4_6", int(y), total_text[y], total_value[y]) for y in ("2014", "2015")
        ),
        series="Prop. 1 S (2014–2015)",
    )


def asylmottak_2018() -> Report:
    records, _ = _csv_rows("2018_asylmottak_lokallag.csv")
    rows = tuple(
        ((r["organisation"],), (r["project"],), (nok(int(r["amount_nok"])),)) for r in records
    )
    table = Table(
        key="lokallag_2018",
        kind="grants",
        header=(("Organisasjon",), ("Prosjekt",), ("Beløp",)),
        rows=rows,
        fields=("organisation", "project", "amount"),
        scheme_key="1",
    )
    name = records[0]["scheme"]
    blocks = (
        Heading("1. " + name, 1, scheme=1, name=name),
        Paragraph(
            "Tilskuddsordningen skal bidra til at beboere i asylmottak får delta i aktiviteter "
            "sammen med lokalbefolkningen, og til at frivillige organisasjoner kan drive "
            "integreringsprosjekter i og rundt mottakene. Landsdekkende organisasjoner kan søke "
            "om tilskudd til fordeling til sine lokallag."
        ),
        Heading("Oversikt over organisasjoner som har fått tilskudd for 2018 til fordeling til "
                "lokallag", 3),
        table,
    )
    return Report(
        slug="imdi_asylmottak_2018",
        title="Tilskudd til integreringsprosjekter i asylmottak 2018",
        subtitle="Tildelinger til fordeling til lokallag",
        publisher="IMDi",
        publisher_full="Integrerings- og mangfoldsdirektoratet (IMDi)",
        year=2018,
        blocks=blocks,
    )


def reports() -> tuple[Report, ...]:
    return (imdi_2015(), prop1s_2015(), asylmottak_2018())


# --- the truth ----------------------------------------------------------------------------


class PageLookup(Protocol):
    """Where a layout printed things (samples/build_samples.py `Pages`)."""

    def first(self, ref: tuple) -> Optional[int]: ...

    def last(self, ref: tuple) -> Optional[int]: ...


def golden(report: Report, pages: Optional[PageLookup] = None) -> dict:
    """The records an extractor should find in any rendering of `report`, in print order.

    With `pages` (from a build), each record also gets the 1-based `page` it was printed on:
    a table row's page, a scheme heading's page, and for a narrative grant the page where the
    paragraph stating it ends.
    """
    def paged(record: dict, ref: tuple, last: bool = False) -> dict:
        if pages is not None:
            record["page"] = pages.last(ref) if last else pages.first(ref)
        return record

    schemes: list[dict] = []
    grants: list[dict] = []
    allocations: list[dict] = []
    summary: list[dict] = []
    current: Optional[Heading] = None
    grant_table = 0
    said_in = None  # the paragraph a narrative grant is stated in
    for index, block in enumerate(report.blocks):
        if isinstance(block, Heading) and block.scheme is not None:
            current = block
            schemes.append(paged(dict(number=block.scheme, name=block.name, part=None,
                                      part_name=None), ("block", index)))
        elif isinstance(block, Heading) and block.part is not None:
            schemes.append(paged(dict(number=current.scheme, name=current.name, part=block.part,
                                      part_name=block.part_name), ("block", index)))
        elif isinstance(block, Paragraph):
            said_in = index
        elif isinstance(block, NarrativeGrant):
            grants.append(paged(dict(
                scheme_key=block.scheme_key, organisation=block.organisation, project=None,
                area=None, amount_nok=amount_value(block.amount_text),
                amount_text=block.amount_text, year=report.year, source="narrative",
                table_index=None, row_index=None), ("block", said_in), last=True))
        elif isinstance(block, Table) and block.kind == "grants":
            for g in _table_grants(report, block, grant_table):
                grants.append(paged(g, ("row", block.key, g["row_index"])))
            grant_table += 1
        elif isinstance(block, Table) and block.kind == "allocations":
            for i in range(len(block.rows)):
                kommune = block.cell_text(i, 0)
                allocations.append(paged(dict(
                    kommune=kommune, amount_nok=amount_value(block.cell_text(i, 1)),
                    orgs_driftsstotte=int(block.cell_text(i, 2)),
                    orgs_aktivitetsstotte=int(block.cell_text(i, 3)),
                    is_sum_row=kommune.upper() == "SUM", year=report.year,
                    scheme_key=block.scheme_key, row_index=i), ("row", block.key, i)))
        elif isinstance(block, Table) and block.kind == "summary":
            for i in range(len(block.rows)):
                label = block.cell_text(i, 0).rstrip(": ").rstrip()
                summary.append(paged(dict(label=label, amount_nok=amount_value(block.cell_text(i, 1)),
                                          text=block.cell_text(i, 1)), ("row", block.key, i)))
    return {
        "report": {"year": report.year, "title": report.title, "publisher": report.publisher},
        "schemes": schemes,
        "grants": grants,
        "allocations": allocations,
        "summary_lines": summary,
        "totals": [dict(year=t.year, text=t.text, amount_nok=t.amount_nok) for t in report.totals],
    }


def _table_grants(report: Report, table: Table, table_index: int) -> list[dict]:
    out = []
    for i, row in enumerate(table.rows):
        values = {f: " ".join(cell) for f, cell in zip(table.fields, row)}
        if values["organisation"] in ("Sum", "SUM"):
            continue
        for f in table.fields:
            if not f.startswith("amount") or not values[f]:
                continue
            year = int(f.split(":")[1]) if ":" in f else report.year
            out.append(dict(
                scheme_key=table.scheme_key, organisation=values["organisation"],
                project=values.get("project"), area=values.get("area"),
                amount_nok=amount_value(values[f]), amount_text=values[f], year=year,
                source="table", table_index=table_index, row_index=i))
    return out
