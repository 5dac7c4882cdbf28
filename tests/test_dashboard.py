"""The dashboard run headless by Streamlit's AppTest, on the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
TIMEOUT = 120  # the first run loads spaCy and the gazetteer


@pytest.fixture
def static_serving():
    """Run the dashboard as `streamlit run --server.enableStaticServing true` does."""
    before = st_config.get_option("server.enableStaticServing")
    st_config.set_option("server.enableStaticServing", True)
    yield
    st_config.set_option("server.enableStaticServing", before)


@pytest.fixture
def app(static_serving) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def folium_maps(at: AppTest) -> list:
    return [c for c in at.get("component_instance") if "streamlit_folium" in c.proto.component_name]


def test_sample_runs_and_shows_the_map(app):
    assert_clean(app)
    assert len(folium_maps(app)) == 1
    assert app.dataframe, "the table of places"
    assert (DASHBOARD.parent / "static" / "leaflet" / "leaflet.js").is_file()


def test_map_links_leaflet_locally(app):
    (component,) = folium_maps(app)
    args = json.loads(component.proto.json_args)
    links = " ".join(args["js_links"] + args["css_links"])
    assert "/app/static/leaflet/leaflet.js" in links
    assert "http" not in links


def test_person_filter_reruns(app):
    (people,) = app.multiselect
    assert people.options, "the sample names people"
    people.set_value(people.value[:1]).run()
    assert_clean(app)
    assert len(folium_maps(app)) == 1
    people.set_value([]).run()
    assert_clean(app)


def test_empty_paste_shows_a_hint(app):
    app.radio[0].set_value("Paste text").run()
    assert_clean(app)
    assert any("Paste or upload" in i.value for i in app.info)
    assert not folium_maps(app)


def test_hostile_paste_runs(app):
    app.radio[0].set_value("Paste text").run()
    app.text_area[0].input("Ali flew from <script>alert(1)</script> Paris to Istanbul in 2015.").run()
    assert_clean(app)
    assert len(folium_maps(app)) == 1


def test_binary_upload_is_refused_with_a_message(app):
    app.radio[0].set_value("Upload a .txt file").run()
    app.get("file_uploader")[0].upload("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain").run()
    assert not app.exception
    assert any("binary" in e.value for e in app.error)


def test_without_static_serving_the_map_is_inlined():
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
    assert "L.circleMarker" in frame.proto.srcdoc and "<script src=" not in frame.proto.srcdoc
