"""Filters on a small hand-built Analysis: what stays, what goes, and how ties are reindexed."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import box

from geo.errors import InputError
from geo.filters import NO_FILTERS, Filters, apply, date_range, date_span, match_people, region_members
from geo.model import Analysis, Candidate, Document, Person, Place, PlaceMention, Sentence, Tie
from geo.geography.regions import Region

TEXT = "Ali went from Istanbul to Gaziantep in June 2015. Sara flew from Paris to Raqqa in 2016. Rome is nice."
SENTENCE = Sentence("doc", 0, len(TEXT), TEXT)
ISTANBUL = Candidate("Istanbul", 41.01, 28.98, "city", "TR", id="g:1")
GAZIANTEP = Candidate("Gaziantep", 37.06, 37.38, "city", "TR", id="g:2")
PARIS = Candidate("Paris", 48.85, 2.35, "city", "FR", id="g:3")
RAQQA = Candidate("Raqqa", 35.95, 39.01, "city", "SY", id="g:4")
ROME = Candidate("Rome", 41.89, 12.48, "city", "IT", id="g:5")
SYRIA = Candidate("Syria", 35.0, 38.0, "country", "SY", id="country:SY")


def place(name: str, candidate: Candidate | None) -> Place:
    start = TEXT.index(name)
    return Place(PlaceMention("doc", name, start, start + len(name), SENTENCE, "GPE"), candidate)


def analysis() -> Analysis:
    places = (
        place("Istanbul", ISTANBUL),  # 0
        place("Gaziantep", GAZIANTEP),  # 1
        place("Paris", PARIS),  # 2
        place("Raqqa", RAQQA),  # 3
        place("Rome", ROME),  # 4: a plain mention
        place("nice", None),  # 5: unresolved, tied to nobody
    )
    ties = (
        Tie(0, "Ali", "origin", date="2015-06", order=0),
        Tie(1, "Ali", "destination", date="2015-06-14", order=1),
        Tie(2, "Sara", "origin", date="2016", order=0),
        Tie(3, "Sara", "destination", date="2016", order=1),
        Tie(3, "Ali", "event"),  # undated
    )
    people = (Person("Ali", ("Ali Yilmaz",)), Person("Sara Öztürk", ()), Person("Sara", ()))
    return Analysis((Document("doc", TEXT),), places, people, (), ties)


def names(view) -> list[str]:
    return [p.mention.text for p in view.analysis.places]


def test_no_filters_keep_everything():
    a = analysis()
    view = apply(a)
    assert view.analysis.places == a.places and view.analysis.ties == a.ties
    assert view.places == tuple(range(6)) and not view.filters.active


def test_person_filter_keeps_their_ties_only_and_reindexes():
    view = apply(analysis(), Filters(people={"Sara"}))
    assert names(view) == ["Paris", "Raqqa"]  # no plain mention: a person was asked for
    assert [(t.place, t.person, t.role) for t in view.analysis.ties] == [(0, "Sara", "origin"), (1, "Sara", "destination")]
    assert view.places == (2, 3)
    assert [p.name for p in view.analysis.people] == ["Sara"]


def test_an_empty_person_set_shows_nothing():
    assert names(apply(analysis(), Filters(people=frozenset()))) == []


@pytest.mark.parametrize("date_from,date_to,expected", [
    ("2015", "2015", ["Istanbul", "Gaziantep", "Raqqa", "Rome", "nice"]),  # undated kept by default
    ("2015-06-10", None, ["Istanbul", "Gaziantep", "Paris", "Raqqa", "Rome", "nice"]),  # June 2015 overlaps
    ("2015-07", "2015-12", ["Raqqa", "Rome", "nice"]),
    (None, "2015-06-13", ["Istanbul", "Raqqa", "Rome", "nice"]),
])
def test_date_range_keeps_what_overlaps_at_its_precision(date_from, date_to, expected):
    assert names(apply(analysis(), Filters(date_from=date_from, date_to=date_to))) == expected


def test_undated_items_can_be_dropped():
    view = apply(analysis(), Filters(undated=False))
    assert names(view) == ["Istanbul", "Gaziantep", "Paris", "Raqqa"]
    assert all(t.date for t in view.analysis.ties)


@pytest.mark.parametrize("roles,expected", [
    ({"movement"}, ["Istanbul", "Gaziantep", "Paris", "Raqqa"]),
    ({"event"}, ["Raqqa"]),
    ({"mention"}, ["Rome", "nice"]),
])
def test_role_groups(roles, expected):
    assert names(apply(analysis(), Filters(roles=roles))) == expected


def test_kind_filter_drops_unresolved_names():
    a = Analysis(analysis().documents, (*analysis().places, place("Raqqa", SYRIA)), analysis().people, (), ())
    assert names(apply(a, Filters(kinds={"country"}))) == ["Raqqa"]
    assert "nice" not in names(apply(a, Filters(kinds={"city"})))


def test_region_filter_takes_listed_places_and_those_inside_the_shape():
    a = analysis()
    syria_box = Region("macro:x", "Levant", "macro", box(35, 32, 43, 38), (), (), None, None, ("SY",))
    europe = Region("cluster:1", "Europe", "cluster", box(0, 40, 20, 50), (2, 4), ("Sara",), "2016", "2016", ("FR",))
    assert region_members([syria_box, europe], a) == {"macro:x": {1, 3}, "cluster:1": {2, 4}}
    view = apply(a, Filters(regions={"macro:x"}), [syria_box, europe])
    assert names(view) == ["Gaziantep", "Raqqa"]
    assert [r.id for r in view.regions] == ["macro:x"]  # the selected region is drawn, not the others


def test_regions_in_view_are_reindexed():
    europe = Region("cluster:1", "Europe", "cluster", box(0, 40, 20, 50), (2, 4), ("Sara",), "2016", "2016", ("FR",))
    view = apply(analysis(), Filters(people={"Sara"}), [europe])
    assert view.regions[0].places == (0,)  # Paris, now the first place; Rome is out of view


def test_an_unknown_region_is_refused_with_the_known_ones():
    with pytest.raises(InputError, match="cluster:1"):
        apply(analysis(), Filters(regions={"nope"}), [
            Region("cluster:1", "E", "cluster", box(0, 0, 1, 1), (), (), None, None, ())])


@pytest.mark.parametrize("kwargs,message", [
    ({"date_from": "June 2015"}, "YYYY-MM-DD"),
    ({"date_from": "2015-02-30"}, "not a date"),
    ({"date_from": "2016", "date_to": "2015"}, "swap"),
    ({"kinds": {"town"}}, "choose from country"),
    ({"roles": {"moves"}}, "movement"),
])
def test_bad_filters_are_refused_with_the_fix(kwargs, message):
    with pytest.raises(InputError, match=message):
        Filters(**kwargs)


def test_a_string_for_people_is_refused():
    with pytest.raises(TypeError, match=r"\['Ali'\]"):
        Filters(people="Ali")


def test_date_spans():
    assert date_span("2016") == (date(2016, 1, 1), date(2016, 12, 31))
    assert date_span("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert date_range(analysis()) == (date(2015, 6, 1), date(2016, 12, 31))
    assert date_range(Analysis((Document("d", "x"),))) is None


def test_people_are_matched_as_typed():
    a = analysis()
    assert match_people(a, ["ali yilmaz", "Öztürk"]) == ({"Ali", "Sara Öztürk"}, ())
    # "Sara" is a full name here, so it wins over the partial match in "Sara Öztürk".
    assert match_people(a, ["sara"]) == ({"Sara"}, ())
    assert match_people(a, ["Bob"]) == (frozenset(), ("Bob",))


def test_no_filters_is_the_default():
    assert Filters() == NO_FILTERS and not NO_FILTERS.active and Filters(undated=False).active
