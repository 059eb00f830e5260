"""Property-based tests (hypothesis) of table-row assembly, and of amounts found in sentences.

- `extract.amounts.find_amounts`: a money amount in a sentence of the 2015 report is found with
  its exact span and value, whatever thousands separator it has. (No exception on arbitrary text
  and the round-trips of amount spellings are tests/test_extract_amounts.py's; not repeated.)
- `extract.tables.find_tables`: a grant table laid out word by word (organisation and project
  cells wrapping over one to three lines, the amount on the row's last line, right-aligned, with
  any of the thousands separators PDFs use) comes back as exactly the rows that were laid out;
  arbitrary words in the cells never make it raise.

The words of names and projects are taken from the real sample reports (samples/content.py).
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.amounts import find_amounts, parse_amount
from extract.pdf import Line, Word
from extract.settings import ExtractSettings
from extract.tables import find_tables

# -- amounts in sentences --------------------------------------------------------------------------

SEPARATORS = [" ", "\u00a0", "\u2009", "\u202f"]  # space, no-break, thin, narrow no-break


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(1000, 10**9), st.sampled_from(SEPARATORS))
def test_amount_in_a_sentence_is_found_with_its_span(n, sep):
    amount = f"kr. {grouped(n, sep)},-"
    sentence = f"IMDi mottok 40 søknader på til sammen {amount} i 2015."
    found = [m for m in find_amounts(sentence) if m.is_money]
    assert [(m.text, m.value) for m in found] == [(amount, n)]
    assert sentence[found[0].start:found[0].end] == amount


# -- table rows ----------------------------------------------------------------------------------

BODY = 10.0  # font size of the table's text (the document's body size)
CHAR = 5.0  # advance per character (points)
SPACE = 2.5  # gap between words of one line
PITCH = 12.0  # top-to-top distance of the lines of one row
ROW_GAP = 8.0  # extra space between rows
ORG_X, PROJECT_X, AMOUNT_RIGHT = 56.0, 262.0, 540.0
ORG_WIDTH, PROJECT_WIDTH = 190.0, 190.0

NAME_WORDS = ("Caritas Norge Region øst indre vest midt sør Innvandrernes Landsorganisasjon Oslo "
              "Norges Fotballforbund Røde Kors Norske Kvinners Sanitetsforening Skeiv Verden "
              "Pakistansk Kulturforening Skedsmo MiRA-Senteret Multikulturelt initiativ- og "
              "ressursnettverk Kirkens Bymisjon Bergen Somalisk kvinneforening Drammen KIA "
              "Roagaland Stiftelsen Fargespill Selvhjelp for innvandrere flyktninger SEIF").split()
PROJECT_WORDS = ("Arbeidsliv muligheter og rettigheter for asylsøkere Alle sammen et integrert "
                 "flerkulturelt samfunn Fotballaktivitet voksne flyktninger i asylmottak "
                 "Aktivitet mottak Aktiviteter kvinner på Skeiv intro Empowerment unges valg mot "
                 "frihet Jentegrupper Informasjon veiledning til arbeidsinnvandrere").split()

words_of = st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=9)
projects_of = st.lists(st.sampled_from(PROJECT_WORDS), min_size=1, max_size=9)
rows_of = st.lists(st.tuples(words_of, projects_of, st.integers(1000, 99_999_999),
                             st.sampled_from(SEPARATORS)), min_size=1, max_size=12)


def wrap(words: list[str], width: float) -> list[list[str]]:
    """Words in lines no wider than `width` (a word alone may be wider)."""
    lines: list[list[str]] = [[]]
    used = 0.0
    for w in words:
        need = len(w) * CHAR + (SPACE if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0.0, len(w) * CHAR
        lines[-1].append(w)
        used += need
    return lines


def place(words: list[str], x: float, top: float) -> list[Word]:
    out = []
    for w in words:
        x1 = x + len(w) * CHAR
        out.append(Word(w, x, x1, top, top + BODY, BODY, False))
        x = x1 + SPACE
    return out


def place_right(words: list[str], right: float, top: float) -> list[Word]:
    width = sum(len(w) * CHAR for w in words) + SPACE * (len(words) - 1)
    return place(words, right - width, top)


def header_line(top: float = 80.0) -> Line:
    words = (place(["Organisasjon"], ORG_X, top) + place(["Prosjekt"], PROJECT_X, top)
             + place_right(["Beløp"], AMOUNT_RIGHT, top))
    return Line(tuple(words), 1)


def lay_out(rows) -> tuple[list[Line], list[tuple[str, str, str]]]:
    """The lines of a table with `rows` and the cells each row must come back as."""
    lines, expected = [header_line()], []
    top = 80.0 + PITCH + ROW_GAP
    for org_words, project_words, amount, sep in rows:
        org_lines, project_lines = wrap(org_words, ORG_WIDTH), wrap(project_words, PROJECT_WIDTH)
        amount_text = grouped(amount, sep)
        height = max(len(org_lines), len(project_lines))
        for k in range(height):
            words = []
            if k < len(org_lines):
                words += place(org_lines[k], ORG_X, top)
            if k < len(project_lines):
                words += place(project_lines[k], PROJECT_X, top)
            if k == height - 1:  # the amount sits on the row's last line
                words += place_right(amount_text.split(sep), AMOUNT_RIGHT, top)
            lines.append(Line(tuple(words), 1))
            top += PITCH
        top += ROW_GAP
        expected.append((" ".join(org_words), " ".join(project_words), amount_text.replace(sep, " ")))
    return lines, expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_of)
def test_table_rows_come_back_as_laid_out(rows):
    lines, expected = lay_out(rows)
    tables = find_tables(lines, {}, BODY, ExtractSettings())
    assert len(tables) == 1
    [table] = tables
    assert [c.role for c in table.header.columns] == ["organisation", "project", "amount"]
    assert [row.cells for row in table.rows] == expected
    assert [parse_amount(row.cells[2]) for row in table.rows] == [r[2] for r in rows]
    assert all(not row.is_sum and row.page == 1 for row in table.rows)


cell_text = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")),
                             min_size=1, max_size=12), min_size=0, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(cell_text, cell_text, cell_text), min_size=1, max_size=10))
def test_arbitrary_cell_text_never_raises(rows):
    lines = [header_line()]
    top = 80.0 + PITCH + ROW_GAP
    given = Counter(w.text for w in lines[0].words)
    for org, project, amount in rows:
        words = place(org, ORG_X, top) + place(project, PROJECT_X, top)
        if amount:
            words += place_right(amount, AMOUNT_RIGHT, top)
        given.update(org + project + amount)
        if words:
            lines.append(Line(tuple(words), 1))
        top += PITCH + ROW_GAP
    tables = find_tables(lines, {}, BODY, ExtractSettings())
    # nothing invented or read twice: the cells' characters are a part of the words given
    # (a word broken at a cell's edge may be glued back to the next line's first word)
    chars_given = Counter("".join(w * k for w, k in given.items()))
    chars_out = Counter("".join(c for t in tables for row in t.rows for c in row.cells).replace(" ", ""))
    assert chars_out <= chars_given
    for table in tables:
        for row in table.rows:
            assert len(row.cells) == len(table.header.columns)
