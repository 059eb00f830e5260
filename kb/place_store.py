"""Write the place reference data into `places`, `place_successors` and `place_members`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional

from sqlmodel import Session, delete, select

from .models import Place, PlaceMember, PlaceSuccessor
from .place_reference import Reference, load_reference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlacesLoaded:
    """What `load_places` did. `changed` is False when the base already held this content."""

    places: int
    successors: int
    members: int
    changed: bool
    written: int = 0
    removed: int = 0


def load_places(session: Session, reference: Optional[Reference] = None) -> PlacesLoaded:
    """Make `places`, `place_successors` and `place_members` hold exactly the reference data.

    Idempotent: when the tables already hold the same content nothing is written. Otherwise
    changed and new rows are upserted and rows no longer in the reference removed (place ids are
    stable, so `grant_places` rows stay valid). Runs in the caller's transaction: the caller
    commits."""
    reference = reference or load_reference()
    wanted = {p.id: p.row() for p in reference.places}
    have = {p.id: p.model_dump() for p in session.exec(select(Place))}
    stale_places = set(have) - set(wanted)
    changed_places = [row for pid, row in wanted.items() if have.get(pid) != row]

    wanted_succ = set(reference.successors)
    have_succ = {(s.place_id, s.current_place_id) for s in session.exec(select(PlaceSuccessor))}
    wanted_mem = set(reference.members)
    have_mem = {(m.place_id, m.member_id) for m in session.exec(select(PlaceMember))}

    changed = bool(stale_places or changed_places or wanted_succ != have_succ or wanted_mem != have_mem)
    if not changed:
        return PlacesLoaded(len(wanted), len(wanted_succ), len(wanted_mem), changed=False)

    for place_id, current in have_succ - wanted_succ:
        session.exec(delete(PlaceSuccessor).where(PlaceSuccessor.place_id == place_id,
                                                  PlaceSuccessor.current_place_id == current))
    for place_id, member in have_mem - wanted_mem:
        session.exec(delete(PlaceMember).where(PlaceMember.place_id == place_id,
                                               PlaceMember.member_id == member))
    session.flush()
    for row in changed_places:
        if row["id"] in have:
            session.merge(Place(**row))
        else:
            session.add(Place(**row))
    session.flush()
    session.add_all(PlaceSuccessor(place_id=a, current_place_id=b) for a, b in sorted(wanted_succ - have_succ))
    session.add_all(PlaceMember(place_id=a, member_id=b) for a, b in sorted(wanted_mem - have_mem))
    session.flush()
    for place_id in sorted(stale_places):
        session.exec(delete(Place).where(Place.id == place_id))
    session.flush()
    log.info("places: %d written, %d removed", len(changed_places), len(stale_places))
    return PlacesLoaded(len(wanted), len(wanted_succ), len(wanted_mem), changed=True,
                        written=len(changed_places), removed=len(stale_places))
