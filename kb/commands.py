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
    from kb.ingest import expand_paths
    from kb.summary import TqdmProgress, print_summary
    from kb.store import KnowledgeBase

    files = expand_paths(paths)
    if not files:
        raise click.ClickException("no PDF files found in " + ", ".join(paths))
    with KnowledgeBase(db) as kb, TqdmProgress(len(files), disable=quiet or None) as progress:
        results = kb.ingest(files, replace=replace, progress=progress)
    failed = [r for r in results if r.failed]
    if len(results) == 1 and failed:
        raise click.ClickException(failed[0].describe())
    print_summary(results, click.echo)
    for r in failed:
        click.echo(f"Error: {r.describe()}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@click.command("link")
@_db_option
def link_command(db):
    """(Re)run organisation and place linking."""
    from pathlib import Path

    from kb.errors import NotFoundError
    from kb.organisations import link_summary
    from kb.store import KnowledgeBase

    if not Path(db).exists():
        raise NotFoundError(f"no knowledge base at {db} (run `tilskudd ingest` first)")
    with KnowledgeBase(db) as kb:
        kb.link()
        with kb.session() as session:
            click.echo(str(link_summary(session)))


@click.command("review")
@_db_option
@click.option("--limit", default=20, show_default=True, help="How many pairs to show.")
def review_command(db, limit):
    """List name pairs linking was unsure about, biggest impact first."""
    from kb.judgements import review_items
    from kb.organisations import open_session

    with open_session(db) as session:
        items = review_items(session, limit=limit)
        if not items:
            click.echo("Nothing to review: no unsure pairs without a judgement.")
            return
        for n, item in enumerate(items, 1):
            score = "" if item.score is None else f", score {item.score:.0f}"
            impact = f"{item.impact:,}".replace(",", " ")
            click.echo(f"{n}. {impact} NOK at stake ({item.method}{score}): {item.explanation}")
            click.echo("   A: " + item.a.line().replace("\n", "\n   "))
            click.echo("   B: " + item.b.line().replace("\n", "\n   "))
            click.echo(f'   decide: tilskudd judge "{item.a.name}" "{item.b.name}" --same|--different|--unsure')


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
    import getpass

    from kb.judgements import record_judgement, undo_judgement
    from kb.organisations import link_organisations, open_session

    if decision is None:
        raise click.UsageError("say --same, --different, --unsure or --undo")
    with open_session(db) as session:
        if decision == "undo":
            j = undo_judgement(session, name_a, name_b)
            msg = f"Undid '{j.decision}' on '{j.name_a}' / '{j.name_b}' (by {j.who}, {j.at:%Y-%m-%d %H:%M})."
        else:
            j = record_judgement(session, name_a, name_b, decision, who or getpass.getuser(), note)
            msg = f"Recorded: '{name_a}' / '{name_b}' are {decision if decision != 'unsure' else 'undecided'} (by {j.who})."
        link_organisations(session)
    click.echo(msg)


@click.command("serve")
@_db_option
@click.option("--port", default=8001, show_default=True, help="Port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host.")
def serve_command(db, port, host):
    """Publish the knowledge base with Datasette (read-only)."""
    from kb.publish import check_servable, serve

    check_servable(db)
    click.echo(f"Serving {db} read-only at http://{host}:{port}/  (Ctrl+C stops)")
    serve(db, host=host, port=port)


@click.command("demo")
@_db_option
@click.option("--port", default=8001, show_default=True, help="Port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host.")
def demo_command(db, port, host):
    """Build the knowledge base from samples/ and serve it."""
    from kb.publish import SAMPLES_DIR, build_demo_db, serve

    click.echo(f"Building {db} from {SAMPLES_DIR} ...")
    for result in build_demo_db(db, SAMPLES_DIR):
        click.echo(f"  {result.path.name}: {result.status}, {result.grants} grants")
    click.echo(f"Open http://{host}:{port}/ in your browser  (Ctrl+C stops)")
    serve(db, host=host, port=port)


def register(main: click.Group) -> None:
    for cmd in (ingest_command, link_command, review_command, judge_command, serve_command, demo_command):
        main.add_command(cmd)
