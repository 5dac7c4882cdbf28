"""The tokenizer guard cuts long texts into windows; the parser must not see the cuts."""

from __future__ import annotations


def test_windows_of_a_long_text_force_no_sentence_boundary(nlp):
    from spacy.tokens import Doc

    paragraph = ("Ibrahim El Bakraoui, a Belgian national of Moroccan descent, flew to Antalya on June 11, 2015 "
                 "and moved on to the border province of Gaziantep on June 14. ")
    text = paragraph * 60  # well past one window of the guard
    guarded = nlp.tokenizer(text)
    plain = nlp.tokenizer.tokenizer(text)
    assert [t.text for t in guarded] == [t.text for t in plain]
    assert [t.i for t in guarded if t.is_sent_start] == [0]
    parsed = nlp(text)
    reference = nlp(Doc(nlp.vocab, words=[t.text for t in plain], spaces=[bool(t.whitespace_) for t in plain]))
    assert [s.text for s in parsed.sents] == [s.text for s in reference.sents]


def test_a_run_of_hyphens_is_a_dash_wherever_it_stands(nlp):
    # A wire service's dateline runs its parts together with "--": each is a token of its own, so the state
    # and the company after it can be read; one hyphen inside a word stays as spaCy splits it.
    words = [t.text for t in nlp.tokenizer("PLEASANTON, Calif.--(BUSINESS WIRE)--DeltaTrak said 1832--we")]
    assert words == ["PLEASANTON", ",", "Calif.", "--", "(", "BUSINESS", "WIRE", ")", "--", "DeltaTrak", "said",
                     "1832", "--", "we"]
    assert [t.text for t in nlp.tokenizer("a well-known man")] == ["a", "well", "-", "known", "man"]


def test_the_text_read_once_is_the_documents_text_and_travels_with_it(nlp):
    # The rules read the text through text_of, joined once; it must stay the document's own text, also in a
    # document that came back from another process (the parallel parse pickles documents).
    import pickle

    from geo.extraction.parsed import text_of

    doc = nlp("Ana flew from Lima to Quito.\n\nShe stayed two days.")
    assert text_of(doc) == doc.text
    assert text_of(doc[0:3]) == "Ana flew from"
    back = pickle.loads(pickle.dumps(doc))
    assert text_of(back) == doc.text
    other = nlp("Ben drove to Leeds.")
    assert text_of(other) == "Ben drove to Leeds."


def test_a_name_after_a_fronted_date_with_no_comma_is_the_verbs_subject():
    # The parser reads "In June 1849 Ainsley and Fenwick sailed" as "In [June 1849 Ainsley]": the verb has
    # no subject. The repair makes the name the subject and the date the preposition's object.
    from handdoc import parse

    from geo.extraction.nlp import fronted_date_subjects

    doc = parse('''
        In        in        ADP   IN  prep   5
        June      June      PROPN NNP nmod   2  DATE
        Ainsley   Ainsley   PROPN NNP pobj   0
        and       and       CCONJ CC  cc     2
        Fenwick   Fenwick   PROPN NNP conj   2  PERSON
        sailed    sail      VERB  VBD ROOT   5
        from      from      ADP   IN  prep   5
        Liverpool Liverpool PROPN NNP pobj   6  GPE
        .         .         PUNCT .   punct  5
    ''')
    doc = fronted_date_subjects(doc)
    assert (doc[2].dep_, doc[2].head.i) == ("nsubj", 5)
    assert (doc[1].dep_, doc[1].head.i) == ("pobj", 0)
    assert [c.text for c in doc[5].children if c.dep_ == "nsubj"] == ["Ainsley"]
    # a sentence whose verb has its subject is left alone: "In June Paris Hilton said ..." is not touched
    kept = parse('''
        In        in        ADP   IN  prep   4
        June      June      PROPN NNP nmod   2  DATE
        Rome      Rome      PROPN NNP pobj   0  GPE
        she       she       PRON  PRP nsubj  4
        stayed    stay      VERB  VBD ROOT   4
        .         .         PUNCT .   punct  4
    ''')
    kept = fronted_date_subjects(kept)
    assert (kept[2].dep_, kept[2].head.i) == ("pobj", 0)


def test_a_date_fronted_without_its_comma_hangs_from_its_preposition_not_the_subject():
    # "On 9 May 2021 Rosa Lind drove": the parser gets the subject right but hangs the date from it
    from handdoc import parse

    from geo.extraction.nlp import fronted_date_subjects

    doc = parse('''
        On     on     ADP   IN  prep     6
        9      9      NUM   CD  nummod   5  DATE
        May    May    PROPN NNP nmod     5  DATE
        2021   2021   NUM   CD  nummod   2  DATE
        Rosa   Rosa   PROPN NNP compound 5  PERSON
        Lind   Lind   PROPN NNP nsubj    6  PERSON
        drove  drive  VERB  VBD ROOT     6
        .      .      PUNCT .   punct    6
    ''')
    doc = fronted_date_subjects(doc)
    assert [(t.text, t.dep_, t.head.text) for t in doc[:4]] == [
        ("On", "prep", "drove"), ("9", "nummod", "May"), ("May", "pobj", "On"), ("2021", "nummod", "May")]
    assert [c.text for c in doc[5].lefts] == ["Rosa"]


def test_a_name_the_parser_puts_under_a_fronted_date_heads_the_subject_after_it():
    # "In May 2015 Khaled Saleh, his wife Rania ... left": "May" and "Saleh" both under "In", "wife" the subject
    from handdoc import parse

    from geo.extraction.nlp import fronted_date_subjects

    doc = parse('''
        In      in      ADP   IN  prep     9
        May     May     PROPN NNP pobj     0  DATE
        2015    2015    NUM   CD  nummod   1  DATE
        Khaled  Khaled  PROPN NNP compound 4  PERSON
        Saleh   Saleh   PROPN NNP pobj     0  PERSON
        ,       ,       PUNCT ,   punct    4
        his     his     PRON  PRP poss     7
        wife    wife    NOUN  NN  nsubj    9
        Rania   Rania   PROPN NNP appos    7  PERSON
        left    leave   VERB  VBD ROOT     9
        .       .       PUNCT .   punct    9
    ''')
    doc = fronted_date_subjects(doc)
    assert (doc[4].dep_, doc[4].head.text) == ("nsubj", "left")
    assert (doc[7].dep_, doc[7].head.text) == ("conj", "Saleh")
    assert (doc[1].dep_, doc[1].head.text) == ("pobj", "In")


def test_a_cases_party_called_by_its_role_alone_after_a_fronted_date_is_the_subject():
    # "In 2011 petitioner reentered the country": the parser reads "2011 petitioner" as one phrase under "In"
    from handdoc import parse

    from geo.extraction.nlp import fronted_date_subjects

    doc = parse('''
        In          in          ADP   IN  prep     3
        2011        2011        NUM   CD  nummod   2  DATE
        petitioner  petitioner  NOUN  NN  pobj     0
        reentered   reenter     VERB  VBD ROOT     3
        the         the         DET   DT  det      5
        country     country     NOUN  NN  dobj     3
        .           .           PUNCT .   punct    3
    ''')
    doc = fronted_date_subjects(doc)
    assert (doc[2].dep_, doc[2].head.text) == ("nsubj", "reentered")
    assert (doc[1].dep_, doc[1].head.text) == ("pobj", "In")
    # an ordinary noun is left where the parser put it: "In 2011 elections were held"
    doc = parse('''
        In         in         ADP   IN  prep     4
        2011       2011       NUM   CD  nummod   2  DATE
        elections  election   NOUN  NNS pobj     0
        were       be         AUX   VBD auxpass  4
        held       hold       VERB  VBN ROOT     4
    ''')
    assert fronted_date_subjects(doc)[2].head.text == "In"
