"""The NLP commands of `tilskudd`: `nlp train`, `nlp evaluate`, `tag`."""

from __future__ import annotations

import json
import sys
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
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Config override, e.g. training.dropout=0.1 (repeatable).")
@click.option("--resume", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Continue training a trained model (its weights and config).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A spaCy training config instead of nlp/data/ner.cfg.")
@click.option("--include-dev", is_flag=True,
              help="Train on train + dev (for a final model with settings chosen on dev; the "
                   "dev scores printed while training are then on seen data).")
def train_command(norne_dir, output, max_minutes, max_steps, limit_sents, overrides, resume,
                  config_path, include_dev):
    """Train the Bokmål NER model on NorNE (CPU); config in nlp/data/ner.cfg."""
    from .train import parse_overrides, train

    try:
        parsed = parse_overrides(overrides)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set")
    best = train(norne_dir, output, max_minutes=max_minutes, max_steps=max_steps,
                 limit_sents=limit_sents, overrides=parsed, resume=resume, config=config_path,
                 include_dev=include_dev)
    click.echo(f"best model: {best}")


@nlp_group.command("evaluate")
@click.option("--norne", "norne_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="NorNE directory: score the NER model on a split (default test).")
@click.option("--split", default="test", show_default=True, type=click.Choice(["train", "dev", "test"]))
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Model directory (default: the committed nlp/model).")
@click.option("--annotated", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON lines of annotated passages: score the whole tagger (ORG, PLACE, themes).")
@click.option("--orgs", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV organisation_id,name of known organisations for --annotated.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def evaluate_command(norne_dir, split, model_dir, annotated, orgs, as_json):
    """Print precision, recall and F-score of the NER model on NorNE and/or of the tagger on
    an annotated set."""
    from .evaluate import evaluate_annotated, evaluate_norne, read_annotated, read_organisations

    if not norne_dir and not annotated:
        raise click.UsageError("give --norne DIR and/or --annotated FILE")
    out = {}
    if norne_dir:
        out = evaluate_norne(norne_dir, model_dir, split)
    if annotated:
        from .pipeline import Tagger

        tagger = Tagger.load(organisations=read_organisations(orgs) if orgs else (), model_dir=model_dir)
        scores = evaluate_annotated(tagger, read_annotated(annotated))
        scores.pop("errors")
        out["annotated"] = scores
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    if norne_dir:
        click.echo(f"NorNE {out['split']} ({out['sentences']} sentences): "
                   f"P {out['ents_p']:.3f}  R {out['ents_r']:.3f}  F {out['ents_f']:.3f}")
        for label, s in out["per_type"].items():
            click.echo(f"  {label:8} P {s['p']:.3f}  R {s['r']:.3f}  F {s['f']:.3f}")
    if annotated:
        s = out["annotated"]
        click.echo(f"annotated passages ({s['items']}):")
        for key in ("ORG", "PLACE", "themes"):
            click.echo(f"  {key:8} P {s[key]['p']:.3f}  R {s[key]['r']:.3f}  F {s[key]['f']:.3f}")


@click.command("tag")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Model directory (default: the committed nlp/model).")
@click.option("--orgs", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV organisation_id,name of known organisations.")
def tag_command(model_dir, orgs):
    """Tag JSON lines {"text": ...} from stdin with entities and themes.

    Writes one JSON line per input line: {"text", "entities": [{"start", "end", "label",
    "text", "kb_id"}], "themes": [theme ids]}. Places come from the reference data in kb/data.
    """
    from .evaluate import read_organisations
    from .pipeline import Tagger

    tagger = Tagger.load(organisations=read_organisations(orgs) if orgs else (), model_dir=model_dir)
    batch = []

    def flush():
        for text, result in zip(batch, tagger.tag_many(batch)):
            entities = [{"start": e.start, "end": e.end, "label": e.label, "text": e.text,
                         "kb_id": e.kb_id} for e in result.entities]
            click.echo(json.dumps({"text": text, "entities": entities,
                                   "themes": [h.theme_id for h in result.themes]}, ensure_ascii=False))
        batch.clear()

    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
        except (ValueError, KeyError, TypeError) as exc:
            raise click.ClickException(f"line {n}: expected a JSON object with \"text\" ({exc})")
        if not isinstance(text, str):
            raise click.ClickException(f"line {n}: \"text\" must be a string")
        batch.append(text)
        if len(batch) >= 64:
            flush()
    flush()
