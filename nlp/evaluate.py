"""Scores: the NER model on NorNE, and the whole tagger on an annotated set of report passages.

`evaluate_norne()` runs the trained NER alone (no gazetteers) on a NorNE split with its gold
tokenization, each sentence its own document (`n_sents=1`; spaCy's training-time dev scores
join 10 sentences per document and come out 1-2 points lower), and returns spaCy's entity
scores (`ents_p`, `ents_r`, `ents_f`, `per_type`).

`evaluate_annotated()` runs `Tagger.tag_many()` on passages annotated as JSON lines
`{"text", "entities": [{"start", "end", "label"}], "themes": [...]}` and returns precision,
recall and F1 per output label (exact character spans) and the micro-averaged theme scores.
"""

from __future__ import annotations

import json
from pathlib import Path

from .train import norne_file


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate_norne(norne_dir: Path, model_dir: Path | None = None, split: str = "test",
                   n_sents: int = 1) -> dict:
    """NorNE scores of the NER model: {"ents_p", "ents_r", "ents_f", "per_type": {label:
    {"p", "r", "f"}}, "split", "sentences", "words_per_second"}."""
    import time

    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.training.converters import conllu_to_docs

    from .errors import ModelNotFoundError
    from .pipeline import MODEL_DIR, use_numpy_blas

    model_dir = Path(model_dir) if model_dir else MODEL_DIR
    if not (model_dir / "config.cfg").is_file():
        raise ModelNotFoundError(f"NER model not found in {model_dir} (train one with `tilskudd nlp train`)")
    from . import known_words  # noqa: F401  (registers the model's known-words component)

    nlp = spacy.load(model_dir)
    use_numpy_blas(nlp)
    text = norne_file(norne_dir, split).read_text(encoding="utf-8")
    gold_docs = list(conllu_to_docs(text, n_sents=n_sents, no_print=True))
    examples = []
    for gold in gold_docs:
        words = [t.text for t in gold]
        predicted = Doc(nlp.vocab, words=words, spaces=[t.whitespace_ == " " for t in gold])
        examples.append(Example(predicted, gold))
    started = time.perf_counter()
    scores = nlp.evaluate(examples)
    seconds = time.perf_counter() - started
    n_words = sum(len(g) for g in gold_docs)
    per_type = {label: {k: round(v, 4) for k, v in s.items()}
                for label, s in sorted((scores.get("ents_per_type") or {}).items())}
    return {"split": split, "sentences": len(gold_docs), "words": n_words,
            "ents_p": round(scores["ents_p"], 4), "ents_r": round(scores["ents_r"], 4),
            "ents_f": round(scores["ents_f"], 4), "per_type": per_type,
            "words_per_second": round(n_words / seconds) if seconds else None}


def read_annotated(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_annotated(tagger, items: list[dict], labels=("ORG", "PLACE")) -> dict:
    """{"ORG": prf, "PLACE": prf, "themes": prf (micro), "errors": [...]} for annotated items."""
    results = tagger.tag_many([item["text"] for item in items])
    counts = {label: [0, 0, 0] for label in labels}
    themes = [0, 0, 0]
    errors = []
    for item, result in zip(items, results):
        gold = {(e["start"], e["end"], e["label"]) for e in item["entities"]}
        pred = {(e.start, e.end, e.label) for e in result.entities}
        for label in labels:
            g = {x for x in gold if x[2] == label}
            p = {x for x in pred if x[2] == label}
            counts[label][0] += len(g & p)
            counts[label][1] += len(p - g)
            counts[label][2] += len(g - p)
        gold_themes = set(item["themes"])
        pred_themes = {hit.theme_id for hit in result.themes}
        themes[0] += len(gold_themes & pred_themes)
        themes[1] += len(pred_themes - gold_themes)
        themes[2] += len(gold_themes - pred_themes)
        text = item["text"]
        for s, e, label in sorted(pred - gold):
            errors.append({"id": item.get("id"), "kind": f"fp {label}", "text": text[s:e]})
        for s, e, label in sorted(gold - pred):
            errors.append({"id": item.get("id"), "kind": f"fn {label}", "text": text[s:e]})
        for theme in sorted(pred_themes - gold_themes):
            evidence = next(h.evidence for h in result.themes if h.theme_id == theme)
            errors.append({"id": item.get("id"), "kind": "fp theme", "text": f"{theme} ({evidence})"})
        for theme in sorted(gold_themes - pred_themes):
            errors.append({"id": item.get("id"), "kind": "fn theme", "text": theme})
    out = {label: _prf(*counts[label]) for label in labels}
    out["themes"] = _prf(*themes)
    out["items"] = len(items)
    out["errors"] = errors
    return out


def read_organisations(path: Path) -> list[tuple[str, str]]:
    """(organisation_id, name) rows of a CSV with those two columns."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return [(row["organisation_id"], row["name"]) for row in csv.DictReader(handle)]
