"""What is computed about a report before its transaction opens: places, NLP, row images.

`prepare()` is slow work (spaCy, page rendering) kept out of the write transaction, so the
database is locked only for the inserts. It returns a `kb.ingest.Prepared` keyed by the index of
each record in the `ExtractedReport`; the records themselves are not changed.
"""

from __future__ import annotations

import logging

from extract.records import ExtractedReport

from .images import render_regions
from .ingest import Prepared, Progress

log = logging.getLogger(__name__)


def prepare(extracted: ExtractedReport, pdf: bytes, *, places, tagger, progress: Progress) -> Prepared:
    """Places (a `kb.places.PlaceIndex`, or None), NLP (an `nlp.Tagger`, or None), images."""
    prepared = Prepared()
    if places is not None:
        _resolve_places(extracted, places, prepared)
    if tagger is not None:
        _tag(extracted, tagger, prepared, progress)
    regions = [(i, g.page, g.bbox) for i, g in enumerate(extracted.grants) if g.bbox is not None]
    progress.stage("images", len({page for _, page, _ in regions}))
    prepared.images = render_regions(pdf, regions, on_page=progress.advance)
    return prepared


def _resolve_places(extracted: ExtractedReport, index, prepared: Prepared) -> None:
    """Each grant's area string → places (one row per part); each allocation → its kommune."""
    for i, g in enumerate(extracted.grants):
        if g.area:
            prepared.grant_places[i] = [
                {"place_id": m.place_id, "area_part": m.area_part, "method": m.method, "score": m.score}
                for m in index.resolve_area(g.area, g.year)]
    for i, a in enumerate(extracted.allocations):
        if not a.is_sum_row:
            prepared.allocation_places[i] = index.resolve_kommune(a.kommune, a.year).place_id


def _tag(extracted: ExtractedReport, tagger, prepared: Prepared, progress: Progress) -> None:
    """Lemmas, mentions and themes of passages; lemmas and themes of grants."""
    passages = [p.text for p in extracted.passages]
    progress.stage("nlp", len(passages))
    tagged = []
    for start in range(0, len(passages), 16):  # batches, so the bar moves
        tagged.extend(tagger.tag_many(passages[start:start + 16]))
        progress.advance(len(passages[start:start + 16]))
    for i, res in enumerate(tagged):
        prepared.passage_lemmas[i] = res.lemmas
        prepared.passage_entities[i] = [mention(e) for e in res.entities]
        prepared.passage_themes[i] = [(t.theme_id, t.evidence) for t in res.themes]
    # project names need no NER: lemmas and themes only (the cheap calls)
    project_themes = {}
    for i, g in enumerate(extracted.grants):
        if g.project:
            prepared.project_lemmas[i] = tagger.lemmatize(g.project)
            project_themes[i] = tagger.themes_for(g.project)
    prepared.grant_themes = grant_themes(
        extracted, project_themes, {s.key: tagger.themes_for(s.name) for s in extracted.schemes},
        prepared.passage_themes)


def mention(entity) -> dict:
    """A tagger entity as the columns of a `mentions` row."""
    is_org = entity.label == "ORG"
    return {"start": entity.start, "end": entity.end, "label": entity.label,
            "fine_label": getattr(entity, "fine_label", None), "text": entity.text,
            "organisation_id": entity.kb_id if is_org else None,
            "place_id": None if is_org else entity.kb_id}


def grant_themes(extracted: ExtractedReport, project_themes: dict, scheme_themes: dict,
                 passage_themes: dict) -> dict[int, dict[str, tuple[str, str]]]:
    """Themes per grant index: `{theme_id: (source, evidence)}`. From the project name, then the
    scheme's name, then the passages of its scheme that name its organisation; the first source
    that gives a theme wins."""
    out: dict[int, dict[str, tuple[str, str]]] = {}
    for i, g in enumerate(extracted.grants):
        themes: dict[str, tuple[str, str]] = {}
        for t in project_themes.get(i, []):
            themes.setdefault(t.theme_id, ("project", t.evidence))
        for t in scheme_themes.get(g.scheme_key, []):
            themes.setdefault(t.theme_id, ("scheme", t.evidence))
        org = g.organisation.casefold()
        for j, p in enumerate(extracted.passages):
            if p.scheme_key == g.scheme_key and org in p.text.casefold():
                for theme_id, evidence in passage_themes.get(j, []):
                    themes.setdefault(theme_id, ("passage", evidence))
        if themes:
            out[i] = themes
    return out
