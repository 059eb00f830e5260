"""Shared fixtures of the NLP tests: the real committed model with the gazetteers ingest uses
(places from the reference CSVs in kb/data, organisations as printed in the 2015 grant tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ANNOTATED = DATA / "nlp_annotated.jsonl"
ORGS_2015 = DATA / "nlp_orgs_2015.csv"
NORNE_SAMPLE = DATA / "nlp_norne_sample"


@pytest.fixture(scope="session")
def tagger():
    from nlp import Tagger
    from nlp.evaluate import read_organisations

    return Tagger.load(organisations=read_organisations(ORGS_2015))
