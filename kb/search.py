"""The published site's search structures: FTS5 indexes and the browse view.

`build_search_index(conn)` (re)builds, idempotently, on a DB-API sqlite3 connection:

- `organisations_fts` over `organisations` (name, all_names, acronym): every printed variant of
  a name finds the organisation (`MiR`, `Kirkens Bymisjon Bergen`, `pakistansk kulturforening`);
- `grants_fts` over `grants` (organisation_raw, project, project_lemmas, area);
- `passages_fts` over `passages` (text, lemmas): the lemma column makes `tvangsekteskap` find a
  passage that only says `tvangsekteskapet`;
- the view `grants_browse`: one row per grant with its places (as named in the grant's year and
  as of today) and themes as JSON arrays, so Datasette can facet on them.

The FTS tables are external-content tables (`content=`), tokenised with
`unicode61 remove_diacritics 0` so that æ, ø and å stay distinct letters. The store calls this
after each ingest and link, inside its transaction; it commits nothing itself.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

TOKENIZE = "unicode61 remove_diacritics 0"

FTS_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    # fts table: (content table, indexed columns)
    "organisations_fts": ("organisations", ("name", "all_names", "acronym")),
    "grants_fts": ("grants", ("organisation_raw", "project", "project_lemmas", "area")),
    "passages_fts": ("passages", ("text", "lemmas")),
}

BROWSE_VIEW = "grants_browse"

BROWSE_SQL = """
SELECT g.id AS grant_id, g.year, s.number AS scheme_number,
       o.name AS organisation_name, g.organisation_raw, g.project, g.area,
       (SELECT json_group_array(DISTINCT cp.name)
          FROM grant_places gp
          LEFT JOIN place_successors ps ON ps.place_id = gp.place_id
          JOIN places cp ON cp.id = COALESCE(ps.current_place_id, gp.place_id)
         WHERE gp.grant_id = g.id) AS places_today,
       g.amount_nok, g.report_id, g.page,
       (SELECT json_group_array(DISTINCT t.label_no)
          FROM grant_themes gt JOIN themes t ON t.id = gt.theme_id
         WHERE gt.grant_id = g.id) AS themes,
       (SELECT json_group_array(DISTINCT p.name)
          FROM grant_places gp JOIN places p ON p.id = gp.place_id
         WHERE gp.grant_id = g.id) AS places,
       s.name AS scheme_name, o.id AS organisation_id
FROM grants g
LEFT JOIN schemes s ON s.id = g.scheme_id
LEFT JOIN aliases a ON a.alias_id = g.alias_id
LEFT JOIN organisations o ON o.id = a.organisation_id
"""

BROWSE_DESCRIPTION = (
    "One row per grant with its places (as named in the grant's year, and today's "
    "municipalities) and its themes: the page to search and filter grants."
)


def fts_create_sql(fts: str) -> str:
    """The CREATE VIRTUAL TABLE statement of one FTS table."""
    content, columns = FTS_TABLES[fts]
    cols = ", ".join(columns)
    return (
        f'CREATE VIRTUAL TABLE IF NOT EXISTS [{fts}] USING fts5({cols}, '
        f'content="{content}", content_rowid="rowid", tokenize="{TOKENIZE}")'
    )


def build_search_index(conn) -> None:
    """Create (if missing) and rebuild the FTS tables and the browse view.

    Idempotent; leaves transaction control to the caller.
    """
    for fts in FTS_TABLES:
        conn.execute(fts_create_sql(fts))
        conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('rebuild')")
    conn.execute(f"DROP VIEW IF EXISTS {BROWSE_VIEW}")
    conn.execute(f"CREATE VIEW {BROWSE_VIEW} AS {BROWSE_SQL}")
    log.info("search index rebuilt: %s", ", ".join(FTS_TABLES))


def has_search_index(conn) -> bool:
    """True when every FTS table and the browse view exist."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    return all(name in names for name in (*FTS_TABLES, BROWSE_VIEW))


def match_expression(text: str) -> str:
    """A safe FTS5 query for free text: every word quoted, all words required.

    `Kirkens Bymisjon - Bergen` → `"Kirkens" "Bymisjon" "Bergen"`. Punctuation-only words are
    dropped, so user input can never be an FTS syntax error; no words gives `""`, which
    matches nothing.
    """
    words = []
    for word in (text or "").split():
        if any(ch.isalnum() for ch in word):
            words.append('"' + word.replace('"', '""') + '"')
    return " ".join(words) or '""'
