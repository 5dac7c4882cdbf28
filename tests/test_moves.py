"""Ties of people to places on short purpose-written texts, through the real pipeline."""

from __future__ import annotations

import pytest

from geo.extraction.moves import movement_leg
from geo.pipeline import analyse_text


def ties(resources, text: str) -> list[tuple]:
    """(person, place as written, role, date, order) in route order, events last."""
    a = analyse_text(text, resources)
    out = [(t.person, a.places[t.place].mention.text, t.role, t.date, t.order) for t in a.ties]
    return sorted(out, key=lambda t: (t[0] or "", t[4] is None, t[4] or 0, t[1]))


def route(resources, text: str, person: str) -> list[str]:
    return [t[1] for t in ties(resources, text) if t[0] == person and t[4] is not None]


@pytest.mark.parametrize("lemma,prep,leg", [
    ("travel", "from", "origin"), ("leave", "dobj", "origin"), ("return", "via", "transit"),
    ("cross", "dobj", "transit"), ("fly", "to", "destination"), ("leave", "for", "destination"),
    ("enter", "dobj", "destination"), ("arrive", "in", "destination"), ("travel", "in", "stop"),
])
def test_movement_legs(lemma, prep, leg):
    assert movement_leg(lemma, prep) == leg


def test_one_clause_gives_origin_transits_destination_in_that_order(resources):
    text = "Maria Lopez travelled to Madrid from Lima via Bogota and Lisbon in May 2019."
    assert route(resources, text, "Maria Lopez") == ["Lima", "Bogota", "Lisbon", "Madrid"]
    roles = {t[1]: t[2] for t in ties(resources, text)}
    assert roles == {"Lima": "origin", "Bogota": "transit", "Lisbon": "transit", "Madrid": "destination"}


def test_tried_and_caught_moves_are_attempted_and_a_later_deportation_is_not(resources):
    text = ("Omar Farouk flew to Istanbul on June 11, 2015. He was caught three days later as he was "
            "trying to cross into Syria and deported to Belgium on July 14, 2015.")
    got = {t[1]: (t[2], t[3]) for t in ties(resources, text)}
    assert got["Syria"] == ("attempted", "2015-06-14")
    assert got["Belgium"] == ("destination", "2015-07-14")


def test_relative_dates_count_from_the_narratives_last_time(resources):
    # Issue #13: "three days later" counts from the last time the narrative set, which another person's
    # sentence may have set, not from this person's own last dated place.
    text = ("Anna Berg reached Oslo on March 2, 2016. Peter Holm flew to Rome on May 20, 2016. "
            "Anna Berg arrived in Bergen 10 days later.")
    got = {(t[0], t[1]): t[3] for t in ties(resources, text)}
    assert got[("Anna Berg", "Oslo")] == "2016-03-02"
    assert got[("Anna Berg", "Bergen")] == "2016-05-30"


def test_a_stay_moves_the_clock_and_ends_the_stop(resources):
    text = ("Lena Fischer came to Turkey on January 2, 2015 and stayed in Istanbul for two days before "
            "going to Ankara, where she spent four days before crossing into Georgia.")
    a = analyse_text(text, resources)
    by_place = {a.places[t.place].mention.text: t for t in a.ties}
    assert [by_place[p].date for p in ("Istanbul", "Ankara", "Georgia")] == ["2015-01-02", "2015-01-04", "2015-01-08"]
    assert by_place["Istanbul"].date_end == "2015-01-04"
    assert [by_place[p].order for p in ("Turkey", "Istanbul", "Ankara", "Georgia")] == [1, 2, 3, 4]


def test_leaving_where_one_is_closes_the_stop_instead_of_adding_one(resources):
    text = ("Khalid Amrani entered Turkey on November 4, 2014 through an Istanbul airport. "
            "He left Turkey 10 days later.")
    assert route(resources, text, "Khalid Amrani") == ["Turkey", "Istanbul"]
    ends = [t.date_end for t in analyse_text(text, resources).ties if t.order == 2]
    assert ends == ["2014-11-14"]


def test_speakers_and_people_only_spoken_about_are_not_movers(resources):
    text = ("According to Abdullah Kaya, an expert, Hasan Demir went to Iraq in 2016. "
            "Kaya said President John Miller had done nothing.")
    people = {t[0] for t in ties(resources, text)}
    assert people == {"Hasan Demir"}


def test_the_object_moves_when_someone_is_sent_or_driven(resources):
    text = "Smugglers drove Amir Said across the desert to Sabha. Police later deported him to Egypt."
    assert route(resources, text, "Amir Said") == ["Sabha", "Egypt"]


def test_attacks_arrests_and_births_are_events_or_origins(resources):
    text = ("Tom Walker, a British national who was born in Kenya, killed 12 people at a concert in "
            "Manchester on May 22, 2017. He had travelled to Libya in 2016. He was arrested in Tripoli.")
    got = {t[1]: (t[2], t[3], t[4]) for t in ties(resources, text)}
    assert got["Manchester"] == ("event", "2017-05-22", None)
    assert got["Tripoli"][0] == "event"
    assert got["Kenya"] == ("origin", None, 1)  # a birthplace starts the route
    assert got["Libya"][0] == "destination"


def test_a_detention_where_a_tried_journey_began_is_on_the_route(resources):
    text = "Youssef Amar was detained in Italy in 2016 when he attempted to travel to Syria via Turkey."
    assert route(resources, text, "Youssef Amar") == ["Italy", "Turkey", "Syria"]
    assert {t[2] for t in ties(resources, text) if t[1] != "Italy"} == {"attempted"}


def test_places_that_act_or_only_qualify_tie_nobody(resources):
    text = ("The ban for Sami Nasser was imposed after Belgium issued a warrant. "
            "Sami Nasser flew from Miami, Florida to Bogota, Colombia.")
    got = {t[1]: t[2] for t in ties(resources, text) if t[0] == "Sami Nasser"}
    assert got == {"Miami": "origin", "Bogota": "destination"}


def test_a_place_in_a_noun_phrase_about_the_person_is_their_event(resources):
    text = ("Karim Haddad, one of the three Paris attackers who killed eight on June 3, 2017, "
            "was detained in Spain in 2016.")
    got = {t[1]: (t[2], t[3]) for t in ties(resources, text)}
    assert got["Paris"] == ("event", "2017-06-03")
    assert got["Spain"] == ("event", "2016")


def test_undated_stops_keep_text_order_and_dated_ones_sort_by_date(resources):
    text = ("Jan Novak arrived in Vienna on May 5, 2019. He had left Prague on May 3, 2019. "
            "Then he went on to Graz.")
    assert route(resources, text, "Jan Novak") == ["Prague", "Vienna", "Graz"]


def test_in_a_dated_text_a_move_told_as_earlier_is_not_the_news(resources):
    # a dateline's news is of its day; "had lived", "grew up" and a stay before a dated return are earlier
    dateline = "PARIS, March 3, 2024 (Reuters) - Police said on Sunday that "
    text = dateline + "Omar Haddad spent three years in Kabul before returning to Islamabad in 2019."
    got = [t for t in ties(resources, text) if t[0] == "Omar Haddad"]
    assert [(t[1], t[3]) for t in got] == [("Kabul", None), ("Islamabad", "2019")]
    text = "PARIS, March 3, 2024 (Reuters) - Sarah Kent, who grew up in Ohio, now lives in Denver."
    got = {t[1]: t[3] for t in ties(resources, text) if t[0] == "Sarah Kent"}
    assert got == {"Ohio": None, "Denver": "2024-03-03"}
    text = "PARIS, March 3, 2024 (Reuters) - Ann Lee, who had lived in Lyon for a decade, relocated to Marseille last year."
    assert route(resources, text, "Ann Lee") == ["Lyon", "Marseille"]


def test_retiring_somewhere_is_going_there(resources):
    text = "Grace Okonjo worked in Kano for ten years. She retired to Enugu in 2010."
    assert route(resources, text, "Grace Okonjo") == ["Kano", "Enugu"]


def test_a_light_verb_and_an_outing_is_a_move(resources):
    # "made excursions to X", "took a walk to X": the object says what the verb does
    text = "Maria Vogel stayed three days at Keswick, and made excursions to Cockermouth and Penrith."
    assert route(resources, text, "Maria Vogel") == ["Keswick", "Cockermouth", "Penrith"]
    text = "Maria Vogel stayed three days at Keswick, and made enquiries about Penrith."
    assert route(resources, text, "Maria Vogel") == ["Keswick"]


def test_the_way_along_which_one_went_owns_no_place(resources):
    # "down the dale to X": the dale is the way, not what X belongs to (the parser hangs X on the dale)
    text = "Maria Vogel left Hawes in the morning, and so down the dale to Leyburn, where she took the coach."
    assert route(resources, text, "Maria Vogel") == ["Hawes", "Leyburn"]


def test_older_travel_writings_halts_are_stops(resources):
    text = "Maria Vogel left Lancaster on 3 June 1790, and supped at Kendal. The next day she put up at an inn at Keswick."
    got = [t for t in ties(resources, text) if t[0] == "Maria Vogel" and t[4] is not None]
    assert [(p, r) for _, p, r, _, _ in got] == [("Lancaster", "origin"), ("Kendal", "stop"), ("Keswick", "stop")]


def test_who_does_something_in_a_where_clause_is_there(resources):
    text = "On 5 June 2019 Maria Vogel took the train to Madrid, where her host Lucía had left the keys."
    got = ties(resources, text)
    assert ("Lucía", "Madrid", "event", "2019-06-05", None) in got
    assert [t[2] for t in got if t[0] == "Maria Vogel"] == ["destination"]  # the traveller's move is not an event
    text = "On 5 June 2019 Maria Vogel flew to Panama City, Panama, where she stayed for four days."
    assert all(t[2] != "event" for t in ties(resources, text))
