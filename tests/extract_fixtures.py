"""Shared helpers for the extract tests: golden files and comparing records with them."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "data" / "golden"
STEMS = ("imdi_tilskuddsrapport_2015", "prop1s_2014_2015_nasjonale_ressursmiljo",
         "imdi_asylmottak_2018")


def golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def golden_reconciliations(stem: str) -> list[dict]:
    return json.loads((GOLDEN / f"{stem}.reconciliations.json").read_text(encoding="utf-8"))


def project(records: list[dict], like: list[dict], *, pages: bool = True) -> list[dict]:
    """Each record cut down to the keys the golden rows have (a golden `page` of None means
    the truth file does not know the page; `pages=False` drops pages for other layouts)."""
    out = []
    for rec, gold in zip(records, like):
        row = {}
        for key, value in gold.items():
            if key == "page" and (value is None or not pages):
                continue
            row[key] = rec.get(key)
        out.append(row)
    return out


def strip(rows: list[dict], *, pages: bool = True) -> list[dict]:
    return [{k: v for k, v in r.items() if not (k == "page" and (v is None or not pages))}
            for r in rows]


def summary_lines(report_dict: dict) -> list[dict]:
    return [{"label": f["label"], "amount_nok": f["value"], "text": f["text"], "page": f["page"]}
            for f in report_dict["facts"] if f["kind"] == "summary"]


def reconciliation_rows(report_dict: dict) -> list[dict]:
    keys = ("description", "stated", "computed", "ok", "kind", "scheme_key", "page")
    return [{k: r[k] for k in keys} for r in report_dict["reconciliations"]]
