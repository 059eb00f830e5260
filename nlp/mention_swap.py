"""The `tilskudd.mention_swap.v1` training augmenter: names in new company.

With probability `level` a training example is yielded twice: as it is, and as a copy whose
entity mentions are each replaced by a random mention of the same label from the training corpus
("statsminister Jens Stoltenberg" → "statsminister Kirsti Kolle Grøndahl"). The model then learns
what the context of a name says about it, not which names it has seen; NorNE test is full of names
the training split never shows. Registered on import (`nlp.train` imports it).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

from spacy.util import registry

AUGMENTER = "tilskudd.mention_swap.v1"


@registry.augmenters(AUGMENTER)
def mention_swap(path: str, level: float = 0.5, seed: int = 0):
    """Augmenter reading its mentions from the DocBin at `path` (the training corpus)."""
    pool = mention_pool(Path(path))
    rng = random.Random(seed)

    def augment(nlp, example):
        yield example
        if pool and rng.random() < level:
            swapped = swap_mentions(nlp, example.reference, pool, rng)
            if swapped is not None:
                yield swapped

    return augment


def mention_pool(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """{label: sorted distinct mentions}, a mention as the tuple of its words."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("nb").vocab
    pool: dict[str, set] = defaultdict(set)
    for doc in DocBin().from_disk(path).get_docs(vocab):
        for ent in doc.ents:
            pool[ent.label_].add(tuple(t.text for t in ent))
    return {label: sorted(mentions) for label, mentions in pool.items()}


def swap_mentions(nlp, doc, pool, rng):
    """A training Example: `doc` with each entity mention replaced by a random same-label one
    (None when `doc` has no entities)."""
    from spacy.tokens import Doc
    from spacy.training import Example

    if not doc.ents:
        return None
    words, spaces, starts, iob = [], [], [], []

    def keep(tokens):
        for token in tokens:
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            starts.append(bool(token.is_sent_start))
            iob.append("O")

    position = 0
    for ent in doc.ents:
        keep(doc[position:ent.start])
        choices = pool.get(ent.label_)
        new = list(rng.choice(choices)) if choices else [t.text for t in ent]
        words.extend(new)
        spaces.extend([True] * (len(new) - 1) + [bool(ent[-1].whitespace_)])
        starts.extend([bool(ent[0].is_sent_start)] + [False] * (len(new) - 1))
        iob.extend([f"B-{ent.label_}"] + [f"I-{ent.label_}"] * (len(new) - 1))
        position = ent.end
    keep(doc[position:])
    reference = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts, ents=iob)
    return Example(Doc(nlp.vocab, words=words, spaces=spaces), reference)
