"""The model's lemmatizer, each word in each part of speech and morphology lemmatized once: its own lemmas."""

from __future__ import annotations

import pickle

import spacy

from geo.extraction.lemmas import OnceLemmatizer, lemmatize_once

TEXT = ("The ships were sailing to the islands; he'd gone, and they're going. Mice ran, geese flew, the children "
        "saw the oxen. The Smiths visited Paris and the Andes. She has been better, and best of all he was the "
        "fastest. I'm gonna leave, y'all. Ships, ships and ships again: the sailing ship sailed.")


def plain_model(nlp):
    return spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])


def test_the_pipelines_lemmatizer_gives_spacys_own_lemmas(nlp):
    assert type(nlp.get_pipe("lemmatizer")) is OnceLemmatizer
    plain = plain_model(nlp)
    with nlp.select_pipes(disable=["paragraph_breaks", "fronted_date_subjects"]):  # (they change the parse)
        ours = nlp(TEXT)
    theirs = plain(TEXT)
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert {"ship", "sail", "mouse", "child", "island", "go"} <= {t.lemma_ for t in ours}
    again = nlp(TEXT)  # the second time from what it remembers: the same
    assert [t.lemma_ for t in again] == [t.lemma_ for t in nlp(TEXT)]


def test_a_lemma_set_before_is_kept_unless_it_overwrites(nlp):
    plain = plain_model(nlp)
    lemmatize_once(plain)
    lemmatizer = plain.get_pipe("lemmatizer")
    with plain.select_pipes(disable=["lemmatizer"]):
        doc = plain("The ships sailed.")
    doc[1].lemma_ = "vessel"  # as the attribute ruler sets some
    lemmatizer(doc)
    assert [t.lemma_ for t in doc] == ["the", "vessel", "sail", "."]
    lemmatizer.overwrite = True
    lemmatizer(doc)
    assert doc[1].lemma_ == "ship"


def test_a_lemmatizer_of_another_mode_is_left_as_it_is():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not lemmatize_once(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is not OnceLemmatizer
    assert not lemmatize_once(spacy.blank("en"))  # none at all


def test_it_pickles_with_what_it_remembers(nlp):
    # spaCy's children, started by "spawn", are sent the pipeline pickled
    lemmatizer = nlp.get_pipe("lemmatizer")
    nlp("The ships sailed.")
    again = pickle.loads(pickle.dumps(lemmatizer))
    assert type(again) is OnceLemmatizer and again.lookups.tables == lemmatizer.lookups.tables
    text = "The geese flew over the islands."
    with nlp.select_pipes(disable=["lemmatizer"]):
        doc = nlp(text)
    assert [t.lemma_ for t in again(doc)] == [t.lemma_ for t in plain_model(nlp)(text)]
    assert [t.lemma_ for t in doc][-3:] == ["the", "island", "."]
