"""The place reference data in a real temporary SQLite file: counts, idempotency, successors,
region members, and the Skedsmo → Lillestrøm join analysts rely on."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, SQLModel, create_engine

from kb.models import ALL_TABLES, GrantPlace, GrantRow, Place, Report
from kb.place_reference import load_reference
from kb.places import PlaceIndex, load_places


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'places.sqlite'}")
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in ALL_TABLES])
    yield engine
    engine.dispose()


@pytest.fixture
def loaded(engine):
    with Session(engine) as session:
        result = load_places(session)
        session.commit()
    return engine, result


def _scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _rows(engine, sql, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_counts(loaded):
    engine, result = loaded
    assert result.changed and result.written == 898 and result.removed == 0
    assert _rows(engine, "SELECT kind, COUNT(*) FROM places GROUP BY kind ORDER BY kind") == [
        ("bydel", 15), ("fylke", 33), ("kommune", 842), ("land", 1), ("region", 7)]
    # every place has a successor; a kommune split or shared between two today has two
    assert _scalar(engine, "SELECT COUNT(DISTINCT place_id) FROM place_successors") == 898
    assert _scalar(engine, "SELECT COUNT(*) FROM place_successors WHERE place_id LIKE 'kommune:%'") == 849
    assert _scalar(engine, "SELECT COUNT(*) FROM place_successors") == result.successors == 914
    # regions 4 + 16 + 4 + 3 + 3 + 5 + 6, counties → 842 kommuner, Oslo → 15 bydeler
    assert _scalar(engine, "SELECT COUNT(*) FROM place_members") == result.members == 41 + 842 + 15


def test_load_is_idempotent_and_repairs(loaded):
    engine, _ = loaded
    with Session(engine) as session:
        again = load_places(session)
        session.commit()
    assert (again.changed, again.written) == (False, 0)
    with engine.begin() as conn:
        conn.execute(text("UPDATE places SET name = 'Skedsmo kommune' WHERE id = 'kommune:0231'"))
        conn.execute(text("DELETE FROM place_members WHERE place_id = 'region:groruddalen' "
                          "AND member_id = 'bydel:030112'"))
    with Session(engine) as session:
        repaired = load_places(session)
        session.commit()
    assert (repaired.changed, repaired.written, repaired.removed) == (True, 1, 0)
    assert _scalar(engine, "SELECT name FROM places WHERE id = 'kommune:0231'") == "Skedsmo"
    assert _scalar(engine, "SELECT COUNT(*) FROM place_members WHERE place_id = 'region:groruddalen'") == 4


def test_place_rows(loaded):
    engine, _ = loaded
    assert _rows(engine, "SELECT id, kind, number, name, valid_from, valid_to, fylkesnummer, "
                         "current_kommunenummer FROM places WHERE id IN ('kommune:0231', 'kommune:3205', "
                         "'fylke:02', 'bydel:030112', 'region:groruddalen') ORDER BY id") == [
        ("bydel:030112", "bydel", "030112", "Alna", 2004, None, "03", "0301"),
        ("fylke:02", "fylke", "02", "Akershus", 1971, 2019, "02", None),
        ("kommune:0231", "kommune", "0231", "Skedsmo", 1971, 2019, "02", "3205"),
        ("kommune:3205", "kommune", "3205", "Lillestrøm", 2024, None, "32", "3205"),
        ("region:groruddalen", "region", None, "Groruddalen", None, None, None, None),
    ]


def test_successors(loaded):
    engine, _ = loaded
    sql = "SELECT current_place_id FROM place_successors WHERE place_id = :p ORDER BY current_place_id"
    assert [r[0] for r in _rows(engine, sql, p="kommune:0231")] == ["kommune:3205"]
    assert [r[0] for r in _rows(engine, sql, p="kommune:3205")] == ["kommune:3205"]
    assert [r[0] for r in _rows(engine, sql, p="kommune:0720")] == ["kommune:3905", "kommune:3907"]  # Stokke
    assert [r[0] for r in _rows(engine, sql, p="fylke:02")] == ["fylke:32"]
    assert [r[0] for r in _rows(engine, sql, p="fylke:30")] == ["fylke:31", "fylke:32", "fylke:33"]
    assert [r[0] for r in _rows(engine, sql, p="bydel:030115")] == ["bydel:030115"]


def test_region_members(loaded):
    engine, _ = loaded
    sql = ("SELECT p.name FROM place_members m JOIN places p ON p.id = m.member_id "
           "WHERE m.place_id = :r AND (p.valid_from IS NULL OR p.valid_from <= :y) "
           "AND (p.valid_to IS NULL OR p.valid_to >= :y) ORDER BY p.name")
    assert [r[0] for r in _rows(engine, sql, r="region:groruddalen", y=2015)] == [
        "Alna", "Bjerke", "Grorud", "Stovner"]
    assert [r[0] for r in _rows(engine, sql, r="region:ostlandet", y=2015)] == [
        "Akershus", "Buskerud", "Hedmark", "Oppland", "Oslo", "Telemark", "Vestfold", "Østfold"]
    assert [r[0] for r in _rows(engine, sql, r="region:ostlandet", y=2024)] == [
        "Akershus", "Buskerud", "Innlandet", "Oslo", "Telemark", "Vestfold", "Østfold"]
    assert [r[0] for r in _rows(engine, sql, r="region:midt-norge", y=2015)] == [
        "Møre og Romsdal", "Nord-Trøndelag", "Sør-Trøndelag"]
    assert _scalar(engine, "SELECT COUNT(*) FROM place_members WHERE place_id = 'fylke:02'") == 22
    assert _scalar(engine, "SELECT COUNT(*) FROM place_members WHERE place_id = 'kommune:0301'") == 15


def test_lillestrom_finds_skedsmo_grants(loaded):
    """A 2015 grant in 'Oslo, Tønsberg og Skedsmo' is found by asking for today's Lillestrøm."""
    engine, _ = loaded
    index = PlaceIndex(load_reference())
    with Session(engine) as session:
        report = Report(sha256="0" * 64, filename="imdi_2015.pdf", title="Tilskudd 2015", year=2015,
                        publisher="IMDi", page_count=1, ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                        extractor_version="test")
        session.add(report)
        session.flush()
        grants = [GrantRow(report_id=report.id, year=2015, organisation_raw=org, area=area,
                           amount_nok=amount, page=1)
                  for org, area, amount in [("Norges Røde Kors", "Oslo, Tønsberg og Skedsmo", 350_000),
                                            ("Pakistansk Kulturforening Skedsmo", "Skedsmo", 350_000),
                                            ("Juridisk Rådgivning For Kvinner", "Oslo", 500_000)]]
        session.add_all(grants)
        session.flush()
        for g in grants:
            session.add_all(GrantPlace(grant_id=g.id, place_id=m.place_id, area_part=m.area_part,
                                       method=m.method, score=m.score)
                            for m in index.resolve_area(g.area, g.year))
        session.commit()
    rows = _rows(engine, """
        SELECT g.organisation_raw, gp.area_part, p.number, today.number
        FROM grants g
        JOIN grant_places gp ON gp.grant_id = g.id
        JOIN places p ON p.id = gp.place_id
        JOIN place_successors s ON s.place_id = gp.place_id
        JOIN places today ON today.id = s.current_place_id
        WHERE today.name = 'Lillestrøm'
        ORDER BY g.id""")
    assert rows == [("Norges Røde Kors", "Skedsmo", "0231", "3205"),
                    ("Pakistansk Kulturforening Skedsmo", "Skedsmo", "0231", "3205")]


def test_reference_places_are_table_rows():
    reference = load_reference()
    place = next(p for p in reference.places if p.id == "kommune:1870")
    assert Place(**place.row()).name_alt == "Suortá"
    assert place.valid_in(2015) and place.valid_in(2030) and not place.valid_in(1970)
