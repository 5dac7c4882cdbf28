"""The dashboard run headless by Streamlit's AppTest, on the real pipeline.

Every control is driven, and after each the map is read back from what the
app sends to the browser: which markers and route lines remain.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from streamlit import config as st_config
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_browser import require_chromium
from test_mapview import place_points
from test_readers import NEWS_PAGE, minimal_docx, minimal_pdf

from geo import config, service
from geo.corpus import access
from geo.corpus.cache import AnalysisCache

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
    return points, len(re.findall(r"L\.polyline\(", script))


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
    return run(at.text_area(key="paste").input(text))


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


def test_a_filter_change_keeps_the_frame_and_swaps_the_data(app):
    """The browser keeps the map (basemap fetched and drawn once) when only the data changes."""
    (before,) = folium_maps(app)
    frame, data = the_map(app)["script"], the_map(app)["feature_group"]
    assert "L.geoBasemap(" in frame and "L.geoPoints(" not in frame and "L.polyline(" not in frame
    assert "L.geoPoints(" in data and "L.polyline(" in data and "L.geoFit(map_div" in data
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
        "GeoJSON", "CSV of places", "CSV of moves", "HTML map", "PNG snapshot"]
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
