"""One `normalize_name()` for organisation names, used both when storing and when querying.

`name_parts()` splits a printed name into what linking compares: the normalized core, an
acronym (in parentheses, leading, or the whole name), place qualifiers (recognised from the
reference data in kb/data, typos tolerated: `KIA Roagaland` is in Rogaland), the legal form
(`Stiftelsen`), trailing notes (`(ny i 2010)`) and a head/tail split at a separating dash or
comma (`Caritas Norge – Region øst, ...`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["normalize_name", "name_parts", "acronym_of", "NameParts", "place_names"]

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEPARATOR = re.compile(r"\s+[-\u2013\u2014]\s*|\s*[\u2013\u2014]\s+|,|;")
_PAREN = re.compile(r"\(([^()]*)\)")
_DOTTED = re.compile(r"\b(?:[A-Za-zÆØÅæøå]\.){2,}")
_WORD = re.compile(r"[0-9a-zæøåäöüéèáàóòúñçšžčđ']+")

LEGAL_FORMS = frozenset({"stiftelsen", "stiftelse", "stiftinga", "stifting", "as", "asa", "sa",
                         "ba", "da", "ans", "ks", "nuf"})
"""Legal-form words dropped from the normalized name (`Stiftelsen Amathea` = `Amathea`)."""

NATIONAL = frozenset({"norsk", "norske", "norges", "norge", "noregs", "noreg", "norway",
                      "norwegian"})
"""Forms of "Norwegian/Norway's": all normalize to `norge` (`Norsk`/`Norges Fotballforbund`)."""

UNIT_WORDS = frozenset({"distriktskontoret", "distriktskontor", "hovedkontoret", "hovedkontor",
                        "sekretariatet", "sekretariat"})
"""Office words that name the same body (`Vest-Agder Røde Kors Distriktskontoret`)."""

_DROP = frozenset({"i", "v", "c", "o"})  # `i Bergen`, `v/Primærmedisinsk`, `c/o`
_LEADING_ARTICLES = frozenset({"den", "det", "de", "the"})

# Head nouns whose definite form (`Idrettsforeningen`, `Senteret`) is reduced to the
# indefinite (`idrettsforening`, `senter`), longest suffix first.
_DEFINITE = (
    ("foreningen", "forening"), ("foreninga", "forening"), ("senteret", "senter"),
    ("sentret", "senter"), ("organisasjonen", "organisasjon"), ("forbundet", "forbund"),
    ("nettverket", "nettverk"), ("klubben", "klubb"), ("laget", "lag"), ("rådet", "råd"),
    ("kontoret", "kontor"), ("sentralen", "sentral"), ("huset", "hus"), ("gruppen", "gruppe"),
    ("gruppa", "gruppe"), ("menigheten", "menighet"), ("samfunnet", "samfunn"),
    ("tjenesten", "tjeneste"), ("universitetet", "universitet"), ("prosjektet", "prosjekt"),
    ("alliansen", "allianse"), ("stiftelsen", "stiftelse"), ("kirken", "kirke"),
)
_GENITIVE_ENDINGS = ("ens", "nes", "ers", "ets", "es")

REGIONS = ("østlandet", "vestlandet", "sørlandet", "nord-norge", "midt-norge", "nordlandet",
           "trøndelag", "romerike", "groruddalen", "agder", "hedmarken", "hadeland", "ringerike",
           "sunnmøre", "nordmøre", "romsdal", "jæren", "lofoten", "vesterålen", "finnmark",
           "hallingdal", "valdres", "gudbrandsdalen", "østerdalen", "telemark", "oslo-området",
           "bergensområdet", "stavanger-området", "søndre nordstrand", "nordre aker")
"""Named regions that are not in the municipality/county/district lists."""

# Municipality names that are also ordinary words in organisation names; recognised as places
# only after `i` (`forening i Nes`) or as the last of three or more words.
_AMBIGUOUS_PLACES = frozenset({"time", "hole", "lund", "vik", "nes", "os", "bø", "hå", "ås",
                               "sel", "lom", "vang", "gran", "fjell", "sande", "sund", "eid",
                               "re", "hol", "vega", "frei", "aure", "leka", "tana", "rana",
                               "kvam", "sola", "nord", "moss", "ski", "grane", "ål", "nome",
                               "stad", "luster", "vestre", "bygland", "fana", "hemne", "verran"})


@dataclass(frozen=True)
class NameParts:
    """A printed organisation name taken apart for linking."""

    name: str
    normalized: str
    """normalize_name(name): the words linking compares, space-separated."""
    tokens: tuple[str, ...]
    head: str
    """Normalized words before a separating dash or comma (the whole name when there is none)."""
    tail: str
    """Normalized words after it (a description, a unit, a list of regions), or ''."""
    acronym: str | None
    """Upper-cased acronym: `(NOAS)` → NOAS, leading `MiRA – ...` → MIRA, `N.K.S.` → NKS."""
    acronym_only: bool
    """The whole name is an acronym (`NOAS`, `DNT`, `MiRA`)."""
    acronym_leading: bool
    """The acronym is printed as the name itself (`MiRA-Senteret`, `LIN Likestilling ...`),
    not only in parentheses after it."""
    places: frozenset[str]
    """Place qualifiers, as canonical normalized place names (`roagaland` → `rogaland`)."""
    legal_form: str | None
    notes: tuple[str, ...]
    """Parenthesised notes that are not acronyms (`ny i 2010`)."""


def normalize_name(name: str) -> str:
    """The normalized form of an organisation name: lower case, one kind of space, dashes and
    `&` as words (`og`), no legal form, no parenthesised acronym or note, genitive `s` and
    definite head nouns reduced, `Norsk/Norges/Norske` as `norge`, place typos corrected."""
    return name_parts(name).normalized


def acronym_of(name: str) -> str | None:
    """The acronym a printed name carries, upper-cased, or None."""
    return name_parts(name).acronym


def _looks_acronym(tok: str) -> bool:
    letters = tok.replace("&", "")
    if not (2 <= len(letters) <= 6) or not letters.isalpha():
        return False
    upper = sum(1 for c in letters if c.isupper())
    return letters.isupper() or (letters[0].isupper() and upper >= 2)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=200_000)
def name_parts(name: str) -> NameParts:
    """Take a printed organisation name apart (pure; cached by name)."""
    text = _clean(name)
    acronym = None
    notes: list[str] = []
    places_in_parens = []
    for inner in _PAREN.findall(text):
        inner_s = inner.strip().replace(".", "")
        if _norm_place(inner_s) in place_names():  # `Norsk Folkehjelp (Oslo)`
            places_in_parens.append(inner_s)
        elif re.fullmatch(r"[A-Za-zÆØÅæøå&]{2,8}", inner_s) and acronym is None and (
                _looks_acronym(inner_s) or len(inner_s) <= 4):
            acronym = inner_s.upper()
        elif inner.strip():
            notes.append(_clean(inner).lower())
    text = _PAREN.sub(" ", text) + "".join(" " + p for p in places_in_parens)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _clean(text)

    raw_tokens = text.split(" ")
    acronym_only = False
    leading = False
    first = re.sub(r"[^\wæøåÆØÅ&]", "", raw_tokens[0]) if raw_tokens else ""
    first_word = re.split(r"[-/\u2013\u2014]", raw_tokens[0])[0] if raw_tokens else ""
    if len(raw_tokens) == 1 and _looks_acronym(first):
        acronym_only = acronym is None
        leading = acronym is None or acronym == first.upper()
        acronym = acronym or first.upper()
    elif _looks_acronym(first_word) and first_word.upper() not in ("AS",) and \
            acronym in (None, first_word.upper()):
        acronym = first_word.upper()
        leading = True

    last = re.sub(r"[^\wæøåÆØÅ]", "", raw_tokens[-1]) if raw_tokens else ""
    if (acronym is None and len(raw_tokens) >= 3 and last.isupper() and _looks_acronym(last)
            and last.lower() not in LEGAL_FORMS):
        acronym = last.upper()  # trailing acronym: `Norsk Organisasjon for Asylsøkere NOAS`
        text = text[: text.rstrip().rfind(raw_tokens[-1])].rstrip(" ,-\u2013")
    pieces = _SEPARATOR.split(text, maxsplit=1)
    head_raw, tail_raw = (pieces[0], pieces[1]) if len(pieces) == 2 else (text, "")

    legal: list[str] = []
    places: set[str] = set()
    head = _words(head_raw, legal, places)
    tail = _words(tail_raw, legal, places)
    tokens = tuple(head + tail)
    return NameParts(
        name=name, normalized=" ".join(tokens), tokens=tokens, head=" ".join(head),
        tail=" ".join(tail), acronym=acronym, acronym_only=acronym_only,
        acronym_leading=leading,
        places=frozenset(places), legal_form=legal[0] if legal else None, notes=tuple(notes),
    )


def _words(text: str, legal: list[str], places: set[str]) -> list[str]:
    """Normalized words of one segment; collects legal forms and places (appends to the given
    accumulators, which belong to the caller's single call)."""
    for d in _DASHES + "-/":
        text = text.replace(d, " ")
    text = text.replace("&", " og ").replace("+", " og ")
    raw = text.split()
    words: list[str] = []
    for tok in raw:
        low = _token(tok)
        if low:
            words.append(low)
    out: list[str] = []
    after_i = False
    for i, w in enumerate(words):
        if w in _DROP:
            after_i = w == "i"
            continue
        if w in LEGAL_FORMS and (i == 0 or i == len(words) - 1) and len(words) > 1:
            legal.append(w)
            continue
        if w in UNIT_WORDS:
            continue
        if w in NATIONAL:
            out.append("norge")
            after_i = False
            continue
        if not out and w in _LEADING_ARTICLES and len(words) > i + 1:
            continue
        # mark words that follow `i` (`forening i Nes`): only there is a short place trusted
        out.append(("\x00" if after_i else "") + w)
        after_i = False
    return _mark_places(out, places)


@lru_cache(maxsize=200_000)
def _token(tok: str) -> str:
    """One printed word, lower-cased, letters and digits only; `CPNs` → `cpn`."""
    if re.fullmatch(r"[A-ZÆØÅ]{2,}s", tok):  # genitive of an acronym: CPNs, LINs
        tok = tok[:-1]
    return "".join(_WORD.findall(tok.lower()))


@lru_cache(maxsize=200_000)
def _stem(w: str) -> str:
    if len(w) >= 6 and w.endswith(_GENITIVE_ENDINGS) and not w.endswith("ss"):
        w = w[:-1]
    for long, short in _DEFINITE:
        if w.endswith(long):
            return w[: -len(long)] + short
    return w


def _mark_places(words: list[str], places: set[str]) -> list[str]:
    """Find place names (1-3 words) in the word list; replace typo'd places by the canonical
    name; reduce the other words (definite form, genitive); strip the `after i` marks."""
    index = _place_index()
    out: list[str] = []
    i = 0
    while i < len(words):
        after_i = words[i].startswith("\x00")
        matched = False
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            gram = " ".join(w.lstrip("\x00") for w in words[i:i + n])
            if gram in index.exact:
                if n == 1 and gram in _AMBIGUOUS_PLACES and not after_i and not (
                        i == len(words) - 1 and len(words) >= 2 and len(gram) >= 3):
                    continue
                places.add(gram)
                out.extend(gram.split(" "))
                i += n
                matched = True
                break
        if matched:
            continue
        w = words[i].lstrip("\x00")
        fixed = index.fuzzy(w) if w != "norge" else None
        if fixed is not None:
            places.add(fixed)
            out.extend(fixed.split(" "))
        else:
            out.append(_stem(w))
        i += 1
    return out


@dataclass(frozen=True)
class _PlaceIndex:
    exact: frozenset[str]
    by_initial: dict

    def fuzzy(self, word: str) -> str | None:
        """A typo of a place name (`roagaland` → `rogaland`): same first letter, length 6+,
        one edit away (two in names of 9+ letters)."""
        if len(word) < 6 or not word.isalpha():
            return None
        if not self.by_initial.get(word[0]):
            return None
        return _fuzzy_lookup(word)


@lru_cache(maxsize=100_000)
def _fuzzy_lookup(word: str) -> str | None:
    index = _place_index()
    choices = index.by_initial.get(word[0], ())
    # one edit (insert, delete, substitute, swap: `roagaland`, `jevanker`, `bergens`), two in
    # long names; a word as close to two places is left alone
    limit = 1 if len(word) < 9 else 2
    hits = process.extract(word, choices, scorer=OSA.distance, processor=None,
                           score_cutoff=limit, limit=2)
    if not hits or (len(hits) == 2 and hits[0][1] == hits[1][1]):
        return None
    return hits[0][0]


def _norm_place(name: str) -> str:
    text = _clean(name).lower()
    for d in _DASHES + "-/":
        text = text.replace(d, " ")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every place name linking recognises (municipalities 2008-2026 with their alternative
    names, counties, Oslo districts, named regions), normalized."""
    names: set[str] = set()
    data = resources.files("kb") / "data"
    specs = (("kommuner.csv", ("name", "name_alt", "name_ssb")),
             ("fylker.csv", ("name", "name_official", "name_alt")),
             ("oslo_bydeler.csv", ("name",)))
    for filename, columns in specs:
        with (data / filename).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for col in columns:
                    for value in (row.get(col) or "").split(";"):
                        value = re.sub(r"\s*\(.*?\)", "", value)
                        for part in re.split(r"\s+[-\u2013]\s+", value):
                            if part.strip():
                                names.add(_norm_place(part))
    names.update(_norm_place(r) for r in REGIONS)
    return frozenset(n for n in names if n)


@lru_cache(maxsize=1)
def _place_index() -> _PlaceIndex:
    names = place_names()
    by_initial: dict[str, list[str]] = {}
    for n in names:
        if " " not in n and len(n) >= 5 and n not in _AMBIGUOUS_PLACES:
            by_initial.setdefault(n[0], []).append(n)
    return _PlaceIndex(exact=names, by_initial={k: tuple(sorted(v)) for k, v in by_initial.items()})
