"""Gazetteer patterns: places from the reference CSVs, organisation names as printed."""

import pytest

from nlp.gazetteer import org_forms, place_forms, place_patterns, reference_places


@pytest.mark.parametrize("name, forms", [
    ("Norsk organisasjon for asylsøkere (NOAS)",
     ["Norsk organisasjon for asylsøkere", "Norsk organisasjon for asylsøkeres", "NOAS", "NOAS'"]),
    ("Kristent interkulturelt arbeid (KIA)",
     ["Kristent interkulturelt arbeid", "Kristent interkulturelt arbeids", "KIA", "KIAs"]),
    ("MiRA", ["MiRA", "MiRAs"]),
    ("LIN Likestilling Inkludering Og Nettverk",
     ["LIN Likestilling Inkludering Og Nettverk", "LIN Likestilling Inkludering Og Nettverks", "LIN", "LINs"]),
    ("Minotenk – minoritetspolitisk tenketank",
     ["Minotenk – minoritetspolitisk tenketank", "Minotenk – minoritetspolitisk tenketanks", "Minotenk", "Minotenks"]),
    ("Palestinaforeningen/Alamal",
     ["Palestinaforeningen/Alamal", "Palestinaforeningen/Alamals", "Palestinaforeningen",
      "Palestinaforeningens", "Alamal", "Alamals"]),
    ("Multikulturelt Initiativ Og Ressursnettverk (Mir)",
     ["Multikulturelt Initiativ Og Ressursnettverk", "Multikulturelt Initiativ Og Ressursnettverks",
      "Mir", "Mirs", "MIR", "MIRs"]),
])
def test_org_forms(name, forms):
    assert org_forms(name) == forms


def test_place_forms():
    assert place_forms("Skedsmo", "kommune") == [
        "Skedsmo", "Skedsmos", "Skedsmo kommune", "Skedsmo kommunes", "Skedsmos kommune"]
    assert place_forms("Alna", "bydel") == ["Alna", "Alnas", "bydel Alna", "Bydel Alna", "Alna bydel", "bydel Alnas"]
    assert place_forms("Moss", "kommune", ambiguous=True) == ["Moss kommune", "Moss kommunes", "Moss' kommune"]


def test_reference_places_2015():
    places = reference_places(2015)
    kinds = [kind for _, _, kind in places]
    assert kinds.count("kommune") == 428     # SSB: 428 kommuner in 2015
    assert kinds.count("fylke") == 19
    assert kinds.count("bydel") == 15
    assert ("kommune:0231", "Skedsmo", "kommune") in places


def test_ambiguous_place_names_only_qualified():
    patterns = {p["pattern"]: p["id"] for p in place_patterns(reference_places(2015))}
    assert "Bø" not in patterns and "Nes" not in patterns and "Vik" not in patterns
    assert patterns["Bø kommune"].startswith("kommune:")
    assert patterns["Oslo"] == "kommune:0301"          # kommune preferred over fylke
    assert patterns["Oslos"] == "kommune:0301"
    assert patterns["Akershus fylke"] == "fylke:02"
    assert patterns["Groruddalen"] == "region:groruddalen"
