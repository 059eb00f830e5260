"""Datasette plugin of the tilskudd site (loaded from datasette_config/plugins/).

- routes: `/-/pdf/<report_id>.pdf` (the report PDF, from `report_files`) and
  `/-/grant-image/<grant_id>.png` (the page region a grant was read from, from `grant_images`);
- a read-only guard: any request other than GET/HEAD/OPTIONS gets 405;
- `fts_words(text)` SQL function: free text → a safe FTS5 query (used by the canned queries);
- template data for the front page, the organisation page and the grant page;
- cell rendering: amounts as `2 175 000 kr`, page numbers as links to the PDF page, grant and
  organisation ids as links to their pages.

The page data are plain SELECTs on the read-only database; the HTML lives in templates/.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DB = "tilskudd"
AMOUNT_COLUMNS = {"amount_nok", "amount", "total_nok"}
FACET_LABELS = {
    "year": "År", "scheme_name": "Ordning", "scheme_number": "Ordning nr.", "scheme_id": "Ordning",
    "organisation_name": "Organisasjon", "places": "Sted (slik det het da)",
    "places_today": "Dagens kommune/område", "themes": "Tema", "theme_id": "Tema",
    "place_id": "Sted", "source": "Kilde", "method": "Metode", "outcome": "Utfall",
    "kind": "Type", "first_year": "Første år", "last_year": "Siste år", "section": "Avsnitt",
    "report_id": "Rapport", "ok": "Stemmer", "is_sum_row": "Sumrad", "status": "Status",
    "decision": "Vurdering", "who": "Hvem", "label": "Type", "organisation_id": "Organisasjon",
    "valid_to": "Gyldig til", "current_kommunenummer": "Dagens kommunenummer",
    "current_place_id": "Dagens sted", "number": "Nummer",
}
NOK_IF_SUM = {"stated", "computed", "difference"}
PAGE_ROWS = 500
"""At most this many grants and passages on an organisation page; the canned queries give all."""


# -- formatting -------------------------------------------------------------------------------

def nok_number(value) -> str:
    """2175000 → '2 175 000' (spaces as thousands separators, the Norwegian way)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    sign = "−" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", " ")


def nok(value) -> str:
    """2175000 → '2 175 000 kr'."""
    text = nok_number(value)
    return f"{text} kr" if text else ""


def pdf_url(report_id, page=None) -> str:
    url = f"/-/pdf/{int(report_id)}.pdf"
    return f"{url}#page={int(page)}" if page else url


def row_url(table: str, pk) -> str:
    return f"/{DB}/{table}/{tilde_encode(str(pk))}"


def bar_chart(points: list[tuple[int, int]], width: int = 560, height: int = 190) -> Markup:
    """A small SVG bar chart of NOK per year (every year in the range, empty years shown)."""
    if not points:
        return Markup("")
    data = dict(points)
    years = list(range(min(data), max(data) + 1))
    top = max(data.values()) or 1
    left, right, head, foot = 8, 8, 26, 24
    slot = (width - left - right) / len(years)
    bar = min(56.0, slot * 0.7)
    plot = height - head - foot
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="Tilskudd per år">',
        f'<title>Tilskudd per år (kr)</title>',
        f'<line x1="{left}" y1="{head + plot}" x2="{width - right}" y2="{head + plot}" class="axis"/>',
    ]
    for i, year in enumerate(years):
        amount = data.get(year, 0)
        h = 0 if not amount else max(2.0, plot * amount / top)
        x = left + i * slot + (slot - bar) / 2
        cx = left + i * slot + slot / 2
        if amount:
            parts.append(f'<rect x="{x:.1f}" y="{head + plot - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" class="bar"><title>{year}: {nok(amount)}</title></rect>')
            label = escape(_short_nok(amount))
            parts.append(f'<text x="{cx:.1f}" y="{head + plot - h - 6:.1f}" class="value" '
                         f'text-anchor="middle">{label}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{height - 6}" class="year" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The text, escaped, with the character spans marked (<mark>)."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at or end > len(text) or start >= end:
            continue
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _short_nok(amount: int) -> str:
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " mill."
    return nok_number(amount)


# -- hooks ------------------------------------------------------------------------------------

@hookimpl
def startup(datasette):
    """Datasette 0.65 prints every handled error (404s, "query took too long") as a rich
    traceback with all locals: ~0.5 s per error page and pages of log. Errors still get their
    proper pages; 500s still print a plain traceback."""
    import datasette.handle_exception as handler

    handler.rich = None


@hookimpl
def handle_exception(datasette, request, exception):
    """An organisation id that was merged away (`referents`) redirects to the id it became."""
    from datasette.utils.asgi import NotFound

    prefix = f"/{DB}/organisations/"
    if not (isinstance(exception, NotFound) and request.path.startswith(prefix)):
        return None
    old = tilde_decode(request.path[len(prefix):].split("/")[0])

    async def inner():
        rows = await _rows(datasette.get_database(DB),
                           "SELECT organisation_id FROM referents WHERE old_id = ?", [old])
        if not rows or rows[0]["organisation_id"] == old:
            return None
        return Response.redirect(row_url("organisations", rows[0]["organisation_id"]))

    return inner


@hookimpl
def prepare_connection(conn):
    from kb.search import match_expression

    conn.create_function("fts_words", 1, match_expression, deterministic=True)


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["nok"] = nok
    env.filters["nok_number"] = nok_number
    env.filters["pdf_url"] = pdf_url
    env.globals["row_url"] = row_url
    env.globals["pdf_url"] = pdf_url
    env.globals["facet_labels"] = FACET_LABELS


READ_ONLY = "Nettstedet er skrivebeskyttet: bare lesing (GET) er tillatt. / The site is read-only.\n"


@hookimpl
def asgi_wrapper():
    """Refuse every request that is not a read, before Datasette sees it."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"allow", b"GET, HEAD, OPTIONS")]})
                await send({"type": "http.response.body", "body": READ_ONLY.encode("utf-8")})
                return
            await app(scope, receive, send)

        return read_only

    return wrap


@hookimpl
def register_routes():
    return [
        (r"^/-/pdf/(?P<report_id>\d+)\.pdf$", report_pdf),
        (r"^/-/grant-image/(?P<grant_id>\d+)\.png$", grant_image),
    ]


async def report_pdf(datasette, request):
    report_id = int(request.url_vars["report_id"])
    row = (await datasette.get_database(DB).execute(
        "SELECT filename, pdf FROM report_files WHERE report_id = ?", [report_id])).first()
    if row is None:
        return Response.text(f"No PDF for report {report_id}\n", status=404)
    filename = row["filename"].replace('"', "")
    return Response(row["pdf"], content_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{filename}"',
                             "cache-control": "max-age=3600"})


async def grant_image(datasette, request):
    grant_id = int(request.url_vars["grant_id"])
    row = (await datasette.get_database(DB).execute(
        "SELECT png FROM grant_images WHERE grant_id = ?", [grant_id])).first()
    if row is None:
        return Response.text(f"No image for grant {grant_id}\n", status=404)
    return Response(row["png"], content_type="image/png", headers={"cache-control": "max-age=3600"})


@hookimpl
def render_cell(row, value, column, table, database):
    if database != DB or value is None:
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    if column in AMOUNT_COLUMNS or (column in NOK_IF_SUM and "kind" in keys and row["kind"] == "sum"):
        if isinstance(value, int):
            return Markup(f'<span class="nok">{escape(nok(value))}</span>')
    if column == "page" and "report_id" in keys and row["report_id"] is not None and table not in ("reports",):
        try:
            url = pdf_url(row["report_id"], value)
        except (TypeError, ValueError):
            return None
        return Markup(f'<a href="{url}" title="Åpne PDF-en på side {escape(value)}">s. {escape(value)}</a>')
    if column == "grant_id" and table not in ("grants", "grant_images", "grant_places", "grant_themes"):
        return Markup(f'<a href="{row_url("grants", value)}">{escape(value)}</a>')
    if column == "organisation_id" and table not in ("aliases", "organisations"):
        return Markup(f'<a href="{row_url("organisations", value)}">{escape(value)}</a>')
    if table == "organisations" and column == "name" and "id" in keys:
        return Markup(f'<a class="org-link" href="{row_url("organisations", row["id"])}">{escape(value)}</a>')
    if column == "organisation_name" and "organisation_id" in keys and row["organisation_id"]:
        return Markup(f'<a href="{row_url("organisations", row["organisation_id"])}">{escape(value)}</a>')
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if view_name == "index":
            return {"site": await front_page(datasette)}
        if view_name == "row" and database == DB and table in ("organisations", "grants"):
            pk = tilde_decode(request.url_vars.get("pks", ""))
            if table == "organisations":
                return {"org_page": await organisation_page(datasette, pk)}
            return {"grant_page": await grant_page(datasette, pk)}
        return {}

    return inner


# -- page data --------------------------------------------------------------------------------

async def _rows(db, sql, params=()):
    params = params if isinstance(params, dict) else list(params)
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def front_page(datasette) -> dict:
    if DB not in datasette.databases:
        return {}
    db = datasette.get_database(DB)
    # site_totals / site_theme_totals are built with the search index (kb/search.py)
    reports = await _rows(db, """
        SELECT r.id, r.title, r.year, r.publisher, r.page_count, r.filename,
               COALESCE(SUM(t.grants), 0) AS grants, COALESCE(SUM(t.amount_nok), 0) AS amount_nok,
               MIN(t.year) AS first_year, MAX(t.year) AS last_year,
               EXISTS (SELECT 1 FROM report_files f WHERE f.report_id = r.id) AS has_pdf
          FROM reports r LEFT JOIN site_totals t ON t.report_id = r.id
         GROUP BY r.id ORDER BY r.year, r.id""")
    totals = (await _rows(db, """
        SELECT (SELECT COALESCE(SUM(counted_grants), 0) FROM site_totals) AS grants,
               (SELECT COALESCE(SUM(counted_amount_nok), 0) FROM site_totals) AS amount_nok,
               (SELECT COALESCE(SUM(grants), 0) FROM site_totals) AS rows,
               (SELECT MIN(year) FROM site_totals) AS first_year,
               (SELECT MAX(year) FROM site_totals) AS last_year,
               (SELECT COUNT(*) FROM organisations) AS organisations,
               (SELECT COUNT(*) FROM aliases) AS names,
               (SELECT COUNT(*) FROM passages) AS passages"""))[0]
    years = await _rows(db, """
        SELECT year, SUM(counted_grants) AS grants, SUM(counted_amount_nok) AS amount_nok,
               SUM(grants) AS rows, COUNT(DISTINCT report_id) AS reports
          FROM site_totals GROUP BY year ORDER BY year""")
    themes = await _rows(db, """
        SELECT t.id, t.label_no, s.grants FROM site_theme_totals s JOIN themes t ON t.id = s.theme_id
         ORDER BY s.grants DESC, t.label_no LIMIT 12""")
    queries = await datasette.get_canned_queries(DB, None)
    return {"reports": reports, "totals": totals, "years": years, "themes": themes,
            "queries": [{"name": name, **q} for name, q in queries.items()]}


async def organisation_page(datasette, org_id: str) -> dict:
    db = datasette.get_database(DB)
    found = await _rows(db, "SELECT * FROM organisations WHERE id = ?", [org_id])
    if not found:  # Datasette answers 404 (or the redirect above) before this
        return {"missing": True}
    org = found[0]
    member = "JOIN aliases a ON a.alias_id = g.alias_id AND a.organisation_id = :org"
    params = {"org": org_id}
    names = await _rows(db, """
        SELECT a.alias_id, a.name, a.first_year, a.last_year, a.method, a.score, a.explanation,
               (SELECT COUNT(*) FROM grants g WHERE g.alias_id = a.alias_id) AS grants
          FROM aliases a WHERE a.organisation_id = :org
         ORDER BY a.first_year, a.name""", params)
    by_report = await _rows(db, f"""
        SELECT g.year, g.report_id, r.title AS report_title, COUNT(*) AS grants,
               SUM(g.amount_nok) AS amount_nok
          FROM grants g {member} JOIN reports r ON r.id = g.report_id
         GROUP BY g.year, g.report_id ORDER BY g.year, g.report_id""", params)
    grants = await _rows(db, f"""
        SELECT g.id, g.year, s.number AS scheme_number, s.name AS scheme_name, g.organisation_raw,
               g.project, g.area, g.amount_nok, g.report_id, g.page
          FROM grants g {member} LEFT JOIN schemes s ON s.id = g.scheme_id
         ORDER BY g.year, s.number, g.report_id, g.id LIMIT {PAGE_ROWS + 1}""", params)
    places = await _rows(db, f"""
        SELECT p.id, p.name, p.kind, p.number,
               (SELECT group_concat(cp.name, ', ') FROM place_successors ps
                  JOIN places cp ON cp.id = ps.current_place_id
                 WHERE ps.place_id = p.id AND cp.name != p.name) AS today,
               COUNT(DISTINCT g.id) AS grants, MIN(g.year) AS first_year, MAX(g.year) AS last_year
          FROM grants g {member} JOIN grant_places gp ON gp.grant_id = g.id
          JOIN places p ON p.id = gp.place_id
         GROUP BY p.id ORDER BY grants DESC, p.name""", params)
    themes = await _rows(db, f"""
        SELECT t.id, t.label_no, COUNT(DISTINCT g.id) AS grants,
               group_concat(DISTINCT gt.source) AS sources
          FROM grants g {member} JOIN grant_themes gt ON gt.grant_id = g.id
          JOIN themes t ON t.id = gt.theme_id
         GROUP BY t.id ORDER BY grants DESC, t.label_no""", params)
    passages = await _rows(db, f"""
        SELECT p.id, p.year, p.section, p.text, p.page, p.report_id,
               group_concat(DISTINCT m.text) AS mentioned_as
          FROM mentions m JOIN passages p ON p.id = m.passage_id
         WHERE m.organisation_id = :org
         GROUP BY p.id ORDER BY p.year, p.report_id, p.position LIMIT {PAGE_ROWS + 1}""", params)
    spans = await _rows(db, 'SELECT passage_id, start, "end" FROM mentions WHERE organisation_id = :org', params)
    for passage in passages:
        passage["html"] = highlight(passage["text"], [(m["start"], m["end"]) for m in spans
                                                      if m["passage_id"] == passage["id"]])
    matches = await _rows(db, """
        SELECT m.name_a, m.name_b, m.outcome, m.method, m.score, m.explanation
          FROM matches m
         WHERE m.name_a IN (SELECT name FROM aliases WHERE organisation_id = :org)
            OR m.name_b IN (SELECT name FROM aliases WHERE organisation_id = :org)
         ORDER BY m.outcome, m.name_a, m.name_b""", params)
    counted = await _rows(db, f"""
        SELECT g.year, SUM(g.amount_nok) AS amount_nok FROM grants g {member}
         WHERE g.counted GROUP BY g.year ORDER BY g.year""", params)
    # each grant once: a budget proposition's figure is not counted where a grant report
    # covers the same organisation and year (grants.counted, kb/organisations.py)
    per_year = {row["year"]: row["amount_nok"] or 0 for row in counted}
    more = {"grants": len(grants) > PAGE_ROWS, "passages": len(passages) > PAGE_ROWS}
    grants, passages = grants[:PAGE_ROWS], passages[:PAGE_ROWS]
    return {"org": org, "names": names, "by_report": by_report, "grants": grants, "more": more,
            "places": places, "themes": themes, "passages": passages, "matches": matches,
            "chart": bar_chart(sorted(per_year.items())), "per_year": sorted(per_year.items()),
            "total": sum(per_year.values()), "n_grants": sum(r["grants"] for r in by_report)}


async def grant_page(datasette, grant_id: str) -> dict:
    db = datasette.get_database(DB)
    try:
        gid = int(grant_id)
    except ValueError:
        return {"missing": True}
    found = await _rows(db, """
        SELECT g.*, s.number AS scheme_number, s.name AS scheme_name, s.part,
               r.title AS report_title, r.year AS report_year, r.filename,
               o.id AS organisation_id, o.name AS organisation_name,
               EXISTS (SELECT 1 FROM grant_images i WHERE i.grant_id = g.id) AS has_image,
               EXISTS (SELECT 1 FROM report_files f WHERE f.report_id = g.report_id) AS has_pdf
          FROM grants g JOIN reports r ON r.id = g.report_id
          LEFT JOIN schemes s ON s.id = g.scheme_id
          LEFT JOIN aliases a ON a.alias_id = g.alias_id
          LEFT JOIN organisations o ON o.id = a.organisation_id
         WHERE g.id = ?""", [gid])
    if not found:
        return {"missing": True}
    places = await _rows(db, """
        SELECT gp.area_part, gp.method, p.id, p.name, p.kind,
               (SELECT group_concat(cp.name, ', ') FROM place_successors ps
                  JOIN places cp ON cp.id = ps.current_place_id
                 WHERE ps.place_id = p.id AND cp.name != p.name) AS today
          FROM grant_places gp LEFT JOIN places p ON p.id = gp.place_id
         WHERE gp.grant_id = ? ORDER BY gp.id""", [gid])
    themes = await _rows(db, """
        SELECT t.id, t.label_no, gt.source, gt.evidence FROM grant_themes gt
          JOIN themes t ON t.id = gt.theme_id WHERE gt.grant_id = ? ORDER BY t.label_no""", [gid])
    return {"grant": found[0], "places": places, "themes": themes}
