"""docs/cli.md is generated from --help and must match the code."""

from pathlib import Path

from kb.cli_docs import render

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_docs_are_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` to regenerate docs/cli.md"


def test_every_command_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in ("ingest", "extract", "link", "review", "judge", "serve", "demo", "tag",
                 "nlp train", "nlp evaluate"):
        assert f"## `tilskudd {name}`" in text
