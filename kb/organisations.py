"""Organisations in the knowledge base: printed names (aliases) linked into organisations.

`link_organisations(session)` runs `kb.linking.cluster` over every alias, human judgements
first, and writes `organisations` (stable ids, canonical names), `aliases.organisation_id`,
`matches` (every candidate pair with method, score, explanation) and `referents` (ids that
were merged or split keep resolving). It runs after every ingest and on `tilskudd link`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import delete, func, text
from sqlmodel import Session, select

from .errors import NotFoundError
from .linking import NameRecord, cluster
from .models import Alias, GrantRow, Judgement, Match, Organisation, Referent
from .normalize import name_parts, normalize_name

__all__ = ["LinkSummary", "link_organisations", "mark_counted", "ensure_aliases", "resolve_organisation_id",
           "open_session", "organisation_id_for", "link_summary"]

log = logging.getLogger(__name__)


@dataclass
class LinkSummary:
    """What one linking run did."""

    aliases: int = 0
    organisations: int = 0
    linked: int = 0
    unsure: int = 0
    different: int = 0
    judgements: int = 0
    redirects: int = 0

    def __str__(self) -> str:
        return (f"{self.aliases} names → {self.organisations} organisations; pairs: "
                f"{self.linked} linked, {self.unsure} unsure (see `tilskudd review`), "
                f"{self.different} different; {self.judgements} judgements applied; "
                f"{self.redirects} old ids redirected")


def organisation_id_for(anchor_name: str) -> str:
    """The id of an organisation, derived from its anchor name (the alias with the smallest
    normalized form, then printed form): the same PDFs always give the same ids."""
    return "org-" + hashlib.sha1(anchor_name.encode("utf-8")).hexdigest()[:10]


@contextmanager
def open_session(db: str) -> Iterator[Session]:
    """A session on the existing knowledge base in `db`, in one transaction."""
    from .store import KnowledgeBase

    if not Path(db).exists():
        raise NotFoundError(f"no knowledge base at {db} (run `tilskudd ingest` first)")
    with KnowledgeBase(db) as kb, kb.session() as session:
        yield session


def ensure_aliases(session: Session) -> int:
    """One alias per distinct printed organisation name in `grants` (creating missing ones),
    with first/last year from the grants and `grants.alias_id` set. Returns new aliases."""
    rows = session.exec(
        select(GrantRow.organisation_raw, func.min(GrantRow.year), func.max(GrantRow.year))
        .group_by(GrantRow.organisation_raw)).all()
    aliases = {a.name: a for a in session.exec(select(Alias)).all()}
    created = 0
    for name, first, last in rows:
        alias = aliases.get(name)
        if alias is None:
            alias = Alias(name=name, normalized=normalize_name(name))
            session.add(alias)
            aliases[name] = alias
            created += 1
        alias.first_year, alias.last_year = first, last
    for alias in aliases.values():
        norm = normalize_name(alias.name)
        if alias.normalized != norm:
            alias.normalized = norm
    session.flush()
    session.execute(text(
        "UPDATE grants SET alias_id = (SELECT alias_id FROM aliases WHERE aliases.name = "
        "grants.organisation_raw) WHERE alias_id IS NULL OR alias_id != (SELECT alias_id FROM "
        "aliases WHERE aliases.name = grants.organisation_raw)"))
    return created


def resolve_organisation_id(session: Session, org_id: str) -> str:
    """The organisation id that holds `org_id`'s names now (following merges and splits)."""
    seen = set()
    current = org_id
    while current not in seen:
        seen.add(current)
        if session.get(Organisation, current) is not None:
            return current
        ref = session.get(Referent, current)
        if ref is None:
            break
        current = ref.organisation_id
    raise NotFoundError(f"no organisation with id {org_id}")


def _judgement_pairs(session: Session) -> tuple[list, list, int]:
    latest: dict[frozenset, Judgement] = {}
    for j in session.exec(select(Judgement).where(Judgement.undone_at.is_(None))
                          .order_by(Judgement.at, Judgement.id)).all():
        latest[frozenset((j.normalized_a, j.normalized_b))] = j
    same, apart = [], []
    for j in latest.values():
        (same if j.decision == "same" else apart).append((j.normalized_a, j.normalized_b))
    return same, apart, len(latest)


def link_organisations(session: Session) -> LinkSummary:
    """(Re)link every alias to an organisation: judgements first, then rules and scores.
    Ids are derived from each cluster's anchor name; ids that disappear (merged, split)
    get a `referents` row to the id that holds most of their names now."""
    from .judgements import restore_judgements

    ensure_aliases(session)
    restore_judgements(session)
    aliases = session.exec(select(Alias).order_by(Alias.alias_id)).all()
    by_id = {a.alias_id: a for a in aliases}
    same, apart, n_judged = _judgement_pairs(session)
    result = cluster([NameRecord(a.alias_id, a.name, a.first_year, a.last_year) for a in aliases],
                     same=same, apart=apart)
    old_ids = {a.alias_id: a.organisation_id for a in aliases}
    existing = set(session.exec(select(Organisation.id)).all())
    now = datetime.now(timezone.utc)

    new_ids: dict[str, list[Alias]] = {}
    for ids in result.clusters:
        members = [by_id[i] for i in ids]
        anchor = min(members, key=lambda a: (a.normalized, a.name))
        new_ids[organisation_id_for(anchor.name)] = members

    for org_id, members in new_ids.items():
        _write_organisation(session, org_id, members)
        anchor = min(members, key=lambda a: (a.normalized, a.name))
        for alias in members:
            alias.organisation_id = org_id
            joined = result.joined_by.get(alias.alias_id)
            if alias is anchor or joined is None:
                alias.method, alias.score = "new", None
                alias.explanation = ("the name its organisation id is derived from"
                                     if alias is anchor else "first of its form")
            else:
                partner, d = joined
                alias.method, alias.score = d.method, round(d.score, 1)
                alias.explanation = f"linked to '{by_id[partner].name}': {d.explanation}"
        ref = session.get(Referent, org_id)
        if ref is not None:
            session.delete(ref)

    summary = LinkSummary(aliases=len(aliases), organisations=len(new_ids), judgements=n_judged)
    gone = (existing | {o for o in old_ids.values() if o}) - set(new_ids)
    for old in sorted(gone):
        holders = Counter(by_id[a].organisation_id for a, o in old_ids.items() if o == old)
        if holders:
            target = holders.most_common(1)[0][0]
            reason = "merged" if len({old_ids[a.alias_id] for a in new_ids[target]}) > 1 else "split"
            session.merge(Referent(old_id=old, organisation_id=target, reason=reason, at=now))
            summary.redirects += 1
        org = session.get(Organisation, old)
        if org is not None:
            session.delete(org)

    session.execute(delete(Match))
    for (x, y), d in sorted(result.decisions.items(),
                            key=lambda kv: sorted((by_id[kv[0][0]].name, by_id[kv[0][1]].name))):
        name_a, name_b = sorted((by_id[x].name, by_id[y].name))
        session.add(Match(name_a=name_a, name_b=name_b, outcome=d.outcome,
                          method=d.method, score=round(d.score, 1), explanation=d.explanation))
        setattr(summary, d.outcome, getattr(summary, d.outcome) + 1)
    session.flush()
    mark_counted(session)
    log.info("%s", summary)
    return summary


def link_summary(session: Session) -> LinkSummary:
    """The state linking left in the knowledge base, counted from its tables."""
    def count(stmt) -> int:
        return session.exec(stmt).one()

    summary = LinkSummary(
        aliases=count(select(func.count()).select_from(Alias)),
        organisations=count(select(func.count()).select_from(Organisation)),
        judgements=count(select(func.count()).select_from(Judgement).where(Judgement.undone_at.is_(None))),
        redirects=count(select(func.count()).select_from(Referent)))
    for outcome, n in session.exec(select(Match.outcome, func.count()).group_by(Match.outcome)).all():
        if outcome in ("linked", "unsure", "different"):
            setattr(summary, outcome, n)
    return summary


def _canonical(members: list[Alias]) -> Alias:
    """The fullest recent form, but not a form that only adds a unit or list of regions after
    a dash to another member's name (`Caritas Norge – Region øst, ...` → `Caritas Norge`)."""
    plain = {a.normalized for a in members}

    def rank(a: Alias):
        p = name_parts(a.name)
        qualified = bool(p.tail) and not p.acronym_leading and p.head in plain
        return (not qualified, a.last_year or 0, len(a.name), a.name)

    return max(members, key=rank)


def _write_organisation(session: Session, org_id: str, members: list[Alias]) -> None:
    canonical = _canonical(members)
    acronyms = Counter(name_parts(a.name).acronym for a in members if name_parts(a.name).acronym)
    years = [y for a in members for y in (a.first_year, a.last_year) if y is not None]
    org = session.get(Organisation, org_id) or Organisation(id=org_id, name="", normalized="")
    org.name = canonical.name
    org.normalized = canonical.normalized
    org.acronym = acronyms.most_common(1)[0][0] if acronyms else None
    org.all_names = " | ".join(sorted(a.name for a in members))
    org.first_year = min(years) if years else None
    org.last_year = max(years) if years else None
    session.add(org)


def mark_counted(session: Session) -> None:
    """Set `grants.counted`: a budget proposition's figure for an organisation and year is not
    counted when a grant report states that organisation's grants for the same year (the report
    says what was given; the proposition what was set aside). Everything else is counted."""
    session.exec(text("""
        UPDATE grants SET counted = CASE WHEN
            (SELECT kind FROM reports r WHERE r.id = grants.report_id) = 'budget_proposition'
            AND EXISTS (
                SELECT 1 FROM grants g2
                  JOIN reports r2 ON r2.id = g2.report_id AND r2.kind = 'grant_report'
                  JOIN aliases a2 ON a2.alias_id = g2.alias_id
                  JOIN aliases a1 ON a1.alias_id = grants.alias_id
                 WHERE g2.year = grants.year AND a2.organisation_id = a1.organisation_id)
            THEN 0 ELSE 1 END"""))
