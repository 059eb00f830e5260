"""The `tilskudd_known_words` pipeline component: unseen words share one trained NORM.

NorNE test has many names the training data never shows (44 % of its entities appear in train,
against 58 % of dev's), and no word vectors can be installed here. spaCy's hashed NORM embedding
gives a word it never saw the rows of whatever trained words its hashes collide with: noise.
This component, placed before the tok2vec, gives every word whose NORM occurred fewer than
`min_count` times in the training data the NORM `<ukjent>`, in training and in use alike; that
one vector is trained on the training data's rare words (mostly names), and PREFIX, SUFFIX,
SHAPE and the context still tell the model what the word is. Only the NORM changes, never the
text. In the config it is listed under `training.annotating_components`, so it runs in training.

Import this module before loading a model that uses it (`nlp.pipeline` and `nlp.evaluate` do).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

FACTORY = "tilskudd_known_words"
UNKNOWN = "<ukjent>"


class KnownWords:
    def __init__(self, name: str, min_count: int = 2, words: set[str] | None = None):
        self.name = name
        self.min_count = min_count
        self.words = set(words or ())

    def __call__(self, doc):
        words = self.words
        if words:
            for token in doc:
                if token.norm_ not in words:
                    token.norm_ = UNKNOWN
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples, *, nlp=None):
        """The words of the training examples' reference docs seen `min_count` times or more."""
        counts = Counter(token.norm_ for example in get_examples() for token in example.reference)
        self.words = {norm for norm, n in counts.items() if n >= self.min_count}

    def to_bytes(self, *, exclude=tuple()):
        import srsly

        return srsly.msgpack_dumps({"min_count": self.min_count, "words": sorted(self.words)})

    def from_bytes(self, data, *, exclude=tuple()):
        import srsly

        msg = srsly.msgpack_loads(data)
        self.min_count, self.words = msg["min_count"], set(msg["words"])
        return self

    def to_disk(self, path, *, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "words.bin").write_bytes(self.to_bytes())

    def from_disk(self, path, *, exclude=tuple()):
        return self.from_bytes((Path(path) / "words.bin").read_bytes())


def _make_known_words(nlp, name: str, min_count: int):
    return KnownWords(name, min_count=min_count)


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"min_count": 2})(_make_known_words)


_register()
