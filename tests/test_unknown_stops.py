"""Stops the gazetteer does not know: names told as where someone went (geo.extraction.goals), placed between
their neighbours on the route (geo.geocoding.between). Hand-built parses for the rule over the parse, plain
records for the placing, and a made-up walking tour through the whole pipeline."""

from __future__ import annotations

from handdoc import parse

from geo.extraction.goals import goal_names
from geo.geocoding.between import LOCAL_KM, neighbours, place_between
from geo.geography.distance import km
from geo.model import GOAL_LABEL, Candidate, Place, PlaceMention, Sentence, Tie
from geo.pipeline import analyse_text


def names(doc, known=lambda s, e: False, person_words=frozenset(), common=lambda w: False) -> list[str]:
    return [doc[s:e].text for s, e in goal_names(doc, known, person_words, common)]


# "We walked to Rydal and Grasmere." / "We returned by Hawkshead."
WALKED = parse("""
    We        we        PRON  PRP nsubj 1
    walked    walk      VERB  VBD ROOT  1
    to        to        ADP   IN  prep  1
    Tarnby    Tarnby    PROPN NNP pobj  2  PERSON
    and       and       CCONJ CC  cc    3
    Fellhead  Fellhead  PROPN NNP conj  3  ORG
    .         .         PUNCT .   punct 1
""")


def test_the_goal_of_a_walk_and_its_conjunct_are_places_whatever_the_model_called_them():
    assert names(WALKED) == ["Tarnby", "Fellhead"]


def test_a_known_place_conjunct_brings_in_the_unknown_one():
    doc = parse("""
        I         I         PRON  PRP nsubj 1
        returned  return    VERB  VBD ROOT  1
        by        by        ADP   IN  prep  1
        Coniston  Coniston  PROPN NNP pobj  2  PERSON
        and       and       CCONJ CC  cc    3
        Fellhead  Fellhead  PROPN NNP conj  3  ORG
        .         .         PUNCT .   punct 1
    """)
    coniston = (3, 4)
    assert names(doc, known=lambda s, e: (s, e) == coniston) == ["Fellhead"]


def test_what_is_not_a_goal():
    # the agent of a passive, not the way: "The photo was taken by Reuters."
    passive = parse("""
        The      the      DET   DT  det       1
        photo    photo    NOUN  NN  nsubjpass 3
        was      be       AUX   VBD auxpass   3
        taken    take     VERB  VBN ROOT      3
        by       by       ADP   IN  agent     3
        Reuters  Reuters  PROPN NNP pobj      4  ORG
        .        .        PUNCT .   punct     3
    """)
    assert names(passive) == []
    # a person: the subject of a verb elsewhere in the text ("Maria said ... ran to Maria")
    person = parse("""
        Maria  Maria  PROPN NNP nsubj 1  PERSON
        said   say    VERB  VBD ROOT  1
        so     so     ADV   RB  advmod 1
        and    and    CCONJ CC  cc    1
        Tom    Tom    PROPN NNP nsubj 5  PERSON
        ran    run    VERB  VBD conj  1
        to     to     ADP   IN  prep  5
        Maria  Maria  PROPN NNP pobj  6  PERSON
        .      .      PUNCT .   punct 1
    """)
    assert names(person) == []
    # not the goal of a move: "She worked at Brightlake."; an ordinary word; a word of a person's name
    worked = parse("""
        She         she         PRON  PRP nsubj 1
        worked      work        VERB  VBD ROOT  1
        at          at          ADP   IN  prep  1
        Brightlake  Brightlake  PROPN NNP pobj  2  ORG
        .           .           PUNCT .   punct 1
    """)
    assert names(worked) == []
    assert names(WALKED, common=lambda w: w == "tarnby") == ["Fellhead"]
    assert names(WALKED, person_words=frozenset({"fellhead"})) == ["Tarnby"]
    # the tail of a longer name: "sent to Immigration and Customs Enforcement"
    tail = parse("""
        He           he           PRON  PRP nsubjpass 2
        was          be           AUX   VBD auxpass   2
        sent         send         VERB  VBN ROOT      2
        to           to           ADP   IN  prep      2
        Customs      Customs      PROPN NNP compound  6  ORG
        Border       Border       PROPN NNP compound  6  ORG
        Enforcement  Enforcement  PROPN NNP pobj      3  ORG
        .            .            PUNCT .   punct     2
    """)
    assert names(tail) == ["Customs Border Enforcement"]  # the whole name, never its last word alone


def _place(text: str, at: int, chosen: Candidate | None, label: str = "GPE") -> Place:
    sentence = Sentence("t", 0, 200, "")
    return Place(PlaceMention("t", text, at, at + len(text), sentence, label), chosen)


def _town(name: str, lat: float, lon: float, kind: str = "city") -> Candidate:
    return Candidate(name, lat, lon, kind, country="GB", admin1="England", id=f"geonames:{name}")


def _route(*places: Place) -> list[Tie]:
    return [Tie(i, "A", "destination", order=i + 1) for i in range(len(places))]


def test_unplaced_stops_in_a_row_are_spaced_between_close_neighbours_in_their_order():
    west, east = _town("Westby", 54.0, -3.0), _town("Eastby", 54.0, -2.7)  # about 20 km apart
    places = [_place("Westby", 0, west), _place("Tarnby", 10, None), _place("Fellhead", 20, None, GOAL_LABEL),
              _place("Eastby", 30, east)]
    got, ties = place_between(places, _route(*places))
    tarn, fell = got[1].chosen, got[2].chosen
    assert got[1].geocoder == got[2].geocoder == "route"
    assert west.lon < tarn.lon < fell.lon < east.lon
    assert tarn.country == "GB" and tarn.kind == "site"
    assert neighbours(tarn) == ("Westby", "Eastby") and neighbours(west) is None
    assert len(ties) == 4


def test_far_neighbours_place_nothing_and_an_unplaced_guess_goes_with_its_ties():
    iceland, nuuk = _town("Reykjavik", 64.1, -21.9), _town("Nuuk", 64.2, -51.7)
    assert km(iceland.lat, iceland.lon, nuuk.lat, nuuk.lon) > LOCAL_KM
    places = [_place("Reykjavik", 0, iceland), _place("Sermilik", 10, None), _place("Umivik", 20, None, GOAL_LABEL),
              _place("Nuuk", 30, nuuk)]
    got, ties = place_between(places, _route(*places))
    assert [p.mention.text for p in got] == ["Reykjavik", "Sermilik", "Nuuk"]
    assert got[1].chosen is None  # a name the model called a place stays, unplaced and listed
    assert [(got[t.place].mention.text, t.order) for t in ties] == [("Reykjavik", 1), ("Sermilik", 2), ("Nuuk", 4)]


def test_a_country_as_neighbour_bounds_nothing():
    country = Candidate("England", 52.5, -1.5, "country", country="GB")
    places = [_place("England", 0, country), _place("Tarnby", 10, None), _place("Eastby", 20, _town("Eastby", 52.5, -1.4))]
    got, _ = place_between(places, _route(*places))
    assert got[1].chosen is None


DALES = ("Three Days in the Dales\nby Mary Acland\n\nWe left Skipton on the morning of the 4th of May and walked by the "
         "river to Grassington. From there we climbed over the moor to Kettlewell, where we slept at the inn, and the "
         "next day we went on to Hawes. On the third day we walked to Askrigg and Aysgarth, and so down the dale to "
         "Leyburn, where we took the coach home.")


def test_a_walking_tour_keeps_the_villages_the_gazetteer_lacks_in_order(resources):
    a = analyse_text(DALES, resources)
    stops = sorted((t for t in a.ties if t.person == "Mary Acland" and t.order is not None), key=lambda t: t.order)
    assert [a.places[t.place].mention.text for t in stops] == [
        "Skipton", "Grassington", "Kettlewell", "Hawes", "Askrigg", "Aysgarth", "Leyburn"]
    truth = {"Kettlewell": (54.146, -2.047), "Askrigg": (54.314, -2.083), "Aysgarth": (54.291, -2.000)}
    for t in stops:
        p = a.places[t.place]
        if p.mention.text in truth:
            assert p.geocoder == "route", p
            assert km(*truth[p.mention.text], p.chosen.lat, p.chosen.lon) < 15, p
    assert [p.name for p in a.people] == ["Mary Acland"]


def test_the_popup_of_a_stop_placed_by_its_route_says_so(resources):
    from geo.map.popups import Evidence, popup_html
    from geo.routes import group_places

    a = analyse_text(DALES, resources)
    groups = {g.place.mention.text: g for g in group_places(a.places)}
    evidence = Evidence(a)
    html = popup_html(groups["Kettlewell"], [t for t in a.ties if a.places[t.place].mention.text == "Kettlewell"],
                      evidence)
    assert "Not in the gazetteer: placed between Grassington and Hawes" in html
    assert "Not in the gazetteer" not in popup_html(groups["Hawes"], [], evidence)


def test_for_is_the_goal_of_setting_out_only():
    set_out = parse("""
        We      we      PRON  PRP nsubj 1
        set     set     VERB  VBD ROOT  1
        out     out     ADP   RP  prt   1
        for     for     ADP   IN  prep  1
        Tarnby  Tarnby  PROPN NNP pobj  3  ORG
        .       .       PUNCT .   punct 1
    """)
    assert names(set_out) == ["Tarnby"]
    worked = parse("""
        We      we      PRON  PRP nsubj 1
        walked  walk    VERB  VBD ROOT  1
        for     for     ADP   IN  prep  1
        Tarnby  Tarnby  PROPN NNP pobj  2  ORG
        .       .       PUNCT .   punct 1
    """)
    assert names(worked) == []  # "walked for Oxfam"


def test_a_clause_with_no_subject_is_the_diarists():
    from geo.extraction.groups import diary_clause

    # "October 3: rose at seven, & walked to Tarnby." - the date heading is no subject
    diary = parse("""
        October  October  PROPN NNP nsubj  3  DATE
        3        3        NUM   CD  nummod 0  DATE
        :        :        PUNCT :   punct  0
        rose     rise     VERB  VBD ROOT   3
        at       at       ADP   IN  prep   3
        seven    seven    NUM   CD  pobj   4
        &        &        CCONJ CC  cc     3
        walked   walk     VERB  VBD conj   3
        to       to       ADP   IN  prep   7
        Tarnby   Tarnby   PROPN NNP pobj   8
        .        .        PUNCT .   punct  3
    """)
    assert diary_clause(diary[7]) and diary_clause(diary[3])
    # a subject up the chain, or a passive, is not the diarist's
    subject = parse("""
        He      he      PRON  PRP nsubj 1
        rose    rise    VERB  VBD ROOT  1
        and     and     CCONJ CC  cc    1
        walked  walk    VERB  VBD conj  1
        to      to      ADP   IN  prep  3
        Tarnby  Tarnby  PROPN NNP pobj  4
        .       .       PUNCT .   punct 1
    """)
    assert not diary_clause(subject[3])
    passive = parse("""
        Was     be      AUX   VBD auxpass  1
        taken   take    VERB  VBN ROOT     1
        to      to      ADP   IN  prep     1
        Tarnby  Tarnby  PROPN NNP pobj     2
        .       .       PUNCT .   punct    1
    """)
    assert not diary_clause(passive[1])  # someone else moved the writer, or the writer someone else


JOURNAL = ("A Journal of a Ride\nby Anne Lister\n\nI left Halifax on the 3rd of May 1822 and rode by Keighley to "
           "Skipton, where I slept. Rose at six, and set out at nine for Hawes; then came slowly by Askrigg to "
           "Leyburn, and lay there.")


def test_a_journal_keeps_the_writers_route_through_clauses_without_a_subject(resources):
    a = analyse_text(JOURNAL, resources)
    stops = sorted((t for t in a.ties if t.person == "Anne Lister" and t.order is not None), key=lambda t: t.order)
    assert [a.places[t.place].mention.text for t in stops] == [
        "Halifax", "Keighley", "Skipton", "Hawes", "Askrigg", "Leyburn"]
    assert a.places[stops[3].place].chosen.country == "GB"  # the Hawes of the story, not a namesake
