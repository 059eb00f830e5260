"""The place reference data: municipalities, counties, Oslo districts, named regions.

`load_reference()` reads the package data in `kb/data/` (kommuner.csv, fylker.csv,
oslo_bydeler.csv from SSB/Kartverket, see SOURCES.md; regions.csv and localities.csv are ours,
see docs/places.md) into plain, frozen records. Nothing here touches a database.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from .errors import PlaceDataError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"

SOURCE_KOMMUNE = "SSB Klass 131 (NLOD, Kilde: Statistisk sentralbyrå), kb/data/kommuner.csv"
SOURCE_FYLKE = "SSB Klass 104 (NLOD, Kilde: Statistisk sentralbyrå), kb/data/fylker.csv"
SOURCE_BYDEL = "SSB bydelsinndeling 2004 via FHI csdata (MIT), kb/data/oslo_bydeler.csv"
SOURCE_REGION = "tilskudd, kb/data/regions.csv"


@dataclass(frozen=True)
class PlaceRecord:
    """One row of `places`, plus what name lookup needs (`lookup_names`, `replaced_by`)."""

    id: str
    kind: str
    name: str
    number: Optional[str] = None
    name_alt: Optional[str] = None
    valid_from: Optional[int] = None
    valid_to: Optional[int] = None
    fylkesnummer: Optional[str] = None
    current_kommunenummer: Optional[str] = None
    source: str = ""
    lookup_names: tuple[str, ...] = ()
    """Other forms that name this place: Sami/Kven names, SSB's long form, 'Bydel X', region
    aliases. A match on one of them is method 'alias'."""
    replaced_by: tuple[str, ...] = ()
    """Place ids this row went into when it ended (kommuner only)."""

    def valid_in(self, year: int) -> bool:
        """True if the place was in force (on 1 January) in `year`."""
        if self.valid_from is not None and year < self.valid_from:
            return False
        return self.valid_to is None or year <= self.valid_to

    def row(self) -> dict:
        """The columns of the `places` table."""
        return {
            "id": self.id, "kind": self.kind, "number": self.number, "name": self.name,
            "name_alt": self.name_alt, "valid_from": self.valid_from, "valid_to": self.valid_to,
            "fylkesnummer": self.fylkesnummer,
            "current_kommunenummer": self.current_kommunenummer, "source": self.source,
        }


@dataclass(frozen=True)
class Locality:
    """A named place inside a municipality that is not a municipality itself (Mjøndalen)."""

    name: str
    kommune_id: str
    source: str


@dataclass(frozen=True)
class Reference:
    """All place reference data as plain records."""

    places: tuple[PlaceRecord, ...]
    successors: tuple[tuple[str, str], ...]
    """(place_id, current_place_id): today's places covering each place."""
    members: tuple[tuple[str, str], ...]
    """(place_id, member_id): region → members, county → its kommuner, Oslo → bydeler."""
    localities: tuple[Locality, ...] = field(default=())

    def by_id(self) -> dict[str, PlaceRecord]:
        return {p.id: p for p in self.places}


def _read(name: str, data_dir: Path) -> list[dict]:
    with open(data_dir / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _int(text: str) -> Optional[int]:
    return int(text) if text.strip() else None


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


def _kommuner(rows: list[dict]) -> Iterator[PlaceRecord]:
    for r in rows:
        alt = _split(r["name_alt"])
        extra = [r["name_ssb"]] if r["name_ssb"] and r["name_ssb"] != r["name"] else []
        yield PlaceRecord(
            id=f"kommune:{r['kommunenummer']}", kind="kommune", number=r["kommunenummer"],
            name=r["name"], name_alt=";".join(alt) or None,
            valid_from=_int(r["valid_from"]), valid_to=_int(r["valid_to"]),
            fylkesnummer=r["fylkesnummer"],
            current_kommunenummer=r["current_kommunenummer"] or None,
            source=SOURCE_KOMMUNE, lookup_names=tuple(alt + extra),
            replaced_by=tuple(f"kommune:{n}" for n in _split(r["replaced_by"])),
        )


def _fylker(rows: list[dict]) -> Iterator[PlaceRecord]:
    for r in rows:
        alt = _split(r["name_alt"])
        extra = [r["name_official"]] if r["name_official"] != r["name"] else []
        yield PlaceRecord(
            id=f"fylke:{r['fylkesnummer']}", kind="fylke", number=r["fylkesnummer"],
            name=r["name"], name_alt=";".join(alt) or None,
            valid_from=_int(r["valid_from"]), valid_to=_int(r["valid_to"]),
            fylkesnummer=r["fylkesnummer"], source=SOURCE_FYLKE,
            lookup_names=tuple(alt + extra),
            replaced_by=tuple(f"fylke:{n}" for n in _split(r["replaced_by"])),
        )


def _bydeler(rows: list[dict]) -> Iterator[PlaceRecord]:
    for r in rows:
        yield PlaceRecord(
            id=f"bydel:{r['bydelsnummer']}", kind="bydel", number=r["bydelsnummer"],
            name=r["name"], valid_from=_int(r["valid_from"]), valid_to=_int(r["valid_to"]),
            fylkesnummer=r["kommunenummer"][:2], current_kommunenummer=r["kommunenummer"],
            source=SOURCE_BYDEL, lookup_names=(r["name_official"],),
        )


def _regions(rows: list[dict]) -> Iterator[PlaceRecord]:
    for r in rows:
        aliases = _split(r["aliases"])
        yield PlaceRecord(
            id=r["id"], kind=r["kind"], name=r["name"], name_alt=";".join(aliases) or None,
            source=SOURCE_REGION, lookup_names=tuple(aliases),
        )


def _kommune_successors(kommuner: list[PlaceRecord]) -> list[tuple[str, str]]:
    pairs = []
    for k in kommuner:
        current = _split(k.current_kommunenummer or "") or [k.number]
        pairs += [(k.id, f"kommune:{n}") for n in current]
    return pairs


def _fylke_successors(fylker: list[PlaceRecord], kommuner: list[PlaceRecord]) -> list[tuple[str, str]]:
    """A county in force is its own successor; an ended county → the counties in force today
    that hold its kommuner, most kommuner first."""
    pairs = []
    for f in fylker:
        if f.valid_to is None:
            pairs.append((f.id, f.id))
            continue
        counts: Counter[str] = Counter()
        for k in kommuner:
            if k.fylkesnummer == f.number:
                for n in _split(k.current_kommunenummer or ""):
                    counts[n[:2]] += 1
        ordered = sorted(counts, key=lambda n: (-counts[n], n))
        pairs += [(f.id, f"fylke:{n}") for n in ordered]
    return pairs


def _members(regions: list[dict], kommuner: list[PlaceRecord], bydeler: list[PlaceRecord]) -> list[tuple[str, str]]:
    pairs = []
    for r in regions:
        pairs += [(r["id"], m) for m in _split(r["members"])]
    pairs += [(f"fylke:{k.fylkesnummer}", k.id) for k in kommuner]
    pairs += [(f"kommune:{b.current_kommunenummer}", b.id) for b in bydeler]
    return pairs


def load_reference(data_dir: Optional[Path] = None) -> Reference:
    """Read the place reference data from `kb/data/` (or `data_dir`) into plain records."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    kommuner = list(_kommuner(_read("kommuner.csv", data_dir)))
    fylker = list(_fylker(_read("fylker.csv", data_dir)))
    bydeler = list(_bydeler(_read("oslo_bydeler.csv", data_dir)))
    region_rows = _read("regions.csv", data_dir)
    regions = list(_regions(region_rows))
    places = tuple(kommuner + fylker + bydeler + regions)
    successors = (
        _kommune_successors(kommuner)
        + _fylke_successors(fylker, kommuner)
        + [(p.id, p.id) for p in bydeler + regions]
    )
    localities = tuple(
        Locality(r["name"], f"kommune:{r['kommunenummer']}", r["source"])
        for r in _read("localities.csv", data_dir)
    )
    reference = Reference(
        places=places, successors=tuple(successors),
        members=tuple(_members(region_rows, kommuner, bydeler)), localities=localities,
    )
    _check(reference)
    log.debug("place reference: %d places, %d successor and %d member pairs",
              len(places), len(successors), len(reference.members))
    return reference


def _check(reference: Reference) -> None:
    """Every id referred to exists; ids are unique. Raises PlaceDataError naming the bad id."""
    ids = Counter(p.id for p in reference.places)
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        raise PlaceDataError(f"place reference: duplicate place ids {duplicates[:5]}")
    pairs = list(reference.successors) + list(reference.members)
    pairs += [(loc.name, loc.kommune_id) for loc in reference.localities]
    missing = sorted({b for _, b in pairs if b not in ids} | {a for a, _ in reference.members if a not in ids})
    if missing:
        raise PlaceDataError(f"place reference: unknown place ids {missing[:5]}")
