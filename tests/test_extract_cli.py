"""`tilskudd extract`: the human summary, --json and --debug-dir on the real samples."""

import json

from click.testing import CliRunner

from extract_fixtures import SAMPLES, golden
from kb.cli import main


def test_summary_names_schemes_counts_and_reconciliations():
    result = CliRunner().invoke(main, ["extract", str(SAMPLES / "imdi_tilskuddsrapport_2015.pdf")])
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert "  3         25 grants, 8 581 430 NOK" in out
    assert "  5          3 grants, 2 000 000 NOK" in out
    assert "Allocations: 20 municipalities, 9 957 521 NOK (+ SUM row)" in out
    assert "Reconciliations: 18 OK, 1 MISMATCH" in out
    assert ("  MISMATCH stated 9 957 523 computed 9 957 521 (p. 5) Municipality table: SUM row "
            "amount vs the 20 municipality rows") in out


def test_json_prints_every_record():
    stem = "prop1s_2014_2015_nasjonale_ressursmiljo"
    result = CliRunner().invoke(main, ["extract", str(SAMPLES / f"{stem}.pdf"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["grants"]) == len(golden(stem)["grants"]) == 25
    assert [(r["stated"], r["computed"], r["ok"]) for r in data["reconciliations"]] == [
        (14000000, 14000000, True), (15500000, 15500000, True)]
    assert data["schemes"][0]["key"] == "2"


def test_debug_dir_saves_table_finder_images(tmp_path):
    pdf = SAMPLES / "imdi_asylmottak_2018.pdf"
    result = CliRunner().invoke(main, ["extract", str(pdf), "--debug-dir", str(tmp_path / "dbg")])
    assert result.exit_code == 0
    pngs = sorted(p.name for p in (tmp_path / "dbg").iterdir())
    assert pngs == ["imdi_asylmottak_2018-p001-lines.png", "imdi_asylmottak_2018-p001-text.png"]
    assert all((tmp_path / "dbg" / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
