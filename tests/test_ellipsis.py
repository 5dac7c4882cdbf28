"""Legs told without a verb (geo.extraction.ellipsis): hand-built parses for the rule, a made-up tour through the
pipeline."""

from __future__ import annotations

from handdoc import parse

from geo.extraction.ellipsis import _verbless_leg
from geo.pipeline import analyse_text

# "We dined at Kendal; thence to Tarnby."
THENCE = parse("""
    We      we      PRON  PRP nsubj 1
    dined   dine    VERB  VBD ROOT  1
    at      at      ADP   IN  prep  1
    Kendal  Kendal  PROPN NNP pobj  2
    ;       ;       PUNCT :   punct 1
    thence  thence  NOUN  NN  conj  1
    to      to      ADP   IN  prep  5
    Tarnby  Tarnby  PROPN NNP pobj  6
    .       .       PUNCT .   punct 1
""")

# "The next day by Tarnby to Fellhead."
NEXT_DAY = parse("""
    The       the       DET   DT  det   2
    next      next      ADJ   JJ  amod  2
    day       day       NOUN  NN  ROOT  2
    by        by        ADP   IN  prep  2
    Tarnby    Tarnby    PROPN NNP pobj  3
    to        to        ADP   IN  prep  2
    Fellhead  Fellhead  PROPN NNP pobj  5
    .         .         PUNCT .   punct 2
""")


def test_a_leg_on_no_verb_is_found_with_its_preposition():
    assert _verbless_leg(THENCE[7], {3: 0, 7: 1})[0] == "to"
    assert _verbless_leg(NEXT_DAY[4], {4: 0, 6: 1})[0] == "by"
    assert _verbless_leg(NEXT_DAY[6], {4: 0, 6: 1})[0] == "to"
    assert _verbless_leg(THENCE[3], {3: 0, 7: 1}) is None  # on a verb: the rules of moves read it


def test_a_place_a_noun_owns_is_no_leg():
    road = parse("""
        The     the     DET   DT  det   1
        road    road    NOUN  NN  ROOT  1
        to      to      ADP   IN  prep  1
        Tarnby  Tarnby  PROPN NNP pobj  2
        .       .       PUNCT .   punct 1
    """)
    assert _verbless_leg(road[3], {3: 0}) is None


TOUR = ("A Tour, by Jane Harden\n\nOn the 3d of June 1790 we left Lancaster, and dined at Kendal; thence to Ambleside. "
        "The next day by Rydal to Grasmere, and so on to Keswick. From Keswick I proceeded to Penrith, and the day "
        "following to Appleby.")


def test_a_tour_goes_on_through_legs_without_a_verb(resources):
    a = analyse_text(TOUR, resources)
    got = [a.places[t.place].mention.text for t in sorted(
        (t for t in a.ties if t.person == "Jane Harden" and t.order is not None), key=lambda t: t.order)]
    assert got == ["Lancaster", "Kendal", "Ambleside", "Rydal", "Grasmere", "Keswick", "Penrith", "Appleby"]


def test_a_verbless_leg_may_say_its_way_or_its_time_and_may_stand_alone():
    # "Thence by a rough road to Tarnby."
    road = parse("""
        Thence  thence  NOUN  NN  ROOT  0
        by      by      ADP   IN  prep  0
        a       a       DET   DT  det   4
        rough   rough   ADJ   JJ  amod  4
        road    road    NOUN  NN  pobj  1
        to      to      ADP   IN  prep  4
        Tarnby  Tarnby  PROPN NNP pobj  5
        .       .       PUNCT .   punct 0
    """)
    assert _verbless_leg(road[6], {6: 0})[0] == "to"
    # "To Tarnby, by the banks of the Dee."
    alone = parse("""
        To      to      ADP   IN  ROOT  0
        Tarnby  Tarnby  PROPN NNP pobj  0
        .       .       PUNCT .   punct 0
    """)
    assert _verbless_leg(alone[1], {1: 0}) == ("to", 0, [0])
