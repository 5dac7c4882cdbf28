"""The map page in a real headless Chromium: the key that folds and keeps clear of the data, a view kept or fitted,
tiles that fall back with no network, the routes played in time, the text linked both ways with the map, and what
a document's hostile text does there (nothing).

Chromium is Debian's, driven by Playwright through ``geo.map.snapshot.open_chromium`` as in tests/test_browser.py;
the pages are the exported HTML, opened from a file with no network.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page
from test_browser import OFFLINE, Tab, assert_map_drawn, hex_rgb, keep, require_chromium
from test_map_features import GAZIANTEP, SYRIA, bakraoui, hostile

import geo.map as mapview
from geo import config
from geo.export import export_view
from geo.filters import apply
from geo.map.snapshot import SETTLE_BUDGET_MS, SETTLED_JS, html_snapshot, open_chromium
from geo.routes import epoch_ms, routes, timeline_spans

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with open_chromium(require_chromium(), args=[OFFLINE]) as b:
        yield b


@pytest.fixture(scope="module")
def sample(resources, sample_text):
    from geo.pipeline import analyse_text

    return analyse_text(sample_text, resources, config.SAMPLE_PATH.stem)


class MapTab(Tab):
    """A Tab on one exported map page, with the page's map and the boxes over it at hand."""

    def open(self, m, tmp_path: Path) -> MapTab:
        path = tmp_path / "map.html"
        path.write_text(html_snapshot(m), encoding="utf-8")
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
        return self

    def view(self) -> dict:
        return self.page.evaluate("(() => { const m = L.geo.map, c = m.getCenter();"
                                  " return {lat: c.lat, lng: c.lng, zoom: m.getZoom()}; })()")

    def settle(self) -> None:
        """Until the map has stopped moving (a fly or a fit animates over a few hundred milliseconds)."""
        self.wait_for("""new Promise(done => { const m = L.geo.map; let last = null, still = 0;
            const look = () => { const c = m.getCenter(), now = [c.lat, c.lng, m.getZoom()].join();
              still = now === last && !m._animatingZoom ? still + 1 : 0; last = now;
              if (still >= 5) done(true); else requestAnimationFrame(look); };
            look(); })""", "the map to stop moving")

    def boxes(self, selector: str) -> list[list[float]]:
        return self.page.evaluate(f"""[...document.querySelectorAll({json.dumps(selector)})]
            .filter(e => e.offsetWidth && e.offsetHeight)
            .map(e => {{ const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }})""")

    def data_boxes(self) -> list[list[float]]:
        """The page boxes of what the data draws: each place marker (its circle) and each stop badge."""
        return self.page.evaluate("""(() => {
          const m = L.geo.map, box = m.getContainer().getBoundingClientRect(), out = [];
          m.eachLayer(l => { if (l instanceof L.CircleMarker) {
            const p = m.latLngToContainerPoint(l.getLatLng()), r = l.getRadius();
            out.push([box.left + p.x - r, box.top + p.y - r, box.left + p.x + r, box.top + p.y + r]); } });
          document.querySelectorAll('.geo-stop').forEach(e => { const r = e.getBoundingClientRect();
            out.push([r.left, r.top, r.right, r.bottom]); });
          return out; })()""")


@pytest.fixture
def tab(browser) -> Iterator[MapTab]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    page: Page = context.new_page()
    yield MapTab(page)
    context.close()


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a: list[float], b: list[float]) -> bool:
    return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]


# --- the key, and the fit -------------------------------------------------------------------


def test_at_800px_the_key_covers_no_data_and_it_folds(tab, sample, tmp_path):
    tab.page.set_viewport_size({"width": 800, "height": 600})
    tab.open(mapview.build_map(sample), tmp_path)
    (legend,) = tab.boxes(".geo-legend")
    (map_box,) = tab.boxes(".leaflet-container")
    data = tab.data_boxes()
    assert len(data) > 20
    covered = [d for d in data if overlap(d, legend)]
    assert covered == [], f"{len(covered)} markers under the key"
    for cover in tab.boxes(".geo-time, .geo-reader"):  # nor under the time control
        assert [d for d in data if overlap(d, cover)] == []
    assert all(overlap(d, map_box) for d in data)  # and all of it in view
    keep("map-800.png", tab.page.screenshot())

    head = tab.page.locator(".geo-legend-head")
    head.click()
    (folded,) = tab.boxes(".geo-legend")
    assert tab.boxes(".geo-legend-body") == [] and folded[3] - folded[1] < 30  # one line: "Key"
    assert head.get_attribute("aria-expanded") == "false"
    head.click()
    assert len(tab.boxes(".geo-legend-body")) == 1 and head.get_attribute("aria-expanded") == "true"
    assert tab.errors == []


def test_many_people_make_a_key_that_scrolls_inside_the_map(tab, tmp_path):
    from test_map_features import movers

    tab.page.set_viewport_size({"width": 800, "height": 600})
    tab.open(mapview.build_map(movers(30)), tmp_path)
    (legend,) = tab.boxes(".geo-legend")
    (map_box,) = tab.boxes(".leaflet-container")
    assert inside(legend, map_box)
    scroll = tab.page.evaluate("(() => { const b = document.querySelector('.geo-legend-body');"
                               " return [b.scrollHeight, b.clientHeight]; })()")
    assert scroll[0] > scroll[1] > 50  # taller than it is shown: it scrolls


def test_a_map_drawn_without_a_fit_keeps_its_view_and_the_fit_button_fits(tab, sample, tmp_path):
    tab.open(mapview.build_map(sample, fit=False), tmp_path)
    world = tab.view()
    assert (round(world["lat"]), round(world["lng"]), world["zoom"]) == (20, 10, 2)  # WORLD_VIEW, not the data
    tab.page.set_viewport_size({"width": 1100, "height": 800})  # a resize refits only a map that was fitted
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    resized = tab.view()  # Leaflet keeps the top left corner where it was: the centre moves a little, no more
    assert resized["zoom"] == 2 and abs(resized["lat"] - 20) < 3 and abs(resized["lng"] - 10) < 3

    tab.page.locator(".geo-refit a").click()
    tab.settle()
    fitted = tab.view()
    assert fitted != world and fitted["zoom"] >= 2
    (map_box,) = tab.boxes(".leaflet-container")
    covers = tab.boxes(".geo-legend, .geo-time, .geo-reader")
    data = tab.data_boxes()
    assert all(overlap(d, map_box) for d in data)
    assert [d for d in data for c in covers if overlap(d, c)] == []
    assert tab.errors == []


# --- tiles with no network -------------------------------------------------------------------


def test_online_tiles_with_no_network_give_way_to_the_offline_basemap_and_say_so(tab, tmp_path):
    a = bakraoui()
    tab.open(mapview.build_map(a, tiles=mapview.ONLINE_TILES), tmp_path)
    notice = tab.wait_for("(() => { const n = document.querySelector('.geo-notice');"
                          " return n && n.offsetHeight && n.textContent; })()", "the message that tiles failed")
    assert "could not be loaded" in notice and "offline basemap" in notice
    assert tab.page.evaluate("(() => { let tiles = 0; L.geo.map.eachLayer(l => { if (l instanceof L.TileLayer)"
                             " tiles++; }); return tiles; })()") == 0
    checked = tab.page.evaluate("[...document.querySelectorAll('.leaflet-control-layers-base input')]"
                                ".map(i => [i.nextSibling.textContent.trim(), i.checked])")
    assert [name for name, on in checked if on] == [mapview.OFFLINE_BASEMAP]  # the layer control agrees
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    picture = Image.open(io.BytesIO(tab.page.screenshot()))
    keep("tiles-offline.png", tab.page.screenshot())
    assert_map_drawn(picture, [mapview.person_colours(a)["Ibrahim"]])  # land and sea, not a blank grey
    assert tab.errors == []


# --- time -----------------------------------------------------------------------------------


RECORD_STOPS = """() => {
  // Each stop's first appearance: the time shown then, and the time shown the frame before.
  const seen = window.__seen = {}, time = L.geo.time;
  let before = null;
  const look = () => {
    const now = time.time();
    L.geo.routes.routes.forEach(route => route.badges.forEach(b => {
      const el = b.marker._map && b.marker.getElement();
      if (!el) return;
      el.textContent.split('\u00b7').forEach(n => {
        const key = route.data.person + '#' + n;
        if (!(key in seen)) seen[key] = [before, now];
      });
    }));
    before = now;
    if (time.state === 'playing') requestAnimationFrame(look); else window.__done = time.state;
  };
  look();
}"""


def test_playing_the_sample_shows_each_stop_at_its_date_in_date_order(tab, sample, tmp_path):
    tab.open(mapview.build_map(sample), tmp_path)
    assert tab.page.locator(".geo-time-label").text_content() == "all dates"
    expected = {}  # person#number -> the first millisecond of the stop's date
    for route in routes(sample):
        if route.is_line:
            for stop, span in zip(route.stops, timeline_spans(route)):
                if span:
                    expected[f"{route.person}#{stop.number}"] = epoch_ms(span[0])
    assert len(expected) >= 10
    speed = tab.page.locator(".geo-time-speed")
    speed.click()
    speed.click()
    assert speed.text_content() == "4×"
    tab.page.locator(".geo-time-play").click()
    tab.page.evaluate(RECORD_STOPS)
    assert tab.wait_for("window.__done", "the timeline to play to its end", timeout=120) == "end"
    seen = tab.page.evaluate("window.__seen")
    start = min(expected.values())
    for key, t0 in expected.items():
        before, shown = seen[key]
        assert shown >= t0, f"{key} appeared before its date"
        assert before is None and t0 == start or before < t0, f"{key} appeared late, not at its date"
    by_appearance = sorted(expected, key=lambda k: (seen[k][1], expected[k]))
    assert [expected[k] for k in by_appearance] == sorted(expected.values())  # in date order
    assert len({seen[k][1] for k in expected}) > 5  # over many frames, not all at once
    assert tab.page.locator(".geo-time-label").text_content() == "all dates"
    assert tab.errors == []


def test_the_slider_and_a_date_in_the_text_set_the_time(tab, sample, tmp_path):
    tab.open(mapview.build_map(sample), tmp_path)
    shown = "document.querySelectorAll('.geo-stop').length"
    everything = tab.page.evaluate(shown)
    tab.page.locator(".geo-time-slider").focus()
    tab.page.keyboard.press("Home")  # the slider to its first day, as a keyboard user does
    assert tab.page.evaluate(shown) < everything
    label = tab.page.locator(".geo-time-label").text_content()
    assert label.startswith("2013-")
    tab.page.locator(".geo-reader mark[data-kind=date]", has_text="June 11, 2015").first.click()
    assert tab.page.locator(".geo-time-label").text_content() == "2015-06-11"
    tab.page.locator(".geo-reader mark[data-kind=date]", has_text="July 14, 2015").first.click()
    assert tab.page.locator(".geo-time-label").text_content() == "2015-07-14"
    keep("map-time.png", tab.page.screenshot())  # docs/map-time.png is made this way
    assert tab.errors == []


# --- the text beside the map -----------------------------------------------------------------


def test_a_name_in_the_text_flies_the_map_to_it_and_a_marker_scrolls_the_text_to_its_sentence(tab, sample,
                                                                                            tmp_path):
    tab.open(mapview.build_map(sample), tmp_path)
    (panel,) = tab.boxes(".geo-reader")  # open beside a wide map
    before = tab.view()
    tab.page.locator(".geo-reader mark[data-kind=place]", has_text="Antalya").first.click()
    tab.settle()
    after = tab.view()
    assert after != before and after["zoom"] == mapview.styles.ZOOM_BY_KIND["city"]
    (map_box,) = tab.boxes(".leaflet-container")
    x, y = tab.page.evaluate("(() => { const p = L.geo.map.latLngToContainerPoint([36.9081, 30.6956]);"
                             " return [p.x, p.y]; })()")
    covers = tab.boxes(".geo-reader, .geo-legend, .geo-time")
    point = [map_box[0] + x - 3, map_box[1] + y - 3, map_box[0] + x + 3, map_box[1] + y + 3]
    assert inside(point, [panel[2], map_box[1], map_box[2], map_box[3]])  # in the map the text leaves free
    assert not any(overlap(point, c) for c in covers)
    assert 0.3 < (x - (panel[2] - map_box[0])) / (map_box[2] - panel[2]) < 0.7  # and about its middle
    assert 0.3 < y / (map_box[3] - map_box[1]) < 0.7
    popup = tab.wait_for("(() => { const p = document.querySelector('.leaflet-popup-content');"
                         " return p && p.textContent; })()", "the place's popup")
    assert popup.startswith("Antalya")
    # A file on its own has no dashboard to ask: no Fix offered in the text or the popup (tests/test_browser.py)
    assert tab.page.evaluate("document.querySelectorAll('.geo-ask, .geo-ask-fix').length") == 0
    tab.wait_for("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'", "the popup faded in")
    keep("map-text.png", tab.page.screenshot())  # docs/map-text.png is made this way

    # Now the other way: the text back at its top, a click on the marker scrolls it to the sentence.
    tab.page.evaluate("L.geo.map.closePopup(); document.querySelector('.geo-reader-body').scrollTop = 0")
    tab.page.mouse.click(map_box[0] + x, map_box[1] + y)
    current = tab.wait_for("(() => { const s = document.querySelector('.geo-sent.geo-current');"
                           " return s && s.textContent; })()", "the sentence marked in the text")
    assert "Antalya" in current
    (sentence,) = tab.boxes(".geo-sent.geo-current")
    (body,) = tab.boxes(".geo-reader-body")
    assert body[1] <= sentence[1] < body[3] and tab.page.evaluate(
        "document.querySelector('.geo-reader-body').scrollTop") > 0  # scrolled to, and in sight
    assert tab.errors == []


def test_a_redraw_keeps_the_text_as_it_was_read(tab, sample, tmp_path):
    """The dashboard swaps the layer that holds the text on every filter change: the text stays, scrolled."""
    tab.open(mapview.build_map(sample), tmp_path)
    tab.page.evaluate("document.querySelector('.geo-reader-body').scrollTop = 600;"
                      "document.querySelector('.geo-reader-body .geo-sent').__read = true")
    tab.page.evaluate("""(() => { const m = L.geo.map; let key = null;
        m.eachLayer(l => { if (l instanceof L.FeatureGroup && l.getLayers().some(x => x === L.geo.reader)) key = l; });
        m.removeLayer(key); m.addLayer(key); return true; })()""")
    body = tab.page.evaluate("(() => { const b = document.querySelector('.geo-reader-body');"
                             " return [b.scrollTop, b.querySelector('.geo-sent').__read === true,"
                             " document.querySelectorAll('.geo-reader').length]; })()")
    assert body == [600, True, 1]  # the same nodes, moved over and not read again; one panel
    assert tab.errors == []


def test_a_quote_in_a_popup_opens_the_text_at_its_sentence(tab, tmp_path):
    tab.page.set_viewport_size({"width": 900, "height": 700})  # narrow: the text starts closed
    tab.open(mapview.build_map(bakraoui()), tmp_path)
    assert tab.boxes(".geo-reader") == []
    tab.page.evaluate("L.geo.places[Object.keys(L.geo.places)[0]].openPopup() && true")
    tab.page.locator(".leaflet-popup .geo-quote").first.click()
    assert len(tab.boxes(".geo-reader")) == 1
    assert "Ibrahim flew" in tab.page.locator(".geo-sent.geo-current").text_content()


def test_a_documents_hostile_text_is_only_text_in_the_browser(tab, tmp_path):
    dialogs = []
    tab.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.open(mapview.build_map(hostile()), tmp_path)
    text = tab.page.locator(".geo-reader-text").text_content()
    assert "</script><script>alert(1)</script> {{ 7 * 7 }} {% for x in y %}x{% endfor %}" in text
    assert "`${alert(2)}` <img src=x onerror=alert(3)>" in text
    assert tab.page.evaluate("document.querySelectorAll('.geo-reader script, .geo-reader img').length") == 0
    tab.page.locator(".geo-reader mark[data-kind=place]").first.click()
    tab.settle()
    assert dialogs == [] and tab.errors == []


# --- attempted legs, the picture -----------------------------------------------------------------


def pixels_along(tab: MapTab, a, b, image: Image.Image, colour: str) -> dict[str, float]:
    """Along the middle of the drawn leg a -> b, the share of points with the colour within 3 pixels, with white
    within 1 (the inside of a hollow line), and with neither within 1 (a gap between dashes)."""
    points = tab.page.evaluate(f"""[{json.dumps(list(a))}, {json.dumps(list(b))}].map(ll => {{
        const p = L.geo.map.latLngToContainerPoint(ll), box = L.geo.map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }})""")
    (x0, y0), (x1, y1) = points
    rgb = np.asarray(image.convert("RGB"), dtype=int)

    def near(x: int, y: int, r: int) -> np.ndarray:
        return rgb[y - r:y + r + 1, x - r:x + r + 1].reshape(-1, 3)

    def coloured(pixels: np.ndarray) -> bool:
        return bool((np.abs(pixels - hex_rgb(colour)) <= 60).all(axis=1).any())

    def white(pixels: np.ndarray) -> bool:
        return bool((pixels >= 240).all(axis=1).any())  # white, not the land (whose blue is 234)

    counts = {"colour": 0, "white": 0, "gap": 0}
    samples = [f / 200 for f in range(60, 141) if abs(f / 200 - 0.5) > 0.04]  # the middle, clear of the arrow
    for f in samples:
        x, y = round(x0 + (x1 - x0) * f), round(y0 + (y1 - y0) * f)
        counts["colour"] += coloured(near(x, y, 3))
        counts["white"] += white(near(x, y, 1))
        counts["gap"] += not coloured(near(x, y, 1)) and not white(near(x, y, 1))
    return {k: v / len(samples) for k, v in counts.items()}


def test_an_attempted_leg_is_drawn_dashed_and_hollow(tab, tmp_path):
    a = bakraoui()
    colour = mapview.person_colours(a)["Ibrahim"]
    tab.open(mapview.build_map(a, layers=("routes",), reader=False, timeline=False), tmp_path)
    tab.settle()  # the fit on load is done
    tab.page.evaluate("L.geo.map.setView([36.5, 37.5], 7, {animate: false}) && true")
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    image = Image.open(io.BytesIO(tab.page.screenshot()))
    keep("attempted-leg.png", tab.page.screenshot())
    tried = pixels_along(tab, (GAZIANTEP.lat, GAZIANTEP.lon), (SYRIA.lat, SYRIA.lon), image, colour)
    assert tried["white"] > 0.2, tried  # hollow: white inside the outline
    assert tried["colour"] > 0.2, tried  # the person's colour around it
    assert tried["gap"] > 0.2, tried  # and gaps between the dashes
    made = pixels_along(tab, (36.9081, 30.6956), (GAZIANTEP.lat, GAZIANTEP.lon), image, colour)
    assert made["colour"] > 0.9 and made["white"] == 0, made  # a journey made: one solid line


def test_the_png_has_a_title_and_a_caption(tmp_path):
    require_chromium()
    from concurrent.futures import ThreadPoolExecutor

    view = apply(bakraoui())
    # A thread of its own, as the dashboard does: this module's browser holds Playwright in this one.
    with ThreadPoolExecutor(1) as pool:
        (png,) = pool.submit(export_view, view, "png", "bakraoui").result().values()
    keep("png-caption.png", png)
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    width = image.shape[1]
    top = image[12:52, width // 2 - 100:width // 2 + 100].reshape(-1, 3)
    assert ((top >= 250).all(axis=1)).mean() > 0.5  # the caption's white box
    assert ((top <= 90).all(axis=1)).mean() > 0.01  # and dark text on it
    plain = html_snapshot(mapview.build_map(view))
    from geo.map.snapshot import png_snapshot

    with ThreadPoolExecutor(1) as pool:
        bare = np.asarray(Image.open(io.BytesIO(pool.submit(png_snapshot, plain).result())).convert("RGB"), dtype=int)
    bare_top = bare[12:52, width // 2 - 100:width // 2 + 100].reshape(-1, 3)
    assert ((bare_top >= 250).all(axis=1)).mean() < 0.1  # a map with no caption has no such box


def test_thousands_of_stops_leave_their_numbers_and_arrows_out_until_zoomed_in(tab, tmp_path):
    # A corpus's routes: every stop's number and every leg's arrow is a marker in the page, and thousands
    # of them made each pan take seconds. Past 400 in view they wait for the user to zoom in; the lines stay.
    from test_map_features import ISTANBUL, movers

    count = """(() => ({badges: document.querySelectorAll('.geo-stop-icon').length,
                        arrows: document.querySelectorAll('.geo-arrow').length,
                        lines: L.geo.routes.routes.filter(r => r.line && L.geo.map.hasLayer(r.line)).length,
                        note: [...document.querySelectorAll('.geo-crowded')].filter(e => e.offsetWidth).length}))()"""
    tab.open(mapview.build_map(movers(150)), tmp_path)  # 300 stops and 150 arrows, all in view
    crowded = tab.page.evaluate(count)
    assert crowded == {"badges": 0, "arrows": 0, "lines": 150, "note": 1}
    tab.page.evaluate(f"L.geo.map.setView([{ISTANBUL.lat}, {ISTANBUL.lon}], 11, {{animate: false}}) && null")
    tab.settle()
    near = tab.page.evaluate(count)
    assert near["badges"] == 150 and near["arrows"] == 0 and near["note"] == 0  # Istanbul's 150 stops, no arrow
    tab.open(mapview.build_map(movers(30)), tmp_path)  # 90 marks: all of them, and no note
    few = tab.page.evaluate(count)
    assert few == {"badges": 60, "arrows": 30, "lines": 30, "note": 0}


# --- a large map's popups, kept apart --------------------------------------------------------------------


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    """``tmp_path`` served over HTTP on 127.0.0.1, as the dashboard's static folder is: a fetch needs a server."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def page_with_popups_apart(data, tmp_path: Path, monkeypatch) -> tuple[Path, tuple[str, ...]]:
    """The map page of ``data`` with its popups kept apart (as the dashboard gets them past POPUPS_INLINE_MAX,
    here set to 0), and the popups written where the page fetches them."""
    from geo.map import build
    from geo.map.assets import keep_popups

    monkeypatch.setattr(build, "POPUPS_INLINE_MAX", 0)
    parts = build.live_parts(data, popups_at="popups/list.json")
    m = parts.frame
    for layer in parts.layers:
        layer.add_to(m)
    (tmp_path / "map.html").write_text(html_snapshot(m), encoding="utf-8")
    texts = parts.popups.texts()
    keep_popups(tmp_path / "popups" / "list.json", texts)
    return tmp_path / "map.html", texts


def test_a_popup_kept_apart_shows_its_evidence_when_opened(tab, served, tmp_path, monkeypatch):
    page_file, popups = page_with_popups_apart(bakraoui(), tmp_path, monkeypatch)
    assert popups and "Ibrahim" in " ".join(popups)
    html = page_file.read_text(encoding="utf-8")
    assert not any(p in html for p in popups), "the page holds none of the popups' text"
    fetched = []
    tab.page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("list.json") else None)
    tab.page.goto(f"{served}/map.html", wait_until="load")
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    assert fetched == [], "nothing is fetched until a popup opens"
    tab.page.evaluate("L.geo.places[Object.keys(L.geo.places)[0]].openPopup() && true")
    text = tab.wait_for("(() => { const p = document.querySelector('.leaflet-popup-content');"
                        " return p && !p.textContent.includes('Loading') && p.textContent; })()", "the evidence")
    assert "Written as" in text and "Ibrahim" in text
    tab.page.evaluate("L.geo.map.closePopup() && true")
    tab.page.evaluate("""(() => { let line = null;
        L.geo.map.eachLayer(l => { if (!line && l instanceof L.Polyline && l.getPopup && l.getPopup()) line = l; });
        line.openPopup(line.getCenter()); return true; })()""")
    route = tab.wait_for("(() => { const p = [...document.querySelectorAll('.leaflet-popup-content')].pop();"
                         " return p && p.textContent.includes('stops') && p.textContent; })()", "the route's stops")
    assert "Ibrahim" in route
    assert len(fetched) == 1, "the list is fetched once for the whole map"
    assert tab.errors == []


def test_a_popup_waits_for_its_list_while_it_is_made(tab, served, tmp_path, monkeypatch):
    """The dashboard makes a large map's popups while the browser draws it: one opened before waits."""
    page_file, texts = page_with_popups_apart(bakraoui(), tmp_path, monkeypatch)
    listed = tmp_path / "popups" / "list.json"
    kept = listed.read_bytes()
    listed.unlink()
    tab.page.goto(f"{served}/map.html", wait_until="load")
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    tab.page.evaluate("L.geo.places[Object.keys(L.geo.places)[0]].openPopup() && true")
    tab.wait_for("(() => { const p = document.querySelector('.leaflet-popup-content');"
                 " return p && p.textContent.includes('Loading the evidence'); })()", "the popup waiting")
    listed.write_bytes(kept)  # the list made
    text = tab.wait_for("(() => { const p = document.querySelector('.leaflet-popup-content');"
                        " return p && p.textContent.includes('Written as') && p.textContent; })()", "the evidence")
    assert "Ibrahim" in text
    assert tab.errors == []


def test_a_popup_whose_list_is_gone_says_to_reload(tab, served, tmp_path, monkeypatch):
    page_file, _ = page_with_popups_apart(bakraoui(), tmp_path, monkeypatch)
    (tmp_path / "popups" / "list.json").unlink()  # pruned, or a server restarted elsewhere
    tab.page.goto(f"{served}/map.html", wait_until="load")
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    tab.page.evaluate("L.geo.popupWaitMs = 1000")  # it waits that long for a list still being made
    tab.page.evaluate("L.geo.places[Object.keys(L.geo.places)[0]].openPopup() && true")
    text = tab.wait_for("(() => { const p = document.querySelector('.leaflet-popup-content');"
                        " return p && p.textContent.includes('reload') && p.textContent; })()", "the reason")
    assert "could not be loaded" in text
