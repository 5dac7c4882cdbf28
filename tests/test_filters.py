"""Filters on a small hand-built Analysis: what stays, what goes, and how ties are reindexed."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import box

from geo.errors import InputError
from geo.filters import (
    NO_FILTERS,
    Choices,
    Filters,
    MapView,
    Selection,
    Settings,
    apply,
    choices_of,
    date_range,
    date_span,
    filters_from_query,
    filters_of,
    match_people,
    query_from_filters,
    query_from_settings,
    region_members,
    selection_of,
    settings_from_query,
)
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


def test_an_unfiltered_view_is_the_analysis_itself_and_what_a_filter_that_drops_nothing_keeps():
    """Nothing filtered, nothing copied: what is made once from an analysis serves its unfiltered view too."""
    a = analysis()
    view = apply(a)
    assert view.analysis is a and view.full is a
    passing_all = apply(a, Filters(date_from="1900"))  # every date is later, and the undated are kept
    assert passing_all.analysis is not a and passing_all.analysis == view.analysis
    assert passing_all.places == view.places


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


def test_a_document_filter_keeps_that_document_only():
    other = Document("other", "Rome again.")
    rome = Place(PlaceMention("other", "Rome", 0, 4, Sentence("other", 0, 11, "Rome again."), "GPE"), ROME)
    a = analysis()
    two = Analysis((*a.documents, other), (*a.places, rome), a.people, (), (*a.ties, Tie(6, None, "mention")))
    view = apply(two, Filters(documents={"other"}))
    assert names(view) == ["Rome"] and [d.id for d in view.analysis.documents] == ["other"]
    assert [t.place for t in view.analysis.ties] == [0]
    assert names(apply(two, Filters(documents={"doc"}))) == names(apply(a))


# --- the URL's query <-> filters and settings ----------------------------------------------------

CHOICES = Choices(people=("Ali", "Sara"), kinds=("admin", "city"), regions=(("Levant", "macro:x"),),
                  dates=(date(2015, 6, 1), date(2016, 12, 31)), documents=("a", "b"))


@pytest.mark.parametrize("filters", [
    NO_FILTERS,
    Filters(people={"Sara"}),
    Filters(date_from="2015-07-01", date_to="2016-03-31", undated=False),
    Filters(roles={"movement", "event"}, kinds={"city"}, regions={"macro:x"}, documents={"b"}),
])
def test_filters_come_back_from_their_query(filters):
    query = query_from_filters(filters, CHOICES)
    assert filters_from_query(query, CHOICES) == filters
    assert filters_of(selection_of(filters, CHOICES), CHOICES) == filters


def test_a_query_holds_only_what_differs_from_no_filters():
    assert query_from_filters(NO_FILTERS, CHOICES) == {}
    assert query_from_filters(Filters(people={"Sara", "Ali"}, undated=False), CHOICES) == {
        "person": ["Ali", "Sara"], "undated": ["0"]}


@pytest.mark.parametrize("query", [
    {"kind": ["country"]},  # a kind this text has no place of
    {"person": ["Nobody"]},
    {"region": ["Atlantis"]},
    {"doc": ["c"]},
    {"role": ["moves"]},
    {"kind": ["admin", "city"]},  # every kind there is: no restriction
    {"from": ["1990"], "to": ["1991"]},  # before the text's dates
    {"from": ["2020-01-01"]},  # after them
    {"from": ["June 2015"], "to": ["2016-02-30"]},  # not dates
    {"from": ["2016"], "to": ["2015"]},  # the wrong way round
])
def test_a_value_the_text_lacks_restricts_nothing(query):
    assert filters_from_query(query, CHOICES) == NO_FILTERS


def test_values_the_text_has_are_kept_and_the_rest_dropped():
    filters = filters_from_query({"kind": ["city", "country"], "person": ["Sara", "Nobody"], "from": ["2015"],
                                  "to": ["2016-06"]}, CHOICES)
    assert filters == Filters(people={"Sara"}, kinds={"city"}, date_to="2016-06-30")  # from 2015: the text's start


def test_a_selection_shows_the_text_own_range():
    selection = selection_of(Filters(date_from="2016-01-01"), CHOICES)
    assert selection.dates == (date(2016, 1, 1), date(2016, 12, 31)) and selection.kinds == ()
    assert selection_of(NO_FILTERS, Choices()).dates is None  # no range of dates: no slider
    widened = filters_of(Selection(dates=(date(2015, 6, 1), date(2016, 12, 31)), kinds=("admin", "city")), CHOICES)
    assert widened == NO_FILTERS  # the whole range, every kind: nothing filtered


def test_choices_of_an_analysis():
    c = choices_of(analysis(), ["Ali", "Sara"])
    assert c.kinds == ("city",) and c.documents == ("doc",) and c.dates == (date(2015, 6, 1), date(2016, 12, 31))
    europe = Region("cluster:1", "Europe", "cluster", box(0, 40, 20, 50), (2, 4), ("Sara",), "2016", "2016", ("FR",))
    levant = Region("macro:x", "Levant", "macro", box(35, 32, 43, 38), (), (), None, None, ("SY",))
    twin = Region("cluster:2", "Europe", "cluster", box(0, 0, 1, 1), (), (), None, None, ())
    assert choices_of(analysis(), [], [europe, levant, twin]).regions == (
        ("Europe", "cluster:1"), ("Levant (named in the text)", "macro:x"), ("Europe [cluster:2]", "cluster:2"))


@pytest.mark.parametrize("settings", [
    Settings(),
    Settings(source="paste", text="0123456789abcdef0123456789abcdef", layers=("places",), tiles="online",
             tab="moves", view=MapView(41.0, 29.0, 6)),
    Settings(source="store", store="/data/store"),
])
def test_settings_come_back_from_their_query(settings):
    query = query_from_settings(settings)
    assert settings_from_query(query, layers=("places", "routes", "regions"), tabs=("people", "moves")) == settings


@pytest.mark.parametrize("query,expected", [
    ({"src": ["ftp"]}, Settings()),
    ({"src": ["paste"], "text": ["../../etc/passwd"]}, Settings(source="paste")),
    ({"text": ["0123456789abcdef0123456789abcdef"]}, Settings()),  # a text key belongs to a pasted or uploaded text
    ({"store": ["/data"]}, Settings()),
    ({"layer": ["places", "routes", "regions"], "tiles": ["satellite"], "tab": ["secret"]}, Settings()),
    ({"map": ["91,0,3"]}, Settings()),
    ({"map": ["41,29,x"]}, Settings()),
    ({"map": ["41,29,6,1"]}, Settings()),
])
def test_settings_refuse_what_is_not_offered(query, expected):
    assert settings_from_query(query, layers=("places", "routes", "regions"), tabs=("people",)) == expected


def test_a_map_view_is_written_as_precisely_as_its_zoom_needs():
    assert str(MapView(41.0123456, 28.9876543, 2)) == "41.01,28.99,2"
    assert str(MapView(41.0123456, 28.9876543, 14)) == "41.01235,28.98765,14"
    assert MapView.parse("41.01,28.99,2") == MapView(41.01, 28.99, 2)
    assert MapView.parse("") is None and MapView.parse("41,200,3") is None
