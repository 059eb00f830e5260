"""The NLP commands of `tilskudd`: `nlp train`, `nlp evaluate`, `tag`."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("nlp")
def nlp_group():
    """Train and evaluate the Norwegian NER model."""


@nlp_group.command("train")
@click.option("--norne", "norne_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory with NorNE train.conllu and dev.conllu.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("nlp/training/run"),
              show_default=True, help="Where model-best/ and model-last/ are written.")
@click.option("--max-minutes", type=float, default=45.0, show_default=True, help="Wall-clock limit.")
@click.option("--max-steps", type=int, default=None, help="Override the config's max_steps.")
@click.option("--limit-sents", type=int, default=None, help="Train on the first N sentences only (smoke test).")
def train_command(norne_dir, output, max_minutes, max_steps, limit_sents):
    """Train the Bokmål NER model on NorNE (CPU)."""
    from .train import train

    best = train(norne_dir, output, max_minutes=max_minutes, max_steps=max_steps, limit_sents=limit_sents)
    click.echo(f"best model: {best}")


@click.command("tag")
def tag_command():
    """Tag JSON lines {"text": ...} from stdin with entities and themes."""
    raise click.ClickException("tag: not implemented yet")
