"""A synthetic knowledge base of N grants with the real schema, for the search benchmark.

    python -m bench.generate 1000000        # -> bench/out/kb-<fingerprint>-1000000.sqlite (cached)

The schema is the product's own: `KnowledgeBase.create()` (kb/models.py tables, kb/views.py
views, the places and themes reference rows), then `kb.search.build_search_index()` after the
rows are in. Rows are consistent with that schema: 18 reports (2008-2025) with the five schemes
each, organisations with one or more printed names (aliases), grants pointing at an alias and a
scheme, areas named after municipalities valid in the grant's year (from the `places` table,
i.e. kb/data/kommuner.csv) with their `grant_places`, grant themes, and passages.

Names look like the reports' ("Somalisk kvinneforening Drammen", "Stiftelsen Kirkens Bymisjon i
Bergen", "Lørenskog Røde Kors", "Multikulturelt ressurssenter (MKR)"); grants per organisation
follow a long-tailed distribution, as in the real tables. Everything is seeded: the same N gives
the same file. Rows go in with sqlite3 `executemany` in one transaction (journal off: a
half-written file is never renamed into the cache).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

log = logging.getLogger(__name__)

VERSION = 1  # bump when the generated rows change, so old cached files are not reused
OUT_DIR = Path(__file__).resolve().parent / "out"
YEARS = range(2008, 2026)

SCHEMES = [
    (1, "Frivillig virksomhet i lokalsamfunn"),
    (2, "Tilskudd til nasjonale ressursmiljøer på integreringsfeltet"),
    (3, "Tilskudd til integreringsarbeid i regi av frivillige organisasjoner"),
    (4, "Tiltak mot tvangsekteskap og kjønnslemlestelse"),
    (5, "Innsats for særlig utsatte innvandrergrupper"),
]

NATIONALITIES = [
    "Somalisk", "Pakistansk", "Eritreisk", "Afghansk", "Irakisk", "Syrisk", "Tyrkisk", "Kurdisk",
    "Polsk", "Litauisk", "Vietnamesisk", "Tamilsk", "Filippinsk", "Marokkansk", "Etiopisk",
    "Sudanesisk", "Iransk", "Chilensk", "Bosnisk", "Kosovoalbansk", "Thailandsk", "Kinesisk",
    "Russisk", "Ghanesisk", "Nigeriansk", "Kongolesisk", "Gambisk", "Palestinsk", "Afrikansk",
    "Arabisk", "Latinamerikansk", "Internasjonal", "Flerkulturell", "Multikulturell",
]
KINDS = [
    "kulturforening", "kvinneforening", "ungdomsforening", "foreldreforening", "idrettslag",
    "fotballklubb", "forening", "velferdsforening", "hjelpeorganisasjon", "studentforening",
    "menighet", "kulturhus", "venneforening", "integreringsforening", "kvinnenettverk",
    "ressurssenter", "familieforening", "sjakklubb", "seniorforening", "musikkforening",
]
FOUNDATIONS = [
    "Kirkens Bymisjon", "Fargespill", "Alternativ til Vold", "Leser søker bok", "Kirkens SOS",
    "Flyktninghjelpens venner", "Rettighetssenteret", "Kompetansesenter for likestilling",
    "Mangfold i arbeidslivet", "Minotenk", "Primærmedisinsk verksted", "Nok. senter",
]
LOCAL_CHAPTERS = [
    "{p} Røde Kors", "{p} Frivilligsentral", "Norsk Folkehjelp {p}", "Redd Barna {p}",
    "{p} Sanitetsforening", "Caritas {p}", "{p} Innvandrerråd", "KIA {p}", "{p} Bydelsmødre",
    "Frelsesarmeen {p}", "{p} Internasjonale Kvinnegruppe", "Leksehjelpen {p}",
]
ACRONYM_WORDS = [
    ("Multikulturelt", "Flerkulturelt", "Innvandrernes", "Nasjonalt", "Internasjonalt", "Norsk"),
    ("ressurssenter", "kvinnenettverk", "ungdomsnettverk", "kompetansesenter", "landsråd",
     "dialogforum", "nettverk"),
    ("", "for integrering", "for mangfold", "mot rasisme", "for likestilling", "i Norge"),
]
# Where most of the recipients are: picked half of the time (the other half: any municipality).
BIG_TOWNS = [
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Drammen", "Kristiansand", "Fredrikstad",
    "Tromsø", "Sandnes", "Bærum", "Lørenskog", "Skedsmo", "Lillestrøm", "Asker", "Sarpsborg",
    "Skien", "Bodø", "Ålesund", "Hamar", "Arendal", "Porsgrunn", "Gjøvik", "Moss", "Tønsberg",
]
GROUPS = [
    "somaliske kvinner", "unge jenter", "nyankomne flyktninger", "foreldre med innvandrerbakgrunn",
    "eldre innvandrere", "enslige mindreårige", "arbeidsinnvandrere fra Polen", "ungdom",
    "kvinner fra Eritrea", "familier i asylmottak", "unge menn", "nyankomne innvandrere",
]
PROJECTS = [
    ("Jentegrupper for {g} i {p}", "kvinner_likestilling"),
    ("Informasjon og veiledning til arbeidsinnvandrere i {p}", "arbeidsinnvandrere"),
    ("Leksehjelp for barn og unge i {p}", "barn_unge"),
    ("Norskopplæring for {g}", "norsk_sprak"),
    ("Forebygging av tvangsekteskap og æresrelatert vold", "tvangsekteskap"),
    ("Samtalegrupper om kjønnslemlestelse for {g}", "kjonnslemlestelse"),
    ("Møteplass for kvinner i {p}", "moteplasser_nettverk"),
    ("Fotball og integrering for {g}", "idrett_friluftsliv"),
    ("Foreldreveiledning for {g}", "foreldrerolle_oppvekst"),
    ("Arbeidsmarkedsorientering for innvandrerkvinner", "arbeid_utdanning"),
    ("Dialogmøter om negativ sosial kontroll", "negativ_sosial_kontroll"),
    ("Kurs i digital kompetanse for {g}", "samfunnsinformasjon"),
    ("Sommerleir for enslige mindreårige", "flyktninger_asylsokere"),
    ("Nettverksbygging for nyankomne flyktninger i {p}", "flyktninger_asylsokere"),
    ("Kulturkveld og åpen kafé", None),
    ("Rådgivning om bolig og økonomi for {g}", "rettshjelp_rettigheter"),
    ("Mentorordning for unge med innvandrerbakgrunn", "arbeid_utdanning"),
    ("Helsekurs for {g}", "helse"),
    ("Driftsstøtte", None),
    ("Aktivitetsstøtte", None),
]
SENTENCES = [
    "{o} har gjennomført {n} samlinger for {g} i {p}.",
    "Tiltaket til {o} har nådd {n} deltakere, de fleste {g}.",
    "IMDi mottok {n} søknader, og {o} fikk tilskudd til arbeid mot tvangsekteskap.",
    "{o} samarbeider med {p} kommune om informasjon til {g}.",
    "Prosjektet har bidratt til økt deltakelse i frivillig arbeid blant {g} i {p}.",
    "Rapporten fra {o} viser at {n} familier har fått veiledning.",
]


SCHEMA_SOURCES = ("kb/models.py", "kb/views.py", "kb/search.py", "kb/places.py", "kb/place_store.py",
                  "kb/normalize.py", "kb/organisations.py", "bench/generate.py")


def fingerprint() -> str:
    """A short hash of the code that shapes the file (schema, views, search index, this
    generator): a cached base built by other code is never reused."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha1(str(VERSION).encode())
    for name in SCHEMA_SOURCES:
        path = root / name
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:10]


def db_path(n: int, out_dir: Path = OUT_DIR) -> Path:
    return out_dir / f"kb-{fingerprint()}-{n}.sqlite"


def ensure(n: int, out_dir: Path = OUT_DIR, seed: int = 821) -> Path:
    """The cached knowledge base of `n` grants, generated first if it is not there (older
    cached bases of the same size are deleted then)."""
    path = db_path(n, out_dir)
    if path.exists() and not _has_journal(path):
        return path
    for old in Path(out_dir).glob(f"kb-*-{n}.sqlite*"):
        old.unlink()
    return generate(path, n, seed=seed)


def _has_journal(path: Path) -> bool:
    """A hot journal or WAL next to the file: something wrote to it and did not finish."""
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-journal", "-wal"))


def generate(path: Path, n: int, seed: int = 821) -> Path:
    """Write a knowledge base of `n` grants to `path` (via a temporary file, renamed at the end)."""
    from kb.search import build_search_index
    from kb.store import KnowledgeBase

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with KnowledgeBase(tmp) as kb:
        kb.create()  # the real tables, views, places and themes
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-400000")  # 400 MB page cache while loading
        con.execute("PRAGMA temp_store=MEMORY")
        rng = random.Random(seed)
        con.execute("BEGIN")
        counts = _fill(con, rng, n)
        t1 = time.perf_counter()
        build_search_index(con)
        con.execute("COMMIT")
        t2 = time.perf_counter()
        con.execute("ANALYZE")
    finally:
        con.close()
    os.replace(tmp, path)
    log.info("%s: %s rows in %.1f s, search index %.1f s", path.name,
             ", ".join(f"{k} {v:,}" for k, v in counts.items()), t1 - t0, t2 - t1)
    return path


# -- rows ----------------------------------------------------------------------------------------

def _places_by_year(con) -> tuple[dict[int, list[tuple[str, str]]], list[tuple[str, str]]]:
    rows = con.execute("SELECT id, name, valid_from, valid_to FROM places WHERE kind = 'kommune'").fetchall()
    by_year = {}
    for y in YEARS:
        by_year[y] = [(pid, name) for pid, name, lo, hi in rows
                      if (lo is None or lo <= y) and (hi is None or y <= hi)]
    regions = con.execute("SELECT id, name FROM places WHERE kind IN ('region', 'land')").fetchall()
    return by_year, regions


def _org_names(rng: random.Random, count: int, towns: list[str]) -> list[tuple[str, str | None]]:
    """`count` distinct organisation names (with their acronym where they print one)."""
    big = [t for t in BIG_TOWNS if t in towns]
    names: dict[str, str | None] = {}
    folded: set[str] = set()
    tries = 0
    while len(names) < count:
        tries += 1
        if tries > count * 50:
            raise RuntimeError(f"cannot make {count:,} distinct organisation names")
        r = rng.random()
        town = rng.choice(big if rng.random() < 0.5 else towns)
        acronym = None
        if r < 0.62:
            nat, kind = rng.choice(NATIONALITIES), rng.choice(KINDS)
            name = rng.choice([f"{nat} {kind} {town}", f"{nat} {kind} i {town}",
                               f"{town} {nat.lower()} {kind}"])
        elif r < 0.72:
            name = f"Stiftelsen {rng.choice(FOUNDATIONS)}"
            if rng.random() < 0.85:
                name += f" i {town}"
        elif r < 0.92:
            name = rng.choice(LOCAL_CHAPTERS).format(p=town)
        else:
            a, b, c = (rng.choice(w) for w in ACRONYM_WORDS)
            full = " ".join(x for x in (a, b, c) if x)
            acronym = "".join(w[0].upper() for w in full.split() if w not in ("for", "i", "mot"))
            acronym += rng.choice(["", "-" + town[:3].upper(), str(rng.randint(1, 99))])
            name = f"{full} ({acronym})"
        key = " ".join(name.casefold().split())
        if key not in folded:
            folded.add(key)
            names[name] = acronym
    return list(names.items())


def _variant(name: str, acronym: str | None, rng: random.Random) -> str:
    """Another way a report prints the same organisation."""
    choice = rng.randrange(4)
    if acronym and choice == 0:
        return acronym
    if choice == 1:
        return " ".join(w[:1].upper() + w[1:] for w in name.split())
    if choice == 2 and " i " in name:
        return name.replace(" i ", " - ", 1)
    return name.upper() if len(name) < 30 else name.replace("forening", "foreningen")


def _fill(con, rng: random.Random, n: int) -> dict[str, int]:
    by_year, regions = _places_by_year(con)
    themes = {t for (t,) in con.execute("SELECT id FROM themes")}
    towns = sorted({name for rows in by_year.values() for _, name in rows})
    by_year_big = {y: [p for p in rows if p[1] in BIG_TOWNS] for y, rows in by_year.items()}

    # reports and schemes
    reports, schemes = [], []
    scheme_ids: dict[int, list[int]] = {}
    for rid, year in enumerate(YEARS, 1):
        reports.append((rid, hashlib.sha256(f"synthetic-{year}".encode()).hexdigest(),
                        f"imdi_tilskuddsrapport_{year}.pdf",
                        f"Rapport om tilskuddsordningene {year}", year, "IMDi", 40,
                        f"{year + 1}-03-01 12:00:00.000000", "synthetic"))
        scheme_ids[year] = []
        for number, name in SCHEMES:
            sid = len(schemes) + 1
            schemes.append((sid, rid, year, str(number), number, name, None, None, 2 + number * 6))
            scheme_ids[year].append(sid)
    _insert(con, "reports", "id, sha256, filename, title, year, publisher, page_count, "
                            "ingested_at, extractor_version", reports)
    _insert(con, "schemes", "id, report_id, year, key, number, name, part, part_name, page", schemes)

    # organisations and their printed names
    n_orgs = max(20, n // 20)
    orgs = _org_names(rng, n_orgs, towns)
    taken = {name for name, _ in orgs}
    aliases = []  # (alias_id, org index, name, method, score)
    for i, (name, acronym) in enumerate(orgs):
        aliases.append((len(aliases) + 1, i, name, "new", None))
        if rng.random() < 0.3:
            other = _variant(name, acronym, rng)
            if other not in taken:
                taken.add(other)
                aliases.append((len(aliases) + 1, i, other, rng.choice(["normalized", "fuzzy", "acronym"]),
                                round(rng.uniform(88, 100), 1)))
    # long tail: a few organisations get many grants, most get a handful
    weights = [1.0 / (k + 10) ** 0.9 for k in range(len(aliases))]
    rng.shuffle(weights)
    picks = rng.choices(range(len(aliases)), weights=weights, k=n)

    years_of = [[None, None] for _ in aliases]
    grants, grant_places, grant_themes = [], [], []
    per_year_rows: dict[int, int] = {}
    gp_id = 0
    for gid in range(1, n + 1):
        a = picks[gid - 1]
        year = YEARS[(a * 7 + gid) % len(YEARS)] if rng.random() < 0.7 else rng.choice(YEARS)
        span = years_of[a]
        span[0] = year if span[0] is None else min(span[0], year)
        span[1] = year if span[1] is None else max(span[1], year)
        places = by_year_big[year] if rng.random() < 0.5 else by_year[year]
        if rng.random() < 0.08:
            parts = [rng.choice(regions)]
        else:
            parts = [rng.choice(places) for _ in range(1 if rng.random() < 0.85 else rng.randint(2, 3))]
        area = ", ".join(name for _, name in parts)
        template, theme = rng.choice(PROJECTS)
        project = template.format(g=rng.choice(GROUPS), p=parts[0][1])
        amount = int(math.exp(rng.uniform(math.log(10_000), math.log(3_000_000)))) // 1000 * 1000
        row = per_year_rows.get(year, 0)
        per_year_rows[year] = row + 1
        page = 8 + (row // 30) % 40
        top = 90.0 + (row % 30) * 22.5
        grants.append((gid, year - YEARS[0] + 1, rng.choice(scheme_ids[year]), year, aliases[a][2],
                       aliases[a][0], project, project.lower(), area, amount,
                       f"{amount:,}".replace(",", " ") + "kr", "table", None, page,
                       56.7, top, 538.6, top + 20.0, 0, row))
        for pid, pname in parts:
            gp_id += 1
            grant_places.append((gp_id, gid, pid, pname, "exact", None))
        if theme in themes:
            grant_themes.append((gid, theme, "project", project.split()[0].lower()))
    # organisation ids and normalized names as kb/ (linking) makes them, so that an ingest into
    # this base does not re-key every organisation it already holds
    from kb.normalize import normalize_name
    from kb.organisations import organisation_id_for

    normalized = [normalize_name(name) for _aid, _i, name, _m, _s in aliases]
    org_names: dict[int, list[str]] = {}
    org_years: dict[int, list[int]] = {}
    anchors: dict[int, tuple[str, str]] = {}
    for (aid, i, name, _m, _s), norm in zip(aliases, normalized):
        org_names.setdefault(i, []).append(name)
        org_years.setdefault(i, []).extend(y for y in years_of[aid - 1] if y is not None)
        anchors[i] = min(anchors.get(i, (norm, name)), (norm, name))
    org_ids = {i: organisation_id_for(name) for i, (_norm, name) in anchors.items()}
    _insert(con, "aliases", "alias_id, organisation_id, name, normalized, first_year, last_year, "
                            "method, score, explanation",
        ((aid, org_ids[i], name, norm, years_of[aid - 1][0], years_of[aid - 1][1], method, score,
          None if method == "new" else f"{method} match on the printed name")
         for (aid, i, name, method, score), norm in zip(aliases, normalized)))
    _insert(con, "organisations", "id, name, normalized, acronym, all_names, first_year, last_year",
        ((org_ids[i], name, normalize_name(name), acronym, " | ".join(sorted(org_names[i])),
          min(org_years[i], default=None), max(org_years[i], default=None))
         for i, (name, acronym) in enumerate(orgs)))
    _insert(con, "grants", "id, report_id, scheme_id, year, organisation_raw, alias_id, project, "
                           "project_lemmas, area, amount_nok, amount_text, source, sentence, page, "
                           "x0, top, x1, bottom, table_index, row_index", grants)
    _insert(con, "grant_places", "id, grant_id, place_id, area_part, method, score", grant_places)
    _insert(con, "grant_themes", "grant_id, theme_id, source, evidence", grant_themes)
    passages = []
    for pid in range(1, max(10, n // 50) + 1):
        year = rng.choice(YEARS)
        text = " ".join(rng.choice(SENTENCES).format(
            o=rng.choice(orgs)[0], n=rng.randint(3, 400), g=rng.choice(GROUPS),
            p=rng.choice(towns)) for _ in range(rng.randint(2, 5)))
        passages.append((pid, year - YEARS[0] + 1, scheme_ids[year][rng.randrange(5)], year,
                         "Resultater", pid, text, text.lower(), 3 + pid % 30))
    _insert(con, "passages", "id, report_id, scheme_id, year, section, position, text, lemmas, "
                             "page", passages)
    return {"reports": len(reports), "organisations": len(orgs), "aliases": len(aliases),
            "grants": n, "grant_places": len(grant_places), "grant_themes": len(grant_themes),
            "passages": len(passages)}


def _insert(con, table: str, columns: str, rows) -> None:
    """`executemany` INSERT of `columns`. NOT NULL columns this generator does not fill (added to
    kb/models.py after it was written) get their sqlmodel default; one without a default is an
    error that names it."""
    cols = [c.strip() for c in columns.split(",")]
    extra = _model_defaults(con, table, cols)
    names = ", ".join(cols + list(extra))
    marks = ", ".join("?" * (len(cols) + len(extra)))
    tail = tuple(extra.values())
    con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    (tuple(r) + tail for r in rows) if tail else rows)


def _model_defaults(con, table: str, given: list[str]) -> dict:
    from pydantic_core import PydanticUndefined

    from kb.models import ALL_TABLES

    model = next(m for m in ALL_TABLES if m.__tablename__ == table)
    out = {}
    for _cid, name, _type, notnull, default_sql, pk in con.execute(f"PRAGMA table_info({table})"):
        if name in given or not notnull or default_sql is not None or pk:
            continue
        field = model.model_fields.get(name)
        value = PydanticUndefined if field is None else field.get_default(call_default_factory=True)
        if value is PydanticUndefined or value is None:
            raise RuntimeError(f"bench/generate.py does not fill {table}.{name}: add it to the generator")
        out[name] = value
    return out


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for arg in argv or ["1000000"]:
        t = time.perf_counter()
        path = ensure(int(arg))
        print(f"{path} ({path.stat().st_size / 1e6:,.0f} MB, {time.perf_counter() - t:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
