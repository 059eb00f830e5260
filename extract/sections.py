"""Headings and the schemes they name, from font size and weight, with text patterns as backup.

A heading is a run of lines set larger or bolder than running text. `1. Frivillig virksomhet ...`
(wrapped over several lines) opens scheme 1; `Del 1 - Informasjon om ...` opens a part of the
current scheme; other headings (`Innledning`, `Eksempler på gode tiltak`) name sections for the
passages. Schemes come from what the report says, not from a fixed list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

from .pdf import Line
from .records import Scheme
from .settings import ExtractSettings

NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
PART = re.compile(r"^(Del|Part)\s+(\d{1,2})\s*(?:[-–—:.]\s*|\s+)(.*)$", re.I)
PART_PLAIN = re.compile(r"^(Del|Part)\s+(\d{1,2})\s*[-–—:]\s*(.*)$", re.I)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass(frozen=True)
class Heading:
    first: int  # index of its first line in the reading-order list
    last: int
    text: str  # the lines joined by one space
    page: int
    level: str  # "scheme" | "part" | "section"
    number: Optional[int] = None
    part: Optional[str] = None  # "Del 1"
    name: str = ""  # the text after the number / "Del 1 -"


def _style(line: Line, body_size: float, settings: ExtractSettings) -> Optional[tuple]:
    if line.size >= body_size * settings.heading_size_ratio:
        return ("size", round(line.size))
    if line.bold:
        return ("bold", round(line.size))
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_headings(lines: Sequence[Line], body_size: float, settings: ExtractSettings,
                  skip: frozenset = frozenset()) -> list[Heading]:
    """Headings in reading order. `skip`: line indexes that belong to tables."""
    headings: list[Heading] = []
    i = 0
    last_scheme = 0
    while i < len(lines):
        if i in skip:
            i += 1
            continue
        line = lines[i]
        style = _style(line, body_size, settings)
        text = line.text.strip()
        part_plain = PART_PLAIN.match(text) and len(text) < 200
        if style is None and not part_plain:
            i += 1
            continue
        j = i
        # a heading wraps over following lines of the same style, close below
        while (j + 1 < len(lines) and j + 1 not in skip and lines[j + 1].page == lines[j].page
               and lines[j + 1].top - lines[j].bottom < 0.9 * max(line.size, body_size)
               and (_style(lines[j + 1], body_size, settings) == style if style else False)
               and not NUMBERED.match(lines[j + 1].text) and not PART.match(lines[j + 1].text)):
            j += 1
        if style is None:
            # an unstyled "Del 1 - ..." line: take the lines up to a sentence end
            while (j + 1 < len(lines) and j + 1 not in skip and not lines[j].text.rstrip().endswith(".")
                   and j - i < 3 and lines[j + 1].page == lines[j].page):
                j += 1
        full = _clean(" ".join(ln.text for ln in lines[i:j + 1]))
        m_num, m_part = NUMBERED.match(full), (PART if style else PART_PLAIN).match(full)
        if (m_num and style and len(full) < 250
                and (int(m_num.group(1)) == last_scheme + 1 or (last_scheme == 0 and int(m_num.group(1)) < 20))):
            number = int(m_num.group(1))
            last_scheme = number
            headings.append(Heading(i, j, full, line.page, "scheme", number, None,
                                    m_num.group(2).strip()))
        elif m_part and last_scheme:
            headings.append(Heading(i, j, full, line.page, "part", last_scheme,
                                    f"Del {int(m_part.group(2))}", m_part.group(3).strip()))
        elif style and len(full) < 250 and not m_num:
            headings.append(Heading(i, j, full, line.page, "section", None, None, full))
        i = j + 1
    return headings


def plain_scheme_headings(lines: Sequence[Line], body_size: float,
                          skip: frozenset = frozenset()) -> list[Heading]:
    """Backup for PDFs whose headings look like body text: a numbered line that stands alone
    (space above it, not reaching the right margin, not one item of a list) and numbers that
    count up by one."""
    kept = [i for i in range(len(lines)) if i not in skip]
    if not kept:
        return []
    right = max(lines[i].x1 for i in kept)
    steps = sorted(lines[b].top - lines[a].top for a, b in zip(kept, kept[1:])
                   if lines[a].page == lines[b].page and lines[b].top > lines[a].top)
    pitch = steps[len(steps) // 4] if steps else body_size * 1.2
    out: list[Heading] = []
    last = 0
    for n, i in enumerate(kept):
        line = lines[i]
        m = NUMBERED.match(line.text)
        if not m or line.text.rstrip().endswith((".", ",", ";")) or line.x1 > right - 2 * body_size:
            continue
        number = int(m.group(1))
        if not (number == last + 1 or (last == 0 and number < 20)):
            continue
        prev = lines[kept[n - 1]] if n else None
        nxt = lines[kept[n + 1]] if n + 1 < len(kept) else None
        if prev and prev.page == line.page and line.top - prev.top < 1.3 * pitch:
            continue  # no space above: a list item or a wrapped sentence
        if nxt and NUMBERED.match(nxt.text) and nxt.top - line.top < 1.3 * pitch:
            continue  # the first item of a list
        last = number
        out.append(Heading(i, i, line.text.strip(), line.page, "scheme", number, None,
                           m.group(2).strip()))
    return out


def schemes_from(headings: Sequence[Heading]) -> list[Scheme]:
    """One Scheme per numbered scheme heading, and one more per part (`Del 1`) of it.

    The parent stays: a scheme's own narrative, budget and totals (before its first part) are
    keyed to it ("4"), its table grants to its parts ("4/Del 1").
    """
    schemes: list[Scheme] = []
    current: Optional[Heading] = None
    for h in headings:
        if h.level == "scheme":
            current = h
            schemes.append(Scheme(h.number, h.name, h.page))
        elif h.level == "part" and current is not None:
            schemes.append(Scheme(current.number, current.name, h.page, h.part, h.name))
    return schemes


def scheme_key_at(headings: Sequence[Heading], index: int) -> Optional[str]:
    """The key of the scheme (part) that line `index` sits under."""
    number, part = None, None
    for h in headings:
        if h.first > index:
            break
        if h.level == "scheme":
            number, part = h.number, None
        elif h.level == "part":
            part = h.part
    if number is None:
        return None
    return f"{number}/{part}" if part else str(number)


def title_and_year(lines: Sequence[Line], metadata: dict) -> tuple[str, Optional[int]]:
    """The title (metadata, else the largest text on page 1) and the report year."""
    title = _clean(metadata.get("Title", "") or "")
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not title and first_page:
        biggest = max(ln.size for ln in first_page)
        title = _clean(" ".join(ln.text for ln in first_page if ln.size >= biggest - 0.5))
    m = YEAR.findall(title)
    if m:
        return title, int(m[-1])
    counts: Counter = Counter()
    for ln in lines:
        for y in re.findall(r"\b[Ii] (20\d\d|19\d\d)\b", ln.text):
            counts[int(y)] += 1
    year = counts.most_common(1)[0][0] if counts else None
    return title, year


BUDGET_PROPOSITION = re.compile(r"\bProp\.\s*\d+\s*S\b|\bstatsbudsjett", re.IGNORECASE)


def report_kind(title: str, lines: Sequence[Line]) -> str:
    """"budget_proposition" for a Prop. S / statsbudsjett document, else "grant_report"."""
    head = " ".join(ln.text for ln in lines[:15])
    return "budget_proposition" if BUDGET_PROPOSITION.search(title) or re.search(
        r"^\s*Prop\.\s*\d+\s*S\b", head) else "grant_report"


def publisher_of(lines: Sequence[Line], metadata: dict) -> str:
    author = _clean(metadata.get("Author", "") or "")
    acronym = re.search(r"\(([A-ZÆØÅ][A-Za-zÆØÅæøå]{1,9})\)\s*$", author)
    if acronym:
        return acronym.group(1)
    if author:
        return author
    text = " ".join(ln.text for ln in lines[:200])
    m = re.search(r"(?:departementet|direktoratet)\s*\(([A-ZÆØÅ][A-Za-zÆØÅæøå]{1,9})\)", text)
    if m:
        return m.group(1)
    if "IMDi" in text or "mangfoldsdirektoratet" in text:
        return "IMDi"
    if "departement" in text.lower():
        m = re.search(r"([A-ZÆØÅ][\w-]+(?:,? [\w-]+)*departementet)", text)
        if m:
            return m.group(1)
    return ""
