"""Training the Bokmål NER model on NorNE (CoNLL-U with `name=` tags in MISC).

The corpus never enters the repository: `convert_norne()` writes `.spacy` files
under a work directory (default `nlp/training/<corpus folder name>/`, git-ignored). The config lives in
`nlp/data/ner.cfg`; `train()` runs spaCy's training loop with a wall-clock limit
and leaves `model-best/` (best dev F-score) and `model-last/` in the output dir.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .errors import CorpusNotFoundError

log = logging.getLogger(__name__)

CONFIG_PATH = Path(__file__).parent / "data" / "ner.cfg"
SPLITS = ("train", "dev", "test")
TIME_LIMIT_CALLBACK = "tilskudd.time_limit.v1"


class TimeLimitReached(Exception):
    """Raised inside the training loop to stop it at the wall-clock limit."""


def norne_file(norne_dir: Path, split: str) -> Path:
    path = Path(norne_dir) / f"{split}.conllu"
    if not path.is_file():
        raise CorpusNotFoundError(f"NorNE split not found: {path}")
    return path


def convert_norne(norne_dir: Path, out_dir: Path, splits=SPLITS, n_sents: int = 10,
                  limit_sents: int | None = None) -> dict[str, Path]:
    """Convert NorNE CoNLL-U splits to spaCy DocBin files; returns {split: path}.

    A split may join several with "+" ("train+dev": both in one file). `limit_sents` keeps
    only the first N sentences of each (for smoke tests).
    """
    from spacy.tokens import DocBin
    from spacy.training.converters import conllu_to_docs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split in splits:
        texts = []
        for part in split.split("+"):
            text = norne_file(norne_dir, part).read_text(encoding="utf-8").strip()
            if limit_sents:
                text = "\n\n".join(text.split("\n\n")[:limit_sents])
            texts.append(text)
        text = "\n\n".join(texts) + "\n"
        suffix = f".{limit_sents}" if limit_sents else ""
        target = out_dir / f"{split}{suffix}.spacy"
        docs = list(conllu_to_docs(text, n_sents=n_sents, no_print=True))
        DocBin(docs=docs, attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"]).to_disk(target)
        log.info("converted %s: %d docs -> %s", split, len(docs), target)
        paths[split] = target
    return paths


def _register_time_limit():
    from spacy.util import registry

    @registry.callbacks(TIME_LIMIT_CALLBACK)
    def make_time_limit(minutes: float):
        deadline = time.monotonic() + minutes * 60

        def before_update(nlp, args):
            if time.monotonic() > deadline:
                raise TimeLimitReached(f"time limit of {minutes} min reached at step {args['step']}")

        return before_update


def train(norne_dir: Path, output: Path, *, work_dir: Path | None = None,
          max_minutes: float = 45.0, max_steps: int | None = None,
          limit_sents: int | None = None, overrides: dict | None = None,
          resume: Path | None = None, config: Path | None = None,
          include_dev: bool = False) -> Path:
    """Train the NER model; returns the path of the best model (`output/model-best`).

    `overrides` are dotted config keys (`{"training.dropout": 0.1}`). With `resume` (a trained
    model directory), training continues from its weights and its config instead of starting
    from nlp/data/ner.cfg."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from spacy.util import load_config, load_model_from_path

    from . import known_words, mention_swap  # noqa: F401  (registered in spaCy's registry)

    output = Path(output)
    # one folder per corpus, so a smoke test never overwrites the files a long run is reading
    work_dir = Path(work_dir) if work_dir else Path(__file__).parent / "training" / Path(norne_dir).resolve().name
    train_split = "train+dev" if include_dev else "train"
    paths = convert_norne(norne_dir, work_dir, splits=(train_split, "dev"), limit_sents=limit_sents)
    _register_time_limit()
    cfg_overrides = {
        "paths.train": str(paths[train_split]),
        "paths.dev": str(paths["dev"]),
        "training.before_update": {"@callbacks": TIME_LIMIT_CALLBACK, "minutes": max_minutes},
    }
    if max_steps is not None:
        cfg_overrides["training.max_steps"] = max_steps
    cfg_overrides.update(overrides or {})
    from thinc.api import use_ops

    started = time.monotonic()
    # numpy's BLAS (OpenBLAS) instead of thinc's default blis: about twice as fast here
    with use_ops("numpy", use_blis=False):
        if resume:
            nlp = load_model_from_path(Path(resume), config=_nested(cfg_overrides))
        else:
            config = load_config(Path(config) if config else CONFIG_PATH, overrides=cfg_overrides, interpolate=False)
            nlp = init_nlp(config)
    from .pipeline import use_numpy_blas

    use_numpy_blas(nlp)
    output.mkdir(parents=True, exist_ok=True)
    try:
        spacy_train(nlp, output)
    except TimeLimitReached as stop:
        log.info("%s", stop)
    log.info("training took %.1f min", (time.monotonic() - started) / 60)
    best = output / "model-best"
    if not best.exists():
        best = output / "model-last"
    _strip_training_callback(best)
    _strip_training_callback(output / "model-last")
    return best


def _nested(dotted: dict) -> dict:
    """{"a.b": 1} → {"a": {"b": 1}} (spaCy's load-time config overrides are nested)."""
    out: dict = {}
    for key, value in dotted.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def _strip_training_callback(model_dir: Path, forget_corpus: bool = False) -> None:
    """Make a saved config load anywhere: no time-limit callback (`before_update = null`) and,
    with `forget_corpus`, no local training files (`[paths] train/dev = null`)."""
    from spacy.util import load_config

    path = model_dir / "config.cfg"
    if not path.exists():
        return
    config = load_config(path, interpolate=False)
    config["training"]["before_update"] = None
    if forget_corpus:
        config["paths"]["train"] = config["paths"]["dev"] = None
    config.to_disk(path, interpolate=False)


def parse_overrides(items) -> dict:
    """`key=value` strings → {key: value}, values parsed as JSON when they can be (numbers,
    lists, booleans), else kept as strings."""
    import json

    out = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"config override must be KEY=VALUE: {item}")
        try:
            out[key.strip()] = json.loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def install_model(source: Path, target: Path | None = None) -> Path:
    """Copy a trained model (e.g. `run/model-best`) to `nlp/model/` (the committed model),
    with a loadable config (no training callbacks)."""
    import shutil

    target = Path(target) if target else Path(__file__).parent / "model"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    _strip_training_callback(target, forget_corpus=True)
    return target

