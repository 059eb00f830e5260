"""Gazetteers: span-ruler patterns generated from known places and organisations.

Patterns are data (`{"label", "pattern", "id"}` dicts for spaCy's `span_ruler`); `id` is the
`places.id` / `organisations.id` the mention links to. Labels are NorNE's fine labels
(`GPE_LOC` for places, `LOC` for regions, `ORG` for organisations); the pipeline maps them to
the output labels `PLACE` / `ORG`.

Places come from the caller (the kb reads the `places` table) or, without a database, from the
reference CSVs in `kb/data/` (`reference_places()`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "kb" / "data"

# Fine labels for place kinds.
PLACE_FINE_LABEL = {"kommune": "GPE_LOC", "fylke": "GPE_LOC", "bydel": "GPE_LOC",
                    "land": "GPE_LOC", "region": "LOC"}
# When several places share a name, the first kind in this order wins (Oslo: kommune, not fylke).
KIND_PREFERENCE = ("kommune", "bydel", "fylke", "region", "land")

# Place names that are also ordinary Norwegian words (`bø`, `nes` = headland, `vik` = bay,
# `ski`, `gran`, `lund` = grove, `sund`, `hole`, `moss`...). They are matched only in qualified,
# unambiguous forms (`Bø kommune`, `bydel X`); a bare `Nes` is left to the NER, whose PLACE
# hits are still linked by name.
AMBIGUOUS_PLACE_NAMES = frozenset({
    "Alver", "Berg", "Bø", "Eid", "Fet", "Fjell", "Fjord", "Flå", "Gol", "Gran", "Halsa",
    "Heim", "Hof", "Hol", "Hole", "Hå", "Kinn", "Lier", "Lom", "Loppa", "Lund", "Moss", "Nes",
    "Os", "Osen", "Re", "Røst", "Sande", "Sel", "Ski", "Sola", "Stad", "Strand", "Sund", "Time",
    "Tinn", "Torsken", "Valle", "Vang", "Vik", "Øyer", "Ål", "Ås",
})


def genitive(name: str) -> str:
    """Bokmål genitive: `Oslos`, `Bergens`, `Hamars`; names ending in s, x or z take an
    apostrophe (`Moss'`, `NOAS'`)."""
    return name + "'" if name[-1:].lower() in "sxz" else name + "s"


def place_forms(name: str, kind: str, ambiguous: bool = False) -> list[str]:
    """Surface forms of a place name: as written, genitive, and with its kind word
    (`Skedsmo kommune`, `Skedsmo kommunes`, `bydel Alna`, `Bydel Alna`, `Akershus fylke`).
    An ambiguous name keeps only the qualified forms."""
    forms = [] if ambiguous else [name, genitive(name)]
    if kind == "kommune":
        forms += [f"{name} kommune", f"{name} kommunes", f"{genitive(name)} kommune"]
    elif kind == "fylke":
        forms += [f"{name} fylke", f"{name} fylkeskommune", f"{name} fylkeskommunes"]
    elif kind == "bydel":
        forms += [f"bydel {name}", f"Bydel {name}", f"{name} bydel", f"bydel {genitive(name)}"]
    return forms


def is_ambiguous_place(name: str) -> bool:
    """A place name that is also an ordinary word (see AMBIGUOUS_PLACE_NAMES)."""
    return name in AMBIGUOUS_PLACE_NAMES


def preferred_places(places) -> dict[str, tuple[str, str]]:
    """{name: (place_id, kind)}, one place per name: the preferred kind wins, then the first
    given."""
    rank = {kind: i for i, kind in enumerate(KIND_PREFERENCE)}
    best: dict[str, tuple[str, str]] = {}
    for place_id, name, kind in places:
        name = name.strip()
        if not name:
            continue
        current = best.get(name)
        if current is None or rank.get(kind, 99) < rank.get(current[1], 99):
            best[name] = (place_id, kind)
    return best


def place_patterns(places) -> list[dict]:
    """Entity-ruler patterns for places given as (place_id, name, kind) tuples (names may hold
    ';'-separated alternatives). Each surface form maps to one place."""
    patterns, seen = [], set()
    for name, (place_id, kind) in preferred_places(_split_names(places)).items():
        ambiguous = is_ambiguous_place(name)
        for form in place_forms(name, kind, ambiguous):
            if form not in seen:
                seen.add(form)
                patterns.append({"label": PLACE_FINE_LABEL.get(kind, "GPE_LOC"),
                                 "pattern": form, "id": place_id})
    return patterns


def _split_names(places):
    for place in places:
        place_id, names, kind = place[0], place[1], place[2]
        for name in str(names).split(";"):
            yield place_id, name.strip(), kind


_ACRONYM_IN_PARENS = re.compile(r"^(?P<base>.*?)\s*\((?P<acronym>[^()]{2,12})\)\s*$")
_ACRONYM = re.compile(r"^[A-ZÆØÅ][A-Za-zÆØÅæøå\-.]{1,7}$")
LEGAL_FORMS = ("Stiftelsen ", "Foreningen ", "Organisasjonen ")


def looks_like_acronym(word: str) -> bool:
    """`NOAS`, `KIA`, `MiRA`, `IMDi`, `N.K.S.`: short, starts upper-case, two or more capitals."""
    return bool(_ACRONYM.match(word)) and sum(c.isupper() for c in word) >= 2


def org_forms(name: str) -> list[str]:
    """Surface forms of an organisation name as printed (rules in `_org_forms`)."""
    return _org_forms(name)[0]


def _org_forms(name: str) -> tuple[list[str], set[str]]:
    """Surface forms of an organisation name as printed (see docs/nlp.md, "Gazetteers"):
    - the name without a trailing parenthesis and the acronym in it:
      `Norsk organisasjon for asylsøkere (NOAS)` → `Norsk organisasjon for asylsøkere`, `NOAS`;
    - a leading acronym: `LIN Likestilling Inkludering Og Nettverk` → `LIN`;
    - the part before a comma and an acronym after it: `Stiftelsen Kirkens Bymisjon Oslo, PMV`
      → `Stiftelsen Kirkens Bymisjon Oslo`, `PMV`;
    - the short name before a dash: `Minotenk – minoritetspolitisk tenketank` → `Minotenk`;
    - both halves of `A/B` and `A v/B`: `Palestinaforeningen/Alamal`;
    - without a legal-form word: `Stiftelsen Amathea` → `Amathea` (multi-word results only);
    - genitives (`NOAS'`, `MiRAs`, `Redd Barnas`) and upper-cased acronyms (`IMDI`).
    The printed name itself is kept only when it has no parenthesis (the annotation
    guidelines mark `Human rights service` and `HRS` as two mentions)."""
    name = " ".join(name.split())
    names, acronyms = [], []
    match = _ACRONYM_IN_PARENS.match(name)
    if match:
        names.append(match["base"].strip(" -–,"))
        acronyms.append(match["acronym"].strip())
    else:
        names.append(name)
    base = names[0]
    words = base.split()
    if len(words) > 1 and looks_like_acronym(words[0]):
        acronyms.append(words[0])
    dashed = False
    for dash in (" – ", " - "):
        if dash in base:
            dashed = True
            head = base.split(dash, 1)[0].strip()
            (acronyms if looks_like_acronym(head) else names).append(head)
    if ", " in base and not dashed:
        head, tail = base.split(", ", 1)
        names.append(head)
        if looks_like_acronym(tail.split()[0]):
            acronyms.append(tail.split()[0])
    if " v/" in base:   # `A v/B` (A by its unit B) is two organisations, not one name
        names.remove(base)
        names.extend(part.strip() for part in base.split(" v/", 1))
    elif "/" in base:
        names.extend(part.strip() for part in base.split("/", 1))
    for legal in LEGAL_FORMS:
        for n in list(names):
            if n.startswith(legal) and len(n[len(legal):].split()) > 1:
                names.append(n[len(legal):])
    return _with_variants(names, acronyms)


def _with_variants(names, acronyms) -> tuple[list[str], set[str]]:
    """(all forms, the acronym forms among them), with genitives and upper-cased acronyms."""
    forms, acronym_forms = [], set()
    for n in names:
        if len(n) >= 2:
            forms += [n, genitive(n)]
    for a in acronyms:
        variants = [a, genitive(a)] + ([a.upper(), genitive(a.upper())] if a != a.upper() else [])
        forms += variants
        acronym_forms.update(variants)
    return list(dict.fromkeys(f for f in forms if len(f) >= 2)), acronym_forms


def public_bodies(path: Path = Path(__file__).parent / "data" / "public_bodies.csv") -> list[tuple[str, str]]:
    """(name, printed form) of public bodies the reports name but that get no grants (IMDi,
    BLD, UDI, NAV...), from nlp/data/public_bodies.csv: `Name (ACRONYM)` or `Name`."""
    rows = _read_csv(path)
    return [("", f"{r['name']} ({r['acronym']})" if r.get("acronym") else r["name"]) for r in rows]


def org_patterns(organisations) -> tuple[list[dict], list[dict]]:
    """Span-ruler patterns for organisations given as (organisation_id, name) tuples; an empty
    id means "known name, no kb row" (public bodies).

    Returns (case_sensitive, case_insensitive): upper-case acronyms and one-word names must
    match as written (`KIA`, not `kia`; `KUN`, not `kun`); multi-word names and mixed-case
    acronyms match in any case (tables and narrative differ: `Pakistansk Kulturforening
    Skedsmo`, `Mir`/`MiR`)."""
    exact, lower, seen = [], [], set()
    for org_id, name in organisations:
        if not name or not name.strip():
            continue
        forms, acronyms = _org_forms(name)
        for form in forms:
            # mixed-case acronyms are printed inconsistently (`Mir`, `MiR`): match in any case
            any_case = " " in form or (form in acronyms and any(c.islower() for c in form.rstrip("s'")))
            key = form.lower() if any_case else form
            if key in seen:
                continue
            seen.add(key)
            pattern = {"label": "ORG", "pattern": form, "id": org_id or ""}
            (lower if any_case else exact).append(pattern)
    return exact, lower


# Head nouns that make a capitalised phrase an organisation name (`Afghansk forening`,
# `Tromsø Idrettsråd`, `Nansen Fredssenter`), and endings of one-word service names
# (`Frivilligsentralen`, `Flyktningtjenesten`).
ORG_HEADS = (r"^\w*(forening|foreningen|forbund|forbundet|idrettslag|idrettslaget|klubb|klubben|"
             r"senter|senteret|sentral|sentralen|råd|rådet|sambandet|dialog|nettverk|nettverket)$")
ORG_ONE_WORD = r"^\w{4,}(sentralen|tjenesten|opplæringen|foreningen|forbundet)$"


def org_shape_patterns() -> list[dict]:
    """Token patterns for organisation names the gazetteer does not know, by their shape:
    capitalised words (not stop words) + an organisation head noun, optionally `i <Place>`
    or `<Place>` (`Kurdisk forening i Skedsmo`, `Pakistansk kulturforening Skedsmo`,
    `Skedsmo Dialog`), or one capitalised word ending like a
    public service (`Frivilligsentralen`). Label ORG, no id."""
    title = {"IS_TITLE": True, "IS_STOP": False}
    heads = [{"IS_TITLE": True, "LOWER": {"REGEX": ORG_HEADS}},          # Tromsø Idrettsråd
             {"IS_LOWER": True, "LOWER": {"REGEX": r"^\w*forening(en)?$"}}]  # Afghansk forening
    patterns = [{"label": "ORG", "pattern": [dict(title, LOWER={"REGEX": ORG_ONE_WORD})]}]
    # `Pakistansk kulturforening Skedsmo`: a place name right after a lower-case `...forening`
    patterns.append({"label": "ORG", "pattern": [dict(title, OP="+"), heads[1], {"IS_TITLE": True}]})
    for head in heads:
        patterns.append({"label": "ORG", "pattern": [dict(title, OP="+"), head]})
        patterns.append({"label": "ORG", "pattern": [dict(title, OP="+"), head, {"LOWER": "i"},
                                                     {"IS_TITLE": True}]})
    return patterns


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _in_force(row: dict, year: int | None) -> bool:
    if year is None:
        return True
    start = int(row["valid_from"]) if row.get("valid_from") else 0
    end = int(row["valid_to"]) if row.get("valid_to") else 9999
    return start <= year <= end


def reference_places(year: int | None = None, data_dir: Path = REFERENCE_DIR) -> list[tuple[str, str, str]]:
    """(place_id, names, kind) from the reference CSVs (kommuner, fylker, oslo_bydeler,
    regions), for use without a database. `names` is ';'-separated (official + alternatives).
    With `year`, only places in force that year; without, the most recent row per name wins
    because later rows come first."""
    places = []
    for row in reversed(_read_csv(data_dir / "kommuner.csv")):
        if _in_force(row, year):
            names = ";".join(n for n in [row["name"], row.get("name_alt", "")] if n)
            places.append((f"kommune:{row['kommunenummer']}", names, "kommune"))
    for row in reversed(_read_csv(data_dir / "fylker.csv")):
        if _in_force(row, year):
            names = ";".join(n for n in [row["name"], row.get("name_alt", "")] if n)
            places.append((f"fylke:{row['fylkesnummer']}", names, "fylke"))
    for row in _read_csv(data_dir / "oslo_bydeler.csv"):
        if _in_force(row, year):
            places.append((f"bydel:{row['bydelsnummer']}", row["name"], "bydel"))
    for row in _read_csv(data_dir / "regions.csv"):
        names = ";".join(n for n in [row["name"], row.get("aliases", "")] if n)
        places.append((row["id"], names, row.get("kind") or "region"))
    return places
