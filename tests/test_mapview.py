"""The map as rendered HTML, from a small hand-built Analysis (no pipeline, no browser)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from geo import assets, mapview
from geo.model import Analysis, Candidate, Document, Person, Place, PlaceMention, Sentence, Tie

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
    return Analysis(
        documents=(Document("doc", TEXT),),
        places=places,
        people=(Person("Ali"), Person("Sara")),
        ties=ties,
    )


def render(m: folium.Map) -> str:
    return m.get_root().render()


def js_strings(html: str, method: str) -> list[str]:
    """The decoded JSON strings passed as first argument to .bindPopup / .bindTooltip."""
    return [json.loads(s) for s in re.findall(rf'\.{method}\(("(?:[^"\\]|\\.)*")', html)]


def polylines(html: str) -> list[list[list[float]]]:
    return [json.loads(s) for s in re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", html, re.S)]


@pytest.fixture(scope="module")
def page() -> str:
    return render(mapview.build_map(analysis()))


def test_one_marker_per_place_at_its_coordinates(page):
    markers = re.findall(r"L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\]", page)
    points = {(float(lat), float(lon)) for lat, lon in markers}
    assert len(markers) == 4  # Istanbul's two mentions share a marker; "2015" is unresolved
    assert points == {(c.lat, c.lon) for c in (ISTANBUL, GAZIANTEP, PARIS, HOSTILE)}


def test_repeated_mentions_are_listed_in_one_popup(page):
    (popup,) = [p for p in js_strings(page, "bindPopup") if "<b>Istanbul</b>" in p]
    assert popup.count("<mark>Istanbul</mark>") == 2  # one quote per sentence
    assert "2 mentions" in popup
    assert "city" in popup and "TR" in popup and "41.0082, 28.9784" in popup


def test_popup_names_written_and_resolved_forms_and_highlights_the_sentence(page):
    (popup,) = [p for p in js_strings(page, "bindPopup") if "<b>Gaziantep</b>" in p]
    assert "Written as “Gaziantep”" in popup
    assert "Ali went" not in popup and "<mark>Gaziantep</mark> in 2015." in popup
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


def test_person_filter_removes_the_other_route_and_ties():
    a = analysis()
    page = render(mapview.build_map(a, people=["Ali"]))
    lines = polylines(page)
    assert lines == [[[ISTANBUL.lat, ISTANBUL.lon], [GAZIANTEP.lat, GAZIANTEP.lon]]]
    popups = "".join(js_strings(page, "bindPopup"))
    assert "<b>Sara</b>" not in popups and "<b>Ali</b>" in popups
    assert mapview.person_colours(a)["Ali"] in page  # Ali keeps his colour
    assert len(re.findall(r"L\.circleMarker\(", page)) == 4  # places stay on the map


def test_no_people_selected_draws_no_route():
    page = render(mapview.build_map(analysis(), people=[]))
    assert polylines(page) == []


def test_people_as_a_string_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"\['Ali'\]"):
        mapview.build_map(analysis(), people="Ali")


def test_basemap_when_no_tiles(page):
    assert "L.geoJson(" in page or "L.geoJSON(" in page
    assert '"interactive": false' in page
    assert "tile.openstreetmap" not in page and "L.tileLayer" not in page


def test_tiles_on_request_replace_the_basemap():
    page = render(mapview.build_map(analysis(), tiles="OpenStreetMap"))
    assert "L.tileLayer" in page and "openstreetmap" in page.lower()
    assert "L.geoJson(" not in page


def test_basemap_is_light_polygons():
    data = json.loads(mapview.basemap_geojson())
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) > 200
    assert len(mapview.basemap_geojson()) < 2_000_000


def test_bounds_fit_the_places(page):
    (bounds,) = re.findall(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    (south, west), (north, east) = json.loads(bounds)
    assert (south, west, north, east) == (HOSTILE.lat, PARIS.lon, PARIS.lat, GAZIANTEP.lon)


def test_an_analysis_without_places_shows_the_world():
    page = render(mapview.build_map(Analysis(documents=(Document("empty", "nothing here"),))))
    assert "fitBounds" not in page and "L.circleMarker" not in page


def test_highlight_marks_every_span_and_escapes_the_rest():
    s = Sentence("d", 10, 40, "<b>Rome</b> and Rome again")
    mentions = [
        PlaceMention("d", "Rome", 13, 17, s, "GPE"),
        PlaceMention("d", "Rome", 26, 30, s, "GPE"),
    ]
    assert mapview.highlight(s, mentions) == (
        "&lt;b&gt;<mark>Rome</mark>&lt;/b&gt; and <mark>Rome</mark> again"
    )


def test_highlight_finds_the_name_when_offsets_disagree():
    s = Sentence("d", 0, 12, "Off to Paris")
    assert mapview.highlight(s, [PlaceMention("d", "Paris", 99, 104, s, "GPE")]) == "Off to <mark>Paris</mark>"


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
    folder = assets.install_static(tmp_path)
    js = folder / "leaflet.js"
    assert js.read_bytes() == (assets.LEAFLET_DIR / "leaflet.js").read_bytes()
    assert (folder / "images" / "layers.png").is_file()
    before = js.stat().st_mtime_ns
    assert assets.install_static(tmp_path) == folder
    assert js.stat().st_mtime_ns == before
