"""The published site's search structures: FTS5 indexes and the browse view.

`build_search_index(conn)` (re)builds, idempotently, on a DB-API sqlite3 connection:

- `organisations_fts` over `organisations` (name, all_names, acronym): every printed variant of
  a name finds the organisation (`MiR`, `Kirkens Bymisjon Bergen`, `pakistansk kulturforening`);
- `grants_fts` over `grants` (organisation_raw, project, project_lemmas, area);
- `passages_fts` over `passages` (text, lemmas): the lemma column makes `tvangsekteskap` find a
  passage that only says `tvangsekteskapet`;
- the table `grants_browse`: one row per grant with its places (as named in the grant's year
  and as of today) and themes as JSON arrays, so Datasette can facet on them. It is derived
  data, rebuilt here every time (a table, not a view: with 100 000 grants the view took seconds
  per page; the table is indexed on the facet and sort columns);
- the small tables `site_totals` (grants and NOK per report and year) and `site_theme_totals`
  (grants per theme), so the front page does not scan every grant.

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

BROWSE_COLUMNS = """
    grant_id INTEGER PRIMARY KEY, year INTEGER, scheme_number INTEGER, organisation_name TEXT,
    organisation_raw TEXT, project TEXT, area TEXT, places_today TEXT, amount_nok INTEGER,
    report_id INTEGER, page INTEGER, themes TEXT, places TEXT, scheme_name TEXT,
    organisation_id TEXT
"""
BROWSE_INDEXES = ("year", "scheme_name", "organisation_name", "organisation_id", "amount_nok")

TOTALS = {
    "site_totals": (
        "report_id INTEGER, year INTEGER, grants INTEGER, amount_nok INTEGER, "
        "counted_grants INTEGER, counted_amount_nok INTEGER, PRIMARY KEY (report_id, year)",
        "SELECT report_id, year, COUNT(*), SUM(amount_nok), SUM(counted), "
        "SUM(CASE WHEN counted THEN amount_nok ELSE 0 END) FROM grants GROUP BY report_id, year"),
    "site_theme_totals": (
        "theme_id TEXT PRIMARY KEY, grants INTEGER",
        "SELECT theme_id, COUNT(DISTINCT grant_id) FROM grant_themes GROUP BY theme_id"),
}

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
    """Create (if missing) and rebuild the FTS tables and the browse table.

    Idempotent; leaves transaction control to the caller.
    """
    for fts in FTS_TABLES:
        conn.execute(fts_create_sql(fts))
        conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('rebuild')")
    old = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", [BROWSE_VIEW]).fetchone()
    if old is not None:  # a view in bases built before it became a table
        conn.execute(f"DROP {'VIEW' if old[0] == 'view' else 'TABLE'} {BROWSE_VIEW}")
    conn.execute(f"CREATE TABLE {BROWSE_VIEW} ({BROWSE_COLUMNS})")
    conn.execute(f"INSERT INTO {BROWSE_VIEW} {BROWSE_SQL}")
    for column in BROWSE_INDEXES:
        conn.execute(f"CREATE INDEX idx_{BROWSE_VIEW}_{column} ON {BROWSE_VIEW} ({column})")
    for table, (columns, select) in TOTALS.items():
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} ({columns})")
        conn.execute(f"INSERT INTO {table} {select}")
    log.info("search index rebuilt: %s, %s", ", ".join(FTS_TABLES), BROWSE_VIEW)


def has_search_index(conn) -> bool:
    """True when every FTS table and the browse table exist."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    return all(name in names for name in (*FTS_TABLES, BROWSE_VIEW, *TOTALS))


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
