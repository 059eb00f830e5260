"""Linking at scale: 100 000 generated organisation names linked with `kb.linking.cluster`.

Names follow the forms the reports print (`<Nasjonalitet> kulturforening <Sted>`,
`Stiftelsen X`, `<Sted> Røde Kors`, `Norsk Folkehjelp <Sted>`, names with an acronym in
parentheses and alone), each organisation printed in 1-4 variants (case, `i`, `&`/`og`,
dashes, definite form, legal form, acronym alone, typos in words and in places), next to
look-alikes (the same name in another place, another nationality, another acronym).
Reports seconds (target: under 60 on 2 cores) and pairwise precision/recall against the
generator's truth.

    .venv/bin/python -m bench linking            # as part of `make bench`
    .venv/bin/python bench/bench_linking.py [N]  # alone, prints a dict
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections import Counter
from importlib import resources

NATIONALITIES = [
    "Somalisk", "Pakistansk", "Afghansk", "Eritreisk", "Etiopisk", "Kurdisk", "Tyrkisk",
    "Iransk", "Irakisk", "Syrisk", "Polsk", "Litauisk", "Filippinsk", "Vietnamesisk", "Tamilsk",
    "Chilensk", "Marokkansk", "Sudanesisk", "Gambisk", "Ghanesisk", "Nigeriansk", "Kongolesisk",
    "Burundisk", "Russisk", "Tsjetsjensk", "Bosnisk", "Kosovoalbansk", "Palestinsk", "Libanesisk",
    "Thailandsk", "Kinesisk", "Indisk", "Srilankisk", "Bangladeshisk", "Nepalsk", "Ukrainsk",
    "Rumensk", "Bulgarsk", "Latvisk", "Estisk", "Ungarsk", "Serbisk", "Kroatisk", "Makedonsk",
]
KINDS = [
    "kulturforening", "kvinneforening", "ungdomsforening", "forening", "foreldreforening",
    "velforening", "idrettslag", "ressurssenter", "menighet", "kultursenter", "kvinnenettverk",
    "studentforening", "fotballklubb", "kulturhus", "moskeforening", "seniorforening",
]
STEMS = [
    "Amathea", "Alamal", "Lunar", "Samora", "Sagal", "Equality", "Fuuse", "Utrop", "Minotenk",
    "Ressurs", "Brobygger", "Nettverk", "Dialog", "Mosaikk", "Kompass", "Horisont", "Fargerik",
    "Fellesskap", "Regnbue", "Solstreif", "Veiviser", "Likeverd", "Mangfold", "Tilhørighet",
    "Inkludering", "Samhold", "Trygghet", "Mestring", "Nabolag", "Frihet",
]
NOUNS = ["senter", "nettverk", "forum", "allianse", "stiftelse", "verksted", "hus", "plattform",
         "prosjekt", "ressurssenter", "kompetansesenter", "organisasjon"]
ADJ = ["Nasjonalt", "Flerkulturelt", "Interkulturelt", "Multikulturelt", "Kristent", "Humanitært",
       "Internasjonalt", "Lokalt", "Frivillig", "Sosialt", "Felles", "Åpent"]
WORDS = ["innvandrere", "flyktninger", "kvinner", "ungdom", "familier", "barn", "asylsøkere",
         "arbeidsinnvandrere", "likestilling", "integrering", "inkludering", "mangfold",
         "dialog", "helse", "arbeid", "utdanning"]
NATIONAL = ["Røde Kors", "Folkehjelp", "Kirkens Bymisjon", "Frivilligsentral", "Sanitetsforening",
            "Redd Barna", "Turistforening", "Idrettsforbund", "Caritas"]


def _places() -> list[str]:
    with (resources.files("kb") / "data" / "kommuner.csv").open(encoding="utf-8") as fh:
        names = {r["name"] for r in csv.DictReader(fh) if (r["valid_to"] or "9999") >= "2015"}
    return sorted(n for n in names if len(n) >= 4 and " " not in n and "-" not in n)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 7:
        return word
    i = rng.randrange(2, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _case(name: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return name.title().replace(" I ", " i ")
    if r < 0.45:
        return name[0] + name[1:].lower()
    return name


def _entity(rng: random.Random, places: list[str]) -> dict:
    """One organisation: its printed form and what can vary."""
    form = rng.random()
    place = rng.choice(places)
    if form < 0.45:
        nat, kind = rng.choice(NATIONALITIES), rng.choice(KINDS)
        return {"base": f"{nat} {kind} {place}", "place": place, "words": [nat, kind]}
    if form < 0.60:
        org = rng.choice(NATIONAL)
        prefix = rng.choice(["", "Norsk ", "Norges "]) if org in ("Folkehjelp", "Idrettsforbund") else ""
        if rng.random() < 0.5:
            return {"base": f"{place} {org}", "place": place, "words": []}
        return {"base": f"{prefix}{org} {place}", "place": place, "words": []}
    if form < 0.80:
        stem, noun = rng.choice(STEMS), rng.choice(NOUNS)
        extra = rng.choice(WORDS)
        name = f"{stem}{noun} for {extra}"
        return {"base": name, "place": None, "words": [f"{stem}{noun}", extra],
                "legal": "Stiftelsen "}
    words = rng.sample(WORDS, 2)
    adj = rng.choice(ADJ)
    noun = rng.choice(NOUNS)
    exp = f"{adj} {noun} for {words[0]} og {words[1]}"
    acr = (adj[0] + noun[0] + words[0][0] + words[1][0]).upper()
    return {"base": exp, "place": None, "words": [adj, noun, words[0], words[1]], "acronym": acr}


def _variant(e: dict, rng: random.Random) -> str:
    name = e["base"]
    r = rng.random()
    if e.get("acronym"):
        if r < 0.35:
            name = f"{name} ({e['acronym']})"
        elif r < 0.45:
            return e["acronym"]
    if e.get("legal") and rng.random() < 0.5:
        name = e["legal"] + name
    if e["place"] and rng.random() < 0.3 and " i " not in name and name.endswith(e["place"]):
        name = name[: -len(e["place"])] + "i " + e["place"]
    if " og " in name and rng.random() < 0.3:
        name = name.replace(" og ", " & ", 1)
    if rng.random() < 0.2:
        name = name.replace("forening", "foreningen", 1)
    if rng.random() < 0.15 and e["words"]:
        w = rng.choice(e["words"])
        name = name.replace(w, _typo(w, rng), 1)
    if e["place"] and rng.random() < 0.05:
        name = name.replace(e["place"], _typo(e["place"], rng), 1)
    return _case(name, rng)


def generate(n: int, seed: int = 20151231) -> tuple[list[str], list[int]]:
    """`n` distinct printed names and the organisation each belongs to."""
    rng = random.Random(seed)
    places = _places()
    names: dict[str, int] = {}
    seen: set = set()
    eid = 0
    while len(names) < n:
        e = _entity(rng, places)
        # one organisation per set of words (`Bø Røde Kors` = `Røde Kors i Bø`) and per acronym
        key = frozenset(e["base"].lower().split()) - {"i", "og", "norsk", "norges"}
        if key in seen or e.get("acronym") in seen:
            continue
        seen.add(key)
        if e.get("acronym"):
            seen.add(e["acronym"])
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            v = _variant(e, rng)
            if v not in names and len(names) < n:
                names[v] = eid
        eid += 1
    return list(names), list(names.values())


def _pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counter.values())


def score(clusters: list[list[int]], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of clusters (lists of indexes) against truth labels."""
    predicted = Counter()
    both = Counter()
    for k, members in enumerate(clusters):
        predicted[k] = len(members)
        for m in members:
            both[(k, truth[m])] += 1
    tp, pp, tt = _pairs(both), _pairs(predicted), _pairs(Counter(truth))
    return (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)


def measure(n: int = 100_000) -> dict:
    """Generate `n` names, link them with `kb.linking.cluster`, and score the result."""
    from kb.linking import NameRecord, cluster
    from kb.normalize import name_parts

    names, truth = generate(n)
    name_parts.cache_clear()
    start = time.perf_counter()
    result = cluster([NameRecord(i, name) for i, name in enumerate(names)])
    seconds = time.perf_counter() - start
    precision, recall = score(result.clusters, truth)
    outcomes = Counter(d.outcome for d in result.decisions.values())
    return {"names": n, "organisations_true": len(set(truth)), "organisations": len(result.clusters),
            "seconds": round(seconds, 1), "precision": round(precision, 4),
            "recall": round(recall, 4), "unsure": outcomes["unsure"],
            "target_seconds": 60, "ok": seconds < 60}


def run(n: int = 100_000) -> list[dict]:
    """The measures in `make bench`'s format (bench/__main__.py)."""
    m = measure(n)
    note = (f"{m['organisations']:,} organisations found, {m['organisations_true']:,} generated; "
            f"{m['unsure']:,} pairs to review")
    return [
        {"name": f"linking {n:,} names", "value": m["seconds"], "unit": "s", "target": "< 60 s",
         "ok": m["ok"], "note": note},
        {"name": "linking pairwise precision", "value": m["precision"], "unit": "",
         "target": "1.0", "ok": m["precision"] >= 0.999, "note": "against the generator's truth"},
        {"name": "linking pairwise recall", "value": m["recall"], "unit": "", "target": ">= 0.95",
         "ok": m["recall"] >= 0.95, "note": "against the generator's truth"},
    ]


if __name__ == "__main__":
    print(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
