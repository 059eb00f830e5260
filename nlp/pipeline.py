"""The door of `nlp/`: `Tagger` tags organisations, places and themes in Bokmål text.

Pipeline: spaCy's `nb` tokenizer → our NER (trained on NorNE, nlp/model/) → `place_ruler`
(places, acronyms and one-word organisation names, case-sensitive) → `org_ruler` (multi-word
organisation names, any case). Both rulers overwrite overlapping NER entities, so every known
name is found and carries its kb id; NER entities without a ruler match are linked by name when
the name is known. Then lemmas (nlp/lemmas.py) and themes (nlp/themes.py).

Output labels: `ORG` (NorNE ORG) and `PLACE` (NorNE GPE_LOC, GPE_ORG, LOC); `fine_label` keeps
NorNE's label. PER, PROD, EVT, DRV and MISC are not reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ModelNotFoundError
from .gazetteer import genitive, org_forms, org_patterns, place_patterns, reference_places
from .lemmas import Lemmatizer
from .themes import ThemeHit, ThemeMatcher, load_rules, load_themes, theme_patterns

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"
COARSE_LABEL = {"ORG": "ORG", "GPE_ORG": "PLACE", "GPE_LOC": "PLACE", "LOC": "PLACE"}
PLACE_SUFFIXES = (" kommune", " kommunes", " fylke", " fylkeskommune", " fylkeskommunes")


@dataclass(frozen=True)
class Entity:
    start: int          # character offsets in the text
    end: int
    label: str          # 'ORG' or 'PLACE'
    fine_label: str     # NorNE label: ORG, GPE_LOC, GPE_ORG, LOC
    text: str
    kb_id: str | None   # organisations.id / places.id when the name is known

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label,
                "fine_label": self.fine_label, "text": self.text, "kb_id": self.kb_id}


@dataclass(frozen=True)
class TagResult:
    entities: list[Entity] = field(default_factory=list)
    themes: list[ThemeHit] = field(default_factory=list)
    lemmas: str = ""    # space-separated lemmas of the words, for full-text search


def _name_key(text: str) -> str:
    return " ".join(text.split()).lower()


class Tagger:
    """Tags Bokmål text. Build with `Tagger.load()`; then `tag()`, `tag_many()`,
    `themes_for()`, `lemmatize()`."""

    def __init__(self, nlp, lemmatizer: Lemmatizer, themes: ThemeMatcher,
                 place_index: dict[str, str], org_index: dict[str, str]):
        self.nlp = nlp
        self.lemmatizer = lemmatizer
        self.theme_matcher = themes
        self.place_index = place_index
        self.org_index = org_index

    @classmethod
    def load(cls, places=None, organisations=(), model_dir: Path | None = None) -> "Tagger":
        """places: (place_id, name, kind) tuples (names may be ';'-separated alternatives);
        None reads the reference CSVs in kb/data/. organisations: (organisation_id, name)
        tuples, names as printed (aliases)."""
        import spacy

        model_dir = Path(model_dir) if model_dir else MODEL_DIR
        if not (model_dir / "config.cfg").is_file():
            raise ModelNotFoundError(f"NER model not found in {model_dir} (train one with `tilskudd nlp train`)")
        places = reference_places() if places is None else list(places)
        organisations = list(organisations)
        nlp = spacy.load(model_dir)
        exact_orgs, lower_orgs = org_patterns(organisations)
        p_patterns = place_patterns(places)
        place_ruler = nlp.add_pipe("entity_ruler", name="place_ruler", after="ner",
                                   config={"overwrite_ents": True, "validate": False})
        place_ruler.add_patterns(p_patterns + exact_orgs)
        org_ruler = nlp.add_pipe("entity_ruler", name="org_ruler", after="place_ruler",
                                 config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER",
                                         "validate": False})
        if lower_orgs:
            org_ruler.add_patterns(lower_orgs)
        lemmatizer = Lemmatizer.load()
        themes = load_themes()
        broad, extra = load_rules()
        matcher = ThemeMatcher(theme_patterns(themes, broad, extra, lemmatizer.lemma),
                               [t.id for t in themes])
        place_index = {_name_key(p["pattern"]): p["id"] for p in p_patterns}
        org_index = {}
        for org_id, name in organisations:
            for form in org_forms(name):
                org_index.setdefault(_name_key(form), org_id)
        log.info("tagger loaded: %d place patterns, %d organisation patterns",
                 len(p_patterns), len(exact_orgs) + len(lower_orgs))
        return cls(nlp, lemmatizer, matcher, place_index, org_index)

    # -- linking ---------------------------------------------------------------------------
    def _link(self, label: str, text: str) -> str | None:
        key = _name_key(text).strip(" .,:;«»\"")
        index = self.place_index if label == "PLACE" else self.org_index
        candidates = [key]
        if key.endswith("'") or key.endswith("s"):
            candidates.append(key[:-1])
        if label == "PLACE":
            for suffix in PLACE_SUFFIXES:
                if key.endswith(suffix):
                    candidates.append(key[: -len(suffix)])
            if key.startswith("bydel "):
                candidates.append(key[len("bydel "):])
        for candidate in candidates:
            if candidate in index:
                return index[candidate]
        return None

    # -- tagging ---------------------------------------------------------------------------
    def _result(self, doc) -> TagResult:
        entities, skip = [], set()
        for ent in doc.ents:
            label = COARSE_LABEL.get(ent.label_)
            if label is None:
                continue
            kb_id = ent.ent_id_ or self._link(label, ent.text)
            entities.append(Entity(ent.start_char, ent.end_char, label, ent.label_, ent.text, kb_id))
            if label == "ORG":
                skip.update(range(ent.start, ent.end))
        tokens = [(t.text, self.lemmatizer.lemma(t.text)) for t in doc]
        themes = self.theme_matcher.match(tokens, frozenset(skip))
        lemmas = " ".join(lemma for text, lemma in tokens if any(c.isalpha() for c in text))
        return TagResult(entities, themes, lemmas)

    def tag(self, text: str) -> TagResult:
        """Entities, themes and lemmas of one text."""
        return self._result(self.nlp(text))

    def tag_many(self, texts, batch_size: int = 64) -> list[TagResult]:
        """`tag()` for many texts, batched through spaCy."""
        return [self._result(doc) for doc in self.nlp.pipe(texts, batch_size=batch_size)]

    def themes_for(self, text: str) -> list[ThemeHit]:
        """Themes alone (tokenizer + lemmas, no NER): cheap, for project names."""
        doc = self.nlp.make_doc(text)
        return self.theme_matcher.match([(t.text, self.lemmatizer.lemma(t.text)) for t in doc])

    def lemmatize(self, text: str) -> str:
        """Space-separated lemmas of the words in `text`, for full-text search."""
        doc = self.nlp.make_doc(text)
        return " ".join(self.lemmatizer.lemma(t.text) for t in doc if any(c.isalpha() for c in t.text))
