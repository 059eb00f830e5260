"""The SQLite schema, as sqlmodel tables.

Each class docstring and each `description=` is the one description of that table and column:
`docs/schema.md` and Datasette's metadata are generated from them (`kb.schema_docs`).
Amounts are integers in NOK. Every row that comes from a report carries `report_id` and `page`;
table rows also carry their bbox (`x0, top, x1, bottom`, PDF points, origin top-left).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Report(SQLModel, table=True):
    """One ingested report PDF. Identified by the SHA-256 of the file, so the same file is
    never ingested twice."""

    __tablename__ = "reports"
    id: Optional[int] = Field(default=None, primary_key=True, description="Report id")
    sha256: str = Field(unique=True, index=True, description="SHA-256 of the PDF file")
    filename: str = Field(description="File name of the PDF as ingested")
    title: str = Field(description="Report title as printed")
    year: int = Field(index=True, description="The year the report covers")
    publisher: str = Field(description="Who published the report (e.g. IMDi)")
    kind: str = Field(default="grant_report", index=True,
                      description="grant_report (grants given in the year) or budget_proposition (Prop. S appropriations)")
    page_count: int = Field(description="Number of pages in the PDF")
    ingested_at: datetime = Field(description="When the report was (last) ingested, UTC")
    extractor_version: str = Field(description="Version of tilskudd that extracted it")


class ReportFile(SQLModel, table=True):
    """The original PDF bytes, so the published site can open every number's source page
    offline."""

    __tablename__ = "report_files"
    report_id: int = Field(primary_key=True, foreign_key="reports.id", description="Report id")
    filename: str = Field(description="File name of the PDF")
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False), description="The PDF file")


class SchemeRow(SQLModel, table=True):
    """A grant scheme (tilskuddsordning) or one part of it (`Del 1`), as a report names it in a
    numbered section heading."""

    __tablename__ = "schemes"
    id: Optional[int] = Field(default=None, primary_key=True, description="Scheme id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    year: int = Field(index=True, description="Report year")
    key: str = Field(description="Scheme key within the report: '4' or '4/Del 1'")
    number: int = Field(index=True, description="Scheme number in the report (1-5 in 2015)")
    name: str = Field(index=True, description="Scheme name as printed in its heading")
    part: Optional[str] = Field(default=None, description="Part of the scheme, e.g. 'Del 1'")
    part_name: Optional[str] = Field(default=None, description="Name of the part")
    page: int = Field(description="Page of the heading (1-based)")


class GrantRow(SQLModel, table=True):
    """One grant (tilskudd): a row of a grant table, or a grant stated only in the narrative.
    Multi-year tables give one row per amount column."""

    __tablename__ = "grants"
    id: Optional[int] = Field(default=None, primary_key=True, description="Grant id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    scheme_id: Optional[int] = Field(default=None, foreign_key="schemes.id", index=True,
                                     description="Scheme the grant was given under")
    year: int = Field(index=True, description="Year the grant is for")
    organisation_raw: str = Field(index=True, description="Organisation exactly as printed (wrapped lines joined by one space)")
    alias_id: Optional[int] = Field(default=None, foreign_key="aliases.alias_id", index=True,
                                    description="The printed name in `aliases`, which links to the organisation")
    project: Optional[str] = Field(default=None, description="Project name (prosjektnavn) as printed")
    project_lemmas: Optional[str] = Field(default=None, description="Lemmas of the project name, for Norwegian-aware search")
    area: Optional[str] = Field(default=None, description="Geographic area (geografisk område) as printed")
    amount_nok: int = Field(description="Amount in whole NOK")
    amount_text: str = Field(default="", description="The amount as printed")
    source: str = Field(default="table", description="'table' or 'narrative'")
    counted: bool = Field(default=True, index=True,
                          description="Counted in totals: False for a budget-proposition figure when a grant report covers the same organisation and year (so one grant is not counted twice)")
    sentence: Optional[str] = Field(default=None, description="For narrative grants: the sentence that states it")
    page: int = Field(description="Page the grant is printed on (1-based)")
    x0: Optional[float] = Field(default=None, description="Left edge of the row, PDF points")
    top: Optional[float] = Field(default=None, description="Top edge of the row, PDF points from the top")
    x1: Optional[float] = Field(default=None, description="Right edge of the row, PDF points")
    bottom: Optional[float] = Field(default=None, description="Bottom edge of the row, PDF points from the top")
    table_index: Optional[int] = Field(default=None, description="Which grant table of the report (0-based)")
    row_index: Optional[int] = Field(default=None, description="Which row of that table (0-based)")


class GrantImage(SQLModel, table=True):
    """A PNG of the page region a grant row was read from, rendered at ingest, so a reader can
    check the number against the original."""

    __tablename__ = "grant_images"
    grant_id: int = Field(primary_key=True, foreign_key="grants.id", description="Grant id")
    png: bytes = Field(sa_column=Column(LargeBinary, nullable=False), description="PNG image of the row region")


class AllocationRow(SQLModel, table=True):
    """A row of the municipality allocation table (tildeling per kommune), including its SUM
    row."""

    __tablename__ = "allocations"
    id: Optional[int] = Field(default=None, primary_key=True, description="Allocation id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    scheme_id: Optional[int] = Field(default=None, foreign_key="schemes.id", description="Scheme id")
    year: int = Field(index=True, description="Year")
    kommune_raw: str = Field(description="Municipality as printed")
    place_id: Optional[str] = Field(default=None, foreign_key="places.id", index=True,
                                    description="The municipality as it was in that year (`places.id`)")
    amount_nok: int = Field(description="Allocation (tildeling) in whole NOK")
    orgs_driftsstotte: Optional[int] = Field(default=None, description="Organisations that received driftsstøtte")
    orgs_aktivitetsstotte: Optional[int] = Field(default=None, description="Organisations that received aktivitetsstøtte")
    is_sum_row: bool = Field(default=False, description="True for the table's SUM row")
    page: int = Field(description="Page (1-based)")
    x0: Optional[float] = Field(default=None, description="Left edge of the row, PDF points")
    top: Optional[float] = Field(default=None, description="Top edge of the row, PDF points")
    x1: Optional[float] = Field(default=None, description="Right edge of the row, PDF points")
    bottom: Optional[float] = Field(default=None, description="Bottom edge of the row, PDF points")


class FactRow(SQLModel, table=True):
    """A figure the report states in its narrative or summary lines: budget, applications,
    amount applied for, grants given, members, participants, measures."""

    __tablename__ = "facts"
    id: Optional[int] = Field(default=None, primary_key=True, description="Fact id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    scheme_id: Optional[int] = Field(default=None, foreign_key="schemes.id", description="Scheme id")
    year: Optional[int] = Field(default=None, description="Year")
    kind: str = Field(index=True, description="What the figure is: budget, applications_received, amount_applied, grants_given, amount_granted, members, participants, measures, summary, ...")
    label: Optional[str] = Field(default=None, description="Label as printed (summary lines)")
    value: int = Field(description="The figure (NOK for amounts)")
    unit: str = Field(description="'NOK' or 'count'")
    text: str = Field(description="The figure as printed")
    sentence: str = Field(description="The sentence it comes from")
    page: int = Field(description="Page (1-based)")


class PassageRow(SQLModel, table=True):
    """A narrative paragraph of a report, with hyphenation and line wrapping undone."""

    __tablename__ = "passages"
    id: Optional[int] = Field(default=None, primary_key=True, description="Passage id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    scheme_id: Optional[int] = Field(default=None, foreign_key="schemes.id", index=True, description="Scheme id")
    year: int = Field(index=True, description="Report year")
    section: str = Field(description="Heading the paragraph sits under")
    position: int = Field(description="Position of the paragraph in the report (0-based)")
    text: str = Field(description="Paragraph text")
    lemmas: Optional[str] = Field(default=None, description="Lemmas of the text, for Norwegian-aware search")
    page: int = Field(description="Page where the paragraph starts (1-based)")


class ReconciliationRow(SQLModel, table=True):
    """A total or count the report states, against what the extracted rows add up to. A
    mismatch is the source's and is shown, never corrected."""

    __tablename__ = "reconciliations"
    id: Optional[int] = Field(default=None, primary_key=True, description="Reconciliation id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    scheme_id: Optional[int] = Field(default=None, foreign_key="schemes.id", description="Scheme id")
    description: str = Field(description="What was compared")
    kind: str = Field(description="'sum' or 'count'")
    stated: int = Field(description="What the report states")
    computed: int = Field(description="What the extracted rows add up to")
    ok: bool = Field(index=True, description="stated == computed")
    page: int = Field(description="Page of the stated figure (1-based)")


class Organisation(SQLModel, table=True):
    """An organisation, linked across reports and years. Ids are stable: they survive
    re-linking and re-ingest; merged or split ids keep resolving through `referents`."""

    __tablename__ = "organisations"
    id: str = Field(primary_key=True, description="Stable organisation id")
    name: str = Field(index=True, description="Canonical name (the fullest recent form)")
    normalized: str = Field(index=True, description="normalize_name() of the canonical name")
    acronym: Optional[str] = Field(default=None, description="Acronym, when the reports print one")
    all_names: str = Field(default="", description="Every name as printed, separated by ' | '")
    first_year: Optional[int] = Field(default=None, description="First year with a grant")
    last_year: Optional[int] = Field(default=None, description="Last year with a grant")


class Alias(SQLModel, table=True):
    """A name exactly as printed in a report, and the organisation it was linked to."""

    __tablename__ = "aliases"
    alias_id: Optional[int] = Field(default=None, primary_key=True, description="Alias id")
    organisation_id: Optional[str] = Field(default=None, foreign_key="organisations.id", index=True,
                                           description="Organisation this name was linked to")
    name: str = Field(unique=True, index=True, description="The name as printed")
    normalized: str = Field(index=True, description="normalize_name(name)")
    first_year: Optional[int] = Field(default=None, description="First year the name was printed")
    last_year: Optional[int] = Field(default=None, description="Last year the name was printed")
    method: Optional[str] = Field(default=None, description="How it was linked: exact, normalized, fuzzy, acronym, judgement, new")
    score: Optional[float] = Field(default=None, description="Match score (0-100) where a score decided")
    explanation: Optional[str] = Field(default=None, description="Why it was linked, in words")


class Referent(SQLModel, table=True):
    """Redirects: an organisation id that was merged into another (or split) keeps resolving
    to the id that holds its names now."""

    __tablename__ = "referents"
    old_id: str = Field(primary_key=True, description="The id that no longer exists")
    organisation_id: str = Field(index=True, description="The id it resolves to now")
    reason: str = Field(description="merged, split or judgement")
    at: datetime = Field(description="When, UTC")


class Match(SQLModel, table=True):
    """A candidate pair of printed names and what linking decided: linked, unsure (goes to
    review) or different."""

    __tablename__ = "matches"
    id: Optional[int] = Field(default=None, primary_key=True, description="Match id")
    name_a: str = Field(index=True, description="First name as printed")
    name_b: str = Field(index=True, description="Second name as printed")
    outcome: str = Field(index=True, description="linked, unsure or different")
    method: str = Field(description="What decided: fuzzy, acronym, guard:place, guard:acronym, judgement, ...")
    score: Optional[float] = Field(default=None, description="Match score (0-100)")
    explanation: str = Field(description="Why, in words")


class Judgement(SQLModel, table=True):
    """A human decision on whether two printed names are the same organisation. Judgements win
    over scores, are never overwritten by a re-run, and survive re-ingest and rebuilds (they are
    keyed by the normalized names, not by ids)."""

    __tablename__ = "judgements"
    id: Optional[int] = Field(default=None, primary_key=True, description="Judgement id")
    name_a: str = Field(description="First name as given")
    name_b: str = Field(description="Second name as given")
    normalized_a: str = Field(index=True, description="normalize_name(name_a)")
    normalized_b: str = Field(index=True, description="normalize_name(name_b)")
    decision: str = Field(description="same, different or unsure")
    who: str = Field(description="Who decided")
    at: datetime = Field(description="When, UTC")
    note: Optional[str] = Field(default=None, description="Why")
    undone_at: Optional[datetime] = Field(default=None, description="When it was undone (NULL while in force)")


class Place(SQLModel, table=True):
    """A Norwegian place: municipality (kommune, one row per number and name period), county
    (fylke), Oslo district (bydel), or a named region (Groruddalen, Østlandet, Hele landet)."""

    __tablename__ = "places"
    id: str = Field(primary_key=True, description="'kommune:0231', 'fylke:02', 'bydel:030112', 'region:groruddalen'")
    kind: str = Field(index=True, description="kommune, fylke, bydel, region or land")
    number: Optional[str] = Field(default=None, index=True, description="Official number (kommunenummer, fylkesnummer, bydelsnummer)")
    name: str = Field(index=True, description="Official Norwegian name")
    name_alt: Optional[str] = Field(default=None, description="Other official forms (Sami, Kven), ';'-separated")
    valid_from: Optional[int] = Field(default=None, description="First year in force")
    valid_to: Optional[int] = Field(default=None, description="Last year in force (NULL: still in force)")
    fylkesnummer: Optional[str] = Field(default=None, description="County number of the place in its era")
    current_kommunenummer: Optional[str] = Field(default=None, description="Today's municipality number(s), ';'-separated")
    source: str = Field(default="", description="Where the row comes from (SSB, Kartverket, tilskudd)")


class PlaceSuccessor(SQLModel, table=True):
    """Which of today's places cover a place (Skedsmo 0231 → Lillestrøm 3205); a place still
    in force is its own successor."""

    __tablename__ = "place_successors"
    place_id: str = Field(primary_key=True, foreign_key="places.id", description="The place")
    current_place_id: str = Field(primary_key=True, foreign_key="places.id", index=True,
                                  description="A place in force today that covers it")


class PlaceMember(SQLModel, table=True):
    """Members of a region or county: Groruddalen = Alna, Bjerke, Grorud, Stovner."""

    __tablename__ = "place_members"
    place_id: str = Field(primary_key=True, foreign_key="places.id", description="The region")
    member_id: str = Field(primary_key=True, foreign_key="places.id", description="A member place")


class GrantPlace(SQLModel, table=True):
    """A grant's area string resolved to places: one row per place, or one row with no place
    for a part that could not be resolved (kept and listed, never dropped)."""

    __tablename__ = "grant_places"
    id: Optional[int] = Field(default=None, primary_key=True, description="Row id")
    grant_id: int = Field(foreign_key="grants.id", index=True, description="Grant id")
    place_id: Optional[str] = Field(default=None, foreign_key="places.id", index=True,
                                    description="The place as it was in the grant's year (NULL: unresolved)")
    area_part: str = Field(description="The part of the area string this row resolves")
    method: str = Field(description="exact, alias, fuzzy, region, unresolved")
    score: Optional[float] = Field(default=None, description="Match score where fuzzy")


class Mention(SQLModel, table=True):
    """An organisation or place named in a passage, found by the NLP pipeline."""

    __tablename__ = "mentions"
    id: Optional[int] = Field(default=None, primary_key=True, description="Mention id")
    passage_id: int = Field(foreign_key="passages.id", index=True, description="Passage id")
    report_id: int = Field(foreign_key="reports.id", index=True, description="Report id")
    start: int = Field(description="Character offset in the passage text")
    end: int = Field(description="End character offset")
    label: str = Field(index=True, description="ORG or PLACE")
    fine_label: Optional[str] = Field(default=None, description="NorNE label: ORG, GPE_LOC, GPE_ORG, LOC, ...")
    text: str = Field(description="The mention as written")
    organisation_id: Optional[str] = Field(default=None, index=True, description="Linked organisation, when known")
    place_id: Optional[str] = Field(default=None, index=True, description="Linked place, when known")
    page: int = Field(description="Page of the passage (1-based)")


class Theme(SQLModel, table=True):
    """A theme of the taxonomy (themes.yaml): tvangsekteskap, kjønnslemlestelse,
    arbeidsinnvandrere, ..."""

    __tablename__ = "themes"
    id: str = Field(primary_key=True, description="Theme id")
    label_no: str = Field(description="Norwegian label")
    label_en: str = Field(description="English label")
    definition: str = Field(description="What the theme covers")


class PassageTheme(SQLModel, table=True):
    """Themes of a passage."""

    __tablename__ = "passage_themes"
    passage_id: int = Field(primary_key=True, foreign_key="passages.id", description="Passage id")
    theme_id: str = Field(primary_key=True, foreign_key="themes.id", index=True, description="Theme id")
    evidence: str = Field(default="", description="The words that decided it")


class GrantTheme(SQLModel, table=True):
    """Themes of a grant, from its project name, its scheme and the passages that describe it."""

    __tablename__ = "grant_themes"
    grant_id: int = Field(primary_key=True, foreign_key="grants.id", description="Grant id")
    theme_id: str = Field(primary_key=True, foreign_key="themes.id", index=True, description="Theme id")
    source: str = Field(description="project, scheme or passage")
    evidence: str = Field(default="", description="The words that decided it")


class IngestRun(SQLModel, table=True):
    """A data-quality record per report per ingest: what was found, what did not reconcile,
    what was not resolved."""

    __tablename__ = "ingest_runs"
    id: Optional[int] = Field(default=None, primary_key=True, description="Run id")
    started_at: datetime = Field(description="When, UTC")
    path: str = Field(description="File ingested")
    sha256: Optional[str] = Field(default=None, description="SHA-256 of the file")
    report_id: Optional[int] = Field(default=None, description="Report id, when ingested")
    status: str = Field(index=True, description="ingested, unchanged, replaced or failed")
    message: str = Field(default="", description="One-line summary or error")
    grants: int = Field(default=0, description="Grants found")
    allocations: int = Field(default=0, description="Allocation rows found")
    facts: int = Field(default=0, description="Facts found")
    passages: int = Field(default=0, description="Passages found")
    reconciliations_ok: int = Field(default=0, description="Reconciliations that matched")
    reconciliations_failed: int = Field(default=0, description="Reconciliations that did not")
    unresolved_names: str = Field(default="", description="Organisation names not linked with confidence, ' | '-separated")
    unresolved_places: str = Field(default="", description="Area strings not resolved, ' | '-separated")
    warnings: str = Field(default="", description="What the extractor left out and why (a table row "
                          "with no amount, say), ' | '-separated")


ALL_TABLES = [
    Report, ReportFile, SchemeRow, GrantRow, GrantImage, AllocationRow, FactRow, PassageRow,
    ReconciliationRow, Organisation, Alias, Referent, Match, Judgement, Place, PlaceSuccessor,
    PlaceMember, GrantPlace, Mention, Theme, PassageTheme, GrantTheme, IngestRun,
]
