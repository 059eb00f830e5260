"""The `tilskudd` command line: thin commands over the library.

Each command parses arguments, calls the library and prints. Library errors become one line on
stderr and a non-zero exit here, at the boundary. Heavy imports (spaCy, Datasette) happen inside
the commands that need them, so `tilskudd --help` is instant. Logging and progress bars are
configured here only.
"""

from __future__ import annotations

import logging
import os
import sys

import click

DEFAULT_DB = "tilskudd.sqlite"


def default_db() -> str:
    return os.environ.get("TILSKUDD_DB", DEFAULT_DB)


class _Main(click.Group):
    """Turns every library error into a one-line message and exit code 1."""

    def invoke(self, ctx):
        from extract.errors import ExtractError
        from kb.errors import KBError
        from nlp.errors import NLPError

        try:
            return super().invoke(ctx)
        except (ExtractError, KBError, NLPError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            name = getattr(exc, "filename", None) or ""
            click.echo(f"Error: {exc.strerror or exc}{': ' + str(name) if name else ''}", err=True)
            ctx.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what the library does (to stderr).")
@click.version_option(package_name="tilskudd")
def main(verbose: bool) -> None:
    """tilskudd: IMDi grant reports (kap. 821 post 71) as a linked, searchable knowledge base.

    Default database: tilskudd.sqlite in the working directory, or $TILSKUDD_DB.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _register() -> None:
    from extract.cli import extract_command
    from kb.commands import register as register_kb
    from nlp.cli import nlp_group, tag_command

    main.add_command(extract_command)
    main.add_command(nlp_group)
    main.add_command(tag_command)
    register_kb(main)


_register()
