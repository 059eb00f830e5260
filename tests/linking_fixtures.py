"""Fixtures for the linking tests: a temporary knowledge base (real schema and views) holding
real grant rows of the 2014 Prop. 1 S table, the 2015 report (schemes 2-5) and the 2018
asylmottak table (tests/data/linking_grants.csv), linked after each report as ingest does."""

import csv
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel, select

from kb.organisations import link_organisations
from kb.models import ALL_TABLES, GrantRow, Report, SchemeRow
from kb.store import KnowledgeBase
from kb.views import create_views

GRANTS = Path(__file__).parent / "data" / "linking_grants.csv"
ROWS = list(csv.DictReader(GRANTS.open(encoding="utf-8")))


def write_report(session, key: str) -> None:
    """Insert one report's rows (`prop1s`, `report2015` or `asylmottak`)."""
    rows = [r for r in ROWS if r["report"] == key]
    report = Report(sha256=key, filename=f"{key}.pdf", title=key, year=int(rows[0]["year"]),
                    publisher="IMDi", page_count=1,
                    ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc), extractor_version="test")
    session.add(report)
    session.flush()
    schemes = {}
    for r in rows:
        if (r["scheme"], r["year"]) not in schemes:
            s = SchemeRow(report_id=report.id, year=int(r["year"]), key=str(len(schemes) + 1),
                          number=len(schemes) + 1, name=r["scheme"], page=1)
            session.add(s)
            session.flush()
            schemes[(r["scheme"], r["year"])] = s.id
        session.add(GrantRow(report_id=report.id, scheme_id=schemes[(r["scheme"], r["year"])],
                             year=int(r["year"]), organisation_raw=r["organisation"],
                             area=r["area"] or None, amount_nok=int(r["amount_nok"]), page=1))
    session.flush()


def delete_report(session, key: str) -> None:
    """What `ingest --replace` does to a report's grants before writing them again."""
    rid = session.exec(select(Report.id).where(Report.sha256 == key)).one()
    session.execute(text("DELETE FROM grants WHERE report_id = :r"), {"r": rid})
    session.execute(text("DELETE FROM schemes WHERE report_id = :r"), {"r": rid})
    session.execute(text("DELETE FROM reports WHERE id = :r"), {"r": rid})
    session.execute(text("DELETE FROM aliases WHERE alias_id NOT IN (SELECT alias_id FROM grants "
                         "WHERE alias_id IS NOT NULL)"))


def make_kb(path: Path, reports=("prop1s", "report2015", "asylmottak")) -> KnowledgeBase:
    kb = KnowledgeBase(path)
    with kb.session() as session:
        conn = session.connection()
        SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in ALL_TABLES])
        create_views(conn.connection.dbapi_connection)
    for key in reports:
        with kb.session() as session:
            write_report(session, key)
            link_organisations(session)
    return kb
