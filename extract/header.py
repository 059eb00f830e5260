"""Recognising a table's header row and its columns from the words alone.

A header is one to three lines whose words are all column names a grant report uses
(`Organisasjon`, `Prosjektnavn`, `Geografisk område`, `Tilskudd`, `Tilskot 2014`, `Beløp`,
`Kommune`, `Tildeling`, `Organisasjoner som har mottatt driftsstøtte`, ...). Words are grouped
into columns by position: words of different header lines that overlap horizontally belong to
the same column, and a wide gap on one line separates columns. Each column gets a role from its
whole text, so a header that wraps inside its cell (`Geografisk` / `område`) still reads right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from .pdf import Line, Word

ROLE_WORDS = {
    "organisation": {"organisasjon", "organisasjonar", "organisasjonsnavn", "mottaker",
                     "mottakar", "tilskuddsmottaker", "tilskotsmottakar", "søker", "søkar",
                     "navn", "namn", "organisasjon/søker"},
    "project": {"prosjektnavn", "prosjektnamn", "prosjekt", "prosjekttittel", "tiltak",
                "formål", "aktivitet", "prosjekt/tiltak"},
    "area": {"geografisk", "område", "sted", "stad", "fylke", "region", "nedslagsfelt",
             "geografi"},
    "kommune": {"kommune", "kommunar", "bydel"},
    "amount": {"tilskudd", "tilskot", "beløp", "tildeling", "tildelt", "innvilget", "bevilget",
               "bevilgning", "kroner", "kr", "nok", "støtte", "sum"},
}
# Words that may sit in a header without naming a column by themselves.
FILLER = {"i", "1000", "1", "000", "kr", "(kr)", "(i", "kr)", "nok", "som", "har", "mottatt",
          "antall", "organisasjoner", "organisasjonar", "driftsstøtte", "aktivitetsstøtte",
          "driftstilskudd", "aktivitetstilskudd", "og", "til", "for", "år", "(nok)", "totalt",
          "tildelt", "søkt", "beløp", "-", "–", "sum"}
YEAR_RE = re.compile(r"^(19|20)\d\d$")
ROLE_ORDER = ("count", "kommune", "organisation", "project", "area", "amount")


@dataclass(frozen=True)
class Column:
    role: str  # organisation | project | area | kommune | amount | count
    label: str  # the header text of the column
    x0: float
    x1: float
    year: Optional[int] = None
    count_of: Optional[str] = None  # for count columns: "driftsstotte" | "aktivitetsstotte"

    @property
    def numeric(self) -> bool:
        return self.role in ("amount", "count")


@dataclass(frozen=True)
class Header:
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]
    scale: int = 1  # 1000 when the header says amounts are "i 1 000 kr"

    @property
    def kind(self) -> str:
        """"allocations" for a municipality table (a Kommune column and no Organisasjon
        column); "grants" otherwise (a Kommune column there is the grant's area)."""
        roles = {c.role for c in self.columns}
        return "allocations" if "kommune" in roles and "organisation" not in roles else "grants"

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(c.label.lower() for c in self.columns)


def _norm(token: str) -> str:
    return token.lower().strip(":;,.")


def _classify(label: str) -> tuple[Optional[str], Optional[int], Optional[str]]:
    t = label.lower()
    tokens = [_norm(x) for x in t.split()]
    year = next((int(x) for x in tokens if YEAR_RE.match(x)), None)
    if "antall" in tokens or ("organisasjoner" in tokens and ("mottatt" in tokens or "har" in tokens)):
        count_of = ("driftsstotte" if "drift" in t else
                    "aktivitetsstotte" if ("aktivitet" in t or "tiltak" in t) else None)
        return "count", year, count_of
    for role in ("kommune", "organisation", "project", "area", "amount"):
        if tokens and tokens[0] in ROLE_WORDS[role]:
            return role, year, None
    for role in ("kommune", "organisation", "project", "area", "amount"):
        if any(tok in ROLE_WORDS[role] for tok in tokens):
            return role, year, None
    if year is not None and all(YEAR_RE.match(t) or t in FILLER for t in tokens):
        return "amount", year, None  # a bare year heads an amount column ("2014 | 2015")
    return None, year, None


def _known_token(t: str) -> bool:
    return (any(t in words for words in ROLE_WORDS.values()) or t in FILLER
            or bool(YEAR_RE.match(t)) or t in {"(i", "1", "000", "kr)"})


def _known(word: Word) -> bool:
    t = _norm(word.text)
    return _known_token(t) or ("/" in t and all(_known_token(_norm(p)) for p in t.split("/") if p))


def _fragments(line: Line, gap: float) -> list[list[Word]]:
    """Split a line into runs of words separated by less than `gap` points."""
    runs: list[list[Word]] = []
    for w in line.words:
        if runs and w.x0 - runs[-1][-1].x1 < gap:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _split_known_run(run: list[Word]) -> list[list[Word]]:
    """A run such as `Organisasjon Prosjektnavn` (columns set close) split at role words."""
    out: list[list[Word]] = []
    for w in run:
        t = _norm(w.text)
        starts_role = any(t in ROLE_WORDS[r] for r in ("organisation", "project", "kommune"))
        starts_role = starts_role or t in ("geografisk", "tilskudd", "tilskot", "beløp", "tildeling",
                                           "organisasjoner", "antall")
        if out and starts_role and not (t == "område" and _norm(out[-1][-1].text) == "geografisk"):
            prev = _norm(out[-1][-1].text)
            # an amount word may finish a name ("som har mottatt tilskudd", "Tildelt beløp");
            # a name word always starts a new column
            continues = prev in ("som", "har", "mottatt", "geografisk", "tildelt", "sum") and t in (
                "tilskudd", "tilskot", "beløp", "tildeling", "støtte")
            if not continues:
                out.append([w])
                continue
        if out:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def match_header(lines: Sequence[Line], body_size: float) -> Optional[Header]:
    """The header formed by `lines` (1-3 consecutive lines), or None."""
    # runs break at very wide gaps only (justified header cells space their words widely);
    # columns are then told apart by the words that start a column name
    gap = 2.0 * body_size
    groups: list[list[Word]] = []  # column word groups
    for line in lines:
        if not all(_known(w) for w in line.words):
            return None
        for run in _fragments(line, gap):
            for frag in _split_known_run(run):
                x0, x1 = frag[0].x0, frag[-1].x1
                target = None
                for g in groups:
                    gx0, gx1 = min(w.x0 for w in g), max(w.x1 for w in g)
                    if x0 < gx1 - 1 and x1 > gx0 + 1 and all(
                            abs(w.top - frag[0].top) > 1 for w in g):
                        target = g
                        break
                if target is None:
                    groups.append(list(frag))
                else:
                    target.extend(frag)
    groups.sort(key=lambda g: min(w.x0 for w in g))
    columns = []
    scale = 1
    for g in groups:
        words = sorted(g, key=lambda w: (round(w.top), w.x0))
        label = " ".join(w.text for w in words)
        if re.search(r"1\s?000\s*kr", label.lower()):
            scale = 1000
        role, year, count_of = _classify(label)
        if role is None:
            return None
        columns.append(Column(role, label, min(w.x0 for w in g), max(w.x1 for w in g), year, count_of))
    roles = [c.role for c in columns]
    if not (("organisation" in roles or "kommune" in roles) and
            ("amount" in roles or "count" in roles)) or len(columns) < 2:
        return None
    if roles.count("organisation") > 1 or roles.count("kommune") > 1:
        return None
    return Header(tuple(columns), tuple(lines), scale)


def header_incomplete(header: Header) -> bool:
    """True when a column name looks cut off, so the next line may continue the header."""
    amounts = [c for c in header.columns if c.role == "amount"]
    if len(amounts) > 1 and any(c.year is None for c in amounts):
        return True
    for c in header.columns:
        if c.role == "count" and c.count_of is None:
            return True
        if _norm(c.label.split()[-1]) in ("som", "har", "og", "-", "mottatt", "i", "til"):
            return True
    return False
