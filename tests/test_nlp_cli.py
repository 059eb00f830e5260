"""`tilskudd tag`, `tilskudd nlp evaluate` and `tilskudd nlp train` (a smoke run on a tiny slice)."""

import json

from click.testing import CliRunner

from kb.cli import main
from nlp_fixtures import NORNE_SAMPLE, ORGS_2015


def run(args, stdin=None):
    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def test_tag_json_lines():
    lines = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in [
        "Pakistansk kulturforening Skedsmo har opparbeidet seg god kontaktflate i Skedsmo kommune.",
        "forebyggende arbeid mot TVE og KLL",
    ]) + "\n"
    result = run(["tag", "--orgs", str(ORGS_2015)], lines)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[0]["entities"] == [
        {"start": 0, "end": 33, "label": "ORG", "text": "Pakistansk kulturforening Skedsmo",
         "kb_id": "org:pakistansk-kulturforening-skedsmo"},
        {"start": 73, "end": 88, "label": "PLACE", "text": "Skedsmo kommune", "kb_id": "kommune:0231"}]
    assert out[0]["themes"] == []
    assert out[1] == {"text": "forebyggende arbeid mot TVE og KLL", "entities": [],
                      "themes": ["tvangsekteskap", "kjonnslemlestelse"]}


def test_tag_bad_line_is_one_line_error():
    result = CliRunner().invoke(main, ["tag"], input='{"text": "ok"}\nnot json\n')
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: line 2: expected a JSON object")


def test_evaluate_json_on_norne_format_sample():
    result = run(["nlp", "evaluate", "--norne", str(NORNE_SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["sentences"] == 4 and scores["words"] == 167
    # the committed model on 4 report sentences (7 gold entities): pinned, so a model change shows
    assert (scores["ents_p"], scores["ents_r"], scores["ents_f"]) == (0.3333, 0.4286, 0.375)
    assert scores["per_type"]["ORG"] == {"p": 0.75, "r": 0.4286, "f": 0.5455}
    assert set(scores["per_type"]) == {"ORG", "GPE_LOC", "LOC", "PER"}


def test_evaluate_needs_something_to_evaluate():
    result = CliRunner().invoke(main, ["nlp", "evaluate"])
    assert result.exit_code == 2
    assert "give --norne DIR and/or --annotated FILE" in result.output


def test_train_smoke(tmp_path):
    """The training code end to end on 10 sentences for 6 steps (seconds, not minutes)."""
    from nlp.train import train

    best = train(NORNE_SAMPLE, tmp_path / "out", work_dir=tmp_path / "work", max_steps=6,
                 overrides={"training.eval_frequency": 3})
    assert (best / "config.cfg").is_file()
    assert "[training.before_update]" not in (best / "config.cfg").read_text(encoding="utf-8")
    import spacy

    nlp = spacy.load(best)
    assert nlp.pipe_names == ["known_words", "tok2vec", "ner"]
    assert nlp.get_pipe("known_words").words  # counted from the training sentences
    from nlp.train import install_model

    installed = install_model(best, tmp_path / "installed")
    config = (installed / "config.cfg").read_text(encoding="utf-8")
    assert config.startswith("[paths]\ntrain = null\ndev = null\n")  # no local corpus paths
    assert spacy.load(installed).pipe_names == ["known_words", "tok2vec", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"ORG", "GPE_LOC"}


def test_evaluate_annotated_prints_the_three_scores():
    from nlp_fixtures import ANNOTATED

    result = run(["nlp", "evaluate", "--annotated", str(ANNOTATED), "--orgs", str(ORGS_2015)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "annotated passages (68):"
    assert [line.split()[0] for line in lines[1:]] == ["ORG", "PLACE", "themes"]
