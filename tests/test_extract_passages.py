"""Paragraph rebuilding and narrative figures on real lines and sentences of the 2015 report."""

import pytest

from extract.figures import narrative_grants, sentence_figures
from extract.passages import join_lines, sentences

JOINS = [
    (["samfunnet til arbeidsinnvandrere og personer som ikke omfattes av introduksjons-",
      "ordningen. Det gis støtte til informasjonstiltak"],
     "samfunnet til arbeidsinnvandrere og personer som ikke omfattes av introduksjonsordningen. "
     "Det gis støtte til informasjonstiltak"),
    (["IMDi tilskuddsordningene på vegne av Barne-, likestillings- og inkluderingsdepartementet"],
     "IMDi tilskuddsordningene på vegne av Barne-, likestillings- og inkluderingsdepartementet"),
    (["I 2015 mottok kommunene 394 søknader på til sammen kr. 21 195 892,- om aktivitets-",
      "og tiltaksstøtte."],
     "I 2015 mottok kommunene 394 søknader på til sammen kr. 21 195 892,- om aktivitets- og "
     "tiltaksstøtte."),
    (["For å styrke integreringen av personer med innvandrerbakgrunn, gir Integrerings- og",
      "mangfoldsdirektoratet (IMDi) hvert år tilskudd"],
     "For å styrke integreringen av personer med innvandrerbakgrunn, gir Integrerings- og "
     "mangfoldsdirektoratet (IMDi) hvert år tilskudd"),
    (["Tiltaket var et samarbeid mellom FN-", "sambandet, Redd Barna"],
     "Tiltaket var et samarbeid mellom FN-sambandet, Redd Barna"),
    (["(Prop. 1 S 2014-", "2015)."], "(Prop. 1 S 2014-2015)."),
    (["begrensninger av unges frihet (2013–", "2016)."], "begrensninger av unges frihet (2013–2016)."),
    (["IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner, på til sammen kr. 19 087",
      "739,-."], "IMDi mottok 40 søknader fra 39 ulike søkere/organisasjoner, på til sammen "
                 "kr. 19 087 739,-."),
    (["kommunens prioriterte områder når det gjelder mangfolds-", "og integreringsarbeid:"],
     "kommunens prioriterte områder når det gjelder mangfolds- og integreringsarbeid:"),
    (["innvandrer\u00ad", "organisasjoner"], "innvandrerorganisasjoner"),
]


@pytest.mark.parametrize("lines,text", JOINS)
def test_join_lines(lines, text):
    assert join_lines(lines)[0] == text


def test_sentences_keep_abbreviations_and_amounts_whole():
    text = ("Til sammen var det ca. 11 393 medlemmer som ble omfattet av denne driftsstøtten. "
            "IMDi arrangerte 1. september 2015 en konferanse for disse 20 kommunene, hvor "
            "formålet var å gi de økt innsikt. Likeledes har Ålesund kommune brukt kr. 22 026,- "
            "til å dekke administrative kostnader.")
    assert [s for _, s in sentences(text)] == [
        "Til sammen var det ca. 11 393 medlemmer som ble omfattet av denne driftsstøtten.",
        "IMDi arrangerte 1. september 2015 en konferanse for disse 20 kommunene, hvor formålet "
        "var å gi de økt innsikt.",
        "Likeledes har Ålesund kommune brukt kr. 22 026,- til å dekke administrative kostnader."]


FIGURES = [
    ("I tildelingsbrevet til IMDi for 2015 ble det satt av kr. 12 334 000 til denne "
     "tilskuddsordningen.", [("budget", 12334000)]),
    ("I 2015 søkte 150 innvandrerorganisasjoner om til sammen kr. 2 639 700,- i driftsstøtte "
     "over denne ordningen.", [("applications_received", 150), ("amount_applied", 2639700)]),
    ("Av disse fikk 120 innvandrerorganisasjoner innvilget driftsstøtte på til sammen kr. "
     "2 240 993,-.", [("grants_given", 120), ("amount_granted", 2240993)]),
    ("Totalt ble det innvilget 291 søknader på til sammen kr. 6 082 011,-.",
     [("grants_given", 291), ("amount_granted", 6082011)]),
    ("Flere av søknadene inneholdt flere tiltak, og totalt ble det gjennomført 399 tiltak.",
     [("measures", 399)]),
    ("Totalt deltok rundt 145 597 personer på disse aktivitetene og tiltakene.",
     [("participants", 145597)]),
    ("I 2015 var det 14 organisasjoner som fikk støtte gjennom denne ordningen.",
     [("organisations", 14)]),
    ("I 2015 var det satt av kr 4,25 mill. til denne tilskuddsordningen.", [("budget", 4250000)]),
    ("13 søknader ble innvilget, hvorav 5 gjaldt prosjekter som ble videreført fra 2014.",
     [("grants_given", 13)]),
    ("IMDI har intensjonsavtaler med åtte frivillige organisasjoner: Frivillighet Norge, Norges "
     "Fotballforbund.", [("organisations", 8)]),
    ("3,2 mill. kroner var avsatt til dette i 2015.", [("budget", 3200000)]),
    ("Det var avsatt 7,45 mill. kroner totalt til denne ordningen i 2015.", [("budget", 7450000)]),
    ("Videre ble 8 prosjekter (av 12 som søkte) innvilget flerårig støtte, dvs. over to år.", []),
    ("Seks prosjekter fikk innvilge flerårig støtte (2 eller 3 år) med disse betingelsene.", []),
    ("I tillegg hadde IMDi satt av kr. 76 477,- til klagebehandling.", []),
    ("Av de 25 prosjektene er 17 videreføringer fra 2014, mens 8 er nye.", []),
]


@pytest.mark.parametrize("sentence,expected", FIGURES)
def test_sentence_figures(sentence, expected):
    assert [(f.kind, f.value) for f in sentence_figures(sentence)] == expected


def test_narrative_grants_of_scheme_5():
    s = ("MiRA-Senteret fikk kr. 650 000,-, Primærmedisinsk Verksted fikk kr. 1 100 000,- og "
         "Leadership Foundation fikk kr. 250 000,-.")
    assert [(g.organisation, g.amount.value, g.amount.text) for g in narrative_grants(s)] == [
        ("MiRA-Senteret", 650000, "kr. 650 000,-"),
        ("Primærmedisinsk Verksted", 1100000, "kr. 1 100 000,-"),
        ("Leadership Foundation", 250000, "kr. 250 000,-")]
    assert narrative_grants("Arendal fikk ikke noen søknader om driftstilskudd.") == []
    assert narrative_grants("Av disse fikk 120 innvandrerorganisasjoner innvilget driftsstøtte.") == []
