"""Figures the report states in words: narrative facts, narrative-only grants, summary lines.

Each rule is a small pattern over one sentence (with wrapped lines already joined), so
`kr. 19 087 \\n739,-` reads as one amount and `åtte` as 8. Patterns describe how IMDi reports
phrase things (`IMDi mottok 40 søknader ...`, `13 søknader ble innvilget`, `det satt av ... til
denne ordningen`), not particular numbers, so other years' reports read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .amounts import COUNT_PATTERN, AmountMatch, find_amounts, parse_amount, parse_count

N = rf"(?P<n>{COUNT_PATTERN})"
ABOUT = r"(?:ca\.\s*|rundt\s+|omtrent\s+|i overkant av\s+|over\s+)?"
UNIT = r"(?:prosjekter|søknader|\w*organisasjoner|søkere|tiltak)"

APPLICATIONS = re.compile(rf"\b(?:mottok|søkte)\s+(?:\w+\s+){{0,2}}?{N}\s+(?:søknader|\w*organisasjoner|søkere)\b", re.I)
GRANTED = [
    re.compile(rf"{N}\s+(?:prosjekter|søknader|\w*organisasjoner)\s+(?:fikk tildelt|fikk innvilget|ble innvilget|fikk støtte|innvilget|ble tildelt)\b(?!\s+flerårig)", re.I),
    re.compile(rf"\binnvilget\s+{N}\s+(?:søknader|prosjekter)\b", re.I),
]
ORGANISATIONS = [
    re.compile(rf"{N}\s+(?:\w+\s+)?organisasjoner\s+som\s+(?:fikk|har fått|mottok)\s+(?:støtte|tilskudd)", re.I),
    re.compile(rf"\bmed\s+{N}\s+(?:\w+\s+)?organisasjoner\b", re.I),
    re.compile(rf"\bde\s+{N}\s+organisasjonene\b", re.I),
]
MUNICIPALITIES = re.compile(rf"\bde\s+{N}\s+(?:utvalgte\s+)?kommunene\b", re.I)
BUDGET = re.compile(r"\b(?:satt av|avsatt|bevilget|bevilga|løyvd)\b", re.I)
BUDGET_TARGET = re.compile(r"\btil\s+(?:denne|dette|ordningen|tilskuddsordningen|tilskotsordninga)\b", re.I)
DISTRIBUTED = re.compile(r"\bfordelte\b", re.I)
SPENT = re.compile(r"\bbrukt\b", re.I)
MEMBERS = re.compile(rf"{ABOUT}{N}\s+medlemmer\b", re.I)
PARTICIPANTS = [
    re.compile(rf"\bdeltok\s+{ABOUT}{N}\s+(?:personer|deltakere|deltagere)\b", re.I),
    re.compile(rf"{N}\s+(?:deltakere|deltagere)\b", re.I),
]
MEASURES = re.compile(rf"(?<!tiltak\s){N}\s+tiltak\b", re.I)
NARRATIVE_GRANT = re.compile(
    r"(?P<org>[A-ZÆØÅ][\w./&'’-]*(?:\s+(?:[A-ZÆØÅ][\w./&'’-]*|v/[\w./-]+|for|i|av))*)"
    r"\s+(?:fikk|mottok|ble tildelt|fikk tildelt)\s+(?=(?:kr|Kr|NOK|\d))")
NOT_ORG_START = {"Det", "Dette", "Som", "Av", "I", "De", "Den", "Disse", "Her", "Totalt", "Til", "Da"}
SUMMARY_LINE = re.compile(r"^(?P<label>[A-ZÆØÅa-zæøå][^:]{0,40}?)\s*:\s*(?P<amount>.+?)\s*$")


@dataclass(frozen=True)
class Figure:
    kind: str
    value: int
    unit: str
    text: str  # as printed
    offset: int  # in the sentence
    label: Optional[str] = None


@dataclass(frozen=True)
class NarrativeGrant:
    organisation: str
    amount: AmountMatch


def _money(sentence: str) -> list[AmountMatch]:
    return [a for a in find_amounts(sentence) if a.is_money]


def _count(m: re.Match) -> Optional[int]:
    return parse_count(m.group("n"))


def _first_money_after(sentence: str, pos: int) -> Optional[AmountMatch]:
    return next((a for a in _money(sentence) if a.start >= pos), None)


def topic_of(sentence: str) -> Optional[str]:
    s = sentence.lower()
    if "driftsstøtte" in s or "driftstilskudd" in s:
        return "driftsstotte"
    if "aktivitets" in s or "tiltaksstøtte" in s:
        return "aktivitetsstotte"
    return None


def sentence_figures(sentence: str) -> list[Figure]:
    """The facts one sentence states."""
    out: list[Figure] = []
    money = _money(sentence)

    def add(kind, value, unit, text, offset, label=None):
        if value is not None:
            out.append(Figure(kind, value, unit, text, offset, label))

    topic = topic_of(sentence)
    for m in APPLICATIONS.finditer(sentence):
        add("applications_received", _count(m), "count", m.group("n"), m.start("n"), topic)
        a = _first_money_after(sentence, m.end())
        if a:
            add("amount_applied", a.value, "NOK", a.text, a.start, topic)
        break
    granted_done = False
    for rx in GRANTED:
        for m in rx.finditer(sentence):
            add("grants_given", _count(m), "count", m.group("n"), m.start("n"), topic)
            if not granted_done:
                a = _first_money_after(sentence, m.end())
                if a:
                    add("amount_granted", a.value, "NOK", a.text, a.start, topic)
                    granted_done = True
    if not granted_done and re.search(r"samlet innvilget sum|innvilget sum", sentence, re.I):
        a = _first_money_after(sentence, re.search(r"innvilget sum", sentence, re.I).end())
        if a:
            add("amount_granted", a.value, "NOK", a.text, a.start, topic)
    for rx in ORGANISATIONS:
        for m in rx.finditer(sentence):
            add("organisations", _count(m), "count", m.group("n"), m.start("n"))
    for m in MUNICIPALITIES.finditer(sentence):
        add("municipalities", _count(m), "count", m.group("n"), m.start("n"))
    if money and BUDGET.search(sentence):
        b = BUDGET.search(sentence)
        target = BUDGET_TARGET.search(sentence)
        cands = [a for a in money if target and a.start < target.start()]
        if target and cands:
            a = cands[0] if cands[0].start >= b.start() or len(cands) == 1 else cands[0]
            add("budget", a.value, "NOK", a.text, a.start)
    if money and DISTRIBUTED.search(sentence):
        a = _first_money_after(sentence, DISTRIBUTED.search(sentence).start())
        if a:
            add("amount_distributed", a.value, "NOK", a.text, a.start)
    if money and SPENT.search(sentence):
        a = _first_money_after(sentence, SPENT.search(sentence).start())
        if a:
            tail = sentence[a.end:a.end + 80].lower()
            label = "administrative kostnader" if "administrativ" in tail else None
            add("spent", a.value, "NOK", a.text, a.start, label)
    for m in MEMBERS.finditer(sentence):
        add("members", _count(m), "count", m.group("n"), m.start("n"))
    for rx in PARTICIPANTS:
        for m in rx.finditer(sentence):
            add("participants", _count(m), "count", m.group("n"), m.start("n"))
    for m in MEASURES.finditer(sentence):
        add("measures", _count(m), "count", m.group("n"), m.start("n"))
    return out


def narrative_grants(sentence: str) -> list[NarrativeGrant]:
    """`MiRA-Senteret fikk kr. 650 000,-, ... og Leadership Foundation fikk kr. 250 000,-`."""
    out = []
    for m in NARRATIVE_GRANT.finditer(sentence):
        org = m.group("org").strip()
        words = org.split()
        while words and words[0] in NOT_ORG_START:
            words = words[1:]
        if not words:
            continue
        a = next((x for x in find_amounts(sentence) if x.start == m.end()), None)
        if a is None or not a.is_money:
            continue
        out.append(NarrativeGrant(" ".join(words), a))
    return out


def summary_line(text: str) -> Optional[tuple[str, int, str]]:
    """`Driftsstøtte: 2 240 993kr` -> ("Driftsstøtte", 2240993, "2 240 993kr")."""
    m = SUMMARY_LINE.match(text.strip())
    if not m:
        return None
    value = parse_amount(m.group("amount"))
    if value is None:
        return None
    return m.group("label").strip(), value, m.group("amount")
