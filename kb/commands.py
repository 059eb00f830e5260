"""The knowledge-base commands of `tilskudd`: ingest, link, review, judge, serve, demo.

Thin: parse, call `KnowledgeBase` (kb/store.py) or `kb.publish`, print.
"""

from __future__ import annotations

import click


def _db_option(f):
    from kb.cli import default_db

    return click.option(
        "--db", "db", default=default_db, show_default="tilskudd.sqlite or $TILSKUDD_DB",
        help="SQLite file of the knowledge base.",
    )(f)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_db_option
@click.option("--replace", is_flag=True, help="Re-extract reports already in the base (keeps human judgements).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def ingest_command(paths, db, replace, quiet):
    """Ingest report PDFs (files or folders) into the knowledge base.

    One transaction per report; the same file twice changes nothing.
    """
    raise click.ClickException("ingest: not implemented yet")


@click.command("link")
@_db_option
def link_command(db):
    """(Re)run organisation and place linking."""
    raise click.ClickException("link: not implemented yet")


@click.command("review")
@_db_option
@click.option("--limit", default=20, show_default=True, help="How many pairs to show.")
def review_command(db, limit):
    """List name pairs linking was unsure about, biggest impact first."""
    raise click.ClickException("review: not implemented yet")


@click.command("judge")
@click.argument("name_a")
@click.argument("name_b")
@_db_option
@click.option("--same", "decision", flag_value="same", help="They are the same organisation.")
@click.option("--different", "decision", flag_value="different", help="They are different organisations.")
@click.option("--unsure", "decision", flag_value="unsure", help="Undecided; keep them apart, out of review.")
@click.option("--undo", "decision", flag_value="undo", help="Undo the judgement in force for this pair.")
@click.option("--who", default=None, help="Who decides (default: $USER).")
@click.option("--note", default=None, help="Why.")
def judge_command(name_a, name_b, db, decision, who, note):
    """Record a human judgement on two printed names; it wins over scores and survives re-runs."""
    raise click.ClickException("judge: not implemented yet")


@click.command("serve")
@_db_option
@click.option("--port", default=8001, show_default=True, help="Port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host.")
def serve_command(db, port, host):
    """Publish the knowledge base with Datasette (read-only)."""
    raise click.ClickException("serve: not implemented yet")


@click.command("demo")
@_db_option
@click.option("--port", default=8001, show_default=True, help="Port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host.")
def demo_command(db, port, host):
    """Build the knowledge base from samples/ and serve it."""
    raise click.ClickException("demo: not implemented yet")


def register(main: click.Group) -> None:
    for cmd in (ingest_command, link_command, review_command, judge_command, serve_command, demo_command):
        main.add_command(cmd)
