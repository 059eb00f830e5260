"""Finding grant tables by word geometry, so any PDF producer's tables read the same.

1. A header row is recognised from its words (`extract.header`).
2. Column boundaries are placed in the emptiest vertical strip between neighbouring header
   columns, measured over the lines below the header (works for left, centred or right aligned
   headers and right-aligned amounts).
3. Lines below the header belong to the table while their words stay inside the columns; the
   table continues over page breaks (a repeated header is skipped) and stops at a heading, a
   line that crosses a column boundary, a wide vertical gap or a `SUM` row.
4. Rows: every line with something in an amount column anchors one row. Other lines join the row
   above or below: ruling lines decide where the page has them, then clear vertical gaps, and
   otherwise the table's own alignment (amount on the first, middle or last line of a row).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .amounts import parse_amount, parse_count
from .header import Column, Header, header_incomplete, match_header
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


@dataclass(frozen=True)
class Table:
    header: Header
    boundaries: tuple[float, ...]  # x between column i and i+1
    rows: tuple[Row, ...]
    first_line: int  # index of the header's first line in the reading-order line list
    last_line: int  # index of the table's last line
    line_indexes: frozenset = field(default_factory=frozenset)
    warnings: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.header.kind

    @property
    def page(self) -> int:
        return self.header.lines[0].page


def _is_heading_line(line: Line, body_size: float, settings: ExtractSettings) -> bool:
    return line.size >= body_size * settings.heading_size_ratio or line.bold


def _find_header(lines: Sequence[Line], i: int, body_size: float) -> Optional[tuple[Header, int]]:
    """A header starting at line i: (header, number of lines), trying 1-3 lines."""
    for k in (1, 2, 3):
        block = lines[i:i + k]
        if len(block) < k or len({ln.page for ln in block}) > 1:
            return None
        if k > 1 and block[-1].top - block[-2].bottom > 1.2 * body_size:
            return None
        header = match_header(block, body_size)
        if header is not None:
            # extend over continuation lines while the header looks cut off
            while header_incomplete(header) and i + k < len(lines):
                nxt = lines[i + k]
                if nxt.page != block[-1].page or nxt.top - block[-1].bottom > 1.2 * body_size:
                    break
                longer = match_header(lines[i:i + k + 1], body_size)
                if longer is None:
                    break
                header, k, block = longer, k + 1, lines[i:i + k + 1]
            return header, k
    return None


def _boundaries(header: Header, sample: Sequence[Line]) -> tuple[float, ...]:
    """x positions separating the columns: the emptiest strip between header columns."""
    cols = header.columns
    out = []
    for a, b in zip(cols, cols[1:]):
        lo, hi = (a.x1, b.x0) if a.x1 < b.x0 else (b.x0 - 1.0, b.x0)
        # let the strip reach into a centred or right-aligned header's blank space
        lo = min(lo, a.x1)
        if hi - lo < 1.0:
            out.append((lo + hi) / 2)
            continue
        steps = max(int((hi - lo) / 0.5), 1)
        xs = [lo + (hi - lo) * s / steps for s in range(steps + 1)]
        counts = []
        for x in xs:
            n = 0
            for line in sample:
                for w in line.words:
                    if w.x0 - 0.5 < x < w.x1 + 0.5:
                        n += 1
                        break
            counts.append(n)
        best = min(counts)
        run_start, best_run = None, (0, 0)
        for s, n in enumerate(counts + [best + 1]):
            if n == best and run_start is None:
                run_start = s
            elif n != best and run_start is not None:
                if s - run_start > best_run[1] - best_run[0]:
                    best_run = (run_start, s)
                run_start = None
        s0, s1 = best_run
        left, right = xs[s0], xs[max(s1 - 1, s0)]
        if b.numeric:
            out.append((left + right) / 2)
        else:
            # text columns are left aligned: cut just before the next column's text starts
            out.append(max((left + right) / 2, right - 1.5))
    return tuple(out)


def _looks_like_prose(line: Line, width: float, body_size: float, settings: ExtractSettings) -> bool:
    """A line of running text: wide, with only word spaces between its words."""
    if line.x1 - line.x0 < 0.5 * width:
        return False
    gap = settings.column_gap_em * body_size
    return all(b.x0 - a.x1 < gap for a, b in zip(line.words, line.words[1:]))


def _column_of(x0: float, x1: float, bounds: Sequence[float]) -> int:
    mid = (x0 + x1) / 2
    for i, b in enumerate(bounds):
        if mid < b:
            return i
    return len(bounds)


def _straddles(line: Line, bounds: Sequence[float]) -> bool:
    for w in line.words:
        for b in bounds:
            if w.x0 < b - 2 and w.x1 > b + 2:
                return True
    return False


def _cells(line: Line, bounds: Sequence[float], ncols: int) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(ncols)]
    for w in line.words:
        cells[_column_of(w.x0, w.x1, bounds)].append(w)
    return cells


def _same_header(line_block: Sequence[Line], header: Header, body_size: float) -> bool:
    other = match_header(line_block, body_size)
    return other is not None and [c.role for c in other.columns] == [c.role for c in header.columns]


def _body_lines(lines: Sequence[Line], start: int, header: Header, bounds, body_size,
                settings) -> tuple[list[int], list[int]]:
    """Indexes of the lines of the table body from `start`, and of repeated header lines."""
    hk = len(header.lines)
    out: list[int] = []
    repeated: list[int] = []
    amount_cols = [i for i, c in enumerate(header.columns) if c.numeric]
    prev = header.lines[-1]
    pitch = None
    i = start
    while i < len(lines):
        line = lines[i]
        if line.page != prev.page:
            # a repeated header on the next page is skipped
            found = _find_header(lines, i, body_size)
            if found and _same_header(lines[i:i + found[1]], header, body_size):
                repeated.extend(range(i, i + found[1]))
                i += found[1]
                prev = lines[i - 1]
                continue
        elif pitch is not None and line.top - prev.bottom > max(2.6 * pitch, 1.6 * body_size):
            break
        if _straddles(line, bounds) or _find_header(lines, i, body_size):
            break
        cells = _cells(line, bounds, len(header.columns))
        has_amount = any(cells[c] for c in amount_cols)
        if not has_amount and line.size >= body_size * settings.heading_size_ratio * 1.05:
            break
        if not has_amount and line.bold and not header.lines[0].bold:
            break
        if line.page == prev.page and prev is not header.lines[-1]:
            step = line.top - prev.bottom
            pitch = step if pitch is None else min(pitch, max(step, 0.5))
        out.append(i)
        prev = line
        first = " ".join(w.text for w in cells[0])
        if SUM_LABELS.match(first.strip()):
            break
        i += 1
    del hk
    return out, repeated


def _rule_between(upper: Line, lower: Line, rules: Sequence[Rule], x0: float, x1: float) -> bool:
    if upper.page != lower.page:
        return True
    width = x1 - x0
    for r in rules:
        if upper.bottom - 1.5 <= r.y <= lower.top + 1.5 and min(r.x1, x1) - max(r.x0, x0) > 0.5 * width:
            return True
    return False


def _split_rows(body: list[Line], anchors: list[bool], rules_by_page: dict, x0: float, x1: float,
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
        for c, ws in enumerate(_cells(line, bounds, ncols_bounds)):
            if not ws:
                continue
            top, bottom = min(w.top for w in ws), max(w.bottom for w in ws)
            prev = last_in_col.get(c)
            if prev and prev[0] == line.page:
                col_gaps.append(top - prev[1])
            last_in_col[c] = (line.page, bottom)
    base = max(0.0, min(col_gaps)) if col_gaps else 0.0
    gap_cut = base + settings.row_gap * 0.3 * body_size
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
        for a, b in zip(idx, idx[1:]):
            if mode == "last":
                cuts.append(a)
            elif mode == "first":
                cuts.append(b - 1)
            else:
                cuts.append(a + (b - a - 1) // 2)
        start = seg[0]
        for c in cuts:
            rows.append(list(range(start, c + 1)))
            start = c + 1
        rows.append(list(range(start, seg[-1] + 1)))
    return [r for r in rows if r]


def _join_cell(frags: list[list[Word]], extent: tuple[float, float]) -> str:
    """A cell's lines joined by one space; a word the layout broke at the cell's edge without a
    hyphen (a single word filling the whole width) is joined back without one."""
    text = ""
    glue = False
    for ws in frags:
        piece = " ".join(w.text for w in ws)
        if text:
            text += ("" if glue and piece[:1].islower() else " ") + piece
        else:
            text = piece
        left, right = extent
        glue = (len(ws) == 1 and ws[0].text[-1:].isalpha()
                and ws[0].x1 - ws[0].x0 >= 0.97 * (right - left))
    return text


def _row_from_lines(lines: list[Line], bounds, header: Header, right_edges: Sequence[float]) -> Row:
    ncols = len(header.columns)
    parts: list[list[list[Word]]] = [[] for _ in range(ncols)]
    words_all: list[Word] = []
    for line in lines:
        for c, ws in enumerate(_cells(line, bounds, ncols)):
            if ws:
                parts[c].append(ws)
                words_all.extend(ws)
    cells = tuple(_join_cell(p, right_edges[c]) for c, p in enumerate(parts))
    bbox = BBox(min(w.x0 for w in words_all), min(w.top for w in words_all),
                max(w.x1 for w in words_all), max(w.bottom for w in words_all))
    anchor_page = lines[0].page
    first = cells[0].strip()
    return Row(cells, anchor_page, bbox, bool(SUM_LABELS.match(first)))


def find_tables(lines: Sequence[Line], rules_by_page: dict, body_size: float,
                settings: ExtractSettings) -> list[Table]:
    """Every grant or allocation table in reading order."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        found = _find_header(lines, i, body_size)
        if not found:
            i += 1
            continue
        header, k = found
        start = i + k
        # sample the lines under the header on its page to place column boundaries
        sample = []
        width = max(c.x1 for c in header.columns) - min(c.x0 for c in header.columns)
        prose_run = 0
        for line in lines[start:start + 80]:
            if _is_heading_line(line, body_size, settings) and not any(
                    parse_amount(w.text) for w in line.words):
                break
            if _looks_like_prose(line, width, body_size, settings):
                prose_run += 1
                if prose_run >= 2:
                    break
                continue
            prose_run = 0
            sample.append(line)
        bounds = _boundaries(header, sample)
        body_idx, repeated = _body_lines(lines, start, header, bounds, body_size, settings)
        if not body_idx:
            i += k
            continue
        body = [lines[j] for j in body_idx]
        numeric = [c for c, col in enumerate(header.columns) if col.numeric]
        anchors = [any(cells[c] for c in numeric)
                   for cells in (_cells(ln, bounds, len(header.columns)) for ln in body)]
        # trailing lines after the last amount line belong to the table only when the
        # table's rows carry text below their amount
        x0 = min(c.x0 for c in header.columns)
        x1 = max(max(c.x1 for c in header.columns), max(ln.x1 for ln in body))
        groups = _split_rows(body, anchors, rules_by_page, x0, x1, body_size, settings, bounds)
        ncols = len(header.columns)
        right_edges = [(1e9, 0.0)] * ncols
        for ln in body:
            for c, ws in enumerate(_cells(ln, bounds, ncols)):
                if ws:
                    right_edges[c] = (min(right_edges[c][0], ws[0].x0),
                                      max(right_edges[c][1], max(w.x1 for w in ws)))
        warnings = []
        rows = []
        for g in groups:
            if not any(anchors[j] for j in g) and g[-1] == len(body) - 1 and rows:
                # lines after the last row that carry no amount: narrative, not table
                trailing_ok = False
                if not trailing_ok:
                    body_idx = body_idx[:g[0]]
                    continue
            rows.append(_row_from_lines([body[j] for j in g], bounds, header, right_edges))
        if not rows:
            i += k
            continue
        used = frozenset(list(range(i, i + k)) + body_idx + [r for r in repeated if r < max(body_idx)])
        tables.append(Table(header, bounds, tuple(rows), i, max(used), used, tuple(warnings)))
        i = max(used) + 1
    return tables
