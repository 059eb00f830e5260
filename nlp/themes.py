"""The theme tagger: themes.yaml cue words, matched on lemmas and inside compounds.

`theme_patterns()` turns the taxonomy (nlp/data/themes.yaml) and the reading rules
(nlp/data/theme_rules.yaml) into cue patterns; `ThemeMatcher.match()` finds them in a list of
(token text, lemma) pairs and decides the themes:

Matching a cue (one pattern per cue word or phrase):
- acronyms (`TVE`, `KLL`, `FGM`, `LHBT`): the token as written, case-sensitive, also as a part
  of a hyphenated or slashed token (`TVE-arbeid`, `TVE/KLL`);
- phrases (`negativ sosial kontroll`, `valg av ektefelle`): the lemma sequence;
- words: the lemma (`tvangsekteskapet` → `tvangsekteskap`), or the word as the head of a
  compound (`jenteomskjæring` ends in `omskjæring`, `innvandrerkvinner` in `kvinne`) or, for cue
  lemmas of 6+ letters, as its first part (`tvangsekteskapssaker`, `kjønnslemlestelsesloven`).

Deciding a theme: one strong cue is enough; broad cues (`kvinner`, `barn`, `tillit`, ...,
listed in theme_rules.yaml) decide only when at least two different ones occur, or one occurs
three times or more (the passage keeps coming back to it). In a short text of at most 12
words — a project or scheme name, where every word is chosen — one broad cue decides
(`Holdningsskapende arbeid for og med kvinner i Vestfold` → kvinner_likestilling). A token that is part of a matched
phrase does not count again as a single-word cue of the same theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import NLPError

DATA_DIR = Path(__file__).parent / "data"
THEMES_PATH = DATA_DIR / "themes.yaml"
RULES_PATH = DATA_DIR / "theme_rules.yaml"
MIN_BROAD_CUES = 2        # different broad cue words needed ...
MIN_BROAD_REPEATS = 3     # ... or this many occurrences of one broad cue word
SHORT_TEXT_WORDS = 12     # in a text this short (a project or scheme name) one broad cue decides
MIN_HEAD_LEMMA = 4       # shortest cue lemma matched as a compound head (…kvinne)
MIN_MODIFIER_LEMMA = 6   # shortest cue lemma matched as a compound's first part (tvangsekteskap…)
MIN_COMPOUND_REST = 3    # the other part of a compound has at least this many letters


class ThemesFileError(NLPError):
    """themes.yaml or theme_rules.yaml is missing or malformed."""


@dataclass(frozen=True)
class Theme:
    id: str
    label_no: str
    label_en: str
    definition: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class ThemeHit:
    theme_id: str
    evidence: str  # the words that decided it, '; '-separated


@dataclass(frozen=True)
class CuePattern:
    theme_id: str
    term: str                 # the cue as given
    kind: str                 # 'acronym', 'phrase' or 'word'
    lemmas: tuple[str, ...]   # lemma sequence (acronym: the term itself)
    broad: bool


def load_themes(path: Path = THEMES_PATH) -> list[Theme]:
    """The taxonomy from themes.yaml."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return [Theme(t["id"], t["label_no"], t["label_en"], t["definition"].strip(),
                      tuple(str(x) for x in t.get("terms", [])))
                for t in data["themes"]]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise ThemesFileError(f"cannot read themes from {path}: {exc}") from exc


def load_rules(path: Path = RULES_PATH) -> tuple[dict, dict]:
    """(broad, extra): {theme_id: [cue, ...]} from theme_rules.yaml."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ThemesFileError(f"cannot read theme rules from {path}: {exc}") from exc
    return data.get("broad") or {}, data.get("extra") or {}


def is_acronym(term: str) -> bool:
    """`TVE`, `KLL`, `LHBT+`, `NSK`: one word, at least two capitals, no lower-case letters."""
    letters = [c for c in term if c.isalpha()]
    return " " not in term and len(letters) >= 2 and all(c.isupper() for c in letters)


def _words(term: str) -> list[str]:
    return term.replace("/", " ").split()


def theme_patterns(themes, broad: dict, extra: dict, lemmatize) -> list[CuePattern]:
    """Cue patterns for every theme's terms plus the extra cues; `lemmatize(word) -> lemma`."""
    patterns, seen = [], set()
    known = {t.id for t in themes}
    for theme_id in list(broad) + list(extra):
        if theme_id not in known:
            raise ThemesFileError(f"theme_rules.yaml names an unknown theme: {theme_id}")
    for theme in themes:
        broad_terms = {b.lower() for b in broad.get(theme.id, [])}
        terms = list(theme.terms) + [e for e in extra.get(theme.id, [])] + list(broad.get(theme.id, []))
        for term in terms:
            term = str(term).strip()
            if is_acronym(term):
                kind, lemmas = "acronym", (term.rstrip("+"),)
            else:
                words = _words(term)
                lemmas = tuple(lemmatize(w) for w in words)
                kind = "phrase" if len(lemmas) > 1 else "word"
            key = (theme.id, kind, lemmas)
            if key in seen:
                continue
            seen.add(key)
            patterns.append(CuePattern(theme.id, term, kind, lemmas, term.lower() in broad_terms))
    return patterns


@dataclass
class ThemeMatcher:
    """Finds cue patterns in lemmatized tokens and decides themes (see module docstring)."""

    patterns: list[CuePattern]
    theme_order: list[str]
    _acronyms: dict = field(default_factory=dict, repr=False)
    _words: dict = field(default_factory=dict, repr=False)
    _modifiers: dict = field(default_factory=dict, repr=False)
    _phrases: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for p in self.patterns:
            if p.kind == "acronym":
                self._acronyms.setdefault(p.lemmas[0], []).append(p)
            elif p.kind == "word":
                self._words.setdefault(p.lemmas[0], []).append(p)
                if len(p.lemmas[0]) >= MIN_MODIFIER_LEMMA:
                    self._modifiers.setdefault(p.lemmas[0], []).append(p)
            else:
                self._phrases.setdefault(p.lemmas[0], []).append(p)

    def _word_hits(self, lemma: str):
        """Patterns matching one lemma: exact, compound head, compound first part."""
        hits = list(self._words.get(lemma, ()))
        if hits:
            return hits
        n = len(lemma)
        for i in range(MIN_COMPOUND_REST, n - MIN_HEAD_LEMMA + 1):
            head = lemma[i:].lstrip("-")
            found = self._words.get(head)
            if found:
                return list(found)
        for j in range(n - MIN_COMPOUND_REST, MIN_MODIFIER_LEMMA - 1, -1):
            found = self._modifiers.get(lemma[:j])
            if found:
                return list(found)
        return []

    def match(self, tokens: list[tuple[str, str]], skip: frozenset = frozenset()) -> list[ThemeHit]:
        """Themes of a text given as (text, lemma) per token; token indexes in `skip` (e.g.
        inside organisation names) are not evidence."""
        found: dict[str, dict[str, list]] = {}  # theme -> {'strong': [...], 'broad': [...]}
        in_phrase: dict[str, set] = {}           # theme -> token indexes inside its phrase hits

        def add(pattern: CuePattern, evidence: str, start: int, length: int = 1):
            if length == 1 and start in in_phrase.get(pattern.theme_id, ()):
                return
            if length > 1:
                in_phrase.setdefault(pattern.theme_id, set()).update(range(start, start + length))
            slot = found.setdefault(pattern.theme_id, {"strong": [], "broad": []})
            slot["broad" if pattern.broad else "strong"].append((pattern.lemmas, evidence, start))

        lemmas = [lem for _, lem in tokens]
        for i, (text, lemma) in enumerate(tokens):
            if i in skip:
                continue
            parts = [text] + ([p for p in text.replace("/", "-").split("-") if p]
                              if ("-" in text or "/" in text) else [])
            for part in parts:
                for p in self._acronyms.get(part, ()):
                    add(p, text, i)
            for p in self._phrases.get(lemma, ()):
                n = len(p.lemmas)
                if tuple(lemmas[i:i + n]) == p.lemmas and not skip.intersection(range(i, i + n)):
                    add(p, " ".join(t for t, _ in tokens[i:i + n]), i, n)
            if lemma.isalpha() or "-" in lemma:
                for p in self._word_hits(lemma):
                    add(p, text, i)
        n_words = sum(1 for text, _ in tokens if any(c.isalpha() for c in text))
        min_broad = 1 if n_words <= SHORT_TEXT_WORDS else MIN_BROAD_CUES
        hits = []
        for theme_id in self.theme_order:
            slot = found.get(theme_id)
            if not slot:
                continue
            broad = [lem for lem, _, _ in slot["broad"]]
            if (slot["strong"] or len(set(broad)) >= min_broad
                    or any(broad.count(lem) >= MIN_BROAD_REPEATS for lem in broad)):
                evidence = []
                for _, ev, _ in sorted(slot["strong"] + slot["broad"], key=lambda x: x[2]):
                    if ev not in evidence:
                        evidence.append(ev)
                hits.append(ThemeHit(theme_id, "; ".join(evidence)))
        return hits
