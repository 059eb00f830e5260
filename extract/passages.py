"""Narrative paragraphs rebuilt from lines: line wrapping and hyphenation undone.

`introduksjons-` + `ordningen` becomes `introduksjonsordningen`, but a hyphen that stands for a
left-out word stays (`Barne-, likestillings- og`, `aktivitets-` + `og tiltaksstøtte`), and so
does a hyphen after a capital or a digit (`FN-` + `sambandet`, `2014-` + `2015`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Sequence

from .pdf import Line
from .settings import ExtractSettings

LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[•\-–·▪]\s)\s*")
KEEP_HYPHEN_NEXT = {"og", "eller", "samt", "til", "&"}


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int
    first: int  # index of the first line in the reading-order list
    last: int
    offsets: tuple[tuple[int, int], ...]  # (char offset in text, page) where each line starts

    def page_at(self, offset: int) -> int:
        page = self.page
        for off, p in self.offsets:
            if off > offset:
                break
            page = p
        return page


def join_lines(parts: Sequence[str]) -> tuple[str, list[int]]:
    """Join line texts into one string, undoing hyphenation; also each line's start offset."""
    text = ""
    starts = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not text:
            starts.append(0)
            text = part
            continue
        m = re.search(r"(\w)[-\u00ad]$", text)
        first_word = part.split()[0]
        if m and text.endswith("\u00ad"):
            text = text[:-1]
            starts.append(len(text))
            text += part
        elif m and (first_word.lower().strip(",.") in KEEP_HYPHEN_NEXT or first_word[0] in ",&"):
            starts.append(len(text) + 1)
            text += " " + part
        elif m and m.group(1).islower() and first_word[:1].islower():
            text = text[:-1]
            starts.append(len(text))
            text += part
        elif m:
            starts.append(len(text))
            text += part
        elif re.search(r"\d[-–]$", text) or text.endswith("–") and part[:1].isdigit():
            starts.append(len(text))
            text += part
        else:
            starts.append(len(text) + 1)
            text += " " + part
    return text, starts


def _pitch(lines: Sequence[Line]) -> float:
    steps = [b.top - a.top for a, b in zip(lines, lines[1:])
             if a.page == b.page and 0 < b.top - a.top < 3 * a.size]
    return statistics.median(steps) if steps else 12.0


def paragraphs(lines: Sequence[Line], skip: frozenset, settings: ExtractSettings,
               body_size: float) -> list[Paragraph]:
    """Paragraphs of the lines not in `skip` (table and heading lines)."""
    body = [(i, ln) for i, ln in enumerate(lines) if i not in skip]
    pitch = _pitch([ln for _, ln in body])
    left = statistics.median([ln.x0 for _, ln in body]) if body else 0.0
    ends = sorted(ln.x1 for _, ln in body)
    right = ends[int(0.9 * (len(ends) - 1))] if ends else 0.0
    groups: list[list[tuple[int, Line]]] = []
    notes: list[list[tuple[int, Line]]] = []  # footnotes: small print that does not break prose
    for i, ln in body:
        if ln.size < 0.85 * body_size:
            if notes and notes[-1][-1][1].page == ln.page and ln.top - notes[-1][-1][1].bottom < pitch:
                notes[-1].append((i, ln))
            else:
                notes.append([(i, ln)])
            continue
        if groups:
            pi, prev = groups[-1][-1]
            new = False
            if any(j in skip or lines[j].size >= 0.85 * body_size for j in range(pi + 1, i)):
                new = True
            elif ln.page != prev.page:
                new = prev.text.rstrip().endswith((".", "!", "?", ":")) and prev.x1 < right - 2 * body_size
            else:
                step = ln.top - prev.top
                if step > settings.paragraph_gap * pitch:
                    new = True
                elif LIST_ITEM.match(ln.text) and (
                        prev.text.rstrip().endswith((".", ":", ";", "!", "?"))
                        or prev.x1 < right - 4 * body_size):
                    new = True
                elif (LIST_ITEM.match(lines[groups[-1][0][0]].text)
                      and ln.x0 < lines[groups[-1][0][0]].x0 - 0.5 * body_size):
                    new = True
                elif ln.x0 > left + 1.2 * body_size and prev.x0 <= left + 0.5 * body_size:
                    new = True
                elif (prev.text.rstrip().endswith((".", "!", "?", ":"))
                      and prev.x1 < right - 4 * body_size):
                    new = True
            if not new:
                groups[-1].append((i, ln))
                continue
        groups.append([(i, ln)])
    out = []
    for g in sorted(groups + notes, key=lambda g: g[0][0]):
        text, starts = join_lines([ln.text for _, ln in g])
        if not text:
            continue
        offsets = tuple((s, ln.page) for s, (_, ln) in zip(starts, g))
        out.append(Paragraph(text, g[0][1].page, g[0][0], g[-1][0], offsets))
    return out


def section_of(headings, index: int) -> str:
    name = ""
    for h in headings:
        if h.first > index:
            break
        name = h.text
    return name


def sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into sentences: (offset, sentence). Keeps `kr.`, `ca.`, `bl.a.` whole."""
    out = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“(0-9])", text):
        before = text[max(0, m.start() - 6):m.start()].lower()
        if re.search(r"(\bkr|\bca|\bnr|\bbl\.a|\bf\.eks|\bjf|\bdvs|\bmill|\bv|\bst|\bprop|\bkap|\bpkt|\bosv|\bm\.m|\bevt|\bift)\.$", before):
            continue
        prev_tok = text[max(0, m.start() - 3):m.start()]
        if re.fullmatch(r".?\d\.", prev_tok) and m.end() < len(text) and text[m.end()].islower():
            continue
        out.append((start, text[start:m.start()].strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out
