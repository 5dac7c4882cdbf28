"""Routes derived once from an Analysis (geo.routes), and every reader drawing the same ones."""

from __future__ import annotations

import pytest
from test_mapview import badges, polylines, render

from geo import tables
from geo.export import to_geojson
from geo.filters import Filters, apply
from geo.map import build_map
from geo.model import Analysis, Candidate, Document, Place, PlaceMention, Sentence, Tie

TEXT = "Ana left Lima for Ecuador in 2019 and came back to Lima. Ben wrote about Quito."
LIMA = Candidate("Lima", -12.0432, -77.0282, "city", "PE", id="geonames:3936456")
ECUADOR = Candidate("Ecuador", -1.5, -78.0, "country", "EC", id="country:EC")
QUITO = Candidate("Quito", -0.2299, -78.5249, "city", "EC", id="geonames:3652462")


def mention(text: str, after: int = 0) -> PlaceMention:
    end = TEXT.index(". ") + 1
    first = Sentence("doc", 0, end, TEXT[:end])
    second = Sentence("doc", end + 1, len(TEXT), TEXT[end + 1:])
    start = TEXT.index(text, after)
    return PlaceMention("doc", text, start, start + len(text), first if start < end else second, "GPE")


def lima_and_back(*ties: Tie) -> Analysis:
    """Ana: Lima -> Ecuador -> Lima, the two Limas two mentions of one city."""
    places = (
        Place(mention("Lima"), LIMA),  # 0
        Place(mention("Ecuador"), ECUADOR),  # 1
        Place(mention("Lima", TEXT.index("back")), LIMA),  # 2
        Place(mention("Quito"), QUITO),  # 3
        Place(mention("Ben"), None),  # 4: unplaced
    )
    ties = ties or (
        Tie(0, "Ana", "origin", order=1),
        Tie(1, "Ana", "stop", date="2019", order=2),
        Tie(2, "Ana", "destination", order=3),
    )
    return Analysis(documents=(Document("doc", TEXT),), places=places, ties=ties)


def geojson_lines(analysis: Analysis) -> list[dict]:
    return [f for f in to_geojson(analysis)["features"] if f["geometry"]["type"] == "LineString"]


def test_the_routes_of_an_analysis():
    from geo.routes import routes

    (ana,) = routes(lima_and_back())
    assert ana.person == "Ana" and ana.is_line
    assert [(s.number, s.place, s.role) for s in ana.stops] == [(1, 0, "origin"), (2, 1, "stop"), (3, 2, "destination")]
    assert [s.point for s in ana.stops] == [(LIMA.lat, LIMA.lon), (ECUADOR.lat, ECUADOR.lon), (LIMA.lat, LIMA.lon)]
    assert (ana.stops[1].date, ana.stops[1].date_end, ana.stops[1].attempted) == ("2019", None, False)


def test_a_route_is_in_order_unordered_last_and_a_repeat_at_one_point_is_one_stop():
    from geo.routes import routes

    ties = (
        Tie(3, "Ana", "attempted", order=None),  # unordered: after every ordered stop
        Tie(1, "Ana", "destination", order=3),
        Tie(0, "Ana", "origin", order=1),
        Tie(2, "Ana", "stop", order=2),  # Lima again, right after Lima: the same stop
        Tie(1, "Ana", "event", order=5),  # not a move
        Tie(4, "Ana", "stop", order=4),  # unplaced: not on the route
        Tie(3, None, "mention"),
        Tie(3, "Ben", "destination", order=1),
    )
    ana, ben = routes(lima_and_back(*ties))
    assert [(s.number, s.place, s.tie.order) for s in ana.stops] == [(1, 0, 1), (2, 1, 3), (3, 3, None)]
    assert ana.stops[2].attempted and not ana.stops[0].attempted
    assert (ben.person, [s.place for s in ben.stops], ben.is_line) == ("Ben", [3], False)


def test_unplaced_stops_are_kept_apart_in_the_order_told():
    from geo.routes import unplaced_stops

    ties = (Tie(4, "Ana", "stop", order=2), Tie(0, "Ana", "origin", order=1), Tie(4, "Ben", "event"))
    assert unplaced_stops(lima_and_back(*ties)) == (ties[0],)


def test_every_reader_draws_the_same_route():
    a = lima_and_back()
    (line,) = geojson_lines(a)
    assert {k: line["properties"][k] for k in ("person", "role", "stops")} == {"person": "Ana", "role": "route", "stops": 3}
    assert line["geometry"]["coordinates"] == [[LIMA.lon, LIMA.lat], [ECUADOR.lon, ECUADOR.lat], [LIMA.lon, LIMA.lat]]
    page = render(build_map(a))
    assert polylines(page) == [[[LIMA.lat, LIMA.lon], [ECUADOR.lat, ECUADOR.lon], [LIMA.lat, LIMA.lon]]]
    assert [b["label"] for b in badges(page)] == ["1·3", "2"]  # Lima's badge: stops 1 and 3
    (ana,) = tables.people_rows(a)
    assert ana["stops"] == 3
    assert [r["stop"] for r in tables.move_rows(a)] == [1, 2, 3]


def test_a_route_filtered_to_one_point_is_one_stop_everywhere():
    """Lima -> Ecuador -> Lima with cities only: Lima twice in a row, one stop; no line in any reader.

    The GeoJSON export used to draw a LineString of two identical points (``stops: 2``)
    while the map and the People table showed one stop.
    """
    view = apply(lima_and_back(), Filters(kinds={"city"}))
    assert geojson_lines(view.analysis) == []
    page = render(build_map(view))
    assert polylines(page) == [] and badges(page) == []  # one stop is not a route
    (ana,) = tables.people_rows(view.analysis)
    assert ana["stops"] == 1
    assert [(r["stop"], r["place"]) for r in tables.move_rows(view.analysis)] == [(1, "Lima")]


def test_a_stop_that_could_not_be_placed_leaves_the_line_and_stays_in_the_moves():
    ties = (Tie(0, "Ana", "origin", order=1), Tie(4, "Ana", "stop", order=2), Tie(3, "Ana", "destination", order=3))
    a = lima_and_back(*ties)
    (line,) = geojson_lines(a)
    assert line["geometry"]["coordinates"] == [[LIMA.lon, LIMA.lat], [QUITO.lon, QUITO.lat]]
    moves = [(r["stop"], r["place"]) for r in tables.move_rows(a)]
    assert moves == [(1, "Lima"), (2, "Quito"), (None, tables.NOT_FOUND)]


@pytest.mark.parametrize("kinds", [None, {"city"}, {"country"}])
def test_the_geojson_lines_are_the_map_lines(kinds):
    view = apply(lima_and_back(), Filters(kinds=kinds))
    map_lines = polylines(render(build_map(view)))
    export_lines = [[[lat, lon] for lon, lat in f["geometry"]["coordinates"]] for f in geojson_lines(view.analysis)]
    assert export_lines == map_lines
