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
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

from .amounts import parse_amount
from .header import Header, header_incomplete, match_header
from .pdf import Line
from .rows import SUM_LABELS, Row, cells_of, row_from_lines, split_rows, token
from .settings import ExtractSettings

THOUSANDS = re.compile(r"\(\s*i\s+1\s?000\s*(?:kr|kroner|NOK)\.?\s*\)|i\s+1\s?000\s+kroner", re.I)


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
            while i + k < len(lines):
                nxt = lines[i + k]
                if nxt.page != block[-1].page or nxt.top - block[-1].bottom > 1.2 * body_size:
                    break
                # a bold header cell wrapped onto a second line (`Geografisk` / `område`)
                wrapped = nxt.bold and block[-1].bold and abs(nxt.size - block[-1].size) < 0.5
                if not (header_incomplete(header) or wrapped):
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
        best_runs = []
        for s, n in enumerate(counts + [best + 1]):
            if n == best and run_start is None:
                run_start = s
            elif n != best and run_start is not None:
                if s - run_start > best_run[1] - best_run[0]:
                    best_run = (run_start, s)
                if (xs[s - 1] - xs[run_start]) >= 1.5 or not best_runs:
                    best_runs.append((run_start, s))
                run_start = None
        s0, s1 = best_run
        if not b.numeric:
            # a left-aligned text column starts right after the last clear strip before it
            s0, s1 = best_runs[-1]
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
    tail = [w.text for w in line.words[-3:]]
    if any(parse_amount(" ".join(tail[k:])) is not None for k in range(len(tail))):
        return False  # a table row ending in its amount
    gap = settings.column_gap_em * body_size
    return all(b.x0 - a.x1 < gap for a, b in zip(line.words, line.words[1:]))


def _straddles(line: Line, bounds: Sequence[float]) -> bool:
    for w in line.words:
        for b in bounds:
            if w.x0 < b - 2 and w.x1 > b + 2:
                return True
    return False


def _same_header(line_block: Sequence[Line], header: Header, body_size: float) -> bool:
    other = match_header(line_block, body_size)
    return other is not None and [c.role for c in other.columns] == [c.role for c in header.columns]


def _body_lines(lines: Sequence[Line], start: int, header: Header, bounds, body_size,
                settings) -> tuple[list[int], list[int]]:
    """Indexes of the lines of the table body from `start`, and of repeated header lines."""
    out: list[int] = []
    repeated: list[int] = []
    amount_cols = [i for i, c in enumerate(header.columns) if c.numeric]
    prev = header.lines[-1]
    header_ends = {id(prev)}  # the gap under a header (first or repeated) is not a row gap
    table_size = header.lines[0].size
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
                header_ends.add(id(prev))
                continue
        elif (pitch is not None and id(prev) not in header_ends
              and line.top - prev.bottom > max(2.6 * pitch, 1.6 * body_size)):
            break
        if _straddles(line, bounds) or _find_header(lines, i, body_size):
            break
        cells = cells_of(line, bounds, len(header.columns))
        has_amount = any(cells[c] for c in amount_cols)
        if not has_amount and not (table_size / 1.1 <= line.size <= table_size * 1.1):
            break  # set in another size than the table: a heading or prose after it
        if not has_amount and line.bold and not header.lines[0].bold:
            break
        if line.page == prev.page and id(prev) not in header_ends:
            step = line.top - prev.bottom
            pitch = step if pitch is None else min(pitch, max(step, 0.5))
        out.append(i)
        prev = line
        first = " ".join(w.text for w in cells[0])
        if SUM_LABELS.match(first.strip()):
            break
        i += 1
    return out, repeated


def _mend_page_breaks(groups: list[list[int]], anchors: Sequence[bool],
                      body: Sequence[Line]) -> list[list[int]]:
    """A row that a page break cut in two: the part without the amount joins the part with it.

    A group with no amount that starts a page continues the row above (amount on its first
    line); one that ends a page, before the next page's first row, starts the row below.
    """
    out: list[list[int]] = []
    pending: list[int] = []
    for n, g in enumerate(groups):
        g = pending + g
        pending = []
        if not any(anchors[j] for j in g):
            after = groups[n + 1] if n + 1 < len(groups) else None
            if out and body[g[0]].page > body[out[-1][-1]].page:
                out[-1] = out[-1] + g
                continue
            if after and body[after[0]].page > body[g[-1]].page:
                pending = g
                continue
        out.append(g)
    if pending:
        out.append(pending)
    return out


def find_tables(lines: Sequence[Line], rules_by_page: dict, body_size: float,
                settings: ExtractSettings) -> list[Table]:
    """Every grant or allocation table in reading order."""
    tables: list[Table] = []
    vocab = Counter(token(w.text) for line in lines for w in line.words)
    i = 0
    while i < len(lines):
        found = _find_header(lines, i, body_size)
        if not found:
            i += 1
            continue
        header, k = found
        start = i + k
        caption = " ".join(ln.text for ln in lines[max(0, i - 2):i] if ln.page == header.lines[0].page)
        if THOUSANDS.search(caption):
            header = replace(header, scale=1000)
        # sample the lines under the header on its page to place column boundaries
        sample = []
        width = max(c.x1 for c in header.columns) - min(c.x0 for c in header.columns)
        prose_run = 0
        skip_to = start
        for j in range(start, min(start + 80, len(lines))):
            line = lines[j]
            if j < skip_to:
                continue
            if sample and line.page != sample[-1].page:
                # the table goes on under a repeated header: sample its rows there too
                again = _find_header(lines, j, body_size)
                if again and _same_header(lines[j:j + again[1]], header, body_size):
                    skip_to = j + again[1]
                    continue
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
                   for cells in (cells_of(ln, bounds, len(header.columns)) for ln in body)]
        x0 = min(c.x0 for c in header.columns)
        x1 = max(max(c.x1 for c in header.columns), max(ln.x1 for ln in body))
        groups = split_rows(body, anchors, rules_by_page, x0, x1, body_size, settings, bounds)
        groups = _mend_page_breaks(groups, anchors, body)
        ncols = len(header.columns)
        right_edges = [(1e9, 0.0)] * ncols
        for ln in body:
            for c, ws in enumerate(cells_of(ln, bounds, ncols)):
                if ws:
                    right_edges[c] = (min(right_edges[c][0], ws[0].x0),
                                      max(right_edges[c][1], max(w.x1 for w in ws)))
        warnings = []
        rows = []
        for g in groups:
            if not any(anchors[j] for j in g) and g[-1] == len(body) - 1 and rows:
                # lines after the last row that carry no amount are prose, not table
                body_idx = body_idx[:g[0]]
                continue
            rows.append(row_from_lines([body[j] for j in g], bounds, header, right_edges, vocab))
        if not rows:
            i += k
            continue
        used = frozenset(list(range(i, i + k)) + body_idx + [r for r in repeated if r < max(body_idx)])
        tables.append(Table(header, bounds, tuple(rows), i, max(used), used, tuple(warnings)))
        i = max(used) + 1
    return tables
