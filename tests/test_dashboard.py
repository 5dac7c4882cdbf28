"""The dashboard run headless by Streamlit's AppTest, on the real pipeline.

Every control is driven, and after each the map is read back from what the
app sends to the browser: which markers and route lines remain.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import os
import re
import time
from pathlib import Path

import pytest
from PIL import Image
from streamlit import config as st_config
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_browser import require_chromium
from test_mapview import place_points, polylines
from test_readers import NEWS_PAGE, minimal_docx, minimal_pdf

from geo import config, service
from geo.corpus import access
from geo.corpus.cache import AnalysisCache
from geo.errors import AnalysisCancelled
from geo.model import Document

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
TIMEOUT = 120  # the first run loads spaCy and the gazetteer
HAYAT = "Hayat Boumeddiene"


@pytest.fixture
def static_serving(monkeypatch):
    """Run the dashboard as `make run` does: static serving on, listening on this machine only.

    A session waits for its analysis here until it is done (the browser polls instead).
    """
    before = {k: st_config.get_option(k) for k in ("server.enableStaticServing", "server.address")}
    st_config.set_option("server.enableStaticServing", True)
    st_config.set_option("server.address", "127.0.0.1")
    monkeypatch.setattr(service, "WAIT_SECONDS", TIMEOUT)
    yield
    for k, v in before.items():
        st_config.set_option(k, v)


@pytest.fixture
def corrections_file(tmp_path, monkeypatch) -> Path:
    """The user's corrections (and the kept analyses) in a test folder, not in the real cache."""
    path = tmp_path / "corrections.json"
    monkeypatch.setattr(config, "corrections_path", lambda: path)
    monkeypatch.setattr(service, "cache", lambda: AnalysisCache(tmp_path / "analyses"))
    return path


@pytest.fixture
def app(static_serving, corrections_file) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def folium_maps(at: AppTest) -> list:
    return [c for c in at.get("component_instance") if "streamlit_folium" in c.proto.component_name]


def the_map(at: AppTest) -> dict:
    (component,) = folium_maps(at)
    return json.loads(component.proto.json_args)


def map_script(at: AppTest) -> str:
    """All the map's code: the frame the browser keeps, then the data layers it swaps in."""
    args = the_map(at)
    return args["script"] + (args.get("feature_group") or "")


def drawn(at: AppTest) -> tuple[set, int]:
    """(the points of the place markers, the number of route lines) on the map."""
    script = map_script(at)
    points = {(p[0], p[1]) for p in place_points(script)}
    return points, len(polylines(script))


def url(at: AppTest, key: str) -> list[str]:
    """A key of the app's URL query, as a list (AppTest gives a lone value as a string)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def run(widget) -> AppTest:
    at = widget.run()
    assert_clean(at)
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Switch to a tab, as a click on it does (only the open tab's content is drawn)."""
    at.session_state["tab"] = tab
    return run(at)


def paste(at: AppTest, text: str) -> AppTest:
    if at.radio(key="src").value != "paste":
        run(at.radio(key="src").set_value("paste"))
    return run(at.text_area[0].input(text))


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at


def tell_view(at: AppTest, lat: float, lon: float, zoom: int) -> AppTest:
    """What the browser's map says after the user moved it (streamlit-folium's returned center and zoom)."""
    (component,) = folium_maps(at)
    at.session_state[component.proto.id.rsplit("-", 1)[1]] = {"center": {"lat": lat, "lng": lon}, "zoom": zoom}
    return run(at)


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


# --- the map and its assets ---------------------------------------------------------------


def test_sample_runs_and_shows_the_map(app):
    assert_clean(app)
    assert len(folium_maps(app)) == 1
    points, lines = drawn(app)
    assert len(points) > 10 and lines > 3
    assert [t.label for t in app.tabs] == ["People", "Places", "Moves", "Fix a place"]
    assert list(app.dataframe[0].value.columns)[:2] == ["person", "aliases"]  # only the open tab is drawn
    assert list(open_tab(app, "Places").dataframe[0].value.columns)[:2] == ["place", "written as"]
    open_tab(app, "Moves")
    assert app.get("vega_lite_chart"), "the timeline of moves"
    assert list(app.dataframe[0].value.columns)[:2] == ["person", "stop"]
    assert (DASHBOARD.parent / "static" / "leaflet" / "leaflet.js").is_file()
    assert (DASHBOARD.parent / "static" / "geo" / "geomap.js").is_file()


def test_the_sidebar_key_is_the_map_key(app):
    """One legend: a person's line in the sidebar is the very row the map's key draws for them."""
    (key,) = re.findall(r'L\.geoLegend\(("(?:[^"\\]|\\.)*")', map_script(app))
    rows = re.findall(r"<div><span class='geo-line'.*?</div>", json.loads(key))
    assert len(rows) > 3  # the sample's movers
    sidebar = "".join(md.value for md in app.sidebar.markdown)
    assert [row for row in rows if row not in sidebar] == []


def test_map_links_its_scripts_locally(app):
    args = the_map(app)
    links = " ".join(args["js_links"] + args["css_links"])
    assert "/app/static/leaflet/leaflet.js" in links and "/app/static/geo/geomap.js" in links
    assert "http" not in links
    script = args["script"]  # the basemap is fetched from static/, not sent on every rerun
    assert "L.geoBasemap(" in script and '"/app/static/basemap.geojson?v=' in script
    assert len(script) < 600_000  # was 1.2 MB
    assert (DASHBOARD.parent / "static" / "basemap.geojson").is_file()


def test_without_static_serving_the_map_is_inlined(corrections_file):
    before = st_config.get_option("server.enableStaticServing")
    st_config.set_option("server.enableStaticServing", False)
    try:
        at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
        at.run()
    finally:
        st_config.set_option("server.enableStaticServing", before)
    assert_clean(at)
    assert not folium_maps(at)
    (frame,) = at.get("iframe")
    assert "L.geoPoints(" in frame.proto.srcdoc and "<script src=" not in frame.proto.srcdoc
    assert place_points(frame.proto.srcdoc) and '"type":"FeatureCollection"' in frame.proto.srcdoc  # basemap inside


@pytest.fixture
def large_maps(monkeypatch):
    """Every map as large as a corpus's: its popups kept apart (geo.map.build.POPUPS_INLINE_MAX at 0). The
    maps made before and after are not this one's (the page keeps its maps' arguments: cache_resource)."""
    import streamlit as st

    from geo.map import assets, build

    monkeypatch.setattr(build, "POPUPS_INLINE_MAX", 0)
    monkeypatch.setattr(assets, "POPUPS_WAIT_SECONDS", 0.2)  # no browser here to say the map is drawn
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_a_large_maps_popups_are_served_apart_from_its_data(static_serving, corrections_file, large_maps):
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    assert_clean(at)
    data = the_map(at)["feature_group"]
    (url,) = set(re.findall(r'"popups":"([^"]+)"', data))
    assert re.fullmatch(r"/app/static/geo-popups/[0-9a-f]{32}\.json", url), "a random name, under static/"
    listed = config.REPO_ROOT / "static" / url.removeprefix("/app/static/")
    deadline = time.monotonic() + TIMEOUT
    while not listed.exists() and time.monotonic() < deadline:  # made in a thread while the map is drawn
        time.sleep(0.05)
    popups = json.loads(listed.read_text("utf-8"))
    assert any("Hayat Boumeddiene" in p and "Written as" in p for p in popups)
    assert "Written as" not in data, "the map's data hold none of the popups' text"
    run(at.multiselect(key="person").set_value([HAYAT]))
    (other,) = set(re.findall(r'"popups":"([^"]+)"', the_map(at)["feature_group"]))
    assert other != url, "each map has its own list"


def test_a_filter_change_keeps_the_frame_and_swaps_the_data(app):
    """The browser keeps the map (basemap fetched and drawn once) when only the data changes."""
    (before,) = folium_maps(app)
    frame, data = the_map(app)["script"], the_map(app)["feature_group"]
    assert "L.geoBasemap(" in frame and "L.geoPoints(" not in frame and "L.geoRoutes(" not in frame
    assert "L.geoPoints(" in data and "L.geoRoutes(" in data and "L.geoFit(map_div" in data
    run(app.multiselect(key="person").set_value([HAYAT]))
    (after,) = folium_maps(app)
    assert after.proto.id == before.proto.id, "a new component id makes the browser build a new map"
    assert the_map(app)["feature_group"] != data
    run(app.toggle(key="tiles").set_value(True))  # another frame: a new map is right
    (tiles,) = folium_maps(app)
    assert tiles.proto.id != before.proto.id


# --- filters --------------------------------------------------------------------------------


def test_choosing_people_keeps_their_routes_and_places(app):
    everyone, all_lines = drawn(app)
    people = app.multiselect(key="person")
    assert HAYAT in people.options and people.value == []
    run(people.set_value([HAYAT]))
    points, lines = drawn(app)
    assert lines == 1 and 0 < len(points) < len(everyone) and points <= everyone
    assert url(app, "person") == [HAYAT]  # the view is in the URL
    two = [HAYAT, next(p for p in people.options if p != HAYAT)]
    run(app.multiselect(key="person").set_value(two))
    assert drawn(app)[1] >= 1 and len(drawn(app)[0]) >= len(points)
    run(app.multiselect(key="person").set_value([]))
    assert drawn(app) == (everyone, all_lines)
    assert "person" not in app.query_params


def test_date_range_and_undated_items(app):
    everyone, lines = drawn(app)
    dates = app.slider(key="dates")
    low, high = dates.value
    run(dates.set_value((low, low.replace(year=low.year + 1))))
    early, early_lines = drawn(app)
    assert early < everyone and early_lines < lines
    assert url(app, "from") or url(app, "to")
    run(app.checkbox(key="undated").uncheck())
    dated_only, _ = drawn(app)
    assert dated_only < early
    assert url(app, "undated") == ["0"]


def test_roles_and_kinds(app):
    everyone, _ = drawn(app)
    run(app.multiselect(key="role").set_value(["movement"]))
    movement, lines = drawn(app)
    assert movement < everyone and lines > 0
    run(app.multiselect(key="role").set_value(["mention"]))
    assert drawn(app)[1] == 0  # plain mentions make no route
    run(app.multiselect(key="role").set_value(["movement", "event", "mention"]))
    run(app.multiselect(key="kind").set_value(["city"]))
    cities, _ = drawn(app)
    assert cities < everyone and url(app, "kind") == ["city"]


def test_region_filter(app):
    everyone, _ = drawn(app)
    regions = app.multiselect(key="region")
    assert regions.options, "the sample has regions"
    run(regions.set_value(regions.options[:1]))
    inside, _ = drawn(app)
    assert 0 < len(inside) < len(everyone)


def test_layers_switch_on_and_off(app):
    everyone, lines = drawn(app)
    run(app.checkbox(key="layer_routes").uncheck())
    assert drawn(app) == (everyone, 0)
    run(app.checkbox(key="layer_places").uncheck())
    assert drawn(app) == (set(), 0)
    assert "Levant" not in map_script(app)
    assert url(app, "layer") == ["regions"]
    run(app.checkbox(key="layer_regions").uncheck())
    assert "L.geoBasemap(" in the_map(app)["script"]  # the basemap stays
    run(app.checkbox(key="layer_places").check())
    run(app.checkbox(key="layer_routes").check())
    assert drawn(app) == (everyone, lines)


def test_online_tiles_are_an_option(app):
    assert "L.tileLayer" not in the_map(app)["script"]
    run(app.toggle(key="tiles").set_value(True))
    script = the_map(app)["script"]
    assert "L.tileLayer" in script and "openstreetmap" in script.lower()
    assert url(app, "tiles") == ["online"]


def test_the_url_restores_a_shared_view(static_serving, corrections_file):
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.query_params["person"] = [HAYAT, "Nobody"]
    at.query_params["layer"] = ["places", "regions"]
    at.query_params["undated"] = "0"
    at.run()
    assert_clean(at)
    assert at.multiselect(key="person").value == [HAYAT]  # a name the text lacks is dropped
    assert at.checkbox(key="layer_routes").value is False and at.checkbox(key="undated").value is False
    points, lines = drawn(at)
    assert lines == 0 and points


# --- text in ------------------------------------------------------------------------------------


def test_empty_paste_shows_a_hint(app):
    run(app.radio(key="src").set_value("paste"))
    assert any("Paste or upload" in i.value for i in app.info)
    assert not folium_maps(app)


def test_hostile_paste_runs(app):
    run(app.radio(key="src").set_value("paste"))
    run(app.text_area[0].input("Ali flew from <script>alert(1)</script> Paris to Istanbul in 2015, "
                               "{% if true %}jinja-ran{% endif %} said Ali."))
    assert len(folium_maps(app)) == 1
    script = map_script(app)
    assert "<script>alert(1)" not in script
    assert "{% if true %}jinja-ran{% endif %}" in script  # words, never template code


def test_upload_several_files_of_each_kind(app):
    run(app.radio(key="src").set_value("upload"))
    uploader = app.get("file_uploader")[0]
    uploader.set_value([
        ("news.html", NEWS_PAGE.encode("utf-8"), "text/html"),
        ("notes.md", b"# Notes\n\nAnna Schmidt flew from Munich to Lisbon in May 2019.", "text/markdown"),
        ("trip.pdf", minimal_pdf("Karl Weber drove from Vienna to Prague in 2018."), "application/pdf"),
        ("memo.docx", minimal_docx("Omar Haddad flew from Cairo to Tunis in 2017."), "application/octet-stream"),
    ])
    run(uploader)
    points, _ = drawn(app)
    assert {(round(lat), round(lon)) for lat, lon in points} >= {(41, 29), (39, -9), (48, 16), (30, 31)}
    script = map_script(app)
    assert "Oslo" not in script and "Vienna" in script  # the web page's furniture is not read


def test_binary_upload_is_refused_with_a_message(app):
    run(app.radio(key="src").set_value("upload"))
    app.get("file_uploader")[0].upload("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain").run()
    assert not app.exception
    assert any("binary" in e.value for e in app.error)


# --- exports ------------------------------------------------------------------------------------------


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """File name -> what its download button would hand the browser (deferred ones made on demand)."""
    found = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def spy_add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            found[file_name] = lambda: data
        return add(self, data, mimetype, coordinates, file_name=file_name,
                   is_for_static_download=is_for_static_download)

    def spy_deferred(self, callable_, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = callable_
        return add_deferred(self, callable_, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", spy_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return found


def test_each_export_holds_the_filtered_view(app, downloads):
    stem = config.SAMPLE_PATH.stem
    run(app.multiselect(key="person").set_value([HAYAT]))
    points, _ = drawn(app)
    assert [b.proto.label for b in app.get("download_button")] == [
        "GeoJSON", "CSV of places", "CSV of moves", "HTML map", "KML", "PNG snapshot"]
    geojson = json.loads(downloads[f"{stem}.geojson"]())
    people = {f["properties"]["person"] for f in geojson["features"] if f["geometry"]["type"] == "Point"}
    assert people == {HAYAT}
    places_csv = downloads[f"{stem}.places.csv"]().decode("utf-8")
    moves_csv = downloads[f"{stem}.moves.csv"]().decode("utf-8")
    assert places_csv.startswith("place,") and len(places_csv.splitlines()) == len(points) + 1
    assert {line.split(",")[0] for line in moves_csv.splitlines()[1:]} == {HAYAT}
    html = downloads[f"{stem}.html"]().decode("utf-8")
    assert "<script src=" not in html and "Leaflet 1.9.3" in html
    assert len(place_points(html)) == len(points)
    kml = ET.fromstring(downloads[f"{stem}.kml"]())
    ns = "{http://www.opengis.net/kml/2.2}"
    routes = [f for f in kml.iter(f"{ns}Folder") if f.findtext(f"{ns}name") == "Routes"]
    assert [p.findtext(f"{ns}name") for p in routes[0].findall(f"{ns}Folder")] == [HAYAT]  # the filtered view


def test_png_export(app, downloads):
    require_chromium()
    run(app.multiselect(key="person").set_value([HAYAT]))
    png = downloads[f"{config.SAMPLE_PATH.stem}.png"]()
    assert Image.open(io.BytesIO(png)).size == (1280, 800)


# --- fixing a place -------------------------------------------------------------------------------------


def not_a_place(at: AppTest, name: str, scope: str) -> AppTest:
    """In the Fix tab: say that ``name`` is not a place, for ``scope``: access.EVERY or a document's hash."""
    open_tab(at, "Fix a place")
    run(at.selectbox(key="fix_name").set_value(name))
    choice = at.radio(key=f"fix_choice_{name}")
    run(choice.set_value(len(choice.options) - 1))  # "Not a place"
    run(at.radio(key="fix_scope").set_value(scope))
    return run(at.button(key="fix_save").click())


def test_picking_another_candidate_moves_the_marker_and_is_remembered(app, corrections_file):
    before, _ = drawn(app)
    open_tab(app, "Fix a place")
    run(app.selectbox(key="fix_name").set_value("Istanbul"))
    choice = app.radio(key="fix_choice_Istanbul")
    assert choice.value == 0 and len(choice.options) > 2
    not_a_place(app, "Istanbul", access.EVERY)
    after, _ = drawn(app)
    assert len(after) == len(before) - 1  # Istanbul left the map
    stored = json.loads(corrections_file.read_text(encoding="utf-8"))
    assert stored["places"]["istanbul"]["choice"] is None

    again = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)  # the next session remembers
    again.run()
    assert drawn(again)[0] == after
    open_tab(again, "Fix a place")
    run(again.button(key="undo_0").click())
    assert drawn(again)[0] == before


def unescaped(markdown: str) -> str:
    """What Markdown escaped by the dashboard's plain() reads as."""
    return re.sub(r"\\(.)", r"\1", markdown)


def rounded(points) -> set:
    return {(round(lat), round(lon)) for lat, lon in points}


def look_up(at: AppTest, written: str, search: str) -> AppTest:
    """In the Fix tab: look up ``search`` in the gazetteer for the name ``written``."""
    open_tab(at, "Fix a place")
    run(at.selectbox(key="fix_name").set_value(written))
    return run(at.text_input(key=f"fix_search_{written}").input(search))


def test_a_name_looked_up_in_the_gazetteer_fixes_a_place_for_every_document(app, corrections_file):
    assert (41, 29) in rounded(drawn(app)[0])  # Istanbul
    look_up(app, "Istanbul", "Bombay")
    choice = app.radio(key="fix_choice_Istanbul")
    assert [unescaped(o) for o in choice.options[:2]] == [
        "1. Mumbai (IN, Maharashtra, city, 19.07, 72.88)", "2. Bombay (NZ, Auckland, city, -37.17, 174.98)"]
    assert unescaped(choice.options[2]).startswith("3. Istanbul (TR") and choice.options[-1] == "Not a place"
    assert choice.value == 0, "the first place of the name looked up is chosen"
    assert any("knows 2 places as Bombay: listed first" in c.value for c in app.caption)
    run(app.radio(key="fix_scope").set_value(access.EVERY))
    run(app.button(key="fix_save").click())
    points = rounded(drawn(app)[0])
    assert (19, 73) in points and (41, 29) not in points  # the marker moved to Mumbai
    stored = json.loads(corrections_file.read_text(encoding="utf-8"))["places"]["istanbul"]
    assert stored["written"] == "Istanbul" and stored["choice"]["id"] and stored["choice"]["name"] == "Mumbai"
    assert any("Istanbul → Mumbai (IN" in unescaped(m.value) for m in app.markdown)
    run(app.button(key="undo_0").click())
    assert (41, 29) in rounded(drawn(app)[0])


def test_a_misspelling_looked_up_fixes_a_place_in_this_document_and_a_search_shows_as_text(app, corrections_file):
    sample = access.document_hash(Document(config.SAMPLE_PATH.stem, config.SAMPLE_PATH.read_text(encoding="utf-8")))
    open_tab(app, "Fix a place")
    run(app.selectbox(key="fix_name").set_value("Istanbul"))
    own = app.radio(key="fix_choice_Istanbul").options
    crafted = "[Your session expired](https://evil.example/login)"
    look_up(app, "Istanbul", crafted)
    (said,) = [c.value for c in app.caption if "no place called" in c.value]
    assert shown_as_text(said) and "evil.example" in said, said
    assert app.radio(key="fix_choice_Istanbul").options == own, "nothing found, nothing added"
    look_up(app, "Istanbul", "Mumbay")  # a misspelling the gazetteer knows
    choice = app.radio(key="fix_choice_Istanbul")
    assert unescaped(choice.options[0]).startswith("1. Mumbai (IN") and choice.value == 0
    run(app.radio(key="fix_scope").set_value(sample))
    run(app.button(key="fix_save").click())
    assert (19, 73) in rounded(drawn(app)[0])
    assert not corrections_file.exists(), "not for every document"
    kept = json.loads((corrections_file.parent / "corrections" / f"{sample}.json").read_text(encoding="utf-8"))
    assert kept["places"]["istanbul"]["choice"]["name"] == "Mumbai"


def test_a_broken_corrections_file_is_reported_not_fatal(static_serving, corrections_file):
    corrections_file.write_text("{broken", encoding="utf-8")
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and folium_maps(at)
    assert any("move it away" in w.value for w in at.warning)


# --- a batch store ------------------------------------------------------------------------------------

STORE_TEXTS = {
    "a.txt": "On 3 March 2015, Ahmet Yilmaz flew from Istanbul to Berlin. Yilmaz stayed in Berlin for two days.",
    "b.txt": "In May 2016, Ahmet Yilmaz travelled from Berlin to Paris. French police arrested Yilmaz in Paris "
             "on 12 May 2016.",
}


@pytest.fixture(scope="module")
def batch_store(tmp_path_factory, resources) -> Path:
    """A store made by the real batch code from two texts that share a person."""
    from geo.corpus.batch import run_batch

    root = tmp_path_factory.mktemp("batch")
    for name, text in STORE_TEXTS.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    result = run_batch(root / "docs", root / "store", resources=resources, progress=False, chunk_size=1)
    assert (result.analysed, result.failed) == (2, [])
    return root / "store"


def open_store_app(path) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.query_params["src"] = "store"
    at.query_params["store"] = str(path)
    at.run()
    return at


@pytest.fixture
def store_roots(monkeypatch, tmp_path_factory, batch_store):
    """Batch stores may be opened under the test's folders, as GEO_STORE_ROOTS says."""
    roots = [batch_store.parent, tmp_path_factory.getbasetemp()]
    monkeypatch.setenv("GEO_STORE_ROOTS", os.pathsep.join(map(str, roots)))
    return roots


def test_a_batch_store_is_one_corpus_on_the_map(static_serving, corrections_file, store_roots, batch_store,
                                                downloads):
    at = open_store_app(batch_store)
    assert_clean(at)
    assert at.radio(key="src").value == "store" and at.text_input(key="store").value == str(batch_store)
    points, lines = drawn(at)
    near = {(round(lat), round(lon)) for lat, lon in points}
    assert {(41, 29), (53, 13), (49, 2)} <= near  # Istanbul (a), Berlin (both), Paris (b)
    people = at.multiselect(key="person").options
    assert people.count("Ahmet Yilmaz") == 1, people  # one person across the two documents
    rows = at.dataframe[0].value  # the People tab
    assert list(rows["person"]).count("Ahmet Yilmaz") == 1
    assert lines == 1  # his route runs through both documents
    popups = map_script(at)
    assert "geo-doc" in popups  # a popup says which document its sentence is from
    assert url(at, "src") == ["store"] and url(at, "store") == [str(batch_store)]
    html = downloads[f"{batch_store.name}.html"]().decode("utf-8")
    assert "<script src=" not in html

    run(at.multiselect(key="doc").set_value(["a"]))  # read one document of the store
    only_a = {(round(lat), round(lon)) for lat, lon in drawn(at)[0]}
    assert (41, 29) in only_a and (49, 2) not in only_a
    assert url(at, "doc") == ["a"]
    run(at.multiselect(key="person").set_value(["Ahmet Yilmaz"]))
    assert drawn(at)[0]


def test_a_folder_that_is_not_a_store_is_an_error_not_a_traceback(static_serving, corrections_file, store_roots,
                                                                  tmp_path):
    for path in (tmp_path / "missing", tmp_path):
        at = open_store_app(path)
        assert not at.exception, [e.message for e in at.exception]
        assert any("not a batch store" in e.value for e in at.error), [e.value for e in at.error]
        assert not folium_maps(at)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "store.json").write_text("{not json", encoding="utf-8")
    at = open_store_app(broken)
    assert not at.exception and any("cannot be read" in e.value for e in at.error)


def test_the_store_source_asks_for_a_folder(app):
    run(app.radio(key="src").set_value("store"))
    assert any("batch store" in i.value for i in app.info)
    assert not folium_maps(app)


# --- one text after another: nothing carries over silently ----------------------------------------

NO_PLACES = "The committee met for a long time and nobody agreed on anything at all."
ADMIN_AND_CITY = "Maria Lopez flew from Texas to Lyon in May 2019. She later drove to Bavaria."
CITIES = "Omar Haddad flew from Cairo to Tunis in 2017."


def test_a_text_without_places_says_so_and_the_next_text_shows_everything(app):
    paste(app, NO_PLACES)
    assert "No place names in this text." in infos(app)
    buttons = app.get("download_button")
    assert buttons and all(b.proto.disabled for b in buttons), "nothing to export"
    paste(app, ADMIN_AND_CITY)
    assert app.multiselect(key="kind").value == [] and "No place names in this text." not in infos(app)
    points, lines = drawn(app)
    assert len(points) == 3 and lines == 1  # Texas, Lyon and Bavaria, and Maria Lopez's route
    assert not any(b.proto.disabled for b in app.get("download_button") if b.proto.label != "PNG snapshot")


def test_a_new_text_starts_from_the_defaults(app):
    run(app.multiselect(key="kind").set_value(["city"]))
    run(app.multiselect(key="person").set_value([HAYAT]))
    assert url(app, "kind") == ["city"]
    paste(app, ADMIN_AND_CITY)
    assert app.multiselect(key="kind").value == [] and app.multiselect(key="person").value == []
    assert {(round(lat), round(lon)) for lat, lon in drawn(app)[0]} >= {(31, -99), (46, 5)}  # Texas is there
    assert "kind" not in app.query_params and "person" not in app.query_params


def test_a_filter_value_the_text_lacks_never_hides_its_data(static_serving, corrections_file):
    # (The sample has every kind of place; a kind another text lacks is in the test above.)
    at = new_app(person=["Nobody"], region=["Atlantis"], **{"from": "1990", "to": "1991"})
    assert_clean(at)
    everyone = new_app()
    assert drawn(at) == drawn(everyone) and drawn(at)[1] > 3
    assert at.multiselect(key="kind").value == [] and at.multiselect(key="person").value == []
    assert not {"person", "region", "from", "to"} & set(at.query_params)


def test_a_link_is_read_for_its_own_text_only(static_serving, corrections_file):
    """The filters of a link are the sample's; a text pasted after it starts from the defaults."""
    at = new_app(kind=["city"])
    assert at.multiselect(key="kind").value == ["city"]
    paste(at, ADMIN_AND_CITY)
    assert at.multiselect(key="kind").value == [] and len(drawn(at)[0]) == 3


# --- shared links: the text by its key, the view, the tab and the basemap -------------------------------


def test_a_pasted_text_is_shared_by_its_key_and_kept_after_a_restart(app, monkeypatch):
    paste(app, CITIES)
    points = drawn(app)[0]
    assert url(app, "src") == ["paste"] and len(url(app, "text")) == 1
    key = url(app, "text")[0]
    link = new_app(src="paste", text=key)  # another browser opens the link
    assert_clean(link)
    assert drawn(link)[0] == points and link.text_area(key="paste").value == ""
    assert url(link, "text") == [key]
    monkeypatch.setattr(service, "_jobs", type(service._jobs)())  # a server restart: no job in memory
    restarted = new_app(src="paste", text=key)
    assert drawn(restarted)[0] == points and service.job(key).from_cache  # read back, not analysed again


def test_a_link_to_a_text_no_longer_kept_says_so(static_serving, corrections_file):
    at = new_app(src="paste", text="0" * 32)
    assert_clean(at)
    assert any("no longer kept" in i for i in infos(at)) and not folium_maps(at)


def test_uploaded_files_are_shared_by_their_key_and_filtered_by_file(app):
    run(app.radio(key="src").set_value("upload"))
    uploader = app.get("file_uploader")[0]
    uploader.set_value([("b.txt", CITIES.encode(), "text/plain"), ("a.txt", ADMIN_AND_CITY.encode(), "text/plain")])
    run(uploader)
    both = drawn(app)[0]
    files = app.multiselect(key="doc")
    assert files.options == ["a", "b"] and files.value == []
    run(files.set_value(["b"]))
    assert {(round(lat), round(lon)) for lat, lon in drawn(app)[0]} == {(30, 31), (37, 10)}  # Cairo, Tunis
    assert url(app, "doc") == ["b"] and url(app, "src") == ["upload"]
    link = new_app(**{k: url(app, k) for k in ("src", "text", "doc")})
    assert link.multiselect(key="doc").value == ["b"] and drawn(link)[0] == drawn(app)[0]
    run(link.multiselect(key="doc").set_value([]))
    assert drawn(link)[0] == both


TRIP = "Karl Weber drove from Vienna to Prague in 2018."


def test_the_files_filter_holds_for_tables_and_exports_and_a_new_set_of_files_starts_unfiltered(app, downloads):
    def upload(files: dict[str, str]) -> AppTest:
        uploader = app.get("file_uploader")[0]
        uploader.set_value([(name, text.encode(), "text/plain") for name, text in files.items()])
        return run(uploader)

    run(app.radio(key="src").set_value("upload"))
    upload({"a.txt": ADMIN_AND_CITY, "b.txt": CITIES})
    run(app.multiselect(key="doc").set_value(["b"]))
    open_tab(app, "Places")
    assert sorted(app.dataframe[0].value["place"]) == ["Cairo", "Tunis"]
    def rows(name: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8"))))

    assert sorted(r["place"] for r in rows("corpus.places.csv")) == ["Cairo", "Tunis"]
    assert {r["document"] for r in rows("corpus.moves.csv")} == {"b"}
    upload({"b.txt": CITIES, "c.txt": TRIP})  # another set, holding the file chosen before: all of it is shown
    assert app.multiselect(key="doc").value == [] and "doc" not in app.query_params
    assert rounded(drawn(app)[0]) == {(30, 31), (37, 10), (48, 16), (50, 14)}  # Cairo, Tunis, Vienna, Prague
    assert sorted(app.dataframe[0].value["place"]) == ["Cairo", "Prague", "Tunis", "Vienna"]


def test_the_map_view_tab_and_basemap_are_in_the_url(app):
    open_tab(app, "Places")
    run(app.toggle(key="tiles").set_value(True))
    tell_view(app, 48.8566, 2.3522, 7)
    assert url(app, "tab") == ["places"] and url(app, "tiles") == ["online"]
    assert url(app, "map") == ["48.857,2.352,7"]
    link = new_app(**{k: url(app, k) for k in ("tab", "tiles", "map")})
    args = the_map(link)
    assert (args["center"], args["zoom"]) == ([48.857, 2.352], 7)  # the map opens where it was left
    assert link.session_state["tab"] == "Places" and link.toggle(key="tiles").value is True
    assert "L.tileLayer" in args["script"]
    assert url(link, "map") == ["48.857,2.352,7"], "kept while the browser has not moved the map"


def test_the_map_view_of_another_text_is_not_kept(app):
    tell_view(app, 48.8566, 2.3522, 7)
    paste(app, CITIES)
    assert "map" not in app.query_params  # the new text is fitted, until the browser says where it looks
    assert the_map(app)["center"] is None


# --- long texts: in a worker, with progress and a cancel -------------------------------------------------------


def test_a_long_text_shows_progress_and_can_be_cancelled(app, monkeypatch):
    from geo import pipeline

    monkeypatch.setattr(service, "WAIT_SECONDS", 0)  # show the progress at once
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 2_000)  # many pieces, each short
    text = "\n\n".join(f"Karl Weber drove from Vienna to Prague in {1900 + i}. He met Anna in Brno." for i in range(900))
    paste(app, text)
    bars = app.get("progress")
    assert bars and "Finding places, people and dates in" in bars[-1].proto.text
    assert not folium_maps(app)
    job = next(j for j in service._jobs.values() if j.chars == len(text))
    run(app.button(key="cancel").click())
    assert any("cancelled" in i for i in infos(app)) and not folium_maps(app)
    with pytest.raises(AnalysisCancelled):
        job.result(timeout=TIMEOUT)
    assert service.cache().get(job.key, pipeline.pipeline_version()) is None, "a cancelled analysis is not kept"
    run(app)  # another rerun (the user changes a filter...) starts nothing
    assert service.job(job.key) is job and any("cancelled" in i for i in infos(app))
    run(app.button(key="again").click())  # until the user asks again
    again = service.job(job.key)
    assert again is not job and not again.done
    run(app.button(key="cancel").click())
    with pytest.raises(AnalysisCancelled):
        again.result(timeout=TIMEOUT)


# --- small things ------------------------------------------------------------------------------------------------


def test_the_uploader_promises_the_real_limit(app, monkeypatch):
    run(app.radio(key="src").set_value("upload"))
    (uploader,) = app.get("file_uploader")
    assert "5,000,000 characters" in uploader.proto.label
    assert uploader.proto.max_upload_size_mb == 21  # a file of 5,000,000 characters of UTF-8, not 200 MB


def test_a_text_over_the_limit_is_refused_without_a_setting_to_change(app, monkeypatch):
    monkeypatch.setenv("GEO_MAX_CHARS", "100")
    run(app.radio(key="src").set_value("upload"))
    app.get("file_uploader")[0].upload("long.txt", ("Paris. " * 40).encode(), "text/plain").run()
    assert not app.exception
    (error,) = app.error
    assert "over the limit of 100" in error.value and "GEO_" not in error.value


def test_one_person_and_one_chunk_are_singular(static_serving, corrections_file, store_roots, batch_store, app):
    paste(app, CITIES)
    status = next(m.value for m in app.markdown if "placed mention" in m.value)
    assert "**1 person** tied to places" in status and "of 2 placed mentions" in status
    at = open_store_app(batch_store)
    assert any("from 2 chunks" in c.value and "1 person merged" in c.value for c in at.caption)
    run(at.multiselect(key="doc").set_value(["a"]))
    assert any("1 of 2 documents" in c.value for c in at.caption)


# --- corrections: for this document or every one, listed, undone, exported ----------------------------------------


def test_a_correction_for_this_text_only_leaves_other_texts_alone(app, corrections_file, downloads):
    sample = access.document_hash(Document(config.SAMPLE_PATH.stem, config.SAMPLE_PATH.read_text(encoding="utf-8")))
    before = drawn(app)[0]
    not_a_place(app, "Istanbul", sample)
    assert len(drawn(app)[0]) == len(before) - 1
    assert not corrections_file.exists(), "not for every document"
    assert any("Istanbul → Not a place, only seed_isis_turkey" in m.value.replace("\\", "") for m in app.markdown)
    exported = json.loads(downloads["corrections.json"]())
    assert exported["places"] == {} and exported["documents"][sample]["places"]["istanbul"]["choice"] is None
    paste(app, "Ali Demir flew from Istanbul to Ankara in 2016.")
    assert (41, 29) in {(round(lat), round(lon)) for lat, lon in drawn(app)[0]}  # Istanbul, in the other text
    run(app.radio(key="src").set_value("sample"))
    open_tab(app, "Fix a place")
    run(app.button(key="undo_0").click())
    assert drawn(app)[0] == before


def test_a_shared_dashboard_keeps_corrections_in_the_session(static_serving, corrections_file, downloads):
    st_config.set_option("server.address", "0.0.0.0")  # listening to the network: its users are not one person
    at = new_app()
    before = drawn(at)[0]
    not_a_place(at, "Istanbul", access.EVERY)
    assert len(drawn(at)[0]) == len(before) - 1
    assert not corrections_file.exists() and not (corrections_file.parent / "corrections").exists()
    assert any("this session only" in m.value for m in at.markdown)
    assert json.loads(downloads["corrections.json"]())["places"]["istanbul"]["choice"] is None
    assert drawn(new_app())[0] == before, "another session is not changed"


def test_a_store_keeps_its_own_corrections(static_serving, corrections_file, store_roots, batch_store):
    at = open_store_app(batch_store)
    before = drawn(at)[0]
    not_a_place(at, "Paris", access.EVERY)
    assert len(drawn(at)[0]) == len(before) - 1
    assert json.loads((batch_store / "corrections.json").read_text())["places"]["paris"]["choice"] is None
    assert not corrections_file.exists()
    assert any("in this batch store" in m.value for m in at.markdown)
    open_tab(at, "Fix a place")
    run(at.button(key="undo_0").click())
    assert drawn(at)[0] == before


# --- the network: links open no folder, and show what they carry as text -----------------------------------------------


def test_a_link_alone_opens_no_folder(static_serving, corrections_file, batch_store, monkeypatch):
    monkeypatch.delenv("GEO_STORE_ROOTS", raising=False)
    at = open_store_app(batch_store)
    assert_clean(at)
    assert not folium_maps(at) and any("asks to open the folder" in w.value for w in at.warning)
    run(at.button(key="open_store").click())  # the user chooses it
    assert folium_maps(at) and drawn(at)[0]


def test_outside_the_store_roots_nothing_is_opened_or_probed(static_serving, corrections_file, batch_store,
                                                             monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_STORE_ROOTS", str(tmp_path / "roots"))
    said = []
    for path in (batch_store, tmp_path / "missing", Path("/etc")):
        at = open_store_app(path)
        assert not at.exception and not folium_maps(at)
        (error,) = at.error
        said.append(re.sub(r"\\(.)", r"\1", error.value).replace(str(path), "PATH"))
    assert len(set(said)) == 1, f"the same refusal whether the folder exists or not: {said}"


def shown_as_text(markdown: str) -> bool:
    """Whether Markdown shows this as words: outside code spans (never linked), no mark is left unescaped
    that makes a link or an image, and no address is left for an autolink."""
    outside = re.sub(r"(`+) .*? \1", "", markdown)
    return not re.search(r"(?<!\\)[\[\]()!<>]", outside) and not re.search(r"https?:|www\.", outside)


def test_a_message_quoting_a_link_shows_it_as_text(static_serving, corrections_file, monkeypatch):
    monkeypatch.delenv("GEO_STORE_ROOTS", raising=False)
    crafted = "![x](https://evil.example/p.png)[Your session expired](https://evil.example/login)"
    at = open_store_app(crafted)
    (warning,) = at.warning
    assert "asks to open the folder" in warning.value and shown_as_text(warning.value), warning.value
    at.button(key="open_store").click().run()
    (error,) = at.error  # not a store: the error quotes the folder, as text too
    assert "is not a batch store" in error.value and shown_as_text(error.value), error.value
    assert not shown_as_text(crafted)


# --- fixing a stop: its person, role or date ---------------------------------------------------------------------


def pick_stop(at: AppTest, person: str, role: str, place: str) -> AppTest:
    """In the Fix tab: pick the stop of ``person`` at ``place`` in ``role`` (as the list of stops shows it)."""
    open_tab(at, "Fix a place")
    box = at.selectbox(key="stop_pick")
    (n,) = [i for i, label in enumerate(box.options) if label.startswith(f"{person} · {role} · {place} · ")]
    return run(box.set_value(n))


def stop_boxes(at: AppTest) -> tuple:
    """The person, role and date boxes of the stop picked."""
    person, role = [s for s in at.selectbox if s.key.startswith(("stop_person_", "stop_role_"))]
    (date,) = [t for t in at.text_input if t.key.startswith("stop_date_")]
    return person, role, date


def moves(downloads) -> list[dict]:
    return list(csv.DictReader(io.StringIO(downloads[f"{config.SAMPLE_PATH.stem}.moves.csv"]().decode("utf-8"))))


def test_a_stop_given_another_person_role_or_date_changes_the_map_tables_and_exports(downloads, app,
                                                                                   corrections_file):
    sample = access.document_hash(Document(config.SAMPLE_PATH.stem, config.SAMPLE_PATH.read_text(encoding="utf-8")))
    points, lines = drawn(app)
    mostefai = "Ismail Omar Mostefai"
    assert [r["place"] for r in moves(downloads) if r["person"] == mostefai] == ["Turkey", "Syria"]
    pick_stop(app, mostefai, "destination", "Syria")
    person, role, date = stop_boxes(app)
    assert (person.value, role.value, date.value) == (mostefai, "destination", "2013")
    assert person.options[0] == "Nobody" and set(role.options) == {"origin", "stop", "transit", "destination",
                                                            "attempted", "event", "mention"}
    run(person.set_value(""))  # nobody went there: it was only named
    run(app.button(key="stop_save").click())
    assert drawn(app) == (points, lines - 1), "his route has one stop left: no line"
    assert [r["place"] for r in moves(downloads) if r["person"] == mostefai] == ["Turkey"]
    kept = json.loads((corrections_file.parent / "corrections" / f"{sample}.json").read_text(encoding="utf-8"))
    (fix,) = kept["stops"].values()
    assert (fix["written"], fix["person"], fix["to"]["person"]) == ("Syria", mostefai, None)
    assert not corrections_file.exists(), "a stop is one document's"
    assert any("The stop at Syria" in unescaped(m.value) and "→ nobody, destination, 2013" in unescaped(m.value)
               for m in app.markdown)

    pick_stop(app, "Anis Amri", "event", "Berlin")
    person, role, date = stop_boxes(app)
    run(date.input("2016-02-30"))
    app.button(key="stop_save").click().run()
    assert not app.exception
    (said,) = [e.value for e in app.error]
    assert "2016\\-02\\-30" in said and "YYYY\\-MM\\-DD" in said, said
    assert stop_boxes(app)[2].value == "2016-02-30", "what was typed is still there to correct"
    run(stop_boxes(app)[2].input("2016-12"))
    run(stop_boxes(app)[1].set_value("destination"))
    run(app.button(key="stop_save").click())
    assert not app.error
    (amri,) = [r for r in moves(downloads) if r["person"] == "Anis Amri"]
    assert (amri["place"], amri["role"], amri["date"]) == ("Berlin", "destination", "2016-12")
    geojson = json.loads(downloads[f"{config.SAMPLE_PATH.stem}.geojson"]())
    assert [(f["properties"]["role"], f["properties"]["date"]) for f in geojson["features"]
            if f["properties"].get("person") == "Anis Amri"] == [("destination", "2016-12")]
    exported = json.loads(downloads["corrections.json"]())
    assert len(exported["documents"][sample]["stops"]) == 2 and exported["stops"] == {}

    again = new_app()  # the next session finds them
    assert drawn(again) == (points, lines - 1)
    open_tab(again, "Fix a place")
    undo = [b for b in again.button if b.key.startswith("undo_")]
    for _ in undo:
        run(again.button(key="undo_0").click())
    assert drawn(again) == (points, lines)


# --- adding a place the parser missed -------------------------------------------------------------------------------


def test_a_place_the_parser_missed_is_added_at_its_words_and_undone(downloads, app, corrections_file):
    points, _ = drawn(app)
    open_tab(app, "Fix a place")
    run(app.text_input(key="add_words").input("the Whitehouse"))
    (refused,) = [w.value for w in app.warning]
    assert "the Whitehouse" in refused and "not in the text" in refused
    assert "add_save" not in [b.key for b in app.button], "nothing to add"
    run(app.text_input(key="add_words").input("Istanbul"))
    assert any("is in the text 2 times; the parser found a place in 2 of them" in unescaped(c.value)
               for c in app.caption)
    run(app.text_input(key="add_words").input("White House"))
    assert any("White House is in the text 1 time." == unescaped(c.value) for c in app.caption)
    run(app.text_input(key="add_search_White House").input("Washington"))
    choice = [r for r in app.radio if r.key.startswith("add_choice_")][0]
    (n,) = [i for i, o in enumerate(choice.options) if unescaped(o).startswith("Washington (US, District of Columbia")]
    run(choice.set_value(n))
    run(app.radio(key="add_scope").set_value(access.EVERY))
    run(app.button(key="add_save").click())
    after, _ = drawn(app)
    assert rounded(after - points) == {(39, -77)}
    rows = list(csv.DictReader(io.StringIO(downloads[f"{config.SAMPLE_PATH.stem}.places.csv"]().decode("utf-8"))))
    (added,) = [r for r in rows if r["written as"] == "White House"]
    assert (added["place"], added["geocoder"]) == ("Washington", "correction")
    stored = json.loads(corrections_file.read_text(encoding="utf-8"))
    assert stored["added"]["White House"]["choice"]["name"] == "Washington"
    assert any(unescaped(m.value).startswith("White House (added) → Washington (US") for m in app.markdown)
    assert "White House" not in app.selectbox(key="fix_name").options, "undone, not fixed as a found place"
    assert json.loads(downloads["corrections.json"]())["added"]["White House"]["written"] == "White House"
    run(app.button(key="undo_0").click())
    assert drawn(app)[0] == points


# --- fixing from the map --------------------------------------------------------------------------------------------


def click_map(at: AppTest, lat: float, lon: float, zoom: int = 5) -> AppTest:
    """What the browser's map says after the user clicked at (lat, lon) (streamlit-folium's last_object_clicked)."""
    (component,) = folium_maps(at)
    at.session_state[component.proto.id.rsplit("-", 1)[1]] = {
        "center": {"lat": 40.0, "lng": 30.0}, "zoom": zoom, "last_object_clicked": {"lat": lat, "lng": lon}}
    return run(at)


def candidate_markers(at: AppTest) -> list[str]:
    """The tooltips of the numbered candidates drawn on the map, in their order."""
    return [unescaped(t) for t in re.findall(r'bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`', map_script(at), re.S)]


def test_a_place_clicked_on_the_map_opens_in_the_fix_tab_with_its_candidates_drawn_numbered(app):
    assert not candidate_markers(app) and "fix_clicked" not in [b.key for b in app.button]
    (istanbul,) = [p for p in drawn(app)[0] if rounded([p]) == {(41, 29)}]
    click_map(app, istanbul[0] + 0.05, istanbul[1] - 0.05)  # the pointer a few pixels off the marker's centre
    assert any(unescaped(c.value) == "Clicked on the map: Istanbul (written Istanbul)." for c in app.caption)
    run(app.button(key="fix_clicked").click())
    assert app.session_state["tab"] == "Fix a place" and app.selectbox(key="fix_name").value == "Istanbul"
    options = [unescaped(o) for o in app.radio(key="fix_choice_Istanbul").options[:-1]]
    drawn_candidates = candidate_markers(app)
    assert drawn_candidates == options and options[0].startswith("1. Istanbul (TR")
    look_up(app, "Istanbul", "Bombay")
    assert candidate_markers(app)[:2] == ["1. Mumbai (IN, Maharashtra, city, 19.07, 72.88)",
                                          "2. Bombay (NZ, Auckland, city, -37.17, 174.98)"]
    open_tab(app, "People")
    assert not candidate_markers(app), "drawn only while a place is being fixed"
    click_map(app, 0.0, -150.0)  # the sea: no place there
    assert "fix_clicked" not in [b.key for b in app.button]


# --- corrections asked for from the reading view and the popups --------------------------------------------------


def ask_from_map(at: AppTest, n: str, **request) -> AppTest:
    """What the browser's map says after the reading view or a popup asked for a correction (``L.geo.ask``: the
    map's last value, with ``geo_request``)."""
    (component,) = folium_maps(at)
    at.session_state[component.proto.id.rsplit("-", 1)[1]] = {
        "center": {"lat": 40.0, "lng": 30.0}, "zoom": 5, "geo_request": {"n": n, **request}}
    return run(at)


def test_a_place_name_clicked_in_the_reading_view_opens_in_the_fix_tab_once(app):
    ask_from_map(app, "1", kind="fix", written="Istanbul")
    assert app.session_state["tab"] == "Fix a place" and app.selectbox(key="fix_name").value == "Istanbul"
    assert candidate_markers(app)[0].startswith("1. Istanbul (TR"), "the page ran again: its candidates are drawn"
    open_tab(app, "People")  # the map still says what it last said: the request was acted on, not again
    assert app.session_state["tab"] == "People"
    ask_from_map(app, "2", kind="fix", written="Istanbul")  # asked again, by a new click
    assert app.session_state["tab"] == "Fix a place"


def test_fix_this_place_in_a_popup_opens_the_name_written_at_that_marker(app):
    (istanbul,) = [p for p in drawn(app)[0] if rounded([p]) == {(41, 29)}]
    ask_from_map(app, "1", kind="fix_at", key=f"{istanbul[0]:.5f},{istanbul[1]:.5f}")
    assert app.session_state["tab"] == "Fix a place" and app.selectbox(key="fix_name").value == "Istanbul"


def test_words_selected_in_the_reading_view_go_to_add_a_place(app):
    ask_from_map(app, "1", kind="add", words="White House")
    assert app.session_state["tab"] == "Fix a place" and app.text_input(key="add_words").value == "White House"
    assert any("White House is in the text 1 time." == unescaped(c.value) for c in app.caption)


@pytest.mark.parametrize("request_", [
    {"kind": "fix", "written": "Atlantis"},  # not a name of the text
    {"kind": "fix", "written": ["Istanbul"]},
    {"kind": "fix_at", "key": "0.00000,0.00000"},  # no marker there
    {"kind": "add", "words": "   "},
    {"kind": "add", "words": {"x": 1}},
    {"kind": "<script>alert(1)</script>"},
])
def test_a_request_the_text_does_not_bear_out_changes_nothing(app, request_):
    before = app.session_state["tab"]
    ask_from_map(app, "1", **request_)
    assert app.session_state["tab"] == before and "add_words" not in app.session_state


def test_a_place_the_user_added_clicked_in_the_text_says_how_to_change_it(app):
    ask_from_map(app, "1", kind="add", words="White House")
    run(app.text_input(key="add_search_White House").input("Washington"))
    run(app.button(key="add_save").click())
    open_tab(app, "People")
    ask_from_map(app, "2", kind="fix", written="White House")
    assert app.session_state["tab"] == "Fix a place"
    assert any("White House is a place you added" in unescaped(i.value) for i in app.info)


# --- a row picked in a table, a stop in the timeline: ringed on the map ------------------------------------------


def pick(at: AppTest, what: str, **selection) -> AppTest:
    """What the browser says after the user picked rows of a table (``rows=[...]``) or a stop in the timeline."""
    (key,) = [k for k in at.session_state._state._state.filtered_state if str(k).startswith(f"pick_{what}_")]
    at.session_state[key] = {"selection": selection}
    return run(at)


def ringed(at: AppTest) -> list[list]:
    """The points ringed on the map, [lat, lon, label] each (L.geoHighlight's data)."""
    found = re.findall(r"L\.geoHighlight\([\w]+, (\[.*?\])\);", map_script(at))
    return [point for data in found for point in json.loads(data)]


def test_a_place_picked_in_the_places_table_is_ringed_on_the_map(app):
    open_tab(app, "Places")
    assert ringed(app) == []
    pick(app, "places", rows=[0], columns=[])
    ((lat, lon, label),) = ringed(app)
    (first,) = app.dataframe
    assert label == first.value["place"][0] and (round(lat, 3), round(lon, 3)) == (
        round(first.value["lat"][0], 3), round(first.value["lon"][0], 3))
    open_tab(app, "Fix a place")  # a tab without that table: nothing ringed
    assert ringed(app) == []


def test_a_person_picked_rings_every_place_they_are_tied_to(app):
    open_tab(app, "People")
    people = app.dataframe[0].value
    n = list(people["person"]).index("Ibrahim El Bakraoui")
    pick(app, "people", rows=[n], columns=[])
    labels = [label for _, _, label in ringed(app)]
    assert labels and all(label.startswith("Ibrahim El Bakraoui: ") for label in labels)
    assert "Ibrahim El Bakraoui: Brussels" in labels


def test_a_stop_picked_in_the_timeline_is_ringed(app):
    open_tab(app, "Moves")
    pick(app, "timeline", stop=[{"person": "Ibrahim El Bakraoui", "place": "Antalya", "date": "2015-06-11",
                                 "lat": 36.9, "lon": 30.7}])
    assert ringed(app) == [[36.9, 30.7, "Ibrahim El Bakraoui · Antalya · 2015-06-11"]]


def test_a_row_picked_is_forgotten_when_the_view_changes(app):
    open_tab(app, "Places")
    pick(app, "places", rows=[0], columns=[])
    assert ringed(app)
    run(app.multiselect(key="person").select("Ibrahim El Bakraoui"))  # another view: row 0 is another place
    assert ringed(app) == []


def test_the_fix_tab_flags_the_doubtful_names_as_the_text_does(app):
    open_tab(app, "Fix a place")
    shown = [unescaped(o) for o in app.selectbox(key="fix_name").options]
    assert "Istanbul  ? close candidates" in shown and "Brussels" in shown  # as the reading view marks them
    flagged = sum(1 for o in shown if "  ? " in o)
    assert any(unescaped(c.value).startswith(f"{flagged} names marked ? are doubtful") for c in app.caption)
    run(app.selectbox(key="fix_name").set_value("Istanbul"))  # the value is still the name as written
    assert app.radio(key="fix_choice_Istanbul").options
