"""The NLP commands of `tilskudd`: `nlp train`, `nlp evaluate`, `tag`."""

from __future__ import annotations

import click


@click.group("nlp")
def nlp_group():
    """Train and evaluate the Norwegian NER model."""


@click.command("tag")
def tag_command():
    """Tag JSON lines {"text": ...} from stdin with entities and themes."""
    raise click.ClickException("tag: not implemented yet")
