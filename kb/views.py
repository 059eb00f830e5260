"""The stable views for analysts. Their names and columns are a promise (docs/DESIGN.md)."""

VIEWS: dict[str, str] = {
    "grants_flat": """
        SELECT g.id AS grant_id, g.year, s.number AS scheme_number, s.name AS scheme_name,
               s.part, g.organisation_raw, o.id AS organisation_id, o.name AS organisation_name,
               g.project, g.area, g.amount_nok, g.report_id, g.page, g.counted
        FROM grants g
        LEFT JOIN schemes s ON s.id = g.scheme_id
        LEFT JOIN aliases a ON a.alias_id = g.alias_id
        LEFT JOIN organisations o ON o.id = a.organisation_id
    """,
    "organisation_years": """
        SELECT o.id AS organisation_id, o.name AS organisation_name, g.year,
               COUNT(*) AS grants, SUM(g.amount_nok) AS amount_nok
        FROM grants g
        JOIN aliases a ON a.alias_id = g.alias_id
        JOIN organisations o ON o.id = a.organisation_id
        WHERE g.counted
        GROUP BY o.id, g.year
    """,
    "allocations_flat": """
        SELECT al.year, al.report_id, al.kommune_raw, p.number AS kommunenummer,
               al.amount_nok, al.orgs_driftsstotte, al.orgs_aktivitetsstotte,
               al.is_sum_row, al.page
        FROM allocations al
        LEFT JOIN places p ON p.id = al.place_id
    """,
}

VIEW_DESCRIPTIONS: dict[str, str] = {
    "grants_flat": "One row per grant with its scheme and linked organisation: the view to start from. Sum only rows with counted = 1 to count each grant once across reports.",
    "organisation_years": "One row per organisation and year: number of grants and total NOK. Counts each grant once: a budget proposition's figure is left out where a grant report covers the same organisation and year (grants.counted).",
    "allocations_flat": "The municipality allocation tables, with official municipality numbers as of that year.",
}


def create_views(conn) -> None:
    """(Re)create the views on a DB-API connection."""
    for name, sql in VIEWS.items():
        conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.execute(f"CREATE VIEW {name} AS {sql}")
