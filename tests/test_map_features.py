"""The map page's features as data and HTML, without a browser: routes that do not mislead, colours that stay
apart, a view kept or fitted, tiles that fall back, time on the routes, the text beside the map, how a date was
worked out, KML, and the titles of the exports. Their behaviour in Chromium is in tests/test_map_browser.py.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from test_mapview import badges, data_layers, js_strings, js_value, polylines, render, route_data

import geo.map as mapview
from geo import config, tables
from geo.export import EXPORT_FORMATS, export_view, to_geojson, to_kml
from geo.filters import apply
from geo.map.elements import safe_json
from geo.map.reader import reader_html
from geo.model import (
    Analysis,
    Candidate,
    DateMention,
    Document,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Sentence,
    Tie,
)
from geo.routes import routes, timeline_spans

TURKEY = Candidate("Turkey", 39.0, 35.0, "country", "TR", id="country:TR")
SYRIA = Candidate("Syria", 35.0, 38.5, "country", "SY", id="country:SY")
NETHERLANDS = Candidate("Netherlands", 52.1, 5.3, "country", "NL", id="country:NL")
ANTALYA = Candidate("Antalya", 36.9081, 30.6956, "city", "TR", id="geonames:323777")
GAZIANTEP = Candidate("Gaziantep", 37.0594, 37.3825, "city", "TR", id="geonames:314830")
ISTANBUL = Candidate("Istanbul", 41.0082, 28.9784, "city", "TR", id="geonames:745044")
KML = "{http://www.opengis.net/kml/2.2}"


class Story:
    """A hand-built analysis of one text: mentions found by their words, sentences split at '. '."""

    def __init__(self, text: str, doc_id: str = "story"):
        self.text, self.doc_id = text, doc_id
        self.sentences, start = [], 0
        for part in re.split(r"(?<=\.) ", text):
            self.sentences.append(Sentence(doc_id, start, start + len(part), part))
            start += len(part) + 1
        self.places: list[Place] = []
        self.people: dict[str, list[PersonMention]] = {}
        self.dates: list[DateMention] = []
        self.ties: list[Tie] = []

    def _find(self, words: str, after: str | None) -> tuple[int, Sentence]:
        start = self.text.index(words, self.text.index(after) if after else 0)
        return start, next(s for s in self.sentences if s.start <= start < s.end)

    def place(self, words: str, chosen: Candidate | None, *, after: str | None = None,
              candidates: tuple[Candidate, ...] = ()) -> int:
        start, sentence = self._find(words, after)
        mention = PlaceMention(self.doc_id, words, start, start + len(words), sentence, "GPE")
        self.places.append(Place(mention, chosen, candidates))
        return len(self.places) - 1

    def person(self, name: str, words: str | None = None, *, after: str | None = None) -> None:
        words = words or name
        start, sentence = self._find(words, after)
        self.people.setdefault(name, []).append(PersonMention(self.doc_id, words, start, start + len(words), sentence))

    def date(self, words: str, iso: str | None, *, after: str | None = None, precision: str = "day") -> None:
        start, sentence = self._find(words, after)
        self.dates.append(DateMention(self.doc_id, words, start, start + len(words), sentence, iso,
                                      precision=precision if iso else None))

    def tie(self, place: int, person: str, role: str, date: str | None = None, date_end: str | None = None) -> None:
        order = sum(1 for t in self.ties if t.person == person) + 1
        self.ties.append(Tie(place, person, role, date=date, date_end=date_end, order=order))

    def analysis(self) -> Analysis:
        return Analysis(
            documents=(Document(self.doc_id, self.text),),
            places=tuple(self.places),
            people=tuple(Person(name, mentions=tuple(ms)) for name, ms in self.people.items()),
            dates=tuple(self.dates),
            ties=tuple(self.ties),
        )


BAKRAOUI = ("Ibrahim flew to Turkey's resort of Antalya on June 11, 2015 and moved on to Gaziantep on June 14. "
            "He was caught three days later as he was trying to cross into Syria and deported to the Netherlands "
            "on July 14, 2015.")


def bakraoui() -> Analysis:
    s = Story(BAKRAOUI)
    s.person("Ibrahim")
    s.person("Ibrahim", "He")
    turkey, antalya, gaziantep = s.place("Turkey", TURKEY), s.place("Antalya", ANTALYA), s.place("Gaziantep", GAZIANTEP)
    syria, netherlands = s.place("Syria", SYRIA), s.place("Netherlands", NETHERLANDS)
    s.date("June 11, 2015", "2015-06-11")
    s.date("June 14", "2015-06-14")
    s.date("three days later", "2015-06-17")
    s.date("July 14, 2015", "2015-07-14")
    s.tie(turkey, "Ibrahim", "destination", "2015-06-11")
    s.tie(antalya, "Ibrahim", "destination", "2015-06-11")
    s.tie(gaziantep, "Ibrahim", "destination", "2015-06-14")
    s.tie(syria, "Ibrahim", "attempted", "2015-06-17")
    s.tie(netherlands, "Ibrahim", "destination", "2015-07-14")
    return s.analysis()


def at(c: Candidate) -> list[float]:
    return [c.lat, c.lon]


# --- a country named beside its city ----------------------------------------------------------


def test_a_country_named_beside_its_city_is_the_city_stop_on_the_map_the_tables_and_the_exports():
    a = bakraoui()
    (route,) = routes(a)
    assert [a.places[s.place].chosen.name for s in route.stops] == ["Antalya", "Gaziantep", "Syria", "Netherlands"]
    assert [s.number for s in route.stops] == [1, 2, 3, 4]
    assert [a.places[t.place].chosen.name for t in route.stops[0].beside] == ["Turkey"]  # kept, as evidence
    page = render(mapview.build_map(a))
    assert polylines(page) == [[at(ANTALYA), at(GAZIANTEP), at(NETHERLANDS)]]  # never Turkey's centre
    assert "in Turkey, named beside it" in route_data(page)[0]["popup"]
    assert [(r["stop"], r["place"]) for r in tables.move_rows(a)] == [
        (1, "Antalya"), (2, "Gaziantep"), (3, "Syria"), (4, "Netherlands")]
    (row,) = tables.people_rows(a)
    assert row["stops"] == 4
    line = next(f for f in to_geojson(a)["features"] if f["properties"].get("role") == "route")
    assert line["geometry"]["coordinates"] == [[c.lon, c.lat] for c in (ANTALYA, GAZIANTEP, NETHERLANDS)]
    legs = [p for p in ET.fromstring(to_kml(a, "x")).iter(f"{KML}Placemark")
            if p.find(f"{KML}LineString") is not None]
    assert [p.find(f"{KML}name").text for p in legs] == [
        "1 Antalya → 2 Gaziantep", "2 Gaziantep ⇢ 3 Syria (attempted, not made)", "2 Gaziantep → 4 Netherlands"]


def folded(text: str, first: tuple, second: tuple) -> list[str]:
    """The stops drawn for one person's two ties: (words, candidate, role, date) each."""
    s = Story(text)
    for words, candidate, role, when in (first, second):
        s.tie(s.place(words, candidate), "Ana", role, when)
    a = s.analysis()
    return [a.places[stop.place].chosen.name for route in routes(a) for stop in route.stops]


@pytest.mark.parametrize("text,first,second,drawn", [
    # A city then its country, in one sentence, undated: the city.
    ("Ana landed in Istanbul, Turkey.", ("Istanbul", ISTANBUL, "destination", None),
     ("Turkey", TURKEY, "destination", None), ["Istanbul"]),
    # In two sentences, on the same date: the city.
    ("Ana reached Turkey on 4 May. On 4 May she was in Istanbul.", ("Turkey", TURKEY, "destination", "2014-05-04"),
     ("Istanbul", ISTANBUL, "stop", "2014-05-04"), ["Istanbul"]),
    # A month that holds the city's day overlaps it: the same date.
    ("Ana went to Turkey in May. She was in Istanbul on 4 May.", ("Turkey", TURKEY, "destination", "2014-05"),
     ("Istanbul", ISTANBUL, "stop", "2014-05-04"), ["Istanbul"]),
    # Different dates, in different sentences: two journeys, both drawn.
    ("Ana went to Turkey in 2013. In 2015 she moved to Istanbul.", ("Turkey", TURKEY, "destination", "2013"),
     ("Istanbul", ISTANBUL, "destination", "2015"), ["Turkey", "Istanbul"]),
    # One sentence whose dates disagree: both drawn.
    ("Ana was in Turkey in 2013 and in Istanbul in 2015.", ("Turkey", TURKEY, "stop", "2013"),
     ("Istanbul", ISTANBUL, "stop", "2015"), ["Turkey", "Istanbul"]),
    # A city of another country: both drawn.
    ("Ana left Syria for Istanbul.", ("Syria", SYRIA, "origin", None), ("Istanbul", ISTANBUL, "destination", None),
     ["Syria", "Istanbul"]),
    # An attempt is not the journey made beside it.
    ("Ana flew to Istanbul and tried to cross Turkey.", ("Istanbul", ISTANBUL, "destination", None),
     ("Turkey", TURKEY, "attempted", None), ["Istanbul", "Turkey"]),
], ids=["city-country", "same-date", "overlapping-month", "other-dates", "dates-disagree", "other-country",
        "attempt"])
def test_which_country_stops_are_drawn_as_their_city(text, first, second, drawn):
    assert folded(text, first, second) == drawn


# --- attempted legs, route popups -----------------------------------------------------------


def test_an_attempted_leg_is_apart_from_the_journey_made_and_says_attempted():
    a = bakraoui()
    (route,) = routes(a)
    assert [(leg.start.number, leg.end.number, leg.attempted) for leg in route.legs] == [
        (1, 2, False), (2, 3, True), (2, 4, False)]  # deported from where he was caught, not from Syria
    page = render(mapview.build_map(a))
    (drawn,) = route_data(page)
    (data,) = data_layers(page, "geoRoutes")
    assert data["attemptedDash"]  # drawn dashed, and hollow: geomap.js draws a white core inside the outline
    (tried,) = [leg for leg in drawn["legs"] if leg["attempted"]]
    assert [drawn["stops"][tried["from"]]["at"], drawn["stops"][tried["to"]]["at"]] == [at(GAZIANTEP), at(SYRIA)]
    assert "attempted" in tried["popup"] and "<b>Syria</b>" in tried["popup"] and "not reached" in tried["popup"]
    assert drawn["stops"][2]["attempted"] and "Syria (attempted)" in drawn["tooltip"]
    assert "attempted, not made" in page  # the key shows the look of an attempt
    kinds = [(f["properties"]["role"], f["geometry"]["coordinates"]) for f in to_geojson(a)["features"]
             if f["geometry"]["type"] == "LineString"]
    assert kinds == [("route", [[c.lon, c.lat] for c in (ANTALYA, GAZIANTEP, NETHERLANDS)]),
                     ("attempted", [[GAZIANTEP.lon, GAZIANTEP.lat], [SYRIA.lon, SYRIA.lat]])]


def test_a_route_popup_lists_the_stops_with_their_sentences():
    (popup,) = [r["popup"] for r in route_data(render(mapview.build_map(bakraoui())))]
    items = re.findall(r"<li>(.*?)</li>", popup)
    assert len(items) == 4
    assert items[0].startswith("<b>Antalya</b> (destination, 2015-06-11)")
    assert '<mark class="geo-place">Antalya</mark> on <mark class="geo-date">June 11, 2015</mark>' in items[0]
    assert "trying to cross into <mark class=\"geo-place\">Syria</mark>" in items[2] and "attempted" in items[2]
    assert all("<blockquote class='geo-quote'" in item for item in items)


# --- colours ----------------------------------------------------------------------------------


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB '#rrggbb'."""
    def linear(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(c1: str, c2: str) -> float:
    """CIEDE2000 colour difference of two sRGB colours."""
    return delta_e_lab(lab(c1), lab(c2))


def delta_e_lab(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    cp1, cp2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if cp1 * cp2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc, dhh = l2 - l1, cp2 - cp1, 2 * math.sqrt(cp1 * cp2) * math.sin(math.radians(dh / 2))
    lbar, cpbar = (l1 + l2) / 2, (cp1 + cp2) / 2
    hbar = h1 + h2 if cp1 * cp2 == 0 else ((h1 + h2 + 360) / 2 if abs(h1 - h2) > 180 else (h1 + h2) / 2) % 360
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.2 * math.cos(math.radians(4 * hbar - 63)))
    rt = (-2 * math.sqrt(cpbar ** 7 / (cpbar ** 7 + 25 ** 7))
          * math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cpbar, 1 + 0.015 * cpbar * t
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


@pytest.mark.parametrize("lab1,lab2,expected", [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),  # Sharma, Wu and Dalal (2005), pair 1
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),  # pair 7
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),  # pair 15
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),  # pair 34
])
def test_the_colour_difference_is_ciede2000(lab1, lab2, expected):
    assert delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.05)


def movers(n: int) -> Analysis:
    s = Story(" ".join(f"Person{i} went from Istanbul to Antalya." for i in range(n)))
    for i in range(n):
        after = f"Person{i} went"
        s.tie(s.place("Istanbul", ISTANBUL, after=after), f"Person{i}", "origin")
        s.tie(s.place("Antalya", ANTALYA, after=after), f"Person{i}", "destination")
    return s.analysis()


def test_twenty_people_take_twenty_distinct_colours_and_then_a_dash():
    styles = mapview.person_styles(movers(25))
    first = [styles[f"Person{i}"] for i in range(20)]
    colours = [s.colour for s in first]
    worst = min(delta_e(a, b) for a, b in itertools.combinations(colours, 2))
    assert worst > 12, f"two of the first 20 colours are {worst:.1f} apart"  # distinct at a glance
    for colour in colours:  # every line stands out on the offline basemap's land and sea
        assert delta_e(colour, mapview.LAND_STYLE["fillColor"]) > 30 and delta_e(colour, mapview.SEA_COLOUR) > 25
    assert all(s.dash is None and not s.square for s in first)
    later = [styles[f"Person{i}"] for i in range(20, 25)]
    assert all(s.dash and s.square for s in later)
    assert len({(s.colour, s.dash) for s in styles.values()}) == 25  # no two people drawn alike
    page = render(mapview.build_map(movers(25)))
    assert f"stroke-dasharray='{later[0].dash}'" in legend_of(page)  # the key draws the dash
    (drawn,) = [r for r in route_data(page) if r["person"] == "Person20"]
    assert drawn["dash"] == later[0].dash and "geo-square" in drawn["badge"]
    assert mapview.person_colours(movers(25))["Person20"] == later[0].colour


# --- the view: fitted or kept; tiles -------------------------------------------------------------


def test_a_redraw_can_keep_the_users_view_and_the_map_has_a_fit_button():
    from streamlit_folium import _get_feature_group_string

    from geo.map import assets

    def data_script(fit: bool) -> str:
        parts = mapview.live_parts(bakraoui(), fit=fit)
        frame = assets.use_local_assets(parts.frame, "/app/static", parts.layers)
        return "".join(_get_feature_group_string(layer, frame, i) for i, layer in enumerate(parts.layers))

    kept = data_script(fit=False)
    assert "L.geoFit(" not in kept and "L.geoBounds(map_div," in kept  # bounds kept for the button, view left alone
    assert "L.geoFit(map_div," in data_script(fit=True)
    assert "L.geoRefit(" in render(mapview.live_parts(bakraoui(), fit=False).frame)  # the button is the frame's


def test_online_tiles_fall_back_to_the_offline_basemap():
    page = render(mapview.build_map(bakraoui(), tiles=mapview.ONLINE_TILES))
    (call,) = re.findall(r"L\.geoTileFallback\((\w+), \[([\w, ]+)\],\s*(\w+), (\"[^\"]*\")\);", page)
    _, tiles, basemap, message = call
    assert len(tiles.split(", ")) == 2 and all(f"var {t} = L.tileLayer(" in page for t in tiles.split(", "))
    assert re.search(rf"var {basemap} = L\.featureGroup", page)  # the offline basemap's layer
    assert "offline basemap" in json.loads(message)
    assert "L.geoTileFallback(" not in render(mapview.build_map(bakraoui()))


# --- time ------------------------------------------------------------------------------------------


def test_an_undated_stop_shows_in_the_gap_it_falls_in_and_a_vague_date_as_its_span():
    s = Story("Ana left Istanbul in 2014, crossed Antalya, and reached Gaziantep on 3 May 2015. Then Syria.")
    for words, c, role, when, end in (("Istanbul", ISTANBUL, "origin", "2014", None),
                                      ("Antalya", ANTALYA, "transit", None, None),
                                      ("Gaziantep", GAZIANTEP, "destination", "2015-05-03", "2015-05-05"),
                                      ("Syria", SYRIA, "destination", None, None)):
        s.tie(s.place(words, c), "Ana", role, when, end)
    (route,) = routes(s.analysis())
    assert timeline_spans(route) == (
        (date(2014, 1, 1), date(2014, 12, 31)),  # a year: its span
        (date(2014, 12, 31), date(2015, 5, 3)),  # undated: between the end of the one before and the next
        (date(2015, 5, 3), date(2015, 5, 5)),
        (date(2015, 5, 5), date(2015, 5, 5)),  # undated after the last: at its end
    )
    page = render(mapview.build_map(s.analysis()))
    (drawn,) = route_data(page)
    ms = [stop["t"] for stop in drawn["stops"]]
    assert ms[0] == [1388534400000, 1420070400000]  # 2014-01-01 to the start of 2015-01-01
    assert "L.geoTime(" in page


def test_routes_with_no_date_have_no_time_control():
    page = render(mapview.build_map(movers(2)))
    assert route_data(page) and "L.geoTime(" not in page
    assert all(stop["t"] is None for r in route_data(page) for stop in r["stops"])
    assert "L.geoTime(" not in render(mapview.build_map(bakraoui(), timeline=False))


def test_geojson_route_lines_carry_per_stop_times_and_dates():
    lines = [f["properties"] for f in to_geojson(bakraoui())["features"] if f["geometry"]["type"] == "LineString"]
    route, tried = lines
    assert route["times"] == [1433980800000, 1434240000000, 1436832000000]  # 2015-06-11, 06-14, 07-14 UTC
    assert route["dates"] == ["2015-06-11", "2015-06-14", "2015-07-14"] and route["stop_numbers"] == [1, 2, 4]
    assert route["places"] == ["Antalya", "Gaziantep", "Netherlands"] and route["stops"] == 3
    assert tried["role"] == "attempted" and tried["dates"] == ["2015-06-14", "2015-06-17"]
    undated = [f["properties"] for f in to_geojson(movers(1))["features"] if f["geometry"]["type"] == "LineString"]
    assert undated[0]["times"] is None and undated[0]["dates"] == [None, None]


# --- how a date was worked out ---------------------------------------------------------------------


def hayat() -> Analysis:
    s = Story("Hayat arrived in Istanbul on January 2, 2015 and stayed two days. "
              "She then went to Gaziantep. In June 2015 she was seen in Antalya.")
    s.person("Hayat")
    s.date("January 2, 2015", "2015-01-02")
    s.date("two days", None)
    s.date("June 2015", "2015-06", precision="month")
    s.tie(s.place("Istanbul", ISTANBUL), "Hayat", "stop", "2015-01-02", "2015-01-04")
    s.tie(s.place("Gaziantep", GAZIANTEP), "Hayat", "destination", "2015-01-02")
    s.tie(s.place("Antalya", ANTALYA), "Hayat", "stop", "2015-06")
    return s.analysis()


def stop_popups(a: Analysis) -> dict[str, str]:
    """Each stop badge's popup, by the name of its place."""
    return {re.search(r"<b>([^<]+)</b>(?: <span class='geo-attempted'>attempted</span>)? \(", b["popup"]).group(1):
            b["popup"] for b in badges(render(mapview.build_map(a)))}


def test_a_popup_says_how_a_date_was_worked_out():
    popups = stop_popups(bakraoui())
    assert ("<b>2015-06-17</b> · written “three days later”: three days after “June 14” (2015-06-14)"
            in popups["Syria"])
    assert "<b>2015-06-14</b> · written “June 14”, its year from the dates before it" in popups["Gaziantep"]
    assert "<b>2015-06-11</b> · written “June 11, 2015”</div>" in popups["Antalya"]
    popups = stop_popups(hayat())
    assert "<b>2015-01-02 – 2015-01-04</b> (two days) · written “January 2, 2015”" in popups["Istanbul"]
    assert "<b>2015-01-02</b> · written “January 2, 2015” in an earlier sentence" in popups["Gaziantep"]
    assert "<b>2015-06</b> (some time in June 2015) · written “June 2015”" in popups["Antalya"]
    place_popup = next(p for p in js_strings(render(mapview.build_map(hayat())), "bindPopup")
                       if "Written as “Istanbul”" in p)
    assert "(two days)" in place_popup  # the place's own popup says it too


# --- the text beside the map -----------------------------------------------------------------------


def argument(page: str, call: str):
    """The first argument, a JSON value, of the page's one call of ``call`` (e.g. 'L.geoReader(')."""
    (start,) = [m.end() for m in re.finditer(re.escape(call), page)]
    return js_value(page, start)


def reader_of(page: str) -> str:
    return argument(page, "L.geoReader(")


def legend_of(page: str) -> str:
    return argument(page, "L.geoLegend(")


def test_the_reading_view_marks_places_people_and_dates_and_flags_the_doubtful():
    s = Story("Ana met Ben in Paris on 2 May 2015. They drove to Springfield and Zork.")
    s.person("Ana")
    s.person("Ben")
    s.date("2 May 2015", "2015-05-02")
    texas = Candidate("Paris", 33.66, -95.55, "city", "US", id="geonames:4717560")
    s.place("Paris", Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507"), candidates=(texas,))
    s.place("Springfield", Candidate("Springfield", 39.8, -89.64, "city", "US", id="geonames:4250542"))
    s.place("Zork", None)
    html = reader_of(render(mapview.build_map(s.analysis())))
    assert html == reader_html(s.analysis())
    assert "<mark class='geo-person' data-kind='person' data-person='Ana' title='Ana'>Ana</mark>" in html
    assert re.search(r"<mark class='geo-date' data-kind='date' data-t='1430524800000'[^>]*>2 May 2015</mark>", html)
    paris = re.search(r"<mark class='geo-place geo-doubt' data-kind='place' data-key='48\.85340,2\.34880'"
                      r"[^>]*title='([^']*)'>Paris</mark><sup class='geo-flag'>\?</sup>", html)
    assert paris and "Close candidates: Paris (US)" in paris.group(1)
    assert "<mark class='geo-place' data-kind='place' data-key='39.80000,-89.64000'" in html  # sure: no flag
    assert re.search(r"<mark class='geo-place geo-doubt geo-unplaced'[^>]*>Zork</mark><sup", html)
    assert '<span class="geo-sent" data-s="story@0">' in html and "2 doubtful names" in html
    # The markers point at the same sentences, so a click on one scrolls the text there.
    points = data_layers(render(mapview.build_map(s.analysis())), "geoPoints")[0]["points"]
    assert {tuple(p[6]) for p in points} == {("story@0",), ("story@36",)}


HOSTILE_TEXT = ("Ana flew to Paris.</script><script>alert(1)</script> {{ 7 * 7 }} {% for x in y %}x{% endfor %} "
                "`${alert(2)}` <img src=x onerror=alert(3)> & \u2028 ' \" done.")


def hostile() -> Analysis:
    s = Story(HOSTILE_TEXT, doc_id="<b>doc</b>")
    s.person("Ana")
    s.place("Paris", Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507"))
    return s.analysis()


def test_the_reading_view_escapes_every_piece_of_the_text_and_is_no_template():
    page = render(mapview.build_map(hostile()))
    html = reader_of(page)
    assert "<script" not in html and "<img" not in html and "<b>doc" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
    assert "{{ 7 * 7 }} {% for x in y %}x{% endfor %}" in html  # as written: never compiled as a template
    assert "`${alert(2)}`" in html
    assert "</script><script>alert(1)" not in page and "\u2028" not in page
    assert 'data-s="&lt;b&gt;doc&lt;/b&gt;@0"' in html  # the document's id is text too


def test_a_long_text_keeps_only_the_sentences_that_name_something():
    filler = "Nothing happens here. " * 50
    s = Story(filler + "Ana flew to Paris. " + filler + "The end.")
    s.person("Ana")
    s.place("Paris", Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507"))
    whole, cut = reader_html(s.analysis()), reader_html(s.analysis(), max_chars=100)
    assert whole.count("Nothing happens here.") == 100
    assert "Nothing happens here." not in cut and ">Paris</mark>" in cut and "only its sentences" in cut
    assert mapview.build_map(s.analysis(), reader=False) and "L.geoReader(" not in render(
        mapview.build_map(s.analysis(), reader=False))


# --- KML, titles --------------------------------------------------------------------------------


def test_kml_holds_the_places_and_the_routes_with_their_times():
    assert "kml" in EXPORT_FORMATS
    (name, data), = export_view(apply(bakraoui()), "kml", "bakraoui").items()
    assert name == "bakraoui.kml" and data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    assert root.tag == f"{KML}kml" and root.find(f"{KML}Document/{KML}name").text == "story"
    folders = {f.find(f"{KML}name").text: f for f in root.iter(f"{KML}Folder")}
    places = {p.find(f"{KML}name").text: p for p in folders["Places"].findall(f"{KML}Placemark")}
    assert set(places) == {"Turkey", "Antalya", "Gaziantep", "Syria", "Netherlands"}
    antalya = places["Antalya"]
    assert antalya.find(f"{KML}Point/{KML}coordinates").text == "30.695600,36.908100"
    assert "Ibrahim flew to Turkey's resort of Antalya" in antalya.find(f"{KML}description").text
    assert antalya.find(f"{KML}TimeSpan/{KML}begin").text == "2015-06-11"
    legs = [p for p in folders["Ibrahim"].findall(f"{KML}Placemark") if p.find(f"{KML}LineString") is not None]
    assert [p.find(f"{KML}TimeSpan/{KML}begin").text for p in legs] == ["2015-06-14", "2015-06-17", "2015-07-14"]
    assert legs[1].find(f"{KML}styleUrl").text == "#attempted-0" and legs[0].find(f"{KML}styleUrl").text == "#route-0"
    coordinates = legs[0].find(f"{KML}LineString/{KML}coordinates").text
    assert coordinates == "30.695600,36.908100 37.382500,37.059400"
    style = root.find(f"{KML}Document/{KML}Style[@id='route-0']/{KML}LineStyle/{KML}color").text
    colour = mapview.person_colours(bakraoui())["Ibrahim"]
    assert style == f"ff{colour[5:7]}{colour[3:5]}{colour[1:3]}"  # aabbggrr: the map's colour


def test_kml_escapes_names_and_drops_what_xml_cannot_hold():
    s = Story("Ana went from <Paris> & \x0b back to Istanbul.")
    evil = Candidate("</name><script>&amp;", 48.85, 2.35, "city", "FR", id="x:1")
    s.tie(s.place("<Paris>", evil), "Ana", "origin")
    s.tie(s.place("Istanbul", ISTANBUL), "Ana", "destination")
    root = ET.fromstring(to_kml(s.analysis(), "<b>story</b>").encode("utf-8"))
    names = [e.text for e in root.iter(f"{KML}name")]
    assert "</name><script>&amp;" in names and "<b>story</b>" in names  # text round-trips, as text
    descriptions = " ".join(e.text for e in root.iter(f"{KML}description"))
    assert "from <Paris> &  back" in descriptions  # the vertical tab, which XML cannot hold, is gone


@pytest.mark.subprocess
def test_the_cli_writes_kml_through_the_export_formats(tmp_path):
    r = subprocess.run([sys.executable, "-m", "geo", "export", str(config.SAMPLE_PATH), "--out", str(tmp_path),
                        "--format", "kml"], capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    root = ET.parse(tmp_path / f"{config.SAMPLE_PATH.stem}.kml").getroot()
    assert len(list(root.iter(f"{KML}LineString"))) >= 5 and len(list(root.iter(f"{KML}TimeSpan"))) >= 5


def test_the_html_export_is_titled_with_the_documents_name_escaped():
    (html,) = export_view(apply(hostile()), "html", "x").values()
    assert b"<title>&lt;b&gt;doc&lt;/b&gt;</title>" in html and html.count(b"<title>") == 1
    assert b"L.geoCaption(" not in html  # the box over the map is for pictures
    m = mapview.build_map(bakraoui(), title="Bakraoui", caption="4 places")
    page = render(m)
    assert '<title>Bakraoui</title>' in page and 'L.geoCaption("Bakraoui", "4 places")' in page


def test_safe_json_keeps_a_template_as_text():
    assert safe_json("{{ x }}") == '"{{ x }}"'  # the data of our elements is never read as a template


def test_the_geojson_text_is_one_feature_a_line_and_reads_back_as_the_collection():
    from geo.export import geojson_text

    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [28.9, 41.0]},
         "properties": {"name": "İstanbul", "note": "a line\nbreak"}},
        {"type": "Feature", "geometry": None, "properties": {"name": "Ürgüp"}},
    ], "document_date": "2015-07-21"}
    text = geojson_text(collection)
    assert json.loads(text) == collection
    lines = text.splitlines()
    assert len(lines) == 4 and lines[0].endswith('"features": [') and lines[-1] == "]}"
    assert json.loads(lines[1].rstrip(",")) == collection["features"][0]  # a feature per line, whole
    assert "İstanbul" in text  # not escaped
    empty = {"type": "FeatureCollection", "features": []}
    assert json.loads(geojson_text(empty)) == empty


def test_a_place_named_in_many_sentences_quotes_the_first_ten_and_counts_the_rest():
    from geo.map.popups import POPUP_QUOTES, POPUP_TIES, Evidence, popup_html
    from geo.routes import group_places

    s = Story(" ".join(f"Day {n}: Ana walked in Paris." for n in range(1, 26)))
    s.person("Ana")
    paris = Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507")
    for n in range(1, 26):
        s.tie(s.place("Paris", paris, after=f"Day {n}:"), "Ana", "stop")
    a = s.analysis()
    (group,) = group_places(a.places)
    html = popup_html(group, a.ties, Evidence(a))
    assert html.count("<blockquote") == POPUP_QUOTES == 10 and "… and 15 more sentences" in html
    assert html.count("<b>Ana</b>: stop") == POPUP_TIES == 20 and "… and 5 more ties" in html
    assert "Day 1:" in html and "Day 10:" in html and "Day 11:" not in html  # the first, in the text's order
    assert "(25 mentions)" in html  # the count is of all of them


def paris_corpus(n: int = 5) -> tuple[Analysis, int]:
    """``n`` one-sentence documents d0... that each name Paris, and the length of one."""
    stories = [Story(f"Ana flew to Paris on day {k}. It rained.", doc_id=f"d{k}") for k in range(n)]
    for st in stories:
        st.place("Paris", Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507"))
    parts = [st.analysis() for st in stories]
    return Analysis(documents=tuple(d for p in parts for d in p.documents),
                    places=tuple(pl for p in parts for pl in p.places)), len(stories[0].text)


def test_the_reading_view_of_a_corpus_stops_at_its_size_and_counts_the_documents_left():
    corpus, one = paris_corpus()
    html = reader_html(corpus, max_chars=2 * one)  # two documents' worth
    assert "day 0" in html and "day 1" in html and "day 2" not in html
    assert "3 more documents not shown here" in html
    assert "more document" not in reader_html(corpus)  # all fit in the default size
    first = reader_html(corpus, max_chars=10)  # the first is shown whatever the size, by what it names
    assert ">Paris</mark>" in first and "4 more documents" in first


def test_a_marker_names_only_the_sentences_the_reading_view_shows():
    """A corpus's reading view shows its first documents; a marker's popup scrolls it to the sentences of its
    mentions, so the map's data name only those (the others were a quarter of a large corpus's map)."""
    from geo.map.layers import places_layer
    from geo.routes import group_places
    from geo.map.popups import Evidence
    from geo.map.reader import reading

    corpus, one = paris_corpus()
    shown = reading(corpus, max_chars=2 * one)
    assert shown.sentences == {"d0@0", "d1@0"} and shown.documents == {"d0", "d1"}, "the two it has room for"
    layer = places_layer(group_places(corpus.places), corpus, Evidence(corpus), clustered=False, show_doc=True,
                         reading=shown)
    (points,) = [js_value(c.data, 0)["points"] for c in layer._children.values() if type(c).__name__ == "Points"]
    (paris,) = points
    assert paris[6] == ["d0@0", "d1@0"]
    assert "day 4" in paris[3], "the popup still quotes every document"
