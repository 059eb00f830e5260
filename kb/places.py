"""Resolve printed area strings and municipality names to places, as they were in a year.

`PlaceIndex` is built once from the reference records (`load_reference()`) and answers:
- `resolve_area("Nordland; Øksnes, Sortlandog Lødingen", 2015)` → one `PlaceMatch` per part
  (fylke:18, kommune:1868, kommune:1870, kommune:1851);
- `resolve_kommune("Skedsmo", 2015)` → kommune:0231 (an allocation row);
- `current_places("kommune:0231")` → ["kommune:3205"] (Lillestrøm today).
The rules are written down in docs/places.md. Pure functions over plain data: no database.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional

from rapidfuzz import fuzz, process

from .errors import NotFoundError
from .place_reference import PlaceRecord, Reference, load_reference

__all__ = ["PlaceIndex", "PlaceMatch", "load_reference", "load_places", "split_area", "clean_part"]

log = logging.getLogger(__name__)

FUZZY_CUTOFF = 85.0
"""Lowest fuzz.ratio (0-100) a typo may score against a place name to be accepted."""
FUZZY_MIN_LETTERS = 5
"""Shorter parts are never fuzzy-matched (too many 4-letter names are 1 edit apart)."""

KIND_ORDER = ("kommune", "fylke", "bydel", "region", "land")
"""When one name is several kinds of place in force (Oslo: kommune and fylke), the first kind
wins; `resolve_area` switches Oslo to the county when it is listed among counties only."""

_SPLIT = re.compile(r"\s*(?:[,;/&+()]|(?<!\bSt)\.(?:\s+|$))\s*", re.IGNORECASE)
_OG = re.compile(r"\s+og\s+", re.IGNORECASE)
_QUALIFIER = re.compile(r"^(?:og\s+)?omegn$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:bydel|kommune|fylke)\s+", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(?:bydel|kommuner?|fylke|fylkeskommune)$", re.IGNORECASE)
_OMEGN = re.compile(r"(?:\s*/\s*|\s+)(?:og\s+|med\s+)?omegn$", re.IGNORECASE)
_TRAILING = re.compile(r"[\s?!.:()-]+$")
_DIRECTION = re.compile(r"^(?P<name>.+?)(?:\s+|-)(?:sentrum|øst|vest|nord|sør|syd|området|regionen)$",
                        re.IGNORECASE)
_IN = re.compile(r"^(?P<name>.+?)\s+i\s+(?P<within>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceMatch:
    """How one part of an area string (or one printed municipality) resolved.

    `method` is one of: exact, alias, region, locality, glued-og, qualified, fuzzy, context,
    out-of-year, ambiguous, unresolved (see docs/places.md). `place_id` is None only for
    unresolved, and for `resolve_kommune`'s ambiguous answer, which lists `candidates`."""

    area_part: str
    place_id: Optional[str]
    method: str
    score: Optional[float] = None
    candidates: tuple[str, ...] = ()


def key(name: str) -> str:
    """The lookup key of a name: NFC, case-folded, letters and digits only
    ('Østlands-området' and 'Østlandsområdet' are one key)."""
    text = unicodedata.normalize("NFC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _fuzzy_text(name: str) -> str:
    """What fuzz.ratio compares: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def clean_part(text: str) -> str:
    """Strip what is not part of a name: trailing '?', 'bydel'/'kommune' words, 'omegn'."""
    text = " ".join(text.replace("\u00a0", " ").split())
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", text)
        text = _PREFIX.sub("", text)
        text = _SUFFIX.sub("", text)
        text = _OMEGN.sub("", text)
    return text.strip()


def split_area(area: str) -> list[str]:
    """Split an area string into printed parts on , ; / & + ( ) and '. ' (not 'St. '). A piece
    that is only a qualifier ('Omegn', '?') stays with the part before it ('Bergen/Omegn')."""
    text = " ".join(unicodedata.normalize("NFC", area).replace("\u00a0", " ").split())
    spans: list[list[int]] = []  # [start, end] of each part in `text`
    pos = 0
    for m in [*_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[pos:end].strip()
        if piece:
            start = text.index(piece, pos)
            cleaned = clean_part(piece)
            if spans and (not cleaned or _QUALIFIER.match(cleaned)):
                spans[-1][1] = start + len(piece)
            else:
                spans.append([start, start + len(piece)])
        pos = m.end() if m else len(text)
    for span in spans:  # 'Oslo (?)': keep the bracket that closes inside the part
        if text[span[1]:span[1] + 1] == ")" and "(" in text[span[0]:span[1]]:
            span[1] += 1
    return [text[a:b].strip() for a, b in spans]


def load_places(session, reference: Optional[Reference] = None):
    """Write the reference data into `places`, `place_successors`, `place_members`
    (idempotent; the caller commits). See kb/place_store.py."""
    from .place_store import load_places as _load_places

    return _load_places(session, reference)


class PlaceIndex:
    """Name lookup over the place reference data, aware of the year a report covers."""

    def __init__(self, reference: Reference):
        self._places: dict[str, PlaceRecord] = reference.by_id()
        self._names: dict[str, list[tuple[str, str]]] = {}
        for p in reference.places:
            method = "region" if p.kind in ("region", "land") else "exact"
            self._add(p.name, p.id, method)
            for name in p.lookup_names:
                self._add(name, p.id, "region" if method == "region" else "alias")
        self._localities = {key(loc.name): loc.kommune_id for loc in reference.localities}
        self._successors: dict[str, list[str]] = {}
        for place_id, current in reference.successors:
            self._successors.setdefault(place_id, []).append(current)
        self._fuzzy_choices = {}
        for p in reference.places:
            for name in (p.name, *p.lookup_names):
                self._fuzzy_choices.setdefault(_fuzzy_text(name), name)
        for loc in reference.localities:
            self._fuzzy_choices.setdefault(_fuzzy_text(loc.name), loc.name)

    @classmethod
    def from_reference(cls) -> "PlaceIndex":
        """The index over the package's own reference data (kb/data/)."""
        return cls(load_reference())

    def _add(self, name: str, place_id: str, method: str) -> None:
        entries = self._names.setdefault(key(name), [])
        if all(pid != place_id for pid, _ in entries):
            entries.append((place_id, method))

    def place(self, place_id: str) -> PlaceRecord:
        try:
            return self._places[place_id]
        except KeyError:
            raise NotFoundError(f"no place {place_id!r}") from None

    def current_places(self, place_id: str) -> list[str]:
        """Today's places that cover `place_id` (a place in force is its own successor)."""
        self.place(place_id)
        return list(self._successors.get(place_id, [place_id]))

    def knows(self, name: str) -> bool:
        k = key(name)
        return k in self._names or k in self._localities

    # -- one name -------------------------------------------------------------------------

    def lookup(self, name: str, year: int, kinds: Iterable[str] = KIND_ORDER) -> list[PlaceMatch]:
        """Exact (key) lookup of one cleaned name in `year`; [] if the name is unknown.
        Several matches mean the name is ambiguous in that year (Våler, Herøy, Bø, ...)."""
        kinds = tuple(kinds)
        entries = [(pid, m) for pid, m in self._names.get(key(name), []) if self._places[pid].kind in kinds]
        if not entries:
            kommune_id = self._localities.get(key(name)) if "kommune" in kinds else None
            if kommune_id:
                return [PlaceMatch(name, self.in_year(kommune_id, year), "locality")]
            return []
        in_year = [(pid, m) for pid, m in entries if self._places[pid].valid_in(year)]
        if in_year:
            first_kind = min(KIND_ORDER.index(self._places[pid].kind) for pid, _ in in_year)
            chosen = [(pid, m) for pid, m in in_year if KIND_ORDER.index(self._places[pid].kind) == first_kind]
            return [PlaceMatch(name, pid, m) for pid, m in chosen]
        nearest = min(self._distance(pid, year) for pid, _ in entries)
        return [PlaceMatch(name, pid, "out-of-year") for pid, _ in entries if self._distance(pid, year) == nearest]

    def _distance(self, place_id: str, year: int) -> int:
        p = self._places[place_id]
        if p.valid_to is not None and year > p.valid_to:
            return year - p.valid_to
        return (p.valid_from or year) - year

    def in_year(self, place_id: str, year: int) -> str:
        """The kommune row in force in `year` for a kommune number of another era (following
        `replaced_by` forward; its first target when it was split)."""
        seen = set()
        place = self._places[place_id]
        while place.valid_to is not None and year > place.valid_to and place.replaced_by and place.id not in seen:
            seen.add(place.id)
            place = self._places[place.replaced_by[0]]
        return place.id

    def fuzzy(self, name: str, year: int, kinds: Iterable[str] = KIND_ORDER) -> list[PlaceMatch]:
        """A typo of a known name (fuzz.ratio ≥ FUZZY_CUTOFF, names of ≥ 5 letters only)."""
        text = _fuzzy_text(name)
        if sum(ch.isalpha() for ch in text) < FUZZY_MIN_LETTERS:
            return []
        best = process.extract(text, self._fuzzy_choices.keys(), scorer=fuzz.ratio,
                               processor=None, score_cutoff=FUZZY_CUTOFF, limit=3)
        if not best:
            return []
        top = [choice for choice, score, _ in best if score == best[0][1]]
        matches = [m for choice in top for m in self.lookup(self._fuzzy_choices[choice], year, kinds)]
        if len({m.place_id for m in matches}) > 1:
            return [PlaceMatch(name, m.place_id, "ambiguous", best[0][1]) for m in matches]
        return [PlaceMatch(name, m.place_id, "fuzzy", round(best[0][1], 1)) for m in matches[:1]]

    # -- a municipality (allocation rows) --------------------------------------------------

    def resolve_kommune(self, name: str, year: int) -> PlaceMatch:
        """A printed municipality name → the kommune as it was in `year`."""
        cleaned = clean_part(name)
        matches = self.lookup(cleaned, year, kinds=("kommune",)) or self.fuzzy(cleaned, year, kinds=("kommune",))
        if not matches:
            log.info("kommune not resolved: %r (%d)", name, year)
            return PlaceMatch(name, None, "unresolved")
        if len(matches) > 1:
            return PlaceMatch(name, None, "ambiguous", candidates=tuple(m.place_id for m in matches))
        return PlaceMatch(name, matches[0].place_id, matches[0].method, matches[0].score)

    # -- an area string (grant rows) -------------------------------------------------------

    def resolve_area(self, area: str, year: int) -> list[PlaceMatch]:
        """Every part of an area string → places as they were in `year`, in printed order.
        Unresolved parts are kept (place_id None, method 'unresolved')."""
        groups = [g for part in split_area(area) for g in self._resolve_part(part, year)]
        groups = _disambiguate(_oslo_as_county(groups, self), self)
        result = [m for group in groups for m in group]
        for m in result:
            if m.place_id is None:
                log.info("area part not resolved: %r in %r (%d)", m.area_part, area, year)
        return result

    def _resolve_part(self, part: str, year: int) -> list[list[PlaceMatch]]:
        """One printed part → one group of candidate matches per name in it."""
        cleaned = clean_part(part)
        if not cleaned:
            return [[PlaceMatch(part, None, "unresolved")]]
        whole = self.lookup(cleaned, year)
        if whole and whole[0].method != "out-of-year":
            return [[_named(m, part) for m in whole]]
        within = _IN.match(cleaned)
        if within and not whole:
            return [self._resolve_within(part, within["name"], within["within"], year)]
        words = cleaned.split(" ")
        glued = set()
        for i, word in enumerate(words):
            stem = word[:-2]
            if word.lower().endswith("og") and len(stem) >= 3 and not self.knows(word) and self.knows(stem):
                words[i] = stem + " og"
                glued.add(stem)
        segments = [s for s in _OG.split(" ".join(words)) if s]
        if len(segments) == 1 and whole:
            return [[_named(m, part) for m in whole]]
        groups: list[list[PlaceMatch]] = []
        i = 0
        while i < len(segments):
            for j in range(len(segments), i, -1):
                text = " og ".join(segments[i:j])
                found = self.lookup(text, year)
                if found and (j - i == 1 or found[0].method != "out-of-year"):
                    break
            else:
                j, text = i + 1, segments[i]
                found = self._qualified(text, year) or self.fuzzy(text, year) \
                    or [PlaceMatch(text, None, "unresolved")]
            label = part if len(segments) == 1 else _printed(text, glued)
            groups.append([_named(m, label, glued_og=text in glued) for m in found])
            i = j
        return groups

    def _qualified(self, text: str, year: int) -> list[PlaceMatch]:
        """'Oslo Øst', 'Bergen sentrum', 'Drammen-området' → the named place, method 'qualified'."""
        m = _DIRECTION.match(text)
        found = self.lookup(m["name"], year) if m else []
        return [PlaceMatch(text, f.place_id, "qualified") for f in found if f.method != "out-of-year"]

    def _resolve_within(self, part: str, name: str, within: str, year: int) -> list[PlaceMatch]:
        """'Nes i Akershus', 'Herøy i Nordland': the place after 'i' decides an ambiguous name.
        An unknown name inside a known place ('Furuset i Oslo') → that place, 'qualified'."""
        found = self.lookup(name, year)
        outer = self.lookup(within, year)
        if len(found) > 1 and len(outer) == 1:
            county = self.place(outer[0].place_id).fylkesnummer
            fitting = [f for f in found if self.place(f.place_id).fylkesnummer == county]
            if len(fitting) == 1:
                return [PlaceMatch(part, fitting[0].place_id, "context")]
        if found:
            return [_named(f, part) for f in found]
        if len(outer) == 1 and outer[0].method != "out-of-year":
            return [PlaceMatch(part, outer[0].place_id, "qualified")]
        return [PlaceMatch(part, None, "unresolved")]


def _printed(text: str, glued: set[str]) -> str:
    return text + "og" if text in glued else text


def _named(match: PlaceMatch, area_part: str, glued_og: bool = False) -> PlaceMatch:
    method = "glued-og" if glued_og and match.method == "exact" else match.method
    return PlaceMatch(area_part, match.place_id, method, match.score, match.candidates)


def _oslo_as_county(groups: list[list[PlaceMatch]], index: PlaceIndex) -> list[list[PlaceMatch]]:
    """'Oslo' listed among counties only ('Østfold, Vestfold, Akershus og Oslo') is the county."""
    out = []
    for n, group in enumerate(groups):
        others = [index.place(g[0].place_id).kind for k, g in enumerate(groups)
                  if k != n and len(g) == 1 and g[0].place_id]
        m = group[0]
        if len(group) == 1 and m.place_id == "kommune:0301" and m.method == "exact" and others \
                and set(others) == {"fylke"}:
            group = [PlaceMatch(m.area_part, "fylke:03", "context", m.score)]
        out.append(group)
    return out


def _disambiguate(groups: list[list[PlaceMatch]], index: PlaceIndex) -> list[list[PlaceMatch]]:
    """A name that is several places in force (Våler, Bø, Herøy) is decided by the counties of
    the other parts; otherwise every candidate is kept with method 'ambiguous'."""
    out = []
    for n, group in enumerate(groups):
        if len(group) <= 1:
            out.append(group)
            continue
        context = {index.place(g[0].place_id).fylkesnummer for k, g in enumerate(groups)
                   if k != n and len(g) == 1 and g[0].place_id}
        fitting = [m for m in group if index.place(m.place_id).fylkesnummer in context]
        if len(fitting) == 1:
            m = fitting[0]
            out.append([PlaceMatch(m.area_part, m.place_id, "context", m.score)])
        else:
            out.append([PlaceMatch(m.area_part, m.place_id, "ambiguous", m.score) for m in group])
    return out
