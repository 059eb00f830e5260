"""Bokmål lemmas without a lemmatizer package: a word list plus compound and suffix rules.

No Norwegian lemmatizer data is installed, so `nlp/data/lemmas_nb.tsv.gz` holds a compact
form→lemma list built from the LEMMA column of NorNE train+dev (`build_lemma_table()`; a sorted
word list, not corpus text). Each line is `form<TAB>lemma`, or just `form` when the form is its
own lemma (that line says "this is a known lemma"). A form is written in the case it mostly has
inside sentences (`Oslo`, `EU`, `målet`), which tells ordinary words from names
(`Lemmatizer.is_common_word()`).

`Lemmatizer.lemma(word)` tries, in order:
1. the word list (`barna` → `barn`, `mottok` → `motta`, `innvandrerne` → `innvandrer`),
   also for a genitive `-s` (`unges` → `ung`);
2. compounds: the longest known suffix of at least 4 letters after a prefix of at least 3
   (`tvangsekteskapet` = `tvangs` + `ekteskapet` → `tvangsekteskap`,
   `arbeidsinnvandrerne` → `arbeidsinnvandrer`);
3. noun suffix rules whose stem is a known lemma (`-ene`, `-er`, `-et`, ...);
4. the lower-cased word itself.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).parent / "data" / "lemmas_nb.tsv.gz"
MIN_SUFFIX = 5
MIN_PREFIX = 3
# Inflectional endings of nouns/verbs/adjectives, longest first; tried only when the stem
# (optionally + "e") is a known lemma.
COMPASS = frozenset({"nord", "sør", "øst", "vest", "midt", "sørvest", "nordvest", "sørøst", "nordøst"})
SUFFIXES = ("erne", "ene", "ane", "ers", "ens", "ets", "er", "en", "et", "a", "e", "s")


def build_lemma_table(conllu_paths, out_path: Path = TABLE_PATH) -> int:
    """Write the form→lemma list from CoNLL-U files (most frequent lemma per lower-cased
    alphabetic form); returns the number of forms. A form is written in the case it mostly has
    inside sentences (`Oslo`, `målet`), so the list also tells ordinary words from names."""
    counts: dict[str, Counter] = defaultdict(Counter)
    casing: dict[str, Counter] = defaultdict(Counter)
    for path in conllu_paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                form, lemma = cols[1], cols[2].lower()
                low = form.lower()
                if low.isalpha() and lemma.isalpha():
                    counts[low][lemma] += 1
                    if cols[0] != "1":
                        casing[low][form] += 1
    lines = []
    for low in sorted(counts):
        lemma = counts[low].most_common(1)[0][0]
        form = casing[low].most_common(1)[0][0] if casing[low] else low
        lines.append(form if lemma == low else f"{form}\t{lemma}")
    with gzip.open(out_path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return len(lines)


class Lemmatizer:
    """Lemmas for Bokmål words; `lemma()` is cached per instance."""

    def __init__(self, table: dict[str, str], common: frozenset = frozenset()):
        self.table = table
        self.known = set(table.values())
        self.common = common  # lower-case forms mostly written lower-case: ordinary words
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    @classmethod
    def load(cls, path: Path = TABLE_PATH) -> "Lemmatizer":
        table, common = {}, set()
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                low = parts[0].lower()
                table[low] = parts[1] if len(parts) > 1 else low
                if parts[0] == low:
                    common.add(low)
        return cls(table, frozenset(common))

    def is_common_word(self, word: str) -> bool:
        """True for a word that is mostly written in lower case (`målet`, `nettverk`) or a
        compound of two such words (`Handlingsplanen` = `handlings` + `planen`,
        `Dialogmetoden`); false for names (`Oslo`, `Polen`, `Oslofjorden`) and unknown words."""
        low = word.lower()
        if low in self.common:
            return True
        if not low.isalpha():
            return False
        for i in range(MIN_PREFIX + 1, len(low) - MIN_SUFFIX + 1):
            head, tail = low[:i], low[i:]
            if head in COMPASS:  # Vestlandet, Nordsjøen, Østlandet are names
                return False
            if tail in self.common and (head in self.common or head[:-1] in self.common):
                return True
        return False

    def _lemma(self, word: str) -> str:
        low = word.lower()
        if low in self.table:
            return self.table[low]
        if "-" in low and not low.startswith("-") and not low.endswith("-"):
            head, _, tail = low.rpartition("-")
            return f"{head}-{self.lemma(tail)}"
        if not low.isalpha():
            return low
        if low.endswith("s") and low[:-1] in self.table:   # genitive: unges, Oslos
            return self.table[low[:-1]]
        for i in range(MIN_PREFIX, len(low) - MIN_SUFFIX + 1):
            tail = low[i:]
            if tail in self.table:
                return low[:i] + self.table[tail]
        for suffix in SUFFIXES:
            stem = low[: -len(suffix)]
            if len(stem) >= MIN_PREFIX and low.endswith(suffix):
                if stem in self.known:
                    return stem
                if stem + "e" in self.known:
                    return stem + "e"
        return low

    def lemmatize(self, words) -> list[str]:
        return [self.lemma(w) for w in words]
