"""Linking printed organisation names: a pure pair matcher and a blocked batch clusterer.

`match_pair(a, b)` decides one pair: `linked` (confident), `unsure` (review, not merged) or
`different`, with method, score and an explanation. `cluster(records)` links a whole list:
exact normalized forms first, then candidate pairs from blocking (rare-word prefixes, acronym
initials) scored with `rapidfuzz.process.cdist`, then `match_pair` rules and guards, then
union-find with cannot-link constraints (human judgements and guards win over scores).
The knowledge-base side (aliases → organisations, matches, referents, human judgements first)
is `kb.organisations.link_organisations(session)`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .normalize import NameParts, name_parts, place_names

__all__ = ["Decision", "NameRecord", "LinkResult", "match_pair", "decide", "cluster",
           "LINK_CUTOFF", "UNSURE_CUTOFF"]

log = logging.getLogger(__name__)

LINK_CUTOFF = 92.0
"""token_sort_ratio on normalized names at or above which a pair is linked (no guard fired)."""
UNSURE_CUTOFF = 84.0
"""At or above this (and below LINK_CUTOFF) a pair goes to review."""

_STOPWORDS = frozenset({"og", "for", "i", "mot", "av", "til", "med", "på", "in", "of", "the",
                        "and", "to", "den", "det", "de"})


@dataclass(frozen=True)
class Decision:
    """What linking decided about one pair of printed names."""

    outcome: str  # linked | unsure | different
    method: str
    score: float
    explanation: str


@dataclass(frozen=True)
class NameRecord:
    """A printed name to link, with an id (the alias id in the database)."""

    id: int
    name: str
    first_year: int | None = None
    last_year: int | None = None


@dataclass
class LinkResult:
    """Clusters of record ids and the decisions on every candidate pair."""

    clusters: list[list[int]]
    decisions: dict[tuple[int, int], Decision] = field(default_factory=dict)
    """(id_a, id_b) with id_a < id_b → decision, for every candidate pair examined."""
    joined_by: dict[int, tuple[int, Decision]] = field(default_factory=dict)
    """Record id → (the record it was linked to, the decision that linked it)."""


def match_pair(a: str, b: str) -> Decision:
    """Decide whether two printed names are the same organisation."""
    return decide(name_parts(a), name_parts(b))


def _fmt(s: float) -> str:
    return f"{s:.0f}"


def decide(pa: NameParts, pb: NameParts, vocab: Vocabulary | None = None) -> Decision:
    """The rules, in order: acronym guard, place guard, exact normalized form, equal acronyms,
    acronym ↔ expansion, national prefix (`Røde Kors` = `Norges Røde Kors`), name + description
    tail, fuzzy score with a word-level check. `vocab`: word counts of the batch, so that
    two common words are never typos of each other (`Irakisk`/`Iransk`)."""
    na, nb = pa.normalized, pb.normalized
    score = float(fuzz.token_sort_ratio(na, nb, processor=None, score_cutoff=0))
    if not na or not nb:
        return Decision("different", "empty", 0.0, "one name is empty after normalization")
    if pa.acronym and pb.acronym and pa.acronym != pb.acronym:
        return Decision("different", "guard:acronym", score,
                        f"different acronyms: {pa.acronym} vs {pb.acronym}")
    if pa.places != pb.places:
        only_a, only_b = pa.places - pb.places, pb.places - pa.places
        where = "; ".join(x for x in (
            f"'{pa.name}' names {', '.join(sorted(only_a))}" if only_a else "",
            f"'{pb.name}' names {', '.join(sorted(only_b))}" if only_b else "") if x)
        ta, tb = set(pa.tokens), set(pb.tokens)
        if pa.places and pb.places and (pa.places < pb.places or pb.places < pa.places) \
                and (ta < tb or tb < ta or pa.head == pb.head):
            return Decision("unsure", "guard:place-subset", score,
                            f"same place and an extra place ({where}): a unit of the same body?")
        return Decision("different", "guard:place", score,
                        f"a place qualifier makes a different entity ({where})")
    if na == nb:
        return Decision("linked", "normalized", 100.0, f"same normalized name '{na}'")
    if na.replace(" ", "") == nb.replace(" ", ""):
        return Decision("linked", "normalized", 100.0,
                        f"same normalized name but for spaces in compounds ('{na}' / '{nb}')")
    if pa.acronym and pa.acronym == pb.acronym:
        return _same_acronym(pa, pb, score)
    for short, long_ in ((pa, pb), (pb, pa)):
        if short.acronym_only and not long_.acronym:
            return _expansion(short, long_, score)
    if pa.acronym_only or pb.acronym_only:
        return Decision("different", "acronym", score, "an acronym that the other name does not expand")
    for x, y in ((pa, pb), (pb, pa)):
        if x.acronym_leading and not x.acronym_only and not y.acronym and \
                x.tokens and x.tokens[0] == (x.acronym or "").lower():
            rest = " ".join(x.tokens[1:])
            s2 = float(fuzz.token_sort_ratio(rest, y.normalized, processor=None))
            if s2 >= LINK_CUTOFF and not _unmatched_words(x.tokens[1:], y.tokens, vocab):
                return Decision("linked", "acronym+name", s2,
                                f"'{x.name}' is '{y.name}' with its acronym {x.acronym} in front")
    ta, tb = set(pa.tokens), set(pb.tokens)
    if ta ^ tb == {"norge"} and (len(ta & tb) >= 2 or any(len(t) >= 5 for t in ta & tb)):
        return Decision("linked", "national-prefix", score,
                        "same name with and without 'Norsk/Norges/Norge'")
    for short, long_ in ((pa, pb), (pb, pa)):
        if long_.tail and short.normalized == long_.head and not short.tail:
            return Decision("linked", "description-tail", score,
                            f"'{long_.name}' is '{short.name}' followed by a description")
    bad = _unmatched_words(pa.tokens, pb.tokens, vocab) if score >= UNSURE_CUTOFF else []
    if score >= LINK_CUTOFF and not bad:
        return Decision("linked", "fuzzy", score, f"token_sort_ratio {_fmt(score)} on '{na}' / '{nb}'")
    if score >= UNSURE_CUTOFF:
        if bad and set(bad) & ta and set(bad) & tb:
            pairs = [(x, y) for x in bad if x in ta for y in bad if y in tb
                     and vocab is not None and vocab.distinct(x, y)]
            if pairs:
                return Decision("different", "guard:word", score,
                                f"token_sort_ratio {_fmt(score)}, but common words differ: "
                                f"{pairs[0][0]} / {pairs[0][1]}")
            if score < LINK_CUTOFF:
                return Decision("different", "fuzzy", score,
                                f"token_sort_ratio {_fmt(score)}, but a word differs: {', '.join(bad)}")
        why = f"; different words: {', '.join(bad)}" if bad else ""
        return Decision("unsure", "fuzzy", score, f"token_sort_ratio {_fmt(score)}{why}")
    if (ta < tb or tb < ta) and len(ta & tb - _STOPWORDS) >= 2:
        return Decision("unsure", "subset", score,
                        "the words of one name are all in the other: extra words may name a unit")
    return Decision("different", "fuzzy", score, f"token_sort_ratio {_fmt(score)} below {UNSURE_CUTOFF:.0f}")


def _unmatched_words(ta: tuple[str, ...], tb: tuple[str, ...],
                     vocab: Vocabulary | None = None) -> list[str]:
    """Content words of either name with no counterpart in the other: the same word, or a
    typo of it (one edit: insert, delete, substitute, swap; two in words of 10+ letters).
    `Irakisk`/`Iransk`, `Syrisk`/`Tyrkisk` are different words; `Ressursenter` is a typo."""
    out = []
    for xs, ys in ((ta, tb), (tb, ta)):
        yset = set(ys)
        for w in xs:
            if w in yset or w in _STOPWORDS:
                continue
            if not any(_typo_of(w, y, vocab) for y in ys):
                out.append(w)
    return out


def _typo_of(a: str, b: str, vocab: Vocabulary | None = None) -> bool:
    """Is one word a typo of the other (also when one carries a definite ending)? Two place
    names are different words (`Gran`/`Grane`), and so are two words that are both common in
    the batch, neither much rarer than the other (see `Vocabulary`)."""
    longest = max(len(a), len(b))
    if longest < 5:
        return False
    if vocab is not None:
        if vocab.distinct(a, b):
            return False
        if vocab.canon.get(a, a) == vocab.canon.get(b, b):
            return True
    places = place_names()
    if a in places or b in places:
        return False
    limit = 1 if longest < 10 else 2
    if OSA.distance(a, b, score_cutoff=limit) <= limit:
        return True
    for x, y in ((a, b), (b, a)):
        if len(x) >= 8 and x.endswith(("en", "et")) and \
                OSA.distance(x[:-2], y, score_cutoff=limit) <= limit:
            return True
    return False


def _same_acronym(pa: NameParts, pb: NameParts, score: float) -> Decision:
    if pa.acronym_leading or pb.acronym_leading or score >= 80:
        return Decision("linked", "acronym", max(score, 90.0),
                        f"same acronym {pa.acronym}, same places")
    return Decision("unsure", "acronym", score,
                    f"same acronym {pa.acronym} but the expansions differ (token_sort_ratio {_fmt(score)})")


def _expansion(short: NameParts, long_: NameParts, score: float) -> Decision:
    acr = short.acronym or ""
    cost = _expansion_cost(acr.lower(), _plain_words(long_.name))
    if cost is None:
        return Decision("different", "acronym", score, f"{acr} is not the initials of '{long_.name}'")
    if (len(acr) >= 3 and cost == 0) or (len(acr) >= 4 and cost == 1):
        how = "the initials" if cost == 0 else "the initials (and one letter from inside a word)"
        return Decision("linked", "acronym-expansion", 95.0, f"{acr} is {how} of '{long_.name}'")
    return Decision("unsure", "acronym-expansion", 80.0,
                    f"{acr} could be read off '{long_.name}', but only loosely")


def _plain_words(name: str) -> list[str]:
    """Lower-cased words of a printed name without parentheses (articles and `Norsk` kept)."""
    text = re.sub(r"\([^()]*\)", " ", name).lower()
    return [w for w in re.split(r"[^0-9a-zæøåäöüé]+", text) if w]


def _expansion_cost(acr: str, words: list[str]) -> int | None:
    """How loosely the acronym reads off the words, or None if it does not. Every content
    word gives its first letter; stopwords may give theirs or nothing; further letters may
    come from inside the word just used (compounds: NOAS = Norsk Organisasjon for
    AsylSøkere). Cost: the number of letters taken from inside words."""
    if not acr or len(words) > 12:
        return None
    memo: dict[tuple[int, int], int | None] = {}

    def go(i: int, j: int) -> int | None:  # acr[i:], words[j:]
        if (i, j) in memo:
            return memo[(i, j)]
        best = None
        if j == len(words):
            best = 0 if i == len(acr) else None
        else:
            w = words[j]
            if i < len(acr) and w[0] == acr[i]:
                k, pos, extra = i + 1, 1, 0
                while True:
                    rest = go(k, j + 1)
                    if rest is not None:
                        c = rest + extra
                        best = c if best is None else min(best, c)
                    if k >= len(acr):
                        break
                    pos = w.find(acr[k], pos)
                    if pos < 0:
                        break
                    k, pos, extra = k + 1, pos + 1, extra + 1
            if w in _STOPWORDS:
                rest = go(i, j + 1)
                if rest is not None:
                    best = rest if best is None else min(best, rest)
        memo[(i, j)] = best
        return best

    return go(0, 0)


# --- batch ---------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, ids):
        self.parent = {i: i for i in ids}
        self.apart: dict[int, set[int]] = defaultdict(set)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def kept_apart(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        small, other = (ra, rb) if len(self.apart[ra]) <= len(self.apart[rb]) else (rb, ra)
        return any(self.find(x) == other for x in self.apart[small])

    def keep_apart(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self.apart[ra].add(rb)
        self.apart[rb].add(ra)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self.apart[ra]) < len(self.apart[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.apart[ra] |= self.apart.pop(rb, set())
        return True


def _blocks(parts: dict[int, NameParts], df: Counter) -> dict[str, list[int]]:
    """Blocking keys within one place group: 4-letter prefixes of each name's two rarest
    words; the acronym; an acronym alone's first two letters ↔ the initials of a name's first
    two (content) words."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for rid, p in parts.items():
        words = sorted({w for w in p.tokens if w not in _STOPWORDS and len(w) >= 2},
                       key=lambda w: (df[w], w))
        for w in words[:2]:
            blocks["w:" + w[:4]].append(rid)
        if p.acronym:
            blocks["A:" + p.acronym].append(rid)
            if p.acronym_only:
                blocks["a:" + p.acronym[:2].lower()].append(rid)
            continue
        words = _plain_words(p.name)
        content = [w for w in words if w not in _STOPWORDS]
        if len(content) >= 2:
            blocks["a:" + content[0][0] + content[1][0]].append(rid)
        if len(words) >= 2 and words[0] in _STOPWORDS:
            blocks["a:" + words[0][0] + words[1][0]].append(rid)
    return blocks


def _subsequence(init: str, acr: str) -> bool:
    """Could the content words' initials sit in the acronym in order (first letter first)?"""
    if not init or not acr or init[0] != acr[0] or len(init) > len(acr):
        return False
    it = iter(acr)
    return all(c in it for c in init)


_MAX_BLOCK = 4000
_CDIST_CUTOFF = UNSURE_CUTOFF


def _candidate_pairs(parts: dict[int, NameParts]) -> set[tuple[int, int]]:
    """Pairs worth deciding. Names are grouped by their place qualifiers first (a different
    place set is a different entity), then blocked within each group; names with the same
    words before a separating dash or comma, the same letters but for spaces, or the same words
    but `Norsk/Norges`, are paired across groups."""
    pairs: set[tuple[int, int]] = set()
    df: Counter = Counter()
    by_places: dict[frozenset, dict[int, NameParts]] = defaultdict(dict)
    by_head: dict[str, list[int]] = defaultdict(list)
    for rid, p in parts.items():
        df.update(set(p.tokens))
        by_places[p.places][rid] = p
        if p.head:
            by_head[p.head].append(rid)
        by_head["c:" + p.normalized.replace(" ", "")].append(rid)  # `Juss-Buss` ~ `Jussbuss`
        if "norge" in p.tokens:  # `Norges Røde Kors` ~ `Røde Kors`
            by_head["n:" + " ".join(t for t in p.tokens if t != "norge")].append(rid)
        else:
            by_head["n:" + p.normalized].append(rid)
    for members in by_head.values():
        if 2 <= len(members) <= 50:
            members = sorted(members)
            pairs.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
    for group in by_places.values():
        if len(group) >= 2:
            _block_pairs(group, df, pairs)
    return pairs


def _block_pairs(group: dict[int, NameParts], df: Counter, pairs: set) -> None:
    for key, members in _blocks(group, df).items():
        members = sorted(set(members))
        if len(members) < 2:
            continue
        if key.startswith("A:"):  # the same acronym
            pairs.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
            continue
        if key.startswith("a:"):  # an acronym alone and names it could abbreviate
            only = [x for x in members if group[x].acronym_only]
            if not only:
                continue
            by_initials = {}
            for y in members:
                if not group[y].acronym:
                    words = _plain_words(group[y].name)
                    content = "".join(w[0] for w in words if w not in _STOPWORDS)
                    every = "".join(w[0] for w in words)
                    by_initials.setdefault((content, every), []).append(y)
            for x in only:
                acr = group[x].acronym.lower()
                for (content, every), ys in by_initials.items():
                    if _subsequence(content, acr) or _subsequence(every[:len(acr)], acr):
                        pairs.update((min(x, y), max(x, y)) for y in ys)
            continue
        for start in range(0, len(members), _MAX_BLOCK):
            chunk = members[start:start + _MAX_BLOCK]
            names = [group[m].normalized for m in chunk]
            if len(chunk) <= 3:
                for i in range(len(chunk)):
                    for j in range(i + 1, len(chunk)):
                        if fuzz.token_sort_ratio(names[i], names[j], processor=None,
                                                 score_cutoff=_CDIST_CUTOFF):
                            pairs.add((chunk[i], chunk[j]))
                continue
            matrix = process.cdist(names, names, scorer=fuzz.token_sort_ratio, processor=None,
                                   score_cutoff=_CDIST_CUTOFF, workers=-1)
            rows, cols = matrix.nonzero()
            for i, j in zip(rows.tolist(), cols.tolist()):
                if i < j:
                    pairs.add((chunk[i], chunk[j]))


@dataclass(frozen=True)
class Vocabulary:
    """Word counts of a batch, to tell typos from different words at scale: two common words
    of comparable frequency are different words (`Irakisk`/`Iransk`); a rare word one edit
    from exactly one much commoner word is its typo (`canon`); a rare word one edit from two
    such words is ambiguous (`Iraksk`)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    canon: Mapping[str, str] = field(default_factory=dict)
    ambiguous: frozenset = frozenset()

    def distinct(self, a: str, b: str) -> bool:
        if a in self.ambiguous or b in self.ambiguous:
            return True
        ca, cb = self.canon.get(a, a), self.canon.get(b, b)
        if ca == cb:
            return False
        na, nb = self.counts.get(ca, 0), self.counts.get(cb, 0)
        return min(na, nb) >= 3 and min(na, nb) * 5 >= max(na, nb)


def _vocabulary(df: Counter) -> Vocabulary:
    major = [w for w, n in df.items() if n >= 10 and len(w) >= 5]
    canon: dict[str, str] = {}
    ambiguous = set()
    if len(major) >= 2:
        for w, n in df.items():
            if len(w) < 5:
                continue
            limit = 1 if len(w) < 10 else 2
            hits = [h for h, _, _ in process.extract(w, major, scorer=OSA.distance,
                                                      processor=None, score_cutoff=limit, limit=4)
                    if h != w and df[h] >= 5 * n]
            if len(hits) == 1:
                canon[w] = hits[0]
            elif len(hits) >= 2:
                n1, n2 = df[hits[0]], df[hits[1]]
                if min(n1, n2) * 5 >= max(n1, n2):
                    ambiguous.add(w)
                else:
                    canon[w] = hits[0] if n1 > n2 else hits[1]
    return Vocabulary(counts=dict(df), canon=canon, ambiguous=frozenset(ambiguous))


def _acronym_conflicts(scored, reps: dict[int, NameParts], result: LinkResult,
                       vocab: Vocabulary) -> None:
    """An acronym alone (`SFFK`) that reads as two names that are not the same organisation
    links to neither: those pairs become unsure."""
    partners: dict[int, list[int]] = defaultdict(list)
    for d, x, y in scored:
        if d.outcome == "linked" and d.method.startswith("acronym"):
            for a, b in ((x, y), (y, x)):
                if reps[a].acronym_only and not reps[b].acronym_only:
                    partners[a].append(b)
    for a, ps in partners.items():
        if len(ps) < 2:
            continue
        clash = any(decide(reps[p], reps[q], vocab).outcome != "linked"
                    for i, p in enumerate(ps) for q in ps[i + 1:])
        if clash:
            for b in ps:
                key = (min(a, b), max(a, b))
                d = result.decisions[key]
                result.decisions[key] = Decision(
                    "unsure", d.method, d.score,
                    d.explanation + f"; but {reps[a].name} also reads as names that differ")


def cluster(records: list[NameRecord], same: list[tuple[str, str]] = (),
            apart: list[tuple[str, str]] = ()) -> LinkResult:
    """Link printed names into organisations.

    `same` / `apart` are pairs of normalized names from human judgements: `same` pairs are
    joined whatever the scores say; `apart` pairs (judged different or unsure) are never joined.
    Does not modify its inputs.
    """
    parts = {r.id: name_parts(r.name) for r in records}
    uf = _UnionFind(parts)
    by_norm: dict[str, list[int]] = defaultdict(list)
    for rid in sorted(parts):
        by_norm[parts[rid].normalized].append(rid)
    result = LinkResult(clusters=[])

    judged: dict[frozenset, Decision] = {}
    for a, b in apart:
        judged[frozenset((a, b))] = Decision("different", "judgement", 0.0,
                                             "a human judged them different (or was unsure): kept apart")
        for x in by_norm.get(a, ()):
            for y in by_norm.get(b, ()):
                uf.keep_apart(x, y)
    for a, b in same:
        judged[frozenset((a, b))] = Decision("linked", "judgement", 100.0, "a human judged them the same")
        xs, ys = by_norm.get(a, ()), by_norm.get(b, ())
        if xs and ys and not uf.kept_apart(xs[0], ys[0]):
            if uf.union(xs[0], ys[0]):
                d = Decision("linked", "judgement", 100.0, "a human judged them the same")
                result.joined_by.setdefault(ys[0], (xs[0], d))
                result.decisions[(min(xs[0], ys[0]), max(xs[0], ys[0]))] = d

    # identical normalized names: one representative per form, the others join it
    reps: dict[int, NameParts] = {}
    for norm, ids in by_norm.items():
        head = next((i for i in ids if parts[i].acronym), ids[0])  # acronyms find expansions
        reps[head] = parts[head]
        for other in ids:
            if other == head:
                continue
            d = decide(parts[head], parts[other])
            result.decisions[(min(head, other), max(head, other))] = d
            if d.outcome == "linked" and not uf.kept_apart(head, other):
                uf.union(head, other)
                result.joined_by.setdefault(other, (head, d))
            elif d.outcome == "different":
                uf.keep_apart(head, other)

    df = Counter(w for p in reps.values() for w in set(p.tokens))
    vocab = _vocabulary(df)
    scored = []
    for x, y in _candidate_pairs(reps):
        d = decide(reps[x], reps[y], vocab)
        result.decisions[(x, y)] = d
        scored.append((d, x, y))
    for d, x, y in scored:
        if d.outcome == "different" and d.method.startswith("guard"):
            uf.keep_apart(x, y)
    _acronym_conflicts(scored, reps, result, vocab)
    scored = [(result.decisions[(x, y)], x, y) for _, x, y in scored]
    order = {"normalized": 0, "judgement": 0, "acronym": 1, "acronym-expansion": 1}
    for d, x, y in sorted((s for s in scored if s[0].outcome == "linked"),
                          key=lambda s: (order.get(s[0].method, 2), -s[0].score, s[1], s[2])):
        if uf.kept_apart(x, y):
            result.decisions[(x, y)] = Decision(
                "unsure", d.method, d.score, d.explanation + "; not joined: a judgement or guard keeps their groups apart")
            continue
        if uf.union(x, y):
            result.joined_by.setdefault(y, (x, d))

    if judged:  # judgements win over scores in the record too
        for (x, y) in list(result.decisions):
            d = judged.get(frozenset((parts[x].normalized, parts[y].normalized)))
            if d is not None:
                result.decisions[(x, y)] = d
    groups: dict[int, list[int]] = defaultdict(list)
    for rid in sorted(parts):
        groups[uf.find(rid)].append(rid)
    result.clusters = sorted(groups.values(), key=lambda g: g[0])
    log.info("linked %d names into %d organisations (%d candidate pairs)",
             len(parts), len(result.clusters), len(scored))
    return result
