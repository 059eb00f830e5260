"""Assembling table rows from lines: which lines of a table make up one row.

Every line with something in an amount column anchors one row. Other lines join the row above or
below: ruling lines decide where the page has them, then clear vertical gaps, and otherwise the
table's own alignment (the amount on the first, middle or last line of its rows), learnt from the
rows the gaps did settle. A cell's lines are joined by one space, except a word the layout broke
at the cell's edge without a hyphen.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .header import Header
from .pdf import Line, Rule, Word
from .records import BBox
from .settings import ExtractSettings

SUM_LABELS = re.compile(r"^(sum|sum:|totalt|total|i alt|sum tilskudd|sum tilskot)$", re.I)


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # one text per column, wrapped lines joined by one space
    page: int
    bbox: BBox
    is_sum: bool = False


def column_of(x0: float, x1: float, bounds: Sequence[float]) -> int:
    mid = (x0 + x1) / 2
    for i, b in enumerate(bounds):
        if mid < b:
            return i
    return len(bounds)


def cells_of(line: Line, bounds: Sequence[float], ncols: int) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(ncols)]
    for w in line.words:
        cells[column_of(w.x0, w.x1, bounds)].append(w)
    return cells


def _rule_between(upper: Line, lower: Line, rules: Sequence[Rule], x0: float, x1: float) -> bool:
    if upper.page != lower.page:
        return True
    width = x1 - x0
    for r in rules:
        if upper.bottom - 1.5 <= r.y <= lower.top + 1.5 and min(r.x1, x1) - max(r.x0, x0) > 0.5 * width:
            return True
    return False


def split_rows(body: list[Line], anchors: list[bool], rules_by_page: dict, x0: float, x1: float,
                body_size: float, settings: ExtractSettings, bounds: Sequence[float]) -> list[list[int]]:
    """Group body line positions into rows, one anchor (amount line) per row where possible."""
    n = len(body)
    if n == 0:
        return []
    # 1) hard breaks: rulings (only when the table has them) and page changes
    ruled = sum(
        1 for a, b in zip(body, body[1:])
        if a.page == b.page and _rule_between(a, b, rules_by_page.get(a.page, ()), x0, x1))
    # the usual gap between two lines of one cell: the smallest same-column gap
    ncols_bounds = len(bounds) + 1
    last_in_col: dict = {}
    col_gaps = []
    for line in body:
        for c, ws in enumerate(cells_of(line, bounds, ncols_bounds)):
            if not ws:
                continue
            top, bottom = min(w.top for w in ws), max(w.bottom for w in ws)
            prev = last_in_col.get(c)
            if prev and prev[0] == line.page:
                col_gaps.append(top - prev[1])
            last_in_col[c] = (line.page, bottom)
    base = max(0.0, min(col_gaps)) if col_gaps else 0.0
    gap_cut = base + max(1.2, settings.row_gap * 0.12 * body_size)
    use_rules = ruled >= max(1, sum(anchors) // 2)
    breaks = set()
    cover = body[0].bottom
    for j in range(n - 1):
        nxt = body[j + 1]
        if use_rules:
            if _rule_between(body[j], nxt, rules_by_page.get(body[j].page, ()), x0, x1):
                breaks.add(j)
        elif nxt.page != body[j].page or nxt.top - cover > gap_cut:
            breaks.add(j)
        cover = nxt.bottom if (j in breaks or nxt.page != body[j].page) else max(cover, nxt.bottom)
    segments: list[list[int]] = []
    cur: list[int] = []
    for j in range(n):
        cur.append(j)
        if j in breaks or j == n - 1:
            segments.append(cur)
            cur = []
    # alignment evidence from segments holding exactly one anchor
    votes = {"first": 0, "last": 0, "middle": 0}
    for seg in segments:
        idx = [j for j in seg if anchors[j]]
        if len(idx) == 1 and len(seg) > 1:
            pos = seg.index(idx[0])
            votes["first" if pos == 0 else "last" if pos == len(seg) - 1 else "middle"] += 1
    if not any(votes.values()):
        anchor_pos = [j for j in range(n) if anchors[j]]
        pre = anchor_pos[0] if anchor_pos else 0
        post = n - 1 - anchor_pos[-1] if anchor_pos else 0
        mode = "middle" if pre and post else "first" if post else "last"
    else:
        mode = max(votes, key=lambda k: (votes[k], k == "last"))
    rows: list[list[int]] = []
    for seg in segments:
        idx = [j for j in seg if anchors[j]]
        if len(idx) <= 1:
            rows.append(seg)
            continue
        cuts = []
        row_top = body[seg[0]].top
        for a, b in zip(idx, idx[1:]):
            if mode == "last":
                cuts.append(a)
            elif mode == "first":
                cuts.append(b - 1)
            else:
                # the amount sits in the middle of its row: the row ends as far below the
                # amount's centre as it starts above it
                centre = (body[a].top + body[a].bottom) / 2
                end = 2 * centre - row_top
                c = a
                while c + 1 < b and (body[c + 1].top + body[c + 1].bottom) / 2 < end:
                    c += 1
                cuts.append(c)
            row_top = body[cuts[-1] + 1].top
        start = seg[0]
        for c in cuts:
            rows.append(list(range(start, c + 1)))
            start = c + 1
        rows.append(list(range(start, seg[-1] + 1)))
    return [r for r in rows if r]


def token(text: str) -> str:
    return text.lower().strip(".,;:!?()«»\"'")


def _join_cell(frags: list[list[Word]], extent: tuple[float, float], vocab: Counter) -> str:
    """A cell's lines joined by one space; a word the layout broke at the cell's edge without a
    hyphen (a single word filling the whole width) is joined back without one, when the joined
    word is one the document uses elsewhere or neither half is."""
    text = ""
    glue = False
    for ws in frags:
        piece = " ".join(w.text for w in ws)
        if text and text[-1] in "-/" and piece:
            # broken after a hyphen or slash: `Midt-` + `Norge`, `Holdningsskapende/` +
            # `forebyggende` join back when the document writes the joined word elsewhere
            if vocab.get(token(text.split()[-1]) + token(piece.split()[0]), 0) > 0:
                text += piece
                glue = False
                continue
        if text and glue and piece[:1].islower():
            a, b = token(text.split()[-1]), token(piece.split()[0])
            glue = vocab.get(a + b, 0) > 0 or (vocab.get(a, 0) <= 1 and vocab.get(b, 0) <= 1)
        if text:
            text += ("" if glue and piece[:1].islower() else " ") + piece
        else:
            text = piece
        left, right = extent
        w = ws[0]
        char = (w.x1 - w.x0) / max(len(w.text), 1)
        glue = len(ws) == 1 and w.text[-1:].isalpha() and w.x1 >= right - 1.5 * char
    return text


def row_from_lines(lines: list[Line], bounds, header: Header, right_edges: Sequence,
                    vocab: Counter) -> Row:
    ncols = len(header.columns)
    parts: list[list[list[Word]]] = [[] for _ in range(ncols)]
    words_all: list[Word] = []
    for line in lines:
        for c, ws in enumerate(cells_of(line, bounds, ncols)):
            if ws:
                parts[c].append(ws)
                words_all.extend(ws)
    cells = tuple(_join_cell(p, right_edges[c], vocab) for c, p in enumerate(parts))
    bbox = BBox(min(w.x0 for w in words_all), min(w.top for w in words_all),
                max(w.x1 for w in words_all), max(w.bottom for w in words_all))
    anchor_page = lines[0].page
    first = cells[0].strip()
    return Row(cells, anchor_page, bbox, bool(SUM_LABELS.match(first)))


