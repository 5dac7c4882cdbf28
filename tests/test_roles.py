"""The role a place has in its clause, on hand-built parses (tests/handdoc.py): each rule of
geo.extraction.moves on the shape it is written for, so a change in the model's parse cannot break it."""

from __future__ import annotations

from handdoc import parse, place

from geo.extraction.attachment import verb_lemma
from geo.extraction.moves import facts_for

SMITH = ("John Smith",)


def roles(doc, places, people: dict[int, tuple[str, ...]]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Place as written -> (role, people) for every fact."""
    facts = facts_for(doc, tuple(places), people, [])
    return {places[f.place].mention.text: (f.role, f.people) for f in facts}


# --- moves the text tells as moves -------------------------------------------------------------

def test_a_passive_caused_move_is_a_destination():
    # "was removed / deported / returned to X": the subject of the passive is the one moved
    doc = parse("""
        Smith    Smith   PROPN NNP nsubjpass 3
        had      have    AUX   VBD aux       3
        been     be      AUX   VBN auxpass   3
        removed  remove  VERB  VBN ROOT      3
        from     from    ADP   IN  prep      3
        Mexico   Mexico  PROPN NNP pobj      4  GPE
        to       to      ADP   IN  prep      3
        Honduras Honduras PROPN NNP pobj     6  GPE
        .        .       PUNCT .   punct     3
    """)
    got = roles(doc, [place(doc, 5), place(doc, 7)], {0: SMITH})
    assert got == {"Mexico": ("origin", SMITH), "Honduras": ("destination", SMITH)}


def test_an_active_caused_move_moves_the_object():
    doc = parse("""
        Officers officer NOUN  NNS nsubj 1
        removed  remove  VERB  VBD ROOT  1
        him      he      PRON  PRP dobj  1
        to       to      ADP   IN  prep  1
        Honduras Honduras PROPN NNP pobj 3  GPE
    """)
    assert roles(doc, [place(doc, 4)], {2: SMITH}) == {"Honduras": ("destination", SMITH)}


def test_a_re_prefixed_motion_verb_moves_like_its_stem():
    # the lemmatiser leaves "reentered" as "reentere"; the rule reads the stem "enter"
    doc = parse("""
        Smith      Smith      PROPN NNP nsubj 1
        reentered  reentere   VERB  VBD ROOT  1
        Mexico     Mexico     PROPN NNP dobj  1  GPE
        near       near       ADP   IN  prep  1
        Tijuana    Tijuana    PROPN NNP pobj  3  GPE
    """)
    assert verb_lemma(doc[1]) == "enter"
    got = roles(doc, [place(doc, 2), place(doc, 4)], {0: SMITH})
    assert got == {"Mexico": ("destination", SMITH), "Tijuana": ("stop", SMITH)}


def test_a_stay_verb_the_lemmatiser_cuts_wrongly_is_read_back():
    # the lemmatiser gives "dined" as "din": read back as "dine", a stay, so "dined at X" is a stop
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        dined   din     VERB  VBD ROOT  1
        at      at      ADP   IN  prep  1
        Kendal  Kendal  PROPN NNP pobj  2  GPE
    """)
    assert verb_lemma(doc[1]) == "dine"
    assert roles(doc, [place(doc, 3)], {0: SMITH}) == {"Kendal": ("stop", SMITH)}


def test_by_under_a_verb_of_motion_is_the_way_not_under_a_passive():
    doc = parse("""
        Smith      Smith      PROPN NNP nsubj 1
        returned   return     VERB  VBD ROOT  1
        by         by         ADP   IN  prep  1
        Coniston   Coniston   PROPN NNP pobj  2  GPE
        to         to         ADP   IN  prep  1
        Ulverston  Ulverston  PROPN NNP pobj  4  GPE
    """)
    got = roles(doc, [place(doc, 3), place(doc, 5)], {0: SMITH})
    assert got == {"Coniston": ("transit", SMITH), "Ulverston": ("destination", SMITH)}
    doc = parse("""
        Smith     Smith     PROPN NNP nsubjpass 2
        was       be        AUX   VBD auxpass   2
        deported  deport    VERB  VBN ROOT      2
        by        by        ADP   IN  prep      2
        Turkey    Turkey    PROPN NNP pobj      3  GPE
        to        to        ADP   IN  prep      2
        Belgium   Belgium   PROPN NNP pobj      5  GPE
    """)
    got = roles(doc, [place(doc, 4), place(doc, 6)], {0: SMITH})
    assert got.get("Turkey", ("event",))[0] == "event" and got["Belgium"] == ("destination", SMITH)


def test_a_relative_clause_tells_the_move_its_place_had():
    # "..., and so by Stirling to Glasgow, which he reached": the parser hangs Glasgow on the name before it,
    # and the relative pronoun is the object of a verb of motion
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        came     come     VERB  VBD ROOT   1
        by       by       ADP   IN  prep   1
        Stirling Stirling PROPN NNP pobj   2  GPE
        to       to       ADP   IN  prep   3
        Glasgow  Glasgow  PROPN NNP pobj   4  GPE
        ,        ,        PUNCT ,   punct  5
        which    which    PRON  WDT dobj   9
        he       he       PRON  PRP nsubj  9
        reached  reach    VERB  VBD relcl  5
    """)
    # (Stirling is a name the gazetteer does not know, so the parser's Glasgow is that noun's)
    assert roles(doc, [place(doc, 5)], {0: SMITH, 8: SMITH}) == {"Glasgow": ("destination", SMITH)}
    # a verb of motion of the place's own wins over its relative clause
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        returned return   VERB  VBD ROOT   1
        to       to       ADP   IN  prep   1
        Paris    Paris    PROPN NNP pobj   2  GPE
        ,        ,        PUNCT ,   punct  3
        which    which    PRON  WDT dobj   7
        he       he       PRON  PRP nsubj  7
        left     leave    VERB  VBD relcl  3
    """)
    assert roles(doc, [place(doc, 3)], {0: SMITH, 6: SMITH}) == {"Paris": ("destination", SMITH)}


def test_the_owner_of_a_way_that_lies_through_a_place_went_through_it():
    doc = parse("""
        His      his      PRON  PRP$ poss  1
        road     road     NOUN  NN   nsubj 2
        lay      lie      VERB  VBD  ROOT  2
        through  through  ADP   IN   prep  2
        Dunkeld  Dunkeld  PROPN NNP  pobj  3  GPE
        to       to       ADP   IN   prep  2
        Inverness Inverness PROPN NNP pobj 5  GPE
    """)
    got = roles(doc, [place(doc, 4), place(doc, 6)], {0: SMITH})
    assert got == {"Dunkeld": ("transit", SMITH), "Inverness": ("destination", SMITH)}
    # a road that is no one's ties no one
    doc = parse("""
        The      the      DET   DT   det   1
        road     road     NOUN  NN   nsubj 2
        lay      lie      VERB  VBD  ROOT  2
        through  through  ADP   IN   prep  2
        Dunkeld  Dunkeld  PROPN NNP  pobj  3  GPE
    """)
    assert roles(doc, [place(doc, 4)], {}) == {}


def test_a_bare_manner_noun_does_not_own_the_place_hung_on_it():
    # "entered X without inspection near Y", "travelled by bus from Y": Y is the verb's
    doc = parse("""
        Smith      Smith      PROPN NNP nsubj 1
        entered    enter      VERB  VBD ROOT  1
        Mexico     Mexico     PROPN NNP dobj  1  GPE
        without    without    ADP   IN  prep  1
        inspection inspection NOUN  NN  pobj  3
        near       near       ADP   IN  prep  4
        Tijuana    Tijuana    PROPN NNP pobj  5  GPE
    """)
    got = roles(doc, [place(doc, 2), place(doc, 6)], {0: SMITH})
    assert got == {"Mexico": ("destination", SMITH), "Tijuana": ("stop", SMITH)}


def test_a_motion_noun_ties_like_its_verb():
    # "upon arrival at X" is "arrived at X"; "after his departure from Y" is "departed Y"
    doc = parse("""
        Upon      upon      ADP   IN  prep      5
        arrival   arrival   NOUN  NN  pobj      0
        at        at        ADP   IN  prep      1
        Lima      Lima      PROPN NNP pobj      2  GPE
        Smith     Smith     PROPN NNP nsubj     5
        rested    rest      VERB  VBD ROOT      5
        after     after     ADP   IN  prep      5
        his       his       PRON  PRP$ poss     8
        departure departure NOUN  NN  pobj      6
        from      from      ADP   IN  prep      8
        Quito     Quito     PROPN NNP pobj      9  GPE
    """)
    got = roles(doc, [place(doc, 3), place(doc, 10)], {4: SMITH, 7: SMITH})
    assert got == {"Lima": ("destination", SMITH), "Quito": ("origin", SMITH)}


def test_a_nominalised_crossing_of_a_place_is_a_transit():
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj 1
        finished  finish    VERB  VBD ROOT  1
        his       his       PRON  PRP$ poss 3
        passage   passage   NOUN  NN  dobj  1
        of        of        ADP   IN  prep  3
        Panama    Panama    PROPN NNP pobj  4  GPE
    """)
    assert roles(doc, [place(doc, 5)], {0: SMITH, 2: SMITH}) == {"Panama": ("transit", SMITH)}


# --- stops -------------------------------------------------------------------------------------

def test_halting_a_vessel_or_a_party_is_a_stop():
    # "anchored at X", "put in at X", "called at X", "stopped at X"
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj 1
        anchored anchor   VERB  VBD ROOT  1
        at       at       ADP   IN  prep  1
        Funchal  Funchal  PROPN NNP pobj  2  GPE
        ,        ,        PUNCT ,   punct 1
        put      put      VERB  VBD conj  1
        in       in       ADP   RP  prt   5
        at       at       ADP   IN  prep  5
        Cadiz    Cadiz    PROPN NNP pobj  7  GPE
        and      and      CCONJ CC  cc    5
        called   call     VERB  VBD conj  5
        at       at       ADP   IN  prep  10
        Tangier  Tangier  PROPN NNP pobj  11 GPE
        ,        ,        PUNCT ,   punct 10
        stopping stop     VERB  VBG advcl 10
        at       at       ADP   IN  prep  14
        Rabat    Rabat    PROPN NNP pobj  15 GPE
    """)
    got = roles(doc, [place(doc, i) for i in (3, 8, 12, 16)], {0: SMITH})
    assert got == {p: ("stop", SMITH) for p in ("Funchal", "Cadiz", "Tangier", "Rabat")}


def test_stopping_someone_somewhere_is_no_halt():
    doc = parse("""
        Police   police   NOUN  NNS nsubj 1
        stopped  stop     VERB  VBD ROOT  1
        Smith    Smith    PROPN NNP dobj  1
        at       at       ADP   IN  prep  1
        Rabat    Rabat    PROPN NNP pobj  3  GPE
    """)
    assert roles(doc, [place(doc, 4)], {2: SMITH}) == {"Rabat": ("event", SMITH)}


def test_custody_is_a_stop_and_an_arrest_in_a_place_an_event():
    # "was held at a prison in X", "was detained at X": where the person was kept; "detained in X": an arrest
    doc = parse("""
        Smith     Smith     PROPN NNP nsubjpass 2
        was       be        AUX   VBD auxpass   2
        held      hold      VERB  VBN ROOT      2
        at        at        ADP   IN  prep      2
        a         a         DET   DT  det       5
        prison    prison    NOUN  NN  pobj      3
        in        in        ADP   IN  prep      5
        Miami     Miami     PROPN NNP pobj      6  GPE
        .         .         PUNCT .   punct     2
        He        he        PRON  PRP nsubjpass 11
        was       be        AUX   VBD auxpass   11
        detained  detain    VERB  VBN ROOT      11
        in        in        ADP   IN  prep      11
        Spain     Spain     PROPN NNP pobj      12 GPE
        and       and       CCONJ CC  cc        11
        at        at        ADP   IN  prep      11
        Madrid    Madrid    PROPN NNP pobj      15 GPE
    """)
    got = roles(doc, [place(doc, 7), place(doc, 13), place(doc, 16)], {0: SMITH, 9: SMITH})
    assert got == {"Miami": ("stop", SMITH), "Spain": ("event", SMITH), "Madrid": ("stop", SMITH)}


def test_a_legal_or_institutional_setting_is_an_event():
    # "pleaded guilty in federal court in X", "was sentenced in X": where a thing was done to or by the person
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj     1
        pleaded   plead     VERB  VBD ROOT      1
        guilty    guilty    ADJ   JJ  acomp     1
        in        in        ADP   IN  prep      1
        federal   federal   ADJ   JJ  amod      5
        court     court     NOUN  NN  pobj      3
        in        in        ADP   IN  prep      5
        Brooklyn  Brooklyn  PROPN NNP pobj      6  GPE
        and       and       CCONJ CC  cc        1
        was       be        AUX   VBD auxpass   10
        sentenced sentence  VERB  VBN conj      1
        in        in        ADP   IN  prep      10
        Chicago   Chicago   PROPN NNP pobj      11 GPE
    """)
    got = roles(doc, [place(doc, 7), place(doc, 12)], {0: SMITH})
    assert got == {"Brooklyn": ("event", SMITH), "Chicago": ("event", SMITH)}


# --- what ties nobody --------------------------------------------------------------------------

def test_purpose_and_avoidance_tie_nobody():
    # "sailed north to avoid the currents of X": X is where the person did not go
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj 1
        sailed   sail     VERB  VBD ROOT  1
        north    north    ADV   RB  advmod 1
        to       to       PART  TO  aux   4
        avoid    avoid    VERB  VB  advcl 1
        the      the      DET   DT  det   6
        currents current  NOUN  NNS dobj  4
        of       of       ADP   IN  prep  6
        Tasmania Tasmania PROPN NNP pobj  7  GPE
    """)
    assert roles(doc, [place(doc, 8)], {0: SMITH}) == {}


def test_a_goal_in_an_infinitive_of_purpose_is_no_move():
    # "left X to make the pilgrimage to Y": Y is what was meant, not yet reached
    doc = parse("""
        Smith      Smith      PROPN NNP nsubj 1
        left       leave      VERB  VBD ROOT  1
        Tangier    Tangier    PROPN NNP dobj  1  GPE
        to         to         PART  TO  aux   4
        make       make       VERB  VB  advcl 1
        the        the        DET   DT  det   6
        pilgrimage pilgrimage NOUN  NN  dobj  4
        to         to         ADP   IN  prep  6
        Mecca      Mecca      PROPN NNP pobj  7  GPE
    """)
    assert roles(doc, [place(doc, 2), place(doc, 8)], {0: SMITH}) == {"Tangier": ("origin", SMITH)}


def test_instead_of_and_rather_than_tie_nobody():
    doc = parse("""
        Instead  instead  ADV   RB  advmod 1
        of       of       ADP   IN  prep   7
        going    go       VERB  VBG pcomp  1
        to       to       ADP   IN  prep   2
        Lima     Lima     PROPN NNP pobj   3  GPE
        ,        ,        PUNCT ,   punct  7
        Smith    Smith    PROPN NNP nsubj  7
        went     go       VERB  VBD ROOT   7
        to       to       ADP   IN  prep   7
        Quito    Quito    PROPN NNP pobj   8  GPE
        rather   rather   ADV   RB  advmod 11
        than     than     ADP   IN  cc     9
        Cusco    Cusco    PROPN NNP pobj   11 GPE
    """)
    got = roles(doc, [place(doc, 4), place(doc, 9), place(doc, 12)], {6: SMITH})
    assert got == {"Quito": ("destination", SMITH)}


def test_a_deed_a_court_judges_is_no_move_at_its_date():
    # "Smith was sentenced in Miami for re-entering the United States": the charge names a deed, not a move
    doc = parse("""
        Smith      Smith      PROPN NNP nsubjpass 2
        was        be         AUX   VBD auxpass   2
        sentenced  sentence   VERB  VBN ROOT      2
        in         in         ADP   IN  prep      2
        Miami      Miami      PROPN NNP pobj      3  GPE
        for        for        ADP   IN  prep      2
        re-entering re-enter  VERB  VBG pcomp     5
        the        the        DET   DT  det       9
        United     United     PROPN NNP compound  9  GPE
        States     States     PROPN NNP dobj      6  GPE
    """)
    got = roles(doc, [place(doc, 4), place(doc, 8, 10)], {0: SMITH})
    assert got == {"Miami": ("event", SMITH)}
    # the same deed told as a move is one: "Smith re-entered the United States"
    doc = parse("""
        Smith       Smith     PROPN NNP nsubj    1
        re-entered  re-enter  VERB  VBD ROOT     1
        the         the       DET   DT  det      4
        United      United    PROPN NNP compound 4  GPE
        States      States    PROPN NNP dobj     1  GPE
    """)
    assert roles(doc, [place(doc, 3, 5)], {0: SMITH}) == {"United States": ("destination", SMITH)}


def test_a_place_in_the_title_before_a_name_ties_nobody():
    # "U.S. District Judge Ann Lee ordered ... in Miami": the office's country is no place she was
    doc = parse("""
        U.S.      U.S.      PROPN NNP compound 2  GPE
        District  District  PROPN NNP compound 2
        Judge     Judge     PROPN NNP compound 4
        Ann       Ann       PROPN NNP compound 4  PERSON
        Lee       Lee       PROPN NNP nsubj    5  PERSON
        ruled     rule      VERB  VBD ROOT     5
        in        in        ADP   IN  prep     5
        Miami     Miami     PROPN NNP pobj     6  GPE
    """)
    lee = ("Ann Lee",)
    assert roles(doc, [place(doc, 0), place(doc, 7)], {3: lee, 4: lee}) == {"Miami": ("event", lee)}


def test_a_move_kept_from_happening_is_attempted_by_the_one_kept():
    doc = parse("""
        Storms    storm     NOUN  NNS nsubj 1
        prevented prevent   VERB  VBD ROOT  1
        Smith     Smith     PROPN NNP dobj  1
        from      from      ADP   IN  prep  1
        reaching  reach     VERB  VBG pcomp 3
        Lima      Lima      PROPN NNP dobj  4  GPE
    """)
    assert roles(doc, [place(doc, 5)], {2: SMITH}) == {"Lima": ("attempted", SMITH)}


def test_a_negated_move_ties_nobody():
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj 2
        never    never    ADV   RB  neg   2
        reached  reach    VERB  VBD ROOT  2
        Lima     Lima     PROPN NNP dobj  2  GPE
    """)
    assert roles(doc, [place(doc, 3)], {0: SMITH}) == {}


# --- places that only qualify or rename another ------------------------------------------------

def test_a_present_day_place_only_qualifies_the_one_before_it():
    # "travelled to X in present-day Y": X is the stop; Y stands in for X only when X could not be placed
    table = """
        Smith     Smith     PROPN NNP nsubj    1
        travelled travel    VERB  VBD ROOT     1
        to        to        ADP   IN  prep     1
        Kaylukari Kaylukari PROPN NNP pobj     2  GPE
        in        in        ADP   IN  prep     1
        present   present   ADJ   JJ  amod     7
        -         -         PUNCT HYPH punct   7
        day       day       NOUN  NN  compound 8
        Aceh      Aceh      PROPN NNP pobj     4  GPE
    """
    doc = parse(table)
    assert roles(doc, [place(doc, 3), place(doc, 8)], {0: SMITH}) == {"Kaylukari": ("destination", SMITH)}
    doc = parse(table)
    assert roles(doc, [place(doc, 3, resolved=False), place(doc, 8)], {0: SMITH}) == {"Aceh": ("destination", SMITH)}


def test_a_modern_name_in_apposition_only_qualifies():
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj 1
        sailed    sail      VERB  VBD ROOT  1
        to        to        ADP   IN  prep  1
        Persia    Persia    PROPN NNP pobj  2  GPE
        (         (         PUNCT -LRB- punct 3
        now       now       ADV   RB  advmod 6
        Iran      Iran      PROPN NNP appos 3  GPE
        )         )         PUNCT -RRB- punct 3
    """)
    assert roles(doc, [place(doc, 3, resolved=False), place(doc, 6)], {0: SMITH}) == {"Iran": ("destination", SMITH)}


def test_another_name_ties_nobody_and_a_named_noun_ties_as_itself():
    # "Anjouan (also known as Johanna)": Johanna is another name; "at a place now known as X": X is that place
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj     1
        sailed    sail      VERB  VBD ROOT      1
        to        to        ADP   IN  prep      1
        Anjouan   Anjouan   PROPN NNP pobj      2  GPE
        (         (         PUNCT -LRB- punct   6
        also      also      ADV   RB  advmod    6
        known     know      VERB  VBN parataxis 1
        as        as        ADP   IN  prep      6
        Johanna   Johanna   PROPN NNP pobj      7  GPE
        )         )         PUNCT -RRB- punct   6
        and       and       CCONJ CC  cc        1
        landed    land      VERB  VBD conj      1
        at        at        ADP   IN  prep      11
        a         a         DET   DT  det       14
        place     place     NOUN  NN  pobj      12
        now       now       ADV   RB  advmod    16
        known     know      VERB  VBN acl       14
        as        as        ADP   IN  prep      16
        Kurnell   Kurnell   PROPN NNP pobj      17 GPE
    """)
    got = roles(doc, [place(doc, 3), place(doc, 8), place(doc, 18)], {0: SMITH})
    assert got == {"Anjouan": ("destination", SMITH), "Kurnell": ("destination", SMITH)}


def test_conjuncts_of_a_name_the_model_misread_share_its_relation():
    # "sailed to India, Borneo and Japan" with Borneo taken for a person: Japan is still a destination
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        sailed  sail    VERB  VBD ROOT  1
        to      to      ADP   IN  prep  1
        India   India   PROPN NNP pobj  2  GPE
        ,       ,       PUNCT ,   punct 3
        Borneo  Borneo  PROPN NNP conj  3  PERSON
        and     and     CCONJ CC  cc    5
        Japan   Japan   PROPN NNP conj  5  GPE
    """)
    got = roles(doc, [place(doc, 3), place(doc, 7)], {0: SMITH})
    assert got == {"India": ("destination", SMITH), "Japan": ("destination", SMITH)}


def test_a_participle_the_parser_hung_on_a_place_is_the_subjects():
    # "returned via X and then the Cape, arriving at Y": the place does not arrive, the subject does
    doc = parse("""
        He        he        PRON  PRP nsubj  1
        returned  return    VERB  VBD ROOT   1
        via       via       ADP   IN  prep   1
        Batavia   Batavia   PROPN NNP pobj   2  GPE
        and       and       CCONJ CC  cc     3
        the       the       DET   DT  det    6
        Cape      Cape      PROPN NNP conj   3  LOC
        ,         ,         PUNCT ,   punct  6
        arriving  arrive    VERB  VBG acl    6
        at        at        ADP   IN  prep   8
        Helena    Helena    PROPN NNP pobj   9  GPE
    """)
    got = roles(doc, [place(doc, 3), place(doc, 10)], {0: SMITH})
    assert got == {"Batavia": ("transit", SMITH), "Helena": ("destination", SMITH)}


def test_a_name_given_further_up_the_phrase_ties_nobody():
    # "referred to himself as the ambassador from the Delhi Sultanate": Delhi is in a name he gave himself
    doc = parse("""
        He        he        PRON  PRP nsubj    1
        referred  refer     VERB  VBD ROOT     1
        to        to        ADP   IN  prep     1
        himself   himself   PRON  PRP pobj     2
        as        as        ADP   IN  prep     1
        the       the       DET   DT  det      6
        ambassador ambassador NOUN NN pobj     4
        from      from      ADP   IN  prep     6
        the       the       DET   DT  det      10
        Delhi     Delhi     PROPN NNP compound 10 GPE
        Sultanate Sultanate PROPN NNP pobj     7
    """)
    assert roles(doc, [place(doc, 9)], {0: SMITH, 3: SMITH}) == {}


def test_along_is_a_transit():
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        sailed  sail    VERB  VBD ROOT  1
        along   along   ADP   IN  prep  1
        the     the     DET   DT  det   4
        coast   coast   NOUN  NN  pobj  2
        of      of      ADP   IN  prep  4
        Africa  Africa  PROPN NNP pobj  5  LOC
    """)
    assert roles(doc, [place(doc, 6)], {0: SMITH}) == {"Africa": ("transit", SMITH)}


def _on_may_1(doc, start: int):
    from geo.extraction.dates import ParsedDate
    from geo.model import DateMention, Sentence

    may = doc[start:start + 2]
    sentence = Sentence("t", 0, len(doc.text), doc.text)
    return [(DateMention("t", may.text, may.start_char, may.end_char, sentence, "2010-05-01", None, "day"),
             ParsedDate("2010-05-01", None, "day"))]


def test_a_move_joined_to_another_kind_of_clause_takes_its_date():
    # "was found on May 1 and was held at X": the custody began then
    doc = parse("""
        On        on        ADP   IN  prep      5
        May       May       PROPN NNP pobj      0  DATE
        1         1         NUM   CD  nummod    1  DATE
        Smith     Smith     PROPN NNP nsubjpass 5
        was       be        AUX   VBD auxpass   5
        found     find      VERB  VBN ROOT      5
        and       and       CCONJ CC  cc        5
        was       be        AUX   VBD auxpass   8
        held      hold      VERB  VBN conj      5
        at        at        ADP   IN  prep      8
        Miami     Miami     PROPN NNP pobj      9  GPE
    """)
    facts = facts_for(doc, (place(doc, 10),), {3: SMITH}, _on_may_1(doc, 1))
    assert [(f.role, f.date) for f in facts] == [("stop", 0)]


def test_a_move_in_a_series_of_moves_is_dated_by_its_own_words():
    # "left X on May 1 and reached Y": Y's date is not X's
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj     1
        left      leave     VERB  VBD ROOT      1
        Miami     Miami     PROPN NNP dobj      1  GPE
        on        on        ADP   IN  prep      1
        May       May       PROPN NNP pobj      3  DATE
        1         1         NUM   CD  nummod    4  DATE
        and       and       CCONJ CC  cc        1
        reached   reach     VERB  VBD conj      1
        Lima      Lima      PROPN NNP dobj      7  GPE
    """)
    facts = facts_for(doc, (place(doc, 2), place(doc, 8)), {0: SMITH}, _on_may_1(doc, 4))
    assert [(f.role, f.date) for f in facts] == [("origin", 0), ("destination", None)]


def test_a_vehicle_ties_like_travel_as_an_object_or_as_the_noun_a_place_hangs_on():
    # "caught the train to X" (the parser hangs "to X" on the train), "hired a car in Y", "took a taxi from Z"
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        caught  catch   VERB  VBD ROOT  1
        the     the     DET   DT  det   3
        train   train   NOUN  NN  dobj  1
        to      to      ADP   IN  prep  3
        Penrith Penrith PROPN NNP pobj  4  GPE
        and     and     CCONJ CC  cc    1
        hired   hire    VERB  VBD conj  1
        a       a       DET   DT  det   9
        car     car     NOUN  NN  dobj  7
        in      in      ADP   IN  prep  7
        Kendal  Kendal  PROPN NNP pobj  10 GPE
    """)
    got = roles(doc, [place(doc, 5), place(doc, 11)], {0: SMITH})
    assert got == {"Penrith": ("destination", SMITH), "Kendal": ("stop", SMITH)}


def test_a_light_verb_with_a_stay_or_a_meal_is_a_stop():
    # "had lunch at a pub in X", "made a brief stop in Y"
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        had     have    VERB  VBD ROOT  1
        lunch   lunch   NOUN  NN  dobj  1
        at      at      ADP   IN  prep  1
        a       a       DET   DT  det   5
        pub     pub     NOUN  NN  pobj  3
        in      in      ADP   IN  prep  5
        Keswick Keswick PROPN NNP pobj  6  GPE
        and     and     CCONJ CC  cc    1
        made    make    VERB  VBD conj  1
        a       a       DET   DT  det   12
        stop    stop    NOUN  NN  dobj  9
        in      in      ADP   IN  prep  9
        Penrith Penrith PROPN NNP pobj  12 GPE
    """)
    got = roles(doc, [place(doc, 7), place(doc, 13)], {0: SMITH})
    assert got == {"Keswick": ("stop", SMITH), "Penrith": ("stop", SMITH)}


def test_touching_down_exploring_and_skirting():
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj 1
        touched   touch     VERB  VBD ROOT  1
        down      down      ADP   RP  prt   1
        in        in        ADP   IN  prep  1
        Leeds     Leeds     PROPN NNP pobj  3  GPE
        ,         ,         PUNCT ,   punct 1
        explored  explore   VERB  VBD conj  1
        Hawkshead Hawkshead PROPN NNP dobj  6  GPE
        and       and       CCONJ CC  cc    6
        skirted   skirt     VERB  VBD conj  6
        Windermere Windermere PROPN NNP dobj 9 GPE
    """)
    got = roles(doc, [place(doc, 4), place(doc, 7), place(doc, 10)], {0: SMITH})
    assert got == {"Leeds": ("stop", SMITH), "Hawkshead": ("destination", SMITH), "Windermere": ("transit", SMITH)}


def test_being_booked_into_a_jail_is_custody():
    doc = parse("""
        Smith   Smith   PROPN NNP nsubjpass 2
        was     be      AUX   VBD auxpass   2
        booked  book    VERB  VBN ROOT      2
        into    into    ADP   IN  prep      2
        a       a       DET   DT  det       5
        jail    jail    NOUN  NN  pobj      3
        in      in      ADP   IN  prep      5
        Dallas  Dallas  PROPN NNP pobj      6  GPE
    """)
    assert roles(doc, [place(doc, 7)], {0: SMITH}) == {"Dallas": ("stop", SMITH)}


def test_sending_a_thing_moves_nobody_and_bringing_it_moves_the_bringer():
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj 1
        sent      send      VERB  VBD ROOT  1
        letters   letter    NOUN  NNS dobj  1
        to        to        ADP   IN  prep  1
        Oslo      Oslo      PROPN NNP pobj  3  GPE
        and       and       CCONJ CC  cc    1
        brought   bring     VERB  VBD conj  1
        supplies  supply    NOUN  NNS dobj  6
        to        to        ADP   IN  prep  6
        Bergen    Bergen    PROPN NNP pobj  8  GPE
    """)
    assert roles(doc, [place(doc, 4), place(doc, 9)], {0: SMITH}) == {"Bergen": ("destination", SMITH)}


def test_the_object_of_a_motion_verb_with_a_particle_of_way_is_a_transit():
    # "sailed up the coast of X"
    doc = parse("""
        Smith   Smith   PROPN NNP nsubj 1
        sailed  sail    VERB  VBD ROOT  1
        up      up      ADP   RP  prt   1
        the     the     DET   DT  det   4
        coast   coast   NOUN  NN  dobj  1
        of      of      ADP   IN  prep  4
        Norway  Norway  PROPN NNP pobj  5  GPE
    """)
    assert roles(doc, [place(doc, 6)], {0: SMITH}) == {"Norway": ("transit", SMITH)}


def test_a_goal_behind_a_noun_of_intent_or_a_modal_is_no_move():
    # "left X with the intention of bringing him back to Y"; "agreed that he should take him to Z"
    doc = parse("""
        Smith     Smith     PROPN NNP nsubj  1
        left      leave     VERB  VBD ROOT   1
        Oslo      Oslo      PROPN NNP dobj   1  GPE
        with      with      ADP   IN  prep   1
        the       the       DET   DT  det    5
        intention intention NOUN  NN  pobj   3
        of        of        ADP   IN  prep   5
        bringing  bring     VERB  VBG pcomp  6
        him       he        PRON  PRP dobj   7
        back      back      ADV   RB  advmod 7
        to        to        ADP   IN  prep   7
        Bergen    Bergen    PROPN NNP pobj   10 GPE
        .         .         PUNCT .   punct  1
        He        he        PRON  PRP nsubj  14
        agreed    agree     VERB  VBD ROOT   14
        that      that      SCONJ IN  mark   18
        Smith     Smith     PROPN NNP nsubj  18
        should    should    AUX   MD  aux    18
        drive     drive     VERB  VB  ccomp  14
        to        to        ADP   IN  prep   18
        Tromso    Tromso    PROPN NNP pobj   19 GPE
    """)
    got = roles(doc, [place(doc, 2), place(doc, 11), place(doc, 20)], {0: SMITH, 8: ("Peter Holm",), 16: SMITH})
    assert got == {"Oslo": ("origin", SMITH)}


def test_accompanying_someone_somewhere_moves_both():
    doc = parse("""
        Smith       Smith     PROPN NNP nsubj 1
        accompanied accompany VERB  VBD ROOT  1
        Holm        Holm      PROPN NNP dobj  1
        to          to        ADP   IN  prep  1
        Stavanger   Stavanger PROPN NNP pobj  3  GPE
    """)
    got = roles(doc, [place(doc, 4)], {0: SMITH, 2: ("Peter Holm",)})
    assert got == {"Stavanger": ("destination", SMITH + ("Peter Holm",))}


# --- the date of a move ------------------------------------------------------------------------

def _dated(doc, start: int, end: int, iso: str):
    from geo.extraction.dates import ParsedDate
    from geo.model import DateMention, Sentence

    span = doc[start:end]
    sentence = Sentence("t", 0, len(doc.text), doc.text)
    return DateMention("t", span.text, span.start_char, span.end_char, sentence, iso, None, "day"), \
        ParsedDate(iso, precision="day")


def test_a_where_clause_on_the_area_of_a_destination_dates_the_stop():
    # "sailed to X in the present-day Y, where he signed a treaty on D": what was done there dates the stop
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        sailed   sail     VERB  VBD ROOT   1
        to       to       ADP   IN  prep   1
        Nosy     Nosy     PROPN NNP compound 4 GPE
        Be       Be       PROPN NNP pobj   2  GPE
        in       in       ADP   IN  prep   1
        Madagascar Madagascar PROPN NNP pobj 5 GPE
        ,        ,        PUNCT ,   punct  6
        where    where    SCONJ WRB advmod 10
        he       he       PRON  PRP nsubj  10
        signed   sign     VERB  VBD relcl  6
        a        a        DET   DT  det    12
        treaty   treaty   NOUN  NN  dobj   10
        on       on       ADP   IN  prep   10
        May      May      PROPN NNP pobj   13 DATE
        4        4        NUM   CD  nummod 14 DATE
        .        .        PUNCT .   punct  1
    """)
    dates = [_dated(doc, 14, 16, "1880-05-04")]
    facts = facts_for(doc, (place(doc, 3, 5), place(doc, 6)), {0: SMITH, 9: SMITH}, dates)
    got = {f.place: (f.role, f.date) for f in facts}
    assert got[0] == ("destination", 0)
    # a relative clause that is not a "where" clause says nothing done there
    doc2 = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        sailed   sail     VERB  VBD ROOT   1
        to       to       ADP   IN  prep   1
        Nosy     Nosy     PROPN NNP compound 4 GPE
        Be       Be       PROPN NNP pobj   2  GPE
        in       in       ADP   IN  prep   1
        Madagascar Madagascar PROPN NNP pobj 5 GPE
        ,        ,        PUNCT ,   punct  6
        which    which    PRON  WDT nsubj  10
        he       he       PRON  PRP dobj   10
        ruled    rule     VERB  VBD relcl  6
        a        a        DET   DT  det    12
        year     year     NOUN  NN  npadvmod 10
        on       on       ADP   IN  prep   10
        May      May      PROPN NNP pobj   13 DATE
        4        4        NUM   CD  nummod 14 DATE
        .        .        PUNCT .   punct  1
    """)
    facts = facts_for(doc2, (place(doc2, 3, 5), place(doc2, 6)), {0: SMITH}, [_dated(doc2, 14, 16, "1880-05-04")])
    assert {f.place: f.date for f in facts}.get(0) is None


def test_whoever_led_a_survey_of_places_was_there_at_its_date():
    from geo.extraction.encounters import work_facts

    # "the survey of X and Y, commenced under Captain Z in 1826": a work done on the ground puts its leader there
    table = """
        They     they     PRON  PRP nsubj    1
        finished finish   VERB  VBD ROOT     1
        the      the      DET   DT  det      3
        survey   survey   NOUN  NN  dobj     1
        of       of       ADP   IN  prep     3
        Patagonia Patagonia PROPN NNP pobj   4  GPE
        and      and      CCONJ CC  cc       5
        Chile    Chile    PROPN NNP conj     5  GPE
        ,        ,        PUNCT ,   punct    3
        begun    begin    VERB  VBN acl      3
        under    under    ADP   IN  prep     9
        Captain  Captain  PROPN NNP compound 12
        King     King     PROPN NNP pobj     10 PERSON
        in       in       ADP   IN  prep     9
        1826     1826     NUM   CD  pobj     13 DATE
        .        .        PUNCT .   punct    1
    """
    king = ("Captain King",)
    doc = parse(table)
    facts = work_facts(doc, (place(doc, 5), place(doc, 7)), {12: king}, [_dated(doc, 14, 15, "1826")])
    assert {f.place: (f.role, f.date) for f in facts if f.people == king} == {0: ("stop", 0), 1: ("stop", 0)}
    # a map of places is drawn anywhere: no one is put there
    doc = parse(table.replace("survey   survey", "map      map   "))
    facts = work_facts(doc, (place(doc, 5), place(doc, 7)), {12: king}, [_dated(doc, 14, 15, "1826")])
    assert not [f for f in facts if f.people == king]


def test_a_bearing_from_a_place_is_where_the_move_went():
    # "walking across the border west of X": the bearing frames X as the border box does ("the border town
    # of X"); the move's preposition decides the role
    doc = parse("""
        Smith    Smith   PROPN NNP nsubj     1
        walked   walk    VERB  VBD ROOT      1
        across   across  ADP   IN  prep      1
        the      the     DET   DT  det       5
        border   border  NOUN  NN  compound  5
        west     west    NOUN  NN  pobj      2
        of       of      ADP   IN  prep      5
        Nogales  Nogales PROPN NNP pobj      6  GPE
        .        .       PUNCT .   punct     1
    """)
    assert roles(doc, [place(doc, 7)], {0: SMITH}) == {"Nogales": ("transit", SMITH)}


def test_a_date_after_another_name_of_the_place_dates_the_move():
    # "Smith reached Belém (then called Pará) on 28 August": the parser hangs the date on "called"
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj     1
        reached  reach    VERB  VBD ROOT      1
        Belém    Belém    PROPN NNP dobj      1  GPE
        (        (        PUNCT -LRB- punct   5
        then     then     ADV   RB  advmod    5
        called   call     VERB  VBN parataxis 2
        Pará     Pará     PROPN NNP oprd      5
        )        )        PUNCT -RRB- punct   5
        on       on       ADP   IN  prep      5
        28       28       NUM   CD  nummod    10 DATE
        August   August   PROPN NNP pobj      8  DATE
    """)
    facts = facts_for(doc, (place(doc, 2),), {0: SMITH}, [_dated(doc, 9, 11, "1849-08-28")])
    assert [(f.role, f.date) for f in facts] == [("destination", 0)]


def test_a_second_date_past_a_conjoined_verb_is_that_verbs():
    # "Smith passed Óbidos in April and reached Manaus in June", both dates hung on "passed"
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        passed   pass     VERB  VBD ROOT   1
        Óbidos   Óbidos   PROPN NNP dobj   1  GPE
        in       in       ADP   IN  prep   1
        April    April    PROPN NNP pobj   3  DATE
        and      and      CCONJ CC  cc     1
        reached  reach    VERB  VBD conj   1
        Manaus   Manaus   PROPN NNP dobj   6  GPE
        in       in       ADP   IN  prep   1
        June     June     PROPN NNP pobj   8  DATE
    """)
    dates = [_dated(doc, 4, 5, "1850-04"), _dated(doc, 9, 10, "1850-06")]
    facts = facts_for(doc, (place(doc, 2), place(doc, 7)), {0: SMITH}, dates)
    assert {f.place: f.date for f in facts} == {0: 0, 1: 1}


def test_a_ship_that_carried_someone_somewhere_moved_them():
    # "The schooner carried Smith to Tefé"
    doc = parse("""
        The       the       DET   DT  det   1
        schooner  schooner  NOUN  NN  nsubj 2
        carried   carry     VERB  VBD ROOT  2
        Smith     Smith     PROPN NNP dobj  2
        to        to        ADP   IN  prep  2
        Tefé      Tefé      PROPN NNP pobj  4  GPE
    """)
    assert roles(doc, [place(doc, 5)], {3: SMITH}) == {"Tefé": ("destination", SMITH)}


def test_the_way_after_a_particle_owns_no_place_and_a_likeness_ties_nobody():
    # "Smith took the last stretch up the valley to Sarajevo", the parser making "up" a particle
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        took     take     VERB  VBD ROOT   1
        the      the      DET   DT  det    4
        last     last     ADJ   JJ  amod   4
        stretch  stretch  NOUN  NN  dobj   1
        up       up       ADP   RP  prt    1
        the      the      DET   DT  det    7
        valley   valley   NOUN  NN  dobj   1
        to       to       ADP   IN  prep   7
        Sarajevo Sarajevo PROPN NNP pobj   8  GPE
    """)
    assert roles(doc, [place(doc, 9)], {0: SMITH}) == {"Sarajevo": ("destination", SMITH)}
    # and a named way: "Smith walked up the Vale to Llanrwst"
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        walked   walk     VERB  VBD ROOT   1
        up       up       ADP   RP  prt    1
        the      the      DET   DT  det    4
        Vale     Vale     PROPN NNP dobj   1
        to       to       ADP   IN  prep   4
        Llanrwst Llanrwst PROPN NNP pobj   5  GPE
    """)
    assert roles(doc, [place(doc, 6)], {0: SMITH}) == {"Llanrwst": ("destination", SMITH)}
    # "the bazaar reminded Smith of Istanbul"
    doc = parse("""
        The      the      DET   DT  det    1
        bazaar   bazaar   NOUN  NN  nsubj  2
        reminded remind   VERB  VBD ROOT   2
        Smith    Smith    PROPN NNP dobj   2
        of       of       ADP   IN  prep   2
        Istanbul Istanbul PROPN NNP pobj   4  GPE
    """)
    assert roles(doc, [place(doc, 5)], {3: SMITH}) == {}


def test_what_one_only_planned_to_do_somewhere_ties_nobody():
    # "Smith planned to deliver the drugs in Miami": no deed done there, and no move
    doc = parse("""
        Smith    Smith    PROPN NNP nsubj  1
        planned  plan     VERB  VBD ROOT   1
        to       to       PART  TO  aux    3
        deliver  deliver  VERB  VB  xcomp  1
        the      the      DET   DT  det    5
        drugs    drug     NOUN  NNS dobj   3
        in       in       ADP   IN  prep   3
        Miami    Miami    PROPN NNP pobj   6  GPE
    """)
    assert roles(doc, [place(doc, 7)], {0: SMITH}) == {}
    # done, it is an event there
    doc = parse("""
        Smith      Smith    PROPN NNP nsubj  1
        delivered  deliver  VERB  VBD ROOT   1
        the        the      DET   DT  det    3
        drugs      drug     NOUN  NNS dobj   1
        in         in       ADP   IN  prep   1
        Miami      Miami    PROPN NNP pobj   4  GPE
    """)
    assert roles(doc, [place(doc, 5)], {0: SMITH}) == {"Miami": ("event", SMITH)}
