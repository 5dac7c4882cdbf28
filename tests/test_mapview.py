"""The map as rendered HTML, from a small hand-built Analysis (no pipeline, no browser)."""

from __future__ import annotations

import json
import re

import folium
import pytest

import geo.map as mapview
from geo.map import assets
from geo.map.elements import safe_json
from geo.filters import Filters, apply
from geo.model import Analysis, Candidate, DateMention, Document, Person, PersonMention, Place, PlaceMention, Sentence, Tie

HOSTILE_PLACE = "<img src=x onerror=alert(1)>"
TEXT = (
    "Ali travelled from Istanbul to Gaziantep in 2015. "
    f"Sara flew from Paris to {HOSTILE_PLACE} via Istanbul, said <script>alert(2)</script> `${{alert(3)}}`."
)
ISTANBUL = Candidate("Istanbul", 41.0082, 28.9784, "city", "TR", id="geonames:745044")
GAZIANTEP = Candidate("Gaziantep", 37.0594, 37.3825, "city", "TR", id="geonames:314830")
PARIS = Candidate("Paris", 48.8534, 2.3488, "city", "FR", id="geonames:2988507")
HOSTILE = Candidate("</b><script>alert(4)</script>", 33.5, 36.3, "site", "SY", id="x:1")
TURKEY = Candidate("Türkiye", 39.0, 35.0, "country", "TR", id="country:TR")


def sentence(n: int) -> Sentence:
    first_end = TEXT.index(". ") + 1
    if n == 0:
        return Sentence("doc", 0, first_end, TEXT[:first_end])
    return Sentence("doc", first_end + 1, len(TEXT), TEXT[first_end + 1 :])


def mention(text: str, n: int, after: int = 0) -> PlaceMention:
    sent = sentence(n)
    start = TEXT.index(text, max(sent.start, after))
    return PlaceMention("doc", text, start, start + len(text), sent, "GPE")


def analysis() -> Analysis:
    istanbul_again = mention("Istanbul", 1)
    places = (
        Place(mention("Istanbul", 0), ISTANBUL),  # 0
        Place(mention("Gaziantep", 0), GAZIANTEP),  # 1
        Place(mention("Paris", 1), PARIS),  # 2
        Place(mention(HOSTILE_PLACE, 1), HOSTILE),  # 3
        Place(istanbul_again, ISTANBUL),  # 4: a second mention of 0
        Place(mention("2015", 0), None),  # 5: unresolved
    )
    ties = (
        Tie(1, "Ali", "destination", date="2015", order=1),
        Tie(0, "Ali", "origin", order=0),
        Tie(2, "Sara", "origin", order=0),
        Tie(4, "Sara", "transit", order=1),
        Tie(3, "Sara", "destination", order=2),
        Tie(3, None, "mention"),
    )
    first = sentence(0)
    ali = PersonMention("doc", "Ali", 0, 3, first)
    in_2015 = DateMention("doc", "2015", TEXT.index("2015"), TEXT.index("2015") + 4, first, "2015", precision="year")
    return Analysis(
        documents=(Document("doc", TEXT),),
        places=places,
        people=(Person("Ali", mentions=(ali,)), Person("Sara")),
        dates=(in_2015,),
        ties=ties,
    )


def render(m: folium.Map) -> str:
    return m.get_root().render()


def js_value(html: str, at: int):
    """The JSON value written in the page at ``at``: as it is, or read by JSON.parse from a string
    (``geo.map.elements.parsed``)."""
    if html.startswith("JSON.parse('", at):
        start = at + len("JSON.parse('")
        return json.loads(html[start:html.index("')", start)].replace("\\\\", "\\"))
    return json.JSONDecoder().raw_decode(html, at)[0]


def data_layers(html: str, function: str) -> list:
    """The data handed to each L.geoPoints / L.geoRoutes call of the page (its second argument)."""
    return [js_value(html, match.end()) for match in re.finditer(rf"L\.{function}\(\w+, ", html)]


def place_points(html: str) -> list[list]:
    """The place markers: [lat, lon, style, popup, tooltip, point key, sentence refs] rows of every L.geoPoints."""
    return [p for data in data_layers(html, "geoPoints") for p in data["points"]]


def route_data(html: str) -> list[dict]:
    """The routes of every L.geoRoutes: person, colour, stops, path, legs (with arrows), badges, popups."""
    return [r for data in data_layers(html, "geoRoutes") for r in data["routes"]]


def badges(html: str) -> list[dict]:
    """The numbered stop badges of every route, each with its label ("1·3")."""
    return [{**b, "label": "·".join(str(r["stops"][i]["n"]) for i in b["stops"])}
            for r in route_data(html) for b in r["badges"]]


def js_strings(html: str, method: str) -> list[str]:
    """Every popup (bindPopup) or tooltip (bindTooltip) of the page: those passed as a JSON string
    argument, and those in the data layers' rows (places, routes, regions)."""
    bound = [json.loads(s) for s in re.findall(rf'\.{method}\(("(?:[^"\\]|\\.)*")', html)]
    key = "popup" if method == "bindPopup" else "tooltip"
    routes = route_data(html)
    in_routes = [r[key] for r in routes] + [b[key] for r in routes for b in r["badges"]]
    if key == "popup":
        in_routes += [leg["popup"] for r in routes for leg in r["legs"] if leg["popup"]]
    in_regions = [r[key] for data in data_layers(html, "geoRegions") for r in data["regions"]]
    return bound + [p[3 if key == "popup" else 4] for p in place_points(html)] + in_routes + in_regions


def polylines(html: str) -> list[list[list[float]]]:
    """The path each route's line is drawn through (its stops reached), as [lat, lon] points."""
    return [[r["stops"][i]["at"] for i in r["path"]] for r in route_data(html) if len(r["path"]) > 1]


def markers(html: str) -> set[tuple[float, float]]:
    return {(p[0], p[1]) for p in place_points(html)}


def view(**filters):
    return apply(analysis(), Filters(**filters))


@pytest.fixture(scope="module")
def page() -> str:
    return render(mapview.build_map(analysis()))


def test_one_marker_per_place_at_its_coordinates(page):
    rows = place_points(page)
    points = {(lat, lon) for lat, lon, *_ in rows}
    assert len(rows) == 4  # Istanbul's two mentions share a marker; "2015" is unresolved
    assert points == {(c.lat, c.lon) for c in (ISTANBUL, GAZIANTEP, PARIS, HOSTILE)}


def test_repeated_mentions_are_listed_in_one_popup(page):
    (popup,) = [p for p in js_strings(page, "bindPopup") if "<b>Istanbul</b>" in p and "Written as" in p]
    assert popup.count('<mark class="geo-place">Istanbul</mark>') == 2  # one quote per sentence
    assert "2 mentions" in popup
    assert "city" in popup and "TR" in popup and "41.0082, 28.9784" in popup


def test_popup_names_written_and_resolved_forms_and_highlights_the_sentence(page):
    (popup,) = [p for p in js_strings(page, "bindPopup") if "<b>Gaziantep</b>" in p and "Written as" in p]
    assert "Written as “Gaziantep”" in popup
    assert "Ali went" not in popup
    # The place, and the person and date of its tie, each marked in the sentence.
    assert '<mark class="geo-place">Gaziantep</mark> in <mark class="geo-date">2015</mark>.' in popup
    assert popup.startswith("<div class='geo-popup'>") and '<mark class="geo-person">Ali</mark> travelled' in popup
    assert "<b>Ali</b>: destination, 2015" in popup


def test_document_text_is_escaped_everywhere(page):
    popups = js_strings(page, "bindPopup")
    tooltips = js_strings(page, "bindTooltip")
    shown = "".join(popups + tooltips)
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in shown
    assert "&lt;/b&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in tooltips
    # Nowhere in the page does the document's markup appear raw, not even in the script,
    # and no text sits in a JavaScript template literal, where `${...}` would run.
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "`<div" not in page


def test_routes_follow_order_with_a_stable_colour_per_person(page):
    lines = polylines(page)
    assert [[ISTANBUL.lat, ISTANBUL.lon], [GAZIANTEP.lat, GAZIANTEP.lon]] in lines  # Ali, by order
    assert [[PARIS.lat, PARIS.lon], [ISTANBUL.lat, ISTANBUL.lon], [HOSTILE.lat, HOSTILE.lon]] in lines
    colours = mapview.person_colours(analysis())
    assert colours["Ali"] != colours["Sara"]
    assert mapview.person_colours(analysis()) == colours


def test_people_who_go_nowhere_take_no_colour_and_no_filter_entry():
    a = analysis()
    a = Analysis(a.documents, a.places, (Person("Nobody"), *a.people), a.dates, a.ties)
    assert list(mapview.person_colours(a)) == ["Ali", "Sara"]
    assert mapview.tied_people(a) == ["Ali", "Sara"]


def test_person_filter_keeps_their_route_and_places_only():
    a = analysis()
    page = render(mapview.build_map(view(people={"Ali"})))
    assert polylines(page) == [[[ISTANBUL.lat, ISTANBUL.lon], [GAZIANTEP.lat, GAZIANTEP.lon]]]
    popups = "".join(js_strings(page, "bindPopup"))
    assert "<b>Sara</b>" not in popups and "<b>Ali</b>" in popups
    assert mapview.person_colours(a)["Ali"] in page  # Ali keeps his colour
    assert markers(page) == {(ISTANBUL.lat, ISTANBUL.lon), (GAZIANTEP.lat, GAZIANTEP.lon)}


def test_filtering_the_other_person_keeps_each_colour():
    colours = mapview.person_colours(analysis())
    page = render(mapview.build_map(view(people={"Sara"})))
    assert colours["Sara"] in page and colours["Ali"] not in page


def test_no_one_selected_draws_nothing_tied():
    page = render(mapview.build_map(view(people=frozenset())))
    assert polylines(page) == [] and markers(page) == set()
    assert "geoFit" not in page  # an empty view shows the world


def test_date_filter_removes_markers_and_shortens_routes():
    page = render(mapview.build_map(view(date_from="2015", date_to="2015", undated=False)))
    assert markers(page) == {(GAZIANTEP.lat, GAZIANTEP.lon)}  # the only dated tie
    assert polylines(page) == []  # one stop is not a route


def test_routes_have_an_arrow_per_leg_and_numbered_stops():
    page = render(mapview.build_map(analysis()))
    arrows = [leg["arrow"] for r in route_data(page) for leg in r["legs"]]
    assert len(arrows) == 1 + 2  # Ali's one leg, Sara's two
    assert len(badges(page)) == 2 + 3
    assert all(b["popup"] and b["tooltip"] for b in badges(page))  # a badge has its popup and tooltip
    stop_popups = [p for p in js_strings(page, "bindPopup") if "Stop 1 of 2" in p]
    assert stop_popups and '<mark class="geo-person">Ali</mark>' in stop_popups[0]


def test_arrow_points_along_the_leg():
    lat, lon, angle = mapview.arrow_at((0.0, 0.0), (0.0, 10.0))
    assert (lat, lon, angle) == (0.0, 5.0, -0.0)  # due east
    assert mapview.arrow_at((0.0, 0.0), (10.0, 0.0))[2] == -90.0  # due north: up the screen
    lat, _, angle = mapview.arrow_at((60.0, 0.0), (0.0, 0.0))
    assert angle == 90.0 and lat > 30.0  # halfway on screen (Mercator) is north of the mean latitude


def test_layers_can_be_left_out():
    page = render(mapview.build_map(analysis(), layers=("places",)))
    assert polylines(page) == [] and len(markers(page)) == 4
    assert "L.control.layers" not in page  # one layer: nothing to switch
    page = render(mapview.build_map(analysis(), layers=("routes",)))
    assert markers(page) == set() and len(polylines(page)) == 2
    with pytest.raises(ValueError, match="places, routes, regions"):
        mapview.build_map(analysis(), layers="places")


def test_layer_control_names_the_layers(page):
    assert "L.control.layers" in page
    assert '"Places"' in page and '"Routes"' in page


def test_regions_are_drawn_escaped_with_their_summary():
    from shapely.geometry import box

    from geo.geography.regions import Region

    hostile = Region("cluster:1", "<b>Levant</b>", "cluster", box(35, 32, 43, 38), (1, 3), ("Ali",), "2015", "2016",
                     ("TR", "SY"))
    page = render(mapview.build_map(apply(analysis(), Filters(), [hostile])))
    popups = [p for p in js_strings(page, "bindPopup") if "Levant" in p]
    assert popups and "&lt;b&gt;Levant&lt;/b&gt;" in popups[0] and "<b>Levant</b>" not in page
    assert "2015 – 2016" in popups[0] and "Gaziantep" in popups[0]
    assert '"Regions"' in page and "area of places" in page  # layer control and legend
    no_regions = render(mapview.build_map(apply(analysis(), Filters(), [hostile]), layers=("places", "routes")))
    assert "Levant" not in no_regions


def test_many_places_are_clustered():
    base = analysis()
    many = tuple(Place(base.places[0].mention, Candidate(f"P{i}", 40 + i / 10, 20 + i / 10, "city", "TR", id=f"p:{i}"))
                 for i in range(mapview.CLUSTER_THRESHOLD + 1))
    page = render(mapview.build_map(Analysis(base.documents, many)))
    assert "L.geoCluster(" in page and len(markers(page)) == len(many)
    assert page.index("L.geoCluster(") < page.index("L.geoPoints(")  # the markers go into the cluster
    assert "L.geoCluster(" not in render(mapview.build_map(analysis()))


@pytest.mark.parametrize("cluster", [False, True], ids=["markers", "clustered"])
def test_live_layers_define_every_layer_the_page_adds(cluster):
    """The dashboard's layers, as streamlit-folium writes them into the kept map, are whole scripts."""
    from streamlit_folium import _get_feature_group_string

    parts = mapview.live_parts(view(), cluster=cluster)
    assert [layer.control for layer in parts.layers] == [True, True, False]  # routes, places; the key
    frame = assets.use_local_assets(parts.frame, "/app/static", parts.layers)
    code = "".join(_get_feature_group_string(layer, frame, i) for i, layer in enumerate(parts.layers))
    added = re.findall(r"map_div\.addLayer\((\w+)\)", code)
    assert len(added) == len(parts.layers)
    assert all(re.search(rf"\bvar {name} = L\.", code) for name in added), added
    assert ("L.geoCluster(" in code) == cluster
    assert "L.geoLegend(" in code and "L.geoFit(map_div," in code  # the key layer: legend and fit
    assert "L.geoBasemap(" not in code  # the basemap stays in the frame


def test_people_as_a_string_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"\['Ali'\]"):
        Filters(people="Ali")


def test_basemap_when_no_tiles(page):
    assert "L.geoBasemap(" in page and '"type":"FeatureCollection"' in page
    assert '"interactive": false' in page
    assert "tile.openstreetmap" not in page and "L.tileLayer" not in page


def test_online_tiles_come_first_with_the_offline_basemap_one_click_away():
    page = render(mapview.build_map(analysis(), tiles=mapview.ONLINE_TILES))
    assert "L.tileLayer" in page and "openstreetmap" in page.lower() and "opentopomap" in page.lower()
    assert "L.geoBasemap(" in page and f'"{mapview.OFFLINE_BASEMAP}"' in page  # a base layer of the control
    with pytest.raises(TypeError, match="OpenStreetMap"):
        mapview.build_map(analysis(), tiles="OpenStreetMap")


def test_basemap_is_light_polygons():
    data = json.loads(mapview.basemap_geojson())
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) > 200
    assert len(mapview.basemap_geojson()) < 2_000_000


def test_bounds_fit_the_places(page):
    (bounds,) = re.findall(r"L\.geoFit\(\w+, (\[\[.*?\]\])", page, re.S)
    (south, west), (north, east) = json.loads(bounds)
    assert (south, west, north, east) == (HOSTILE.lat, PARIS.lon, PARIS.lat, GAZIANTEP.lon)


def test_an_analysis_without_places_shows_the_world():
    page = render(mapview.build_map(Analysis(documents=(Document("empty", "nothing here"),))))
    assert "geoFit" not in page and "L.circleMarker" not in page


def test_highlight_marks_every_span_and_escapes_the_rest():
    s = Sentence("d", 10, 40, "<b>Rome</b> and Rome again")
    mentions = [
        PlaceMention("d", "Rome", 13, 17, s, "GPE"),
        PlaceMention("d", "Rome", 26, 30, s, "GPE"),
    ]
    assert mapview.highlight(s, mentions) == (
        '&lt;b&gt;<mark class="geo-place">Rome</mark>&lt;/b&gt; and <mark class="geo-place">Rome</mark> again'
    )


def test_highlight_marks_people_and_dates_and_skips_overlaps():
    s = Sentence("d", 0, 30, "Ali left Rome in May 2015.")
    rome = PlaceMention("d", "Rome", 9, 13, s, "GPE")
    ali = PersonMention("d", "Ali", 0, 3, s)
    overlapping = PersonMention("d", "Rome in", 9, 16, s)
    may = DateMention("d", "May 2015", 17, 25, s, "2015-05")
    assert mapview.highlight(s, [rome], people=[ali, overlapping], dates=[may]) == (
        '<mark class="geo-person">Ali</mark> left <mark class="geo-place">Rome</mark> in '
        '<mark class="geo-date">May 2015</mark>.'
    )


def test_highlight_finds_the_name_when_offsets_disagree():
    s = Sentence("d", 0, 12, "Off to Paris")
    assert mapview.highlight(s, [PlaceMention("d", "Paris", 99, 104, s, "GPE")]) == (
        'Off to <mark class="geo-place">Paris</mark>')


# --- assets ----------------------------------------------------------------------

URL_ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?https?:""", re.I)
CDN_URL = re.compile(r"https?://[^\s\"'<>)]*cdn", re.I)


def test_local_assets_leave_no_cdn_url():
    m = assets.use_local_assets(mapview.build_map(analysis()), "/app/static")
    page = render(m)
    assert not URL_ASSET.search(page)
    assert not CDN_URL.search(page)
    assert '<script src="/app/static/leaflet/leaflet.js">' in page
    assert 'href="/app/static/leaflet/leaflet.css"' in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_inline_html_is_self_contained():
    m = mapview.build_map(analysis())
    render(m)  # a first render leaves CDN links in the header: they must go
    html = assets.inline_html(m)
    assert "<script src=" not in html and "<link " not in html
    assert not URL_ASSET.search(html) and not CDN_URL.search(html)
    assert "L.circleMarker" in html and "Leaflet 1.9.3" in html
    assert "url(images/" not in html  # the stylesheet's images are data: URIs


def test_assets_refuse_a_layer_that_needs_a_cdn():
    m = mapview.build_map(analysis())
    folium.Marker([0, 0], icon=folium.Icon(icon="star")).add_to(m)
    with pytest.raises(ValueError, match="Icon: Bootstrap"):
        assets.inline_html(m)
    with pytest.raises(ValueError, match="Icon: Bootstrap"):
        assets.use_local_assets(m, "/app/static")


def test_install_static_is_idempotent(tmp_path):
    assert assets.install_static(tmp_path) == tmp_path
    js = tmp_path / "leaflet" / "leaflet.js"
    assert js.read_bytes() == (assets.LEAFLET_DIR / "leaflet.js").read_bytes()
    assert (tmp_path / "leaflet" / "images" / "layers.png").is_file()
    assert (tmp_path / "geo" / "geomap.js").read_bytes() == (assets.GEO_WEB_DIR / "geomap.js").read_bytes()
    basemap = tmp_path / mapview.BASEMAP_FILE
    assert basemap.read_text(encoding="utf-8") == mapview.basemap_geojson()
    before = js.stat().st_mtime_ns, basemap.stat().st_mtime_ns
    assets.install_static(tmp_path)
    assert (js.stat().st_mtime_ns, basemap.stat().st_mtime_ns) == before


def test_served_maps_fetch_the_basemap_and_inlined_ones_carry_it():
    served = render(assets.use_local_assets(mapview.build_map(analysis()), "/app/static"))
    assert "L.geoBasemap(" in served
    assert f'"/app/static/{mapview.BASEMAP_FILE}?v={mapview.basemap_version()}"' in served
    assert '"FeatureCollection"' not in served and len(served) < 100_000  # not the megabyte of polygons
    m = assets.use_local_assets(mapview.build_map(analysis(), layers=()), "/app/static")
    assert "/app/static/geo/geomap.js" in render(m)  # L.geoBasemap is there even with no layer
    html = assets.inline_html(m)  # the same map exported: the basemap back inside, no fetch
    assert '"type":"FeatureCollection"' in html and "/app/static" not in html and ".geojson?v=" not in html


def clustered_map():
    base = analysis()
    many = tuple(Place(base.places[0].mention, Candidate(f"P{i}", 40 + i / 10, 20, "city", "TR", id=f"p:{i}"))
                 for i in range(3))
    return mapview.build_map(Analysis(base.documents, many), cluster=True)


def test_our_script_is_served_locally_after_leaflet_and_once():
    page = render(assets.use_local_assets(clustered_map(), "/app/static"))
    leaflet = page.index('<script src="/app/static/leaflet/leaflet.js">')
    assert leaflet < page.index('<script src="/app/static/geo/geomap.js">')
    assert page.count("geomap.js") == 1  # asked for by the cluster and the fit alike
    assert not CDN_URL.search(page)


def test_our_script_is_inlined_after_leaflet():
    html = assets.inline_html(clustered_map())
    assert "<script src=" not in html
    assert html.index("Leaflet 1.9.3") < html.index("L.GeoCluster = L.Layer.extend") < html.index("L.geoCluster(")
    assert html.count("L.GeoCluster = L.Layer.extend") == 1


def test_markers_are_one_data_layer_styled_by_kind(page):
    (data,) = data_layers(page, "geoPoints")
    assert data["styles"]["city"]["fillColor"] == mapview.KIND_STYLES["city"]["fill_color"]
    assert {p[2] for p in data["points"]} == {"city", "site"}
    assert page.count("L.geoPoints(") == 1 and page.count("L.geoRoutes(") == 1
    assert "L.circleMarker(" not in page and "L.marker(" not in page  # not one script per marker


def test_data_layer_json_cannot_end_the_script():
    base = analysis()
    evil = Candidate("</script><script>alert(5)</script>\u2028'&", 10.0, 10.0, "city", "XX", id="x:5")
    places = (Place(base.places[0].mention, evil),)
    page = render(mapview.build_map(Analysis(base.documents, places)))
    assert "</script><script>alert(5)" not in page and "alert(5)</script>" not in page
    (row,) = place_points(page)
    assert row[4] == "&lt;/script&gt;&lt;script&gt;alert(5)&lt;/script&gt;\u2028&#x27;&amp;"
    assert "\u2028" not in page  # a raw line separator would end a string in older JavaScript
    assert safe_json(["</x>", "\u2028"]) == '["\\u003c/x\\u003e","\\u2028"]'


def test_data_read_by_json_parse_come_back_whole_and_cannot_end_their_string_or_script():
    from geo.map.elements import parsed

    hostile = {"text": "back\\slash \\' \\\" '); alert(1); (' </script><script> \u2028 \n \\u0027", "n": [1.5, None]}
    literal = parsed(safe_json(hostile))
    inner = literal[len("JSON.parse('"):-len("')")]
    assert literal.startswith("JSON.parse('") and "'" not in inner and "<" not in inner and "\n" not in inner
    assert js_value(literal, 0) == hostile


def test_the_reading_view_is_made_once_for_an_analysis_whatever_the_filters(monkeypatch):
    import geo.map.build as build

    made = []
    real = build.reading
    monkeypatch.setattr(build, "reading", lambda a, **kw: made.append(a) or real(a, **kw))
    a = analysis()
    pages = [render(mapview.build_map(apply(a, Filters(people=people)))) for people in ({"Ali"}, {"Sara"}, None)]
    assert len(made) == 1 and made[0] is a  # the whole analysis, read once
    assert all("geo-reader-sum" in p for p in pages)  # and each page has it
    other = analysis()  # an equal analysis that is another object is its own
    mapview.build_map(other)
    assert len(made) == 2
