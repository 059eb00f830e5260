"""The `tilskudd extract` command."""

from __future__ import annotations

import click


@click.command("extract")
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print all records as JSON.")
@click.option("--debug-dir", type=click.Path(file_okay=False), default=None,
              help="Save pdfplumber's table-finder images for each page here.")
def extract_command(path, as_json, debug_dir):
    """Extract the records of one report PDF, without touching a database."""
    raise click.ClickException("extract: not implemented yet")
