"""The attribute ruler's tag-indexed matching finds exactly what spaCy's Matcher finds."""

import spacy
from spacy.tokens import Doc

from geo.extraction.attributes import fast_attribute_ruler

# Every kind of pattern the model's ruler has, on a made-up vocabulary: a tag alone, a tag with a word,
# a word in a list, a list of tags, NOT_IN, a regular expression, a dependency, a space, two tokens, and an
# index into the match. Later entries win, so the order of entries matters.
PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "ship"}]], "attrs": {"POS": "PROPN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
    {"patterns": [[{"TAG": {"IN": ["DT", "WDT"]}, "DEP": {"NOT_IN": ["det", ""]}}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"LOWER": "it", "DEP": "nsubj"}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "VERB"}, "index": 1},
    {"patterns": [[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
]


def ruler_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(PATTERNS)
    return nlp


def hand_doc(vocab):
    words = ["It", "is", "the", "ship", "that", "gets", "nothin'", "\n", "there", "is", "gon", "na", "got", "which",
             "has"]
    tags = ["PRP", "VBZ", "DT", "NN", "WDT", "VBZ", "NN", "_SP", "EX", "VBZ", "VBG", "TO", "VBD", "WDT", "VBZ"]
    deps = ["nsubj", "ROOT", "det", "attr", "nsubj", "relcl", "dobj", "dep", "expl", "conj", "aux", "aux", "conj",
            "nsubj", "aux"]
    heads = [1, 1, 3, 1, 5, 3, 5, 6, 9, 1, 9, 10, 9, 14, 12]
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_matches_are_the_matchers_on_every_kind_of_pattern():
    nlp = ruler_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    doc = hand_doc(nlp.vocab)
    expected = ruler.match(doc)
    assert fast_attribute_ruler(nlp)
    assert ruler.match(doc) == expected
    # and what it found is what the ruler sets: the last entry that matched a token wins
    ruler(doc)
    assert [t.pos_ for t in doc][:6] == ["", "AUX", "DET", "PROPN", "PRON", ""]
    assert doc[6].lemma_ == "nothing" and doc[11].lemma_ == "to" and doc[12].lemma_ == "get"
    assert doc[9].pos_ == "VERB"  # "there is": the two-token pattern's index 1
    assert str(doc[0].morph) == "Case=Nom"


def test_a_pattern_it_cannot_read_leaves_the_ruler_as_it_was():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}}])
    original = ruler.match
    assert not fast_attribute_ruler(nlp)
    assert ruler.match == original
    assert not fast_attribute_ruler(spacy.blank("en"))  # no ruler at all


def test_the_models_ruler_tags_a_text_as_spacy_does(nlp):
    plain = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    text = ("We weren't gonna stay, y'all said. It is the Beagle that gets there; I gave it to her and you "
            "took it.\n\nThere's nothin' there, but the captain, who had left Bahia, didn't know. Let's go!")
    with nlp.select_pipes(disable=["paragraph_breaks", "fronted_date_subjects"]):  # (they change the parse)
        ours = nlp(text)
    theirs = plain(text)
    assert [t.text for t in ours] == [t.text for t in theirs]
    assert [(t.pos_, t.tag_, str(t.morph), t.lemma_) for t in ours] == \
        [(t.pos_, t.tag_, str(t.morph), t.lemma_) for t in theirs]


def test_the_ruler_pickles_and_matches_the_same_where_it_is_unpickled():
    import pickle

    nlp = ruler_pipeline()
    assert fast_attribute_ruler(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    doc = hand_doc(nlp.vocab)
    before = ruler.match(doc)
    again = pickle.loads(pickle.dumps(ruler))
    assert again.match(hand_doc(again.vocab)) == before
    assert type(again.match).__name__ == "_TagIndexed"
