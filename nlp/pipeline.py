"""The door of `nlp/`: `Tagger` tags organisations, places and themes in Bokmål text.

Pipeline: spaCy's `nb` tokenizer → our NER (trained on NorNE, nlp/model/) → three span rulers
(nlp/gazetteer.py): `name_ruler` (places, upper-case acronyms and one-word organisation names,
case-sensitive), `org_ruler` (multi-word organisation names and mixed-case acronyms, any case)
and `org_shape_ruler` (unknown names shaped like organisations: `Afghansk forening`).

`merge_entities()` turns NER entities, ruler spans and names defined by an acronym in
parentheses into one list of mentions (rules in its docstring and docs/nlp.md): a known name
wins, so every known name is found and carries its kb id, unless a longer organisation contains
it (`Skedsmo Dialog` ⊃ `Skedsmo`). Mentions without a ruler id are linked by name when the name
is known. Then lemmas (nlp/lemmas.py) and themes (nlp/themes.py).

Output labels: `ORG` (NorNE ORG) and `PLACE` (NorNE GPE_LOC, GPE_ORG, LOC); `fine_label` keeps
NorNE's label. PER, PROD, EVT, DRV and MISC are not reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ModelNotFoundError
from .gazetteer import (org_forms, org_patterns, org_shape_patterns, place_patterns, public_bodies,
                        reference_places)
from .lemmas import Lemmatizer
from .themes import ThemeHit, ThemeMatcher, load_rules, load_themes, theme_patterns

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"
COARSE_LABEL = {"ORG": "ORG", "GPE_ORG": "PLACE", "GPE_LOC": "PLACE", "LOC": "PLACE"}
# Theme acronyms are never organisations (the NER, not knowing them, tends to say ORG).
THEME_ACRONYMS = frozenset({"TVE", "KLL", "FGM", "NSK", "LHBT", "LHBTI"})
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


def use_numpy_blas(nlp) -> None:
    """Run the model's matrix products with numpy's BLAS (OpenBLAS) instead of thinc's default
    blis: about twice as fast on this machine, same results (tests/test_nlp_pipeline.py)."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    # One BLAS thread: the model's matrices are small, and on two cores a second OpenBLAS thread
    # only spins (same speed, twice the CPU time; bench/bench_ingest.py). Process-wide, once.
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


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
        from . import known_words  # noqa: F401  (registers the model's known-words component)

        nlp = spacy.load(model_dir)
        use_numpy_blas(nlp)
        exact_orgs, lower_orgs = org_patterns(organisations + public_bodies())
        p_patterns = place_patterns(places)
        # The rulers match on token text only: adding phrase patterns runs the pipeline before
        # them over every pattern string, so switch the model off while adding (5.6 s → 0.5 s
        # for ~6 000 names; bench/bench_ingest.py).
        with nlp.select_pipes(disable=list(nlp.pipe_names)):  # the model's own pipes
            name_ruler = nlp.add_pipe("span_ruler", name="name_ruler", after="ner",
                                      config={"spans_key": "names", "validate": False})
            name_ruler.add_patterns(p_patterns + exact_orgs)
            org_ruler = nlp.add_pipe("span_ruler", name="org_ruler", after="name_ruler",
                                     config={"spans_key": "org_names", "phrase_matcher_attr": "LOWER",
                                             "validate": False})
            if lower_orgs:
                org_ruler.add_patterns(lower_orgs)
            shape_ruler = nlp.add_pipe("span_ruler", name="org_shape_ruler", after="org_ruler",
                                       config={"spans_key": "org_shapes", "validate": False})
            shape_ruler.add_patterns(org_shape_patterns())
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
        for span in merge_entities(doc, self.lemmatizer.is_common_word):
            label = COARSE_LABEL[span.label_]
            kb_id = span.id_ or self._link(label, span.text)
            entities.append(Entity(span.start_char, span.end_char, label, span.label_, span.text, kb_id))
            if label == "ORG":
                skip.update(range(span.start, span.end))
        tokens = [(t.text, self.lemmatizer.lemma(t.text)) for t in doc]
        themes = self.theme_matcher.match(tokens, frozenset(skip))
        lemmas = " ".join(lemma for text, lemma in tokens if any(c.isalpha() for c in text))
        return TagResult(entities, themes, lemmas)

    def tag(self, text: str) -> TagResult:
        """Entities, themes and lemmas of one text."""
        return self._result(self.nlp(text))

    def tag_many(self, texts, batch_size: int = 32) -> list[TagResult]:
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


def merge_entities(doc, is_common_word=lambda word: False) -> list:
    """NER entities and known names (ruler spans) merged into one sorted, non-overlapping list
    of spans (labels: NorNE's fine labels). Rules, in order:
    1. a known name wins over the NER entities it overlaps, except that an NER organisation
       strictly containing known names (at most one of them an organisation) wins
       (`Skedsmo Dialog` ⊃ `Skedsmo`, `Kurdisk forening i Skedsmo` ⊃ `Skedsmo`);
    2. a one-word place directly followed by an organisation is one organisation
       (`Tønsberg` + `Røde Kors` → `Tønsberg Røde Kors`, a different organisation from
       `Norges Røde Kors`);
    NER entities compete with organisation-shaped phrases (`org_shape_ruler`: `Afghansk
    forening`, `Frivilligsentralen`) and names defined by an acronym in parentheses
    (`acronym_definitions()`) as equals: the longer span wins.
    3. an acronym organisation directly followed by a one-word place is one organisation
       (`KIA` + `Stavanger` → `KIA Stavanger`);
    4. dropped: NER entities that are not organisations or places; theme acronyms the NER
       takes for organisations (`TVE`, `KLL`); unknown names in citations (`Segaard 2011:13`);
       one-word NER entities that are ordinary words (`is_common_word`: `Målet`, `Nettverk`,
       capitalised at the start of a sentence or in a title), and an ordinary word with a
       number (`Del 1`, `Tabell 3`, `Kapittel 4`: parts of a document)."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    known = filter_spans(list(doc.spans.get("names", [])) + list(doc.spans.get("org_names", [])))
    ner = [e for e in doc.ents if e.label_ in COARSE_LABEL and e.text not in THEME_ACRONYMS
           and not _followed_by_year(doc, e) and not any(_is_year(t.text) for t in e)
           and not (len(e) == 1 and is_common_word(e.text)) and not _is_numbered_word(e, is_common_word)]
    ner = filter_spans(acronym_definitions(doc) + list(doc.spans.get("org_shapes", [])) + ner)
    kept_ner, dropped_known = [], set()
    for ent in ner:
        inside = [k for k in known if k.start >= ent.start and k.end <= ent.end]
        overlapping = [k for k in known if k.start < ent.end and ent.start < k.end]
        if (ent.label_ == "ORG" and inside and len(inside) == len(overlapping)
                and all(len(ent) > len(k) for k in inside)
                and sum(k.label_ == "ORG" for k in inside) <= 1):
            kept_ner.append(ent)
            dropped_known.update((k.start, k.end) for k in inside)
        elif not overlapping:
            kept_ner.append(ent)
    spans = sorted([k for k in known if (k.start, k.end) not in dropped_known] + kept_ner,
                   key=lambda span: span.start)
    merged = []
    for span in spans:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.end == span.start and len(prev) == 1
                and COARSE_LABEL[prev.label_] == "PLACE" and span.label_ == "ORG"):
            merged[-1] = Span(doc, prev.start, span.end, label="ORG")
        elif (prev is not None and prev.end == span.start and len(prev) == 1 and len(span) == 1
              and prev.label_ == "ORG" and sum(c.isupper() for c in prev.text) >= 2
              and COARSE_LABEL[span.label_] == "PLACE"):
            merged[-1] = Span(doc, prev.start, span.end, label="ORG")
        else:
            merged.append(span)
    return merged


def _is_numbered_word(ent, is_common_word) -> bool:
    """`Del 1`, `Tabell 3`, `Post 71`, `Del II`: an ordinary word followed by numbers."""
    return (len(ent) >= 2 and is_common_word(ent[0].text)
            and all(t.text.isdigit() or t.text in ROMAN_NUMERALS for t in ent[1:]))


ROMAN_NUMERALS = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"})

NAME_CONNECTORS = frozenset({"og", "Og", "i", "I", "in", "of", "for", "mot", "&", ",", "-", "–"})


def acronym_definitions(doc) -> list:
    """`Sagene Internasjonale og Flerkulturelle Frivillighetssentral (SAIFF)`: a run of
    capitalised words (joined by `og`, `i`, `for`, commas...) directly before an acronym in
    parentheses is an organisation name, and so is the acronym. The run starts at the first
    word with the acronym's first letter (`Organisasjonen Chinese Professionals in Norway
    (CPN)` → `Chinese Professionals in Norway`)."""
    from spacy.tokens import Span

    from .gazetteer import looks_like_acronym

    spans = []
    for i in range(1, len(doc) - 2):
        if not (doc[i].text == "(" and doc[i + 2].text == ")" and looks_like_acronym(doc[i + 1].text)):
            continue
        start = i
        while start > 0 and (doc[start - 1].is_title or doc[start - 1].text in NAME_CONNECTORS):
            start -= 1
        initial = doc[i + 1].text[0]
        while start < i and not (doc[start].is_title and doc[start].text[0] == initial):
            start += 1
        if sum(t.is_title for t in doc[start:i]) >= 2:
            spans.append(Span(doc, start, i, label="ORG"))
            spans.append(Span(doc, i + 1, i + 2, label="ORG"))
    return spans


def _is_year(text: str) -> bool:
    return len(text) >= 4 and text[:4].isdigit() and text[:2] in ("19", "20")


def _followed_by_year(doc, ent) -> bool:
    """An unknown name in a citation: `Segaard 2011:13`, `(Søholt, Tronstad og Bjørnsen 2014)`."""
    if ent.id_ or ent.end >= len(doc):
        return False
    if _is_year(doc[ent.end].text):
        return True
    # inside parentheses that close after a year, with only names and commas/`og`/`&` between
    for token in doc[ent.end: min(len(doc), ent.end + 8)]:
        if _is_year(token.text):
            return any(t.text == "(" for t in doc[max(0, ent.start - 8): ent.start])
        if not (token.is_title or token.text in (",", "og", "&", "et", "al", ".")):
            return False
    return False
