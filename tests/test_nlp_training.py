"""The parts of the NER model that are ours, not spaCy's: the NorNE conversion (train + dev),
the mention-swap augmenter (nlp/mention_swap.py) and the known-words component
(nlp/known_words.py)."""

import random

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from nlp import known_words, mention_swap
from nlp.train import convert_norne
from nlp_fixtures import NORNE_SAMPLE


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    return convert_norne(NORNE_SAMPLE, tmp_path_factory.mktemp("norne"), splits=("train", "dev", "train+dev"),
                         n_sents=1)


def docs(path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("nb").vocab))


def test_train_plus_dev_is_both_splits(converted):
    train, dev, both = (docs(converted[split]) for split in ("train", "dev", "train+dev"))
    assert (len(train), len(dev), len(both)) == (10, 4, 14)
    assert [d.text for d in both] == [d.text for d in train + dev]
    assert sum(len(d.ents) for d in both) == 31 + 9


def test_mention_pool_holds_each_labelled_mention_once(converted):
    pool = mention_swap.mention_pool(converted["train"])
    assert sorted(pool) == ["GPE_LOC", "ORG"]
    texts = [" ".join(mention) for mention in pool["GPE_LOC"]]
    assert texts == ["Alna", "Arendal", "Bergen kommune", "Bjerke", "Grorud", "Groruddalen", "Norge",
                     "Oslo kommune", "Sarpsborg", "Skedsmo", "Skedsmo kommune", "Skien", "Stavanger kommune",
                     "Stovner", "Søndre Nordstrand", "bydel Søndre Nordstrand"]
    orgs = [" ".join(mention) for mention in pool["ORG"]]
    assert orgs == ["BLD", "Barne- , likestillings- og inkluderingsdepartementet", "IMDi", "IMDis",
                    "Integrerings- og mangfoldsdirektoratet"]


def test_swap_replaces_mentions_and_keeps_the_rest():
    nlp = spacy.blank("nb")
    doc = Doc(nlp.vocab, words=["Kari", "Hansen", "bor", "i", "Bergen", "."],
              spaces=[True, True, True, True, False, False],
              ents=["B-PER", "I-PER", "O", "O", "B-GPE_LOC", "O"])
    pool = {"PER": [("Ola",)], "GPE_LOC": [("Nord-Odal", "kommune")]}
    example = mention_swap.swap_mentions(nlp, doc, pool, random.Random(0))
    ref = example.reference
    assert [t.text for t in ref] == ["Ola", "bor", "i", "Nord-Odal", "kommune", "."]
    assert ref.text == "Ola bor i Nord-Odal kommune."
    assert [(e.text, e.label_) for e in ref.ents] == [("Ola", "PER"), ("Nord-Odal kommune", "GPE_LOC")]
    assert [t.text for t in example.predicted] == [t.text for t in ref]
    assert not example.predicted.ents  # the model must find them


def test_augmenter_yields_the_original_and_sometimes_a_swapped_copy(converted):
    nlp = spacy.blank("nb")
    augment = mention_swap.mention_swap(str(converted["train"]), level=1.0, seed=1)
    from spacy.training import Example

    doc = docs(converted["train"])[0]
    out = list(augment(nlp, Example(Doc(nlp.vocab, words=[t.text for t in doc]), doc)))
    assert len(out) == 2
    assert out[0].reference.text == doc.text
    assert [e.label_ for e in out[1].reference.ents] == [e.label_ for e in doc.ents]
    never = mention_swap.mention_swap(str(converted["train"]), level=0.0)
    assert len(list(never(nlp, Example(Doc(nlp.vocab, words=[t.text for t in doc]), doc)))) == 1


def test_known_words_maps_rare_words_to_one_norm(tmp_path):
    nlp = spacy.blank("nb")
    known = nlp.add_pipe(known_words.FACTORY, config={"min_count": 2})
    from spacy.training import Example

    train = [nlp.make_doc("Kari bor i Oslo ."), nlp.make_doc("Ola bor i Oslo .")]
    known.initialize(lambda: [Example(d, d) for d in train])
    assert known.words == {"bor", "i", "oslo", "."}
    doc = nlp("Per bor i Oslo .")
    assert [t.norm_ for t in doc] == [known_words.UNKNOWN, "bor", "i", "oslo", "."]
    assert [t.text for t in doc] == ["Per", "bor", "i", "Oslo", "."]  # only the NORM changes
    nlp.to_disk(tmp_path / "m")
    again = spacy.load(tmp_path / "m")
    assert again.get_pipe(known_words.FACTORY).words == known.words
