"""Human judgements on pairs of printed names, and the review list they are made from.

Judgements are keyed by normalized names (not ids), so they survive re-linking, `ingest
--replace` and a rebuild from the same PDFs. A new judgement on a pair supersedes the one in
force (which gets `undone_at`); nothing is ever deleted. Linking applies them before scores.

Every judgement and undo is also appended to a journal next to the database file
(`tilskudd.sqlite` → `tilskudd.judgements.jsonl`). When the base is rebuilt from scratch (the
file deleted, the PDFs ingested again), linking finds the `judgements` table empty and replays
the journal, so human decisions outlive the database file too.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import Session, or_, select

from .errors import JudgementError, NotFoundError
from .models import Alias, GrantRow, Judgement, Match, SchemeRow
from .normalize import normalize_name

__all__ = ["DECISIONS", "record_judgement", "undo_judgement", "judgements_in_force",
           "review_items", "ReviewItem", "Evidence", "journal_path", "restore_judgements"]

log = logging.getLogger(__name__)

DECISIONS = ("same", "different", "unsure")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _pair_filter(na: str, nb: str):
    return or_((Judgement.normalized_a == na) & (Judgement.normalized_b == nb),
               (Judgement.normalized_a == nb) & (Judgement.normalized_b == na))


def _in_force(session: Session, na: str, nb: str) -> list[Judgement]:
    return list(session.exec(select(Judgement).where(_pair_filter(na, nb))
                             .where(Judgement.undone_at.is_(None))).all())


def _known(session: Session, name: str, norm: str) -> None:
    hit = session.exec(select(Alias.alias_id).where(
        or_(Alias.normalized == norm, Alias.name == name)).limit(1)).first()
    if hit is None:
        raise NotFoundError(f"no organisation name like '{name}' in the knowledge base")


def record_judgement(session: Session, name_a: str, name_b: str, decision: str,
                     who: str, note: str | None = None) -> Judgement:
    """Record that two printed names are the same organisation, different ones, or that the
    judge is unsure (kept apart, out of review). Supersedes the judgement in force."""
    if decision not in DECISIONS:
        raise JudgementError(f"decision must be one of {', '.join(DECISIONS)}, not '{decision}'")
    na, nb = normalize_name(name_a), normalize_name(name_b)
    if not na or not nb:
        raise JudgementError("an empty name cannot be judged")
    if na == nb and decision != "same":
        raise JudgementError(f"'{name_a}' and '{name_b}' have the same normalized form '{na}' "
                             "and cannot be told apart")
    _known(session, name_a, na)
    _known(session, name_b, nb)
    now = _now()
    for old in _in_force(session, na, nb):
        old.undone_at = now
        session.add(old)
    judgement = Judgement(name_a=name_a, name_b=name_b, normalized_a=na, normalized_b=nb,
                          decision=decision, who=who or "unknown", at=now, note=note)
    session.add(judgement)
    session.flush()
    _journal(session, {"event": "judgement", "name_a": name_a, "name_b": name_b,
                       "decision": decision, "who": judgement.who, "at": now.isoformat(),
                       "note": note})
    log.info("judged %r / %r: %s (%s)", name_a, name_b, decision, who)
    return judgement


def undo_judgement(session: Session, name_a: str, name_b: str) -> Judgement:
    """Undo the judgement in force on a pair (it is kept, with `undone_at` set)."""
    na, nb = normalize_name(name_a), normalize_name(name_b)
    current = _in_force(session, na, nb)
    if not current:
        raise NotFoundError(f"no judgement in force on '{name_a}' / '{name_b}'")
    now = _now()
    for j in current:
        j.undone_at = now
        session.add(j)
    session.flush()
    _journal(session, {"event": "undo", "name_a": name_a, "name_b": name_b, "at": now.isoformat()})
    return current[-1]


def journal_path(session: Session) -> Path | None:
    """The journal file next to the session's SQLite file (None for an in-memory base)."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    db = Path(url.database)
    return db.with_name(db.stem + ".judgements.jsonl")


def _journal(session: Session, event: dict) -> None:
    path = journal_path(session)
    if path is None:
        return
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(event, ensure_ascii=False) + "\n")


def restore_judgements(session: Session) -> int:
    """If the `judgements` table is empty (a rebuilt base), replay the journal next to the
    database file. Returns how many judgements were restored."""
    path = journal_path(session)
    if path is None or not path.exists():
        return 0
    if session.exec(select(Judgement.id).limit(1)).first() is not None:
        return 0
    restored = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        ev = json.loads(line)
        at = datetime.fromisoformat(ev["at"])
        na, nb = normalize_name(ev["name_a"]), normalize_name(ev["name_b"])
        for old in _in_force(session, na, nb):
            old.undone_at = at
            session.add(old)
        if ev["event"] == "judgement":
            session.add(Judgement(name_a=ev["name_a"], name_b=ev["name_b"], normalized_a=na,
                                  normalized_b=nb, decision=ev["decision"], who=ev["who"],
                                  at=at, note=ev.get("note")))
            restored += 1
        session.flush()
    log.info("restored %d judgements from %s", restored, path)
    return restored


def judgements_in_force(session: Session) -> list[Judgement]:
    return list(session.exec(select(Judgement).where(Judgement.undone_at.is_(None))
                             .order_by(Judgement.at, Judgement.id)).all())


def _nok(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


@dataclass
class Evidence:
    """One side of a review pair: what the reports say about a printed name."""

    name: str
    organisation_id: str | None
    years: list[int] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    amount_nok: int = 0
    grants: int = 0

    def line(self) -> str:
        years = ", ".join(str(y) for y in self.years) or "-"
        parts = [f"{self.name}  [{self.organisation_id}]",
                 f"    years {years}; {self.grants} grants, {_nok(self.amount_nok)} NOK"]
        if self.schemes:
            parts.append("    schemes: " + "; ".join(self.schemes))
        if self.areas:
            parts.append("    places: " + "; ".join(self.areas))
        return "\n".join(parts)


@dataclass
class ReviewItem:
    """An unsure pair with its evidence; impact = NOK on both sides."""

    a: Evidence
    b: Evidence
    method: str
    score: float | None
    explanation: str

    @property
    def impact(self) -> int:
        return self.a.amount_nok + self.b.amount_nok


def _evidence(session: Session, alias: Alias) -> Evidence:
    ev = Evidence(name=alias.name, organisation_id=alias.organisation_id)
    rows = session.exec(
        select(GrantRow.year, GrantRow.amount_nok, GrantRow.area, SchemeRow.name)
        .join(SchemeRow, SchemeRow.id == GrantRow.scheme_id, isouter=True)
        .where(GrantRow.alias_id == alias.alias_id)).all()
    for year, amount, area, scheme in rows:
        ev.grants += 1
        ev.amount_nok += amount or 0
        if year not in ev.years:
            ev.years.append(year)
        label = f"{scheme} ({year})" if scheme else None
        if label and label not in ev.schemes:
            ev.schemes.append(label)
        if area and area not in ev.areas:
            ev.areas.append(area)
    ev.years.sort()
    return ev


def review_items(session: Session, limit: int | None = 20) -> list[ReviewItem]:
    """Unsure pairs whose names sit in different organisations and that no judgement covers,
    biggest impact (NOK on both sides) first."""
    aliases = {a.name: a for a in session.exec(select(Alias)).all()}
    judged = {frozenset((j.normalized_a, j.normalized_b)) for j in judgements_in_force(session)}
    items = []
    for m in session.exec(select(Match).where(Match.outcome == "unsure")).all():
        a, b = aliases.get(m.name_a), aliases.get(m.name_b)
        if a is None or b is None or a.organisation_id == b.organisation_id:
            continue
        if frozenset((a.normalized, b.normalized)) in judged:
            continue
        items.append(ReviewItem(_evidence(session, a), _evidence(session, b), m.method,
                                m.score, m.explanation))
    items.sort(key=lambda it: (-it.impact, -(it.score or 0), it.a.name, it.b.name))
    return items[:limit] if limit else items

