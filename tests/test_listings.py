"""Itineraries written as lists, tables and headed lines (geo.extraction.listings), on hand-built Docs."""

from __future__ import annotations

from handdoc import at, flat, parse, place

from geo.extraction.dates import ParsedDate
from geo.extraction.listings import heading, listing_facts
from geo.model import DateMention, Sentence

ME = "the narrator"


def year(doc, word: str = "2019"):
    """The document's own date mention of a year written in it, as the date reader gives it."""
    tok = doc[at(doc, word)]
    sentence = Sentence("t", 0, len(doc.text), doc.text)
    return [(DateMention("t", word, tok.idx, tok.idx + len(word), sentence, word, None, "year"),
             ParsedDate(word, None, "year"))]


def legs(doc, names: list[tuple[str, int]], dates=(), **kw) -> list[tuple[str, str, str | None, str | None]]:
    """(place, role, date, date end) of every fact, in text order."""
    places = tuple(place(doc, at(doc, w, n)) for w, n in names)
    listing = listing_facts(doc, places, list(dates), ME, **kw)
    assert all(f.people == (ME,) for f in listing.facts)
    out = []
    for f in sorted(listing.facts, key=lambda f: f.start):
        parsed = listing.dates[f.date][1] if f.date is not None else None
        out.append((places[f.place].mention.text, f.role, parsed and parsed.iso, parsed and parsed.iso_end))
    return out


def test_headed_lines_give_legs_dated_by_their_heading():
    doc = flat("Islands , 2019 ⏎⏎ * June 3 : Darwin to Kupang . ⏎ - June 5 - Kupang to Ende via Bajawa ⏎ "
               "June 6–8 : Komodo")
    got = legs(doc, [("Darwin", 1), ("Kupang", 1), ("Kupang", 2), ("Ende", 1), ("Bajawa", 1), ("Komodo", 1)],
               year(doc))
    assert got == [("Darwin", "origin", "2019-06-03", None), ("Kupang", "destination", "2019-06-03", None),
                   ("Kupang", "origin", "2019-06-05", None), ("Ende", "destination", "2019-06-05", None),
                   ("Bajawa", "transit", "2019-06-05", None), ("Komodo", "stop", "2019-06-06", "2019-06-08")]


def test_day_numbers_count_from_a_line_that_gives_a_day_and_a_date():
    doc = flat("2019 ⏎⏎ Day 1 ( June 10 ) : Lima ⏎ Day 3 — Lima to Cusco ⏎ Days 4-5 : Cusco")
    got = legs(doc, [("Lima", 1), ("Lima", 2), ("Cusco", 1), ("Cusco", 2)], year(doc))
    assert got == [("Lima", "stop", "2019-06-10", None), ("Lima", "origin", "2019-06-12", None),
                   ("Cusco", "destination", "2019-06-12", None), ("Cusco", "stop", "2019-06-13", "2019-06-14")]


def test_day_numbers_without_a_date_count_from_the_callers_start_or_stay_undated():
    doc = flat("Day 1 : Lima ⏎ Day 2 : Cusco")
    names = [("Lima", 1), ("Cusco", 1)]
    assert legs(doc, names) == [("Lima", "stop", None, None), ("Cusco", "stop", None, None)]
    start = ParsedDate("2020-01-05", None, "day")
    assert legs(doc, names, start=start) == [("Lima", "stop", "2020-01-05", None),
                                             ("Cusco", "stop", "2020-01-06", None)]


def test_table_rows_and_weekday_headings_are_listing_lines():
    doc = flat("2019 ⏎⏎ | 12 June | Puno | Arequipa | ⏎ Monday : Cusco – Puno")
    got = legs(doc, [("Puno", 1), ("Arequipa", 1), ("Cusco", 1), ("Puno", 2)], year(doc))
    # a weekday heading after a dated row is the next such day: Monday 17 June 2019 (the narrative clock)
    assert got == [("Puno", "origin", "2019-06-12", None), ("Arequipa", "destination", "2019-06-12", None),
                   ("Cusco", "origin", "2019-06-17", None), ("Puno", "destination", "2019-06-17", None)]


def test_a_verb_or_a_preposition_in_a_body_gives_the_role_and_a_list_of_places_is_stops():
    doc = flat("Day 1 : Arrive in Lima . ⏎ Day 2 : Leave Lima . ⏎ Day 3 : Free day in Cusco ⏎ "
               "Day 4 : Cusco , Pisac and Ollantaytambo")
    got = legs(doc, [("Lima", 1), ("Lima", 2), ("Cusco", 1), ("Cusco", 2), ("Pisac", 1), ("Ollantaytambo", 1)])
    assert [(p, r) for p, r, _, _ in got] == [("Lima", "destination"), ("Lima", "origin"), ("Cusco", "stop"),
                                             ("Cusco", "stop"), ("Pisac", "stop"), ("Ollantaytambo", "stop")]


def test_the_documents_own_date_mention_of_a_heading_is_the_one_used():
    doc = flat("June 3 , 2019 : Darwin to Kupang")
    sentence = Sentence("t", 0, len(doc.text), doc.text)
    own = [(DateMention("t", "June 3, 2019", 0, 12, sentence, "2019-06-03", None, "day"),
            ParsedDate("2019-06-03", None, "day"))]
    places = (place(doc, at(doc, "Darwin")), place(doc, at(doc, "Kupang")))
    listing = listing_facts(doc, places, own, ME)
    assert [f.date for f in listing.facts] == [0, 0] and listing.dates == tuple(own)
    assert listing.places == {0, 1}


def test_prose_and_timeline_entries_about_someone_are_not_the_travellers():
    assert heading("On June 3 we drove to Kupang.", 0, 29) is None
    assert heading("Monday, we left Lima.", 0, 21) is None
    assert heading("March 3 (Reuters) - Troops left Lima.", 0, 37) is None
    # "October 3, 1863 - President Lincoln proclaims a holiday in Washington": a clause with its own subject
    doc = parse("""
        October   October   PROPN NNP npadvmod 6
        3         3         NUM   CD  nummod   0
        ,         ,         PUNCT ,   punct    0
        1863      1863      NUM   CD  nummod   0
        -         -         PUNCT :   punct    6
        Lincoln   Lincoln   PROPN NNP nsubj    6
        proclaims proclaim  VERB  VBZ ROOT     6
        a         a         DET   DT  det      8
        holiday   holiday   NOUN  NN  dobj     6
        in        in        ADP   IN  prep     6
        Washington Washington PROPN NNP pobj   9  GPE
    """)
    assert listing_facts(doc, (place(doc, 10),), [], ME).facts == ()
    # the same line told by the narrator is the narrator's
    doc = parse("""
        June      June      PROPN NNP npadvmod 4
        3         3         NUM   CD  nummod   0
        :         :         PUNCT :   punct    4
        We        we        PRON  PRP nsubj    4
        drove     drive     VERB  VBD ROOT     4
        to        to        ADP   IN  prep     4
        Kupang    Kupang    PROPN NNP pobj     5  GPE
    """)
    assert [f.role for f in listing_facts(doc, (place(doc, 6),), [], ME).facts] == ["destination"]


def test_a_table_with_a_day_column_counts_days_like_day_headings():
    doc = flat("2019 ⏎⏎ | Day | Date | Route | ⏎ | 1 | 3 June | Darwin – Kupang | ⏎ | 3 | | Kupang – Ende |")
    got = legs(doc, [("Darwin", 1), ("Kupang", 1), ("Kupang", 2), ("Ende", 1)], year(doc))
    assert got == [("Darwin", "origin", "2019-06-03", None), ("Kupang", "destination", "2019-06-03", None),
                   ("Kupang", "origin", "2019-06-05", None), ("Ende", "destination", "2019-06-05", None)]


def test_a_body_ends_with_its_first_sentence_and_a_place_that_only_says_where_is_no_stop():
    # "June 29: Lae, New Guinea. Earhart sends her dispatches from Lae.": the line lists Lae (New Guinea only
    # says where it is); the sentence after it is prose about someone, for `moves`
    doc = parse("""
        June       June       PROPN NNP npadvmod 3
        29         29         NUM   CD  nummod   0
        :          :          PUNCT :   punct    3
        Lae        Lae        PROPN NNP ROOT     3  GPE
        ,          ,          PUNCT ,   punct    3
        New        New        PROPN NNP compound 6  LOC
        Guinea     Guinea     PROPN NNP appos    3  LOC
        .          .          PUNCT .   punct    3
        Earhart    Earhart    PROPN NNP nsubj    9
        sends      send       VERB  VBZ ROOT     9
        dispatches dispatch   NOUN  NNS dobj     9
        from       from       ADP   IN  prep     9
        Lae        Lae        PROPN NNP pobj     11 GPE
        .          .          PUNCT .   punct    9
    """)
    places = (place(doc, 3), place(doc, 5, 7, kind="region"), place(doc, 12))
    facts = listing_facts(doc, places, [], ME).facts
    assert [(places[f.place].mention.start, f.role) for f in facts] == [(doc[3].idx, "stop")]


def test_a_timeline_line_starts_a_sentence_before_the_parser():
    # the parser ran "... for Miami.\nJune 1: They depart Miami" into one sentence, so the first line's date
    # headed the second line's verb
    import spacy

    from geo.extraction.nlp import paragraph_breaks

    nlp = spacy.blank("en")
    doc = paragraph_breaks(nlp("Earhart left Oakland for Miami\nJune 1: They depart Miami.\nThe plane was old\nand slow."))
    starts = [t.text for t in doc if t.is_sent_start]
    assert "June" in starts and "and" not in starts  # a line that is no timeline entry goes on its sentence


def test_who_made_every_move_of_the_traveller_shares_the_listing():
    from geo.extraction.itinerary import companions
    from geo.extraction.moves import Fact

    def fact(place, people, role="destination", verb=1):
        return Fact(place, people, role, role, verb, place, place, 0, None)

    both = ("Amelia Earhart", "Fred Noonan")
    facts = [fact(0, both, "origin"), fact(1, both), fact(2, ("Amelia Earhart",), "event", verb=5),
             fact(3, ("Paul Mantz",), verb=7)]
    assert companions(facts, "Amelia Earhart") == ("Fred Noonan",)  # an event of hers alone does not count
    facts.append(fact(4, ("Amelia Earhart",), verb=9))  # a move she made without him
    assert companions(facts, "Amelia Earhart") == ()


def test_a_journals_dated_headings_make_entries_that_end_with_their_paragraph():
    doc = flat("Tour , 1790 ⏎⏎ Sept: 2 . Set out for Tarnby . ⏎⏎ Sept: 3 . Rode to Fellhead , and lay there . ⏎ "
               "Dined late . ⏎⏎ After the tour we rested .")
    listing = listing_facts(doc, (), year(doc, "1790"), ME)
    text = doc.text
    spans = [(text[s:e].strip(), listing.dates[k][1].iso) for s, e, k in listing.entries]
    assert spans == [("Sept: 2. Set out for Tarnby.", "1790-09-02"),
                     ("Sept: 3. Rode to Fellhead, and lay there.\nDined late.", "1790-09-03")]
    # one dated heading alone is a timestamp line, not a journal
    single = flat("Tour , 1790 ⏎⏎ Sept: 2 . Set out for Tarnby . ⏎⏎ After the tour we rested .")
    assert listing_facts(single, (), year(single, "1790"), ME).entries == ()


def test_the_colon_of_an_older_journals_abbreviation():
    doc = flat("Oct: 2 . Lima")
    h = heading(doc.text, 0, len(doc.text))
    assert h is not None and doc.text[h.date[0]:h.date[1]] == "Oct: 2"
    assert heading("Oct: Lima", 0, 9) is None  # a colon is the abbreviation's only before its day


JOURNAL = ("A Journal of a Tour in the North, by Anne Lister\n\nKeswick, 1 Sept: 1790.\n\nSept: 2. Wind at west, "
           "fine. I set out at nine for Cockermouth, and dined there.\n\nSept: 3. A wet morning. rode by Bassenthwaite "
           "to Keswick, and lay there.\n\nSept: 5. Left Keswick early; dined at Penrith, and lay at Appleby.")


def test_a_journals_moves_take_the_date_of_their_entry(resources):
    from geo.pipeline import analyse_text

    a = analyse_text(JOURNAL, resources)
    got = [(a.places[t.place].mention.text, t.date) for t in sorted(
        (t for t in a.ties if t.person == "Anne Lister" and t.order is not None), key=lambda t: t.order)]
    assert got == [("Cockermouth", "1790-09-02"), ("Bassenthwaite", "1790-09-03"), ("Keswick", "1790-09-03"),
                   ("Penrith", "1790-09-05"), ("Appleby", "1790-09-05")]


def test_the_readme_journal_reads_as_the_readme_says(resources):
    # the README's example, kept true
    from geo.pipeline import analyse_text

    text = ("A Journal of a Tour in the North, by Anne Lister\n\nKeswick, 1 Sept: 1790.\n\nSept: 2. Wind at west, "
            "fine. I set out at nine for Cockermouth, and dined there.\n\nSept: 3. A wet morning. rode by "
            "Bassenthwaite to Keswick; thence to Penrith.")
    a = analyse_text(text, resources)
    got = [(a.places[t.place].mention.text, t.role, t.date) for t in sorted(
        (t for t in a.ties if t.person == "Anne Lister" and t.order is not None), key=lambda t: t.order)]
    assert got == [("Cockermouth", "destination", "1790-09-02"), ("Bassenthwaite", "transit", "1790-09-03"),
                   ("Keswick", "destination", "1790-09-03"), ("Penrith", "destination", "1790-09-03")]


def test_day_numbers_count_from_the_trips_span_of_days_when_no_line_dates_one():
    doc = flat("Ten days , 1 to 10 June 2019 . ⏎⏎ Day 1 — Lima to Cusco ⏎ Day 3 : Puno")
    at_ = doc.text.index("1 to 10 June 2019")
    sentence = Sentence("t", 0, len(doc.text), doc.text)
    span = [(DateMention("t", "1 to 10 June 2019", at_, at_ + 17, sentence, "2019-06-01", "2019-06-10", "day"),
             ParsedDate("2019-06-01", "2019-06-10", "day"))]
    got = legs(doc, [("Lima", 1), ("Cusco", 1), ("Puno", 1)], span)
    assert got == [("Lima", "origin", "2019-06-01", None), ("Cusco", "destination", "2019-06-01", None),
                   ("Puno", "stop", "2019-06-03", None)]
    # a span too short for the days listed is some other span
    short = [(span[0][0], ParsedDate("2019-06-01", "2019-06-02", "day"))]
    assert [d for _, _, d, _ in legs(doc, [("Lima", 1), ("Cusco", 1), ("Puno", 1)], short)] == [None, None, None]
