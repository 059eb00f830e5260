"""The whole tagger (committed model + gazetteers + themes) on real sentences of the 2015 report,
and its scores on the annotated set (tests/data/nlp_annotated.jsonl, guidelines in
tests/data/nlp_guidelines.md)."""

import pytest

from nlp import Entity, ModelNotFoundError, Tagger
from nlp.evaluate import evaluate_annotated, read_annotated
from nlp_fixtures import ANNOTATED, tagger  # noqa: F401


def ents(result):
    return [(e.text, e.label, e.kb_id) for e in result.entities]


def test_applications_sentence(tagger):
    text = "IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner, på til sammen kr. 19 087 739,-."
    result = tagger.tag(text)
    assert result.entities == [Entity(0, 4, "ORG", "ORG", "IMDi", None)]
    assert result.themes == []


def test_known_organisation_links(tagger):
    text = ("Pakistansk kulturforening Skedsmo har opparbeidet seg god kontaktflate i kommunen og "
            "samarbeider med flere sentrale aktører lokalt i sitt holdningsskapende arbeid.")
    assert ents(tagger.tag(text)) == [
        ("Pakistansk kulturforening Skedsmo", "ORG", "org:pakistansk-kulturforening-skedsmo")]


def test_places_with_kind_word_and_genitive(tagger):
    text = "For eksempel har Skedsmo kommune prioritert å bruke tilskuddet, og Oslos bydeler ble med."
    assert ents(tagger.tag(text)) == [("Skedsmo kommune", "PLACE", "kommune:0231"),
                                      ("Oslos", "PLACE", "kommune:0301")]


def test_bydel_and_region(tagger):
    text = ("Kr. 2 300 000,- av de de totale tilskuddsmidlene er øremerket til organisasjoner og "
            "aktiviteter i Groruddalen og bydel Søndre Nordstrand.")
    assert ents(tagger.tag(text)) == [("Groruddalen", "PLACE", "region:groruddalen"),
                                      ("bydel Søndre Nordstrand", "PLACE", "bydel:030115")]


def test_acronyms_of_known_organisations(tagger):
    text = "Flere av prosjektene har hatt innvandrerkvinner som målgruppe (Stella Røde Kors kvinnesenter, LIN, PAWA, JURK)."
    found = ents(tagger.tag(text))
    assert ("LIN", "ORG", "org:lin-likestilling-inkludering-og-nettverk") in found
    assert ("PAWA", "ORG", "org:pawa") in found


def test_tve_kll_are_themes_not_organisations(tagger):
    result = tagger.tag("Mitt liv, Mitt valg & Min fremtid - forebyggende arbeid mot TVE og KLL")
    assert [e.text for e in result.entities if e.text in ("TVE", "KLL")] == []
    assert [h.theme_id for h in result.themes] == ["tvangsekteskap", "kjonnslemlestelse"]


def test_forced_marriage_theme(tagger):
    text = ("Prosjektet «Empowerment for unges valg mot frihet» har gjennom dialogarbeid med ungdommer "
            "og foreldre jobbet med forebygging av tvangsekteskap.")
    themes = [h.theme_id for h in tagger.tag(text).themes]
    assert "tvangsekteskap" in themes
    assert "kvinner_likestilling" not in themes


def test_lemmas_come_with_the_result(tagger):
    result = tagger.tag("Arbeidsinnvandrerne fikk rettshjelp.")
    assert result.lemmas == "arbeidsinnvandrer få rettshjelp"


def test_tag_many_equals_tag(tagger):
    texts = [item["text"] for item in read_annotated(ANNOTATED)[:12]]
    assert tagger.tag_many(texts) == [tagger.tag(t) for t in texts]


def test_offsets_point_into_the_text(tagger):
    for item in read_annotated(ANNOTATED)[:20]:
        for e in tagger.tag(item["text"]).entities:
            assert item["text"][e.start:e.end] == e.text


def test_missing_model_is_a_one_line_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match=r"^NER model not found in .*\(train one with"):
        Tagger.load(model_dir=tmp_path)


def test_annotated_set_meets_targets(tagger):
    """ORG F1 >= 0.90, PLACE F1 >= 0.95, theme micro-F1 >= 0.75 on our annotated passages."""
    scores = evaluate_annotated(tagger, read_annotated(ANNOTATED))
    summary = {k: scores[k]["f"] for k in ("ORG", "PLACE", "themes")}
    assert scores["items"] == 68
    assert summary["ORG"] >= 0.90, (summary, [e for e in scores["errors"] if "ORG" in e["kind"]])
    assert summary["PLACE"] >= 0.95, (summary, [e for e in scores["errors"] if "PLACE" in e["kind"]])
    assert summary["themes"] >= 0.75, summary


def test_numpy_blas_gives_the_same_entities_as_blis(tagger):
    """The tagger runs the model on numpy's BLAS for speed; the NER output must not change."""
    import spacy

    from nlp.pipeline import MODEL_DIR

    plain = spacy.load(MODEL_DIR)  # thinc's default ops (blis)
    texts = [item["text"] for item in read_annotated(ANNOTATED)]
    got = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in tagger.nlp.pipe(texts)]
    expected = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in plain.pipe(texts)]
    assert got == expected


def test_name_defined_by_acronym_in_parentheses(tagger):
    text = ("Oslo kommune gir støtte til Sagene Internasjonale og Flerkulturelle Frivillighetssentral "
            "(SAIFF), og rapporterer at SAIFF retter seg særskilt mot marginaliserte grupper i "
            "samfunnet, som beboere i kommunale boliger.")
    assert ents(tagger.tag(text)) == [
        ("Oslo kommune", "PLACE", "kommune:0301"),
        ("Sagene Internasjonale og Flerkulturelle Frivillighetssentral", "ORG", None),
        ("SAIFF", "ORG", None), ("SAIFF", "ORG", None)]


def test_place_qualified_organisations(tagger):
    tonsberg = ("Tønsberg Røde Kors sitt tiltak Til Topps hadde ukentlige treningsturer for innvandrere "
                "og flyktninger, hvor et sentralt mål var å gå Galdhøpiggen.")
    assert [e for e in ents(tagger.tag(tonsberg)) if e[1] == "ORG"] == [("Tønsberg Røde Kors", "ORG", None)]
    kia = "Det ble også gitt støtte til et prosjekt i regi av KIA Stavanger, men dette ble ikke gjennomført."
    assert ents(tagger.tag(kia)) == [("KIA Stavanger", "ORG", None)]


def test_organisation_shapes(tagger):
    text = ("Organisasjonen har gjennom sitt arbeid etablert gode samarbeidsrelasjoner med andre lokale "
            "innvandrerorganisasjoner, blant annet Afghansk forening og Kurdisk forening i Skedsmo.")
    assert ents(tagger.tag(text)) == [("Afghansk forening", "ORG", None),
                                      ("Kurdisk forening i Skedsmo", "ORG", None)]


@pytest.mark.parametrize("text", [
    "Det frivillige organisasjonslivet spiller en viktig rolle for utviklingen av sosial kapital, "
    "hvor tillit er en sentral del (Ødegård 2010:13).",
    "Forskning viser at lokale møteplasser og nettverk har positive effekter på muligheten for å "
    "komme over i arbeid (Søholt, Tronstad og Bjørnsen 2014).",
])
def test_cited_authors_are_not_entities(tagger, text):
    assert tagger.tag(text).entities == []


@pytest.mark.parametrize("text", [
    "Del 1 gjelder støtte til prosjekter som gir informasjon om det norske samfunnet.",
    "Tabell 3 viser fordelingen av tilskudd på fylker.",
])
def test_numbered_document_parts_are_not_entities(tagger, text):
    assert tagger.tag(text).entities == []
