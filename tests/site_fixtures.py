"""Fixtures for the site tests: a knowledge base to publish, and a running `tilskudd serve`.

`samples_kb(path)` builds the base the way a user does: `KnowledgeBase(path).ingest("samples/")`.
`handmade_kb(path)` is a small, hand-built base with real names and amounts from IMDi's 2015
report (scheme 2 and scheme 3 tables) and Prop. 1 S (2014-2015) table 4.6, inserted through
sqlmodel; it is used only while `samples_kb` cannot be built (see `site_kb`).
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TILSKUDD = Path(sys.executable).parent / "tilskudd"


def samples_kb(path: Path) -> Path:
    """Build the knowledge base from samples/ through the store, the way `tilskudd demo` does."""
    from kb.publish import build_demo_db

    return build_demo_db(path, SAMPLES)


def samples_available() -> bool:
    try:
        from kb.store import KnowledgeBase  # noqa: F401
    except Exception:
        return False
    return any(SAMPLES.glob("*.pdf"))


def site_kb(path: Path) -> tuple[Path, str]:
    """The base the site tests run on: samples/ when the store can build it, else handmade."""
    if samples_available() and not os.environ.get("TILSKUDD_SITE_HANDMADE"):
        return samples_kb(path), "samples"
    return handmade_kb(path), "handmade"


# ---------------------------------------------------------------------------------------------
# the handmade base (real rows, hand-inserted)

SCHEME2 = "Nasjonale ressursmiljø på integreringsfeltet"
SCHEME3 = ("Holdningsskapende/forebyggende arbeid mot tvangsekteskap, kjønnslemlestelse og "
           "alvorlig begrensning av unges frihet")

# (organisation as printed, project, area, amount, organisation id)
GRANTS_2015_S2 = [
    ("Antirasistisk senter (ARS)", None, None, 2175000, "antirasistisk-senter"),
    ("Caritas Norge", None, None, 1000000, "caritas-norge"),
    ("MiRA", None, None, 2050000, "mira"),
    ("Multikulturelt initiativ- og ressursnettverk", None, None, 500000, "mir"),
    ("Norsk organisasjon for asylsøkere (NOAS)", None, None, 1970000, "noas"),
]
GRANTS_2015_S3 = [
    ("Stiftelsen Kirkens Bymisjon i Bergen",
     "Økt valgfrihet for unge og foreldre gjennom dialog og nettverksarbeid", "Bergen", 500000,
     "kirkens-bymisjon-bergen"),
    ("Multikulturelt Initiativ Og Ressursnettverk (Mir)", "Et liv uten frykt og tvang",
     "Oslo, Kristiansand, Bodø", 350000, "mir"),
    ("Oslo Røde Kors", "Røde Kors-telefonen om tvangsekteskap og kjønnslemlestelse", "Oslo",
     283430, "oslo-rode-kors"),
    ("Pakistansk Kulturforening Skedsmo", "Empowerment for unges valg mot frihet", "Skedsmo",
     350000, "pakistansk-kulturforening-skedsmo"),
    ("Tyrkisk Kvinneforening", "Nei, nei og nei til tvangsekteskap", "Oslo/Akerhsus, Drammen",
     200000, "tyrkisk-kvinneforening"),
]
GRANTS_PROP = [  # Prop. 1 S (2014-2015) table 4.6, columns 'Tilskot 2014' / 'Tilskot 2015'
    (2014, "Antirasistisk senter (ARS)", 2175000, "antirasistisk-senter"),
    (2014, "MiRA – Ressurssenter for innvandrer- og flyktningkvinner", 1450000, "mira"),
    (2014, "Multikulturelt Initiativ- og Ressursnettverk (MiR)", 200000, "mir"),
    (2015, "MiRA – Ressurssenter for innvandrer- og flyktningkvinner", 1550000, "mira"),
    (2015, "Multikulturelt Initiativ- og Ressursnettverk (MiR)", 500000, "mir"),
]
ORGANISATIONS = {
    "antirasistisk-senter": ("Antirasistisk senter", "ARS"),
    "caritas-norge": ("Caritas Norge", None),
    "mira": ("MiRA – Ressurssenter for innvandrer- og flyktningkvinner", "MiRA"),
    "mir": ("Multikulturelt Initiativ- og Ressursnettverk", "MiR"),
    "noas": ("Norsk organisasjon for asylsøkere", "NOAS"),
    "kirkens-bymisjon-bergen": ("Stiftelsen Kirkens Bymisjon i Bergen", None),
    "oslo-rode-kors": ("Oslo Røde Kors", None),
    "pakistansk-kulturforening-skedsmo": ("Pakistansk Kulturforening Skedsmo", None),
    "tyrkisk-kvinneforening": ("Tyrkisk Kvinneforening", None),
}
PLACES = [  # id, kind, number, name, valid_from, valid_to
    ("kommune:0231", "kommune", "0231", "Skedsmo", None, 2019),
    ("kommune:3205", "kommune", "3205", "Lillestrøm", 2020, None),
    ("kommune:0301", "kommune", "0301", "Oslo", None, None),
    ("kommune:4601", "kommune", "4601", "Bergen", 2020, None),
    ("kommune:1201", "kommune", "1201", "Bergen", None, 2019),
    ("kommune:1001", "kommune", "1001", "Kristiansand", None, 2019),
    ("kommune:4204", "kommune", "4204", "Kristiansand", 2020, None),
    ("kommune:1804", "kommune", "1804", "Bodø", None, None),
    ("kommune:0602", "kommune", "0602", "Drammen", None, 2019),
    ("kommune:3005", "kommune", "3005", "Drammen", 2020, None),
]
SUCCESSORS = [("kommune:0231", "kommune:3205"), ("kommune:3205", "kommune:3205"),
              ("kommune:0301", "kommune:0301"), ("kommune:1201", "kommune:4601"),
              ("kommune:4601", "kommune:4601"), ("kommune:1001", "kommune:4204"),
              ("kommune:4204", "kommune:4204"), ("kommune:1804", "kommune:1804"),
              ("kommune:0602", "kommune:3005"), ("kommune:3005", "kommune:3005")]
AREA_PLACES = {"Bergen": ["kommune:1201"], "Oslo, Kristiansand, Bodø":
               ["kommune:0301", "kommune:1001", "kommune:1804"], "Oslo": ["kommune:0301"],
               "Skedsmo": ["kommune:0231"], "Oslo/Akerhsus, Drammen": ["kommune:0301", "kommune:0602"]}
PASSAGE = ("2. Pakistan kulturforening Skedsmo har siden 2014 mottatt støtte av IMDi. Prosjektet "
           "«Empowerment for unges valg mot frihet» har gjennom dialogarbeid med ungdommer og "
           "foreldre jobbet med forebygging av tvangsekteskap. Pakistansk kulturforening Skedsmo "
           "har opparbeidet seg god kontaktflate i kommunen og samarbeider med flere sentrale "
           "aktører lokalt i sitt holdningsskapende arbeid.")
PASSAGE_LEMMAS = ("2. Pakistan kulturforening Skedsmo ha siden 2014 motta støtte av IMDi. prosjekt "
                  "« Empowerment for ung valg mot frihet » ha gjennom dialogarbeid med ungdom og "
                  "forelder jobbe med forebygging av tvangsekteskap. Pakistansk kulturforening "
                  "Skedsmo ha opparbeide seg god kontaktflate i kommune og samarbeide med flere "
                  "sentral aktør lokal i sin holdningsskapende arbeid.")
PASSAGE2 = ("Tilskudd til frivillige organisasjoners forebyggende og holdningsskapende arbeid mot "
            "tvangsekteskapet og kjønnslemlestelse er et tiltak (tiltak 8) i Handlingsplan mot "
            "tvangsekteskap.")
PASSAGE2_LEMMAS = ("tilskudd til frivillig organisasjon forebyggende og holdningsskapende arbeid mot "
                   "tvangsekteskap og kjønnslemlestelse være en tiltak ( tiltak 8 ) i handlingsplan "
                   "mot tvangsekteskap .")


def _pdf(rows: list[tuple[int, str, str]]) -> tuple[bytes, dict[int, tuple[int, float, float]]]:
    """A small PDF with one line per grant; returns bytes and grant_id → (page, top, bottom)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    where = {}
    page = 1
    y = height - 72
    for grant_id, text, amount in rows:
        if y < 100:
            c.showPage()
            page += 1
            y = height - 72
        c.setFont("Helvetica", 9)
        c.drawString(50, y, text[:90])
        c.drawRightString(width - 50, y, amount)
        where[grant_id] = (page, height - y - 10, height - y + 4)
        y -= 40
    c.showPage()
    c.save()
    return buf.getvalue(), where


def handmade_kb(path: Path) -> Path:
    """Build the handmade base at `path` (overwrites)."""
    import pdfplumber
    from sqlmodel import Session, SQLModel, create_engine

    from kb import models as m
    from kb.search import build_search_index
    from kb.views import create_views

    path = Path(path)
    if path.exists():
        path.unlink()
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    now = datetime(2026, 11, 26, 20, 0, 0, tzinfo=timezone.utc)
    grants = []  # (report_id, scheme_key, year, raw, project, area, amount, org)
    for raw, project, area, amount, org in GRANTS_2015_S2:
        grants.append((1, 2, 2015, raw, project, area, amount, org))
    for raw, project, area, amount, org in GRANTS_2015_S3:
        grants.append((1, 3, 2015, raw, project, area, amount, org))
    for year, raw, amount, org in GRANTS_PROP:
        grants.append((2, 2, year, raw, None, None, amount, org))

    with Session(engine) as s:
        s.add(m.Report(id=1, sha256="handmade-imdi-2015", filename="imdi_tilskuddsrapport_2015.pdf",
                       title="Rapport om tilskudd til frivillige organisasjoner 2015 (kap. 821 post 71)",
                       year=2015, publisher="IMDi", page_count=2, ingested_at=now,
                       extractor_version="handmade"))
        s.add(m.Report(id=2, sha256="handmade-prop1s", filename="prop1s_2014_2015.pdf",
                       title="Prop. 1 S (2014–2015) Tabell 4.6 Tilskot til nasjonale ressursmiljø",
                       year=2015, publisher="BLD", page_count=1, ingested_at=now,
                       extractor_version="handmade"))
        s.add(m.SchemeRow(id=2, report_id=1, year=2015, key="2", number=2, name=SCHEME2, page=1))
        s.add(m.SchemeRow(id=3, report_id=1, year=2015, key="3", number=3, name=SCHEME3, page=1))
        s.add(m.SchemeRow(id=4, report_id=2, year=2015, key="2", number=2,
                          name="Tilskot til nasjonale ressursmiljø", page=1))
        for oid, (name, acronym) in ORGANISATIONS.items():
            printed = sorted({g[3] for g in grants if g[7] == oid})
            years = [g[2] for g in grants if g[7] == oid]
            s.add(m.Organisation(id=oid, name=name, normalized=name.lower(), acronym=acronym,
                                 all_names=" | ".join(printed), first_year=min(years),
                                 last_year=max(years)))
        alias_ids = {}
        for g in grants:
            if g[3] in alias_ids:
                continue
            alias_ids[g[3]] = len(alias_ids) + 1
            exact = g[3] == ORGANISATIONS[g[7]][0]
            years = [x[2] for x in grants if x[3] == g[3]]
            s.add(m.Alias(alias_id=alias_ids[g[3]], organisation_id=g[7], name=g[3],
                          normalized=g[3].lower(), first_year=min(years), last_year=max(years),
                          method="exact" if exact else "normalized", score=None if exact else 100.0,
                          explanation="same name" if exact else "same name after normalize_name()"))
        s.add(m.Match(name_a="Multikulturelt initiativ- og ressursnettverk",
                      name_b="Multikulturelt Initiativ Og Ressursnettverk (Mir)", outcome="linked",
                      method="normalized", score=100.0, explanation="equal after normalize_name()"))
        s.add(m.Match(name_a="MiRA", name_b="Multikulturelt Initiativ- og Ressursnettverk (MiR)",
                      outcome="different", method="guard:acronym", score=None,
                      explanation="different acronyms: MiRA ≠ MiR"))
        rows = []
        for i, g in enumerate(grants, start=1):
            rows.append((i, g[3], f"{g[6]:,}".replace(",", " ")))
        pdf1, where = _pdf([r for r, g in zip(rows, grants) if g[0] == 1])
        pdf2, where2 = _pdf([r for r, g in zip(rows, grants) if g[0] == 2])
        where.update(where2)
        s.add(m.ReportFile(report_id=1, filename="imdi_tilskuddsrapport_2015.pdf", pdf=pdf1))
        s.add(m.ReportFile(report_id=2, filename="prop1s_2014_2015.pdf", pdf=pdf2))
        scheme_id = {(1, 2): 2, (1, 3): 3, (2, 2): 4}
        gp = 0
        for i, g in enumerate(grants, start=1):
            page, top, bottom = where[i]
            s.add(m.GrantRow(id=i, report_id=g[0], scheme_id=scheme_id[(g[0], g[1])], year=g[2],
                             organisation_raw=g[3], alias_id=alias_ids[g[3]], project=g[4],
                             project_lemmas=(g[4] or "").lower() or None, area=g[5],
                             amount_nok=g[6], amount_text=f"{g[6]:,}".replace(",", " "),
                             page=page, x0=40.0, top=top, x1=560.0, bottom=bottom))
            for place in AREA_PLACES.get(g[5] or "", []):
                gp += 1
                s.add(m.GrantPlace(id=gp, grant_id=i, place_id=place, area_part=g[5], method="exact"))
        for pid, kind, number, name, vf, vt in PLACES:
            s.add(m.Place(id=pid, kind=kind, number=number, name=name, valid_from=vf, valid_to=vt,
                          source="SSB"))
        for a, b in SUCCESSORS:
            s.add(m.PlaceSuccessor(place_id=a, current_place_id=b))
        s.add(m.Theme(id="tvangsekteskap", label_no="Tvangsekteskap", label_en="Forced marriage",
                      definition="Forebygging av tvangsekteskap"))
        s.add(m.Theme(id="kjonnslemlestelse", label_no="Kjønnslemlestelse",
                      label_en="Female genital mutilation", definition="Forebygging av kjønnslemlestelse"))
        for i, g in enumerate(grants, start=1):
            if g[1] == 3:
                s.add(m.GrantTheme(grant_id=i, theme_id="tvangsekteskap", source="scheme",
                                   evidence="tvangsekteskap"))
            if g[4] and "kjønnslemlestelse" in g[4]:
                s.add(m.GrantTheme(grant_id=i, theme_id="kjonnslemlestelse", source="project",
                                   evidence="kjønnslemlestelse"))
        s.add(m.PassageRow(id=1, report_id=1, scheme_id=3, year=2015, section="Eksempler på gode tiltak",
                           position=40, text=PASSAGE, lemmas=PASSAGE_LEMMAS, page=2))
        s.add(m.PassageRow(id=2, report_id=1, scheme_id=3, year=2015, section=SCHEME3,
                           position=30, text=PASSAGE2, lemmas=PASSAGE2_LEMMAS, page=1))
        s.add(m.Mention(passage_id=1, report_id=1, start=3, end=37, label="ORG", fine_label="ORG",
                        text="Pakistan kulturforening Skedsmo",
                        organisation_id="pakistansk-kulturforening-skedsmo", page=2))
        s.add(m.Mention(passage_id=1, report_id=1, start=PASSAGE.index("Pakistansk"),
                        end=PASSAGE.index("Pakistansk") + 33, label="ORG", fine_label="ORG",
                        text="Pakistansk kulturforening Skedsmo",
                        organisation_id="pakistansk-kulturforening-skedsmo", page=2))
        s.add(m.PassageTheme(passage_id=1, theme_id="tvangsekteskap", evidence="tvangsekteskap"))
        s.add(m.PassageTheme(passage_id=2, theme_id="tvangsekteskap", evidence="tvangsekteskapet"))
        s.add(m.ReconciliationRow(report_id=1, scheme_id=3, description="Sum of scheme 3 grants "
                                  "against 'til sammen kr. 8 581 430'", kind="sum", stated=8581430,
                                  computed=1683430, ok=False, page=1))
        s.add(m.ReconciliationRow(report_id=1, scheme_id=2, description="Count of scheme 2 grants "
                                  "against '14 organisasjoner'", kind="count", stated=14,
                                  computed=5, ok=False, page=1))
        s.add(m.ReconciliationRow(report_id=2, scheme_id=4, description="Sum 2015 column",
                                  kind="sum", stated=2050000, computed=2050000, ok=True, page=1))
        s.commit()
        # page-region images, rendered from the PDFs as the store does at ingest
        for rid, pdf in ((1, pdf1), (2, pdf2)):
            with pdfplumber.open(io.BytesIO(pdf)) as doc:
                for i, g in enumerate(grants, start=1):
                    if g[0] != rid:
                        continue
                    page, top, bottom = where[i]
                    p = doc.pages[page - 1]
                    img = p.crop((30, max(0, top - 8), p.width - 30, bottom + 8)).to_image(resolution=110)
                    out = io.BytesIO()
                    img.original.save(out, format="PNG")
                    s.add(m.GrantImage(grant_id=i, png=out.getvalue()))
        s.commit()
    engine.dispose()
    conn = sqlite3.connect(path)
    with conn:
        create_views(conn)
        build_search_index(conn)
    conn.close()
    return path


# ---------------------------------------------------------------------------------------------
# a running server

def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, port: int | None = None, timeout: float = 60.0):
    """`tilskudd serve --db DB --port PORT` as a subprocess; yields the base URL."""
    import httpx

    port = port or free_port()
    log = open(Path(db).with_suffix(".serve.log"), "w")
    proc = subprocess.Popen([str(TILSKUDD), "serve", "--db", str(db), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.flush()
                raise RuntimeError("tilskudd serve exited: " + Path(log.name).read_text()[-2000:])
            try:
                if httpx.get(url + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("tilskudd serve did not answer in time")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# ---------------------------------------------------------------------------------------------
# pytest fixtures (imported by the tests/test_site_*.py modules)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def site_db(tmp_path_factory) -> tuple[Path, str]:
    """(path, kind) of the base the site tests publish; built once per test session.

    kind is "samples" (built from samples/ by the store) or "handmade" (while the store cannot
    build samples/ yet). Every test module that imports this fixture shares the same file.
    """
    folder = tmp_path_factory.getbasetemp() / "site-db"
    marker = folder / "kind.txt"
    if marker.exists():
        return folder / "tilskudd.sqlite", marker.read_text()
    folder.mkdir(exist_ok=True)
    path, kind = site_kb(folder / "tilskudd.sqlite")
    marker.write_text(kind)
    return path, kind


@pytest.fixture(scope="session")
def site_app(site_db):
    """An in-process, started Datasette on the site base, and a `get(path)` helper."""
    import asyncio

    from kb.publish import datasette_instance

    ds = datasette_instance(site_db[0])
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def get(path: str):
        return loop.run_until_complete(ds.client.get(path))

    yield get
    loop.close()
