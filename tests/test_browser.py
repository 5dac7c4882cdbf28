"""The dashboard and the PNG export in a real headless Chromium, with no network but this machine.

Chromium is driven over the DevTools protocol with the ``websockets`` package
that Streamlit already brings: a few dozen lines below, where Playwright would
add a package, a Node.js driver and a second way to find the browser.

Chromium comes from Debian (``.ci/run`` installs it). Under CI (``CI=true``) a
missing Chromium fails these tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from websockets.sync.client import connect

from geo import config
from geo.map import KIND_STYLES, LAND_STYLE, SEA_COLOUR, build_map, person_colours
from geo.map.snapshot import CHROMIUM_FLAGS, find_chromium, html_snapshot, png_snapshot

DASHBOARD = config.REPO_ROOT / "dashboard.py"
VIEWPORT = (1400, 1000)
# Every name but this machine's resolves to nothing: a request out would fail, and is also caught below.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "devtools")
# Set to a folder to keep the screenshots (docs/dashboard.png is made this way).
SCREENSHOT_DIR = os.environ.get("GEO_SCREENSHOT_DIR")


def chromium_or_skip() -> str:
    """The Chromium to test with; a failure under CI when there is none, a skip elsewhere."""
    path = find_chromium()
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Chromium is missing under CI: .ci/run installs it (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium): no browser test")


# --- pictures ----------------------------------------------------------------------------


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=int).reshape(-1, 3)


def share_near(image: Image.Image, colour: str, tolerance: int = 40) -> float:
    """The share of the image's pixels within `tolerance` (per channel) of `colour`."""
    return float((np.abs(pixels(image) - hex_rgb(colour)) <= tolerance).all(axis=1).mean())


def assert_map_drawn(image: Image.Image, route_colours: list[str]) -> None:
    """Not blank: sea and land of the offline basemap, and each route's colour, are on the picture."""
    assert min(image.size) > 100, f"a picture of {image.size}"
    assert len(np.unique(pixels(image), axis=0)) > 50, "a blank or flat picture"
    assert share_near(image, SEA_COLOUR, 6) > 0.05, "no sea: the basemap was not drawn"
    assert share_near(image, LAND_STYLE["fillColor"], 6) > 0.05, "no land: the basemap was not drawn"
    for colour in route_colours:
        assert share_near(image, colour) > 0.0002, f"no route drawn in {colour}"



# Where the map's city markers are on the page: (x, y) of each centre.
CITY_MARKERS = """(() => {
  const frame = [...document.querySelectorAll('iframe')].find(f => {
    try { return f.contentWindow.map && f.contentWindow.L; } catch (e) { return false; } });
  const w = frame.contentWindow, box = frame.getBoundingClientRect(), out = [];
  w.map.eachLayer(l => {
    if (l instanceof w.L.CircleMarker && l.options.fillColor === %s) {
      const p = w.map.latLngToContainerPoint(l.getLatLng());
      out.push([box.left + p.x, box.top + p.y]);
    }
  });
  return out;
})()""" % json.dumps(KIND_STYLES["city"]["fill_color"])


def assert_cities_on_top(browser: "Browser", png: bytes) -> None:
    """The city markers are seen, not hidden under the land that loaded after them."""
    points = browser.evaluate(CITY_MARKERS)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    red = hex_rgb(KIND_STYLES["city"]["fill_color"])
    seen = [(x, y) for x, y in points if max(abs(a - b) for a, b in zip(image.getpixel((int(x), int(y))), red)) <= 40]
    assert points and len(seen) >= len(points) / 2, f"{len(seen)} of {len(points)} city markers to be seen"


def keep(name: str, png: bytes) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        (Path(SCREENSHOT_DIR) / name).write_bytes(png)


# --- the PNG export --------------------------------------------------------------------------


def test_png_export_draws_the_map():
    from test_mapview import analysis

    chromium = chromium_or_skip()
    a = analysis()
    started = time.monotonic()
    png = png_snapshot(html_snapshot(build_map(a)), size=(900, 600), chromium=chromium)
    elapsed = time.monotonic() - started
    image = Image.open(io.BytesIO(png))
    assert image.size == (900, 600) and image.format == "PNG"
    assert_map_drawn(image, list(person_colours(a).values()))
    assert elapsed < 20, f"a PNG took {elapsed:.1f} s"


# --- a small DevTools client ------------------------------------------------------------------


def launch_chromium(chromium: str, profile: Path) -> tuple[subprocess.Popen, str]:
    """A headless Chromium with its DevTools port open; (process, the browser's DevTools URL)."""
    process = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, "--remote-debugging-port=0", f"--user-data-dir={profile}", OFFLINE,
         f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"  # Chromium writes the port it chose here
    deadline = time.monotonic() + 20
    while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
        if time.monotonic() > deadline or process.poll() is not None:
            stop(process)
            raise RuntimeError("Chromium did not open its DevTools port")
        time.sleep(0.05)
    port, path = port_file.read_text().split()
    return process, f"ws://127.0.0.1:{port}{path}"


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


class Browser:
    """The one page of a headless Chromium, driven over the DevTools protocol."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events: list[dict] = []
        (page,) = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=VIEWPORT[0], height=VIEWPORT[1],
                  deviceScaleFactor=1, mobile=False)

    def call(self, method: str, *, session: bool = False, timeout: float = 30, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")

    def click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left", clickCount=1)

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=key,
                      windowsVirtualKeyCode=code)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", session=True, format="png")["data"])

    def page_errors(self) -> list[str]:
        """Uncaught exceptions in the page and its frames (a layer script that failed, say)."""
        return [e["params"]["exceptionDetails"].get("exception", {}).get("description")
                or e["params"]["exceptionDetails"].get("text", "")
                for e in self.events if e.get("method") == "Runtime.exceptionThrown"]

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]


# The map in the st_folium iframe: what Leaflet has on it, and where the frame is on the page.
MAP_STATE = """(() => {
  const frame = [...document.querySelectorAll('iframe')].find(f => {
    try { return f.contentWindow.map && f.contentWindow.L; } catch (e) { return false; } });
  if (!frame) return null;
  const w = frame.contentWindow, L = w.L;
  let markers = 0, lines = 0;
  w.map.eachLayer(l => {
    if (l instanceof L.CircleMarker) markers++;
    else if (l instanceof L.Polyline && !(l instanceof L.Polygon)) lines++;
  });
  const r = frame.getBoundingClientRect();
  if (r.height < 200) return null;  // not laid out yet
  return {markers, lines, box: [r.left, r.top, r.right, r.bottom]};
})()"""


# The window of the frame that holds the map.
MAP_WINDOW = """[...document.querySelectorAll('iframe')].find(f => {
  try { return f.contentWindow.map && f.contentWindow.L; } catch (e) { return false; } }).contentWindow"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory) -> Iterator[str]:
    chromium_or_skip()
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    streamlit = Path(sys.executable).with_name("streamlit")
    command = [str(streamlit) if streamlit.exists() else shutil.which("streamlit"), "run", str(DASHBOARD),
               "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=config.REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        stop(server)


@pytest.fixture
def browser(tmp_path) -> Iterator[Browser]:
    process, url = launch_chromium(chromium_or_skip(), tmp_path / "profile")
    try:
        with connect(url, max_size=None, open_timeout=10) as ws:
            yield Browser(ws)
    finally:
        stop(process)


def map_picture(browser: Browser, state: dict, name: str) -> Image.Image:
    png = browser.screenshot()
    keep(name, png)
    left, top, right, bottom = state["box"]
    return Image.open(io.BytesIO(png)).crop((int(left), int(top), int(right), int(bottom)))


def test_dashboard_draws_the_map_offline_and_filters_by_person(dashboard_url, browser, resources, sample_text):
    from geo.pipeline import analyse_text

    colours = person_colours(analyse_text(sample_text, resources, config.SAMPLE_PATH.stem))
    browser.call("Page.navigate", session=True, url=dashboard_url)
    state = browser.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.markers > 5 && s.lines > 1 && s; }})()",
                             "the map with markers and routes")
    everyone = dict(state)
    browser.evaluate(f"{MAP_WINDOW}.__kept = true")  # gone if the map were built anew
    time.sleep(1.0)  # the canvas is drawn on the next animation frame; the basemap may come later
    assert_map_drawn(map_picture(browser, state, "dashboard.png"), list(colours.values())[:2])
    assert_cities_on_top(browser, browser.screenshot())

    # Choose one person in the People box, as a user does: click, type, pick.
    box = browser.wait_for("""(() => { const i = document.querySelector('[data-testid="stSidebar"] input');
        if (!i) return null; const r = i.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()""",
                           "the People box")
    browser.click(*box)
    browser.call("Input.insertText", session=True, text="Hayat")
    option = browser.wait_for("""(() => { const o = [...document.querySelectorAll('[role="option"]')]
        .find(o => o.textContent.includes('Hayat Boumeddiene')); if (!o) return null;
        const r = o.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()""",
                              "Hayat Boumeddiene among the options")
    browser.click(*option)
    browser.key("Escape", 27)
    state = browser.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.lines === 1 && s; }})()",
                             "the map redrawn with one route")
    assert 0 < state["markers"] < everyone["markers"]
    assert browser.evaluate(f"{MAP_WINDOW}.__kept === true"), "the filter rebuilt the map instead of its data"
    assert "person=Hayat+Boumeddiene" in browser.evaluate("location.search")  # the view can be shared
    time.sleep(0.5)
    picture = map_picture(browser, state, "dashboard-one-person.png")
    assert_map_drawn(picture, [colours["Hayat Boumeddiene"]])

    outside = [u for u in browser.requested_urls()
               if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], "requests left this machine"
    assert browser.page_errors() == []


CAPITALS = ("Paris", "London", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Prague", "Warsaw", "Budapest",
            "Athens", "Oslo", "Stockholm", "Helsinki", "Copenhagen", "Dublin", "Brussels", "Amsterdam", "Bern",
            "Bucharest", "Sofia", "Belgrade", "Zagreb", "Ljubljana", "Bratislava", "Tallinn", "Riga", "Vilnius",
            "Kyiv", "Ankara", "Cairo", "Nairobi", "Lagos", "Accra", "Dakar", "Tunis", "Algiers", "Rabat",
            "Tehran", "Baghdad", "Amman", "Beirut", "Riyadh", "Doha", "Muscat", "Kabul", "Islamabad", "Delhi")


def test_a_corpus_with_many_places_is_clustered_in_the_dashboard(dashboard_url, browser, resources, tmp_path):
    """Past the cluster threshold the places layer is a cluster, and it too is swapped into the kept map."""
    from geo.corpus.batch import run_batch

    text = " ".join(f"On {day} May 2019 the orchestra played in {city}." for day, city in enumerate(CAPITALS, 1))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tour.txt").write_text(f"Anna Keller led the orchestra's tour. {text}", encoding="utf-8")
    run_batch(tmp_path / "docs", tmp_path / "store", resources=resources, progress=False)
    browser.call("Page.navigate", session=True, url=f"{dashboard_url}/?src=store&store={tmp_path / 'store'}")
    members = browser.wait_for(f"""(() => {{ let w; try {{ w = {MAP_WINDOW}; }} catch (e) {{ return null; }}
        let n = 0; w.map.eachLayer(l => {{ if (l instanceof w.L.GeoCluster) n = l.getLayers().length; }});
        return n; }})()""", "the clustered places on the map")
    assert members > mapview_threshold()
    shown = browser.wait_for(f"""(() => {{ const d = {MAP_WINDOW}.document;
        return d.querySelectorAll('.geo-cluster').length; }})()""", "numbered bubbles")
    assert shown > 0
    assert browser.page_errors() == []


def mapview_threshold() -> int:
    from geo.map import CLUSTER_THRESHOLD

    return CLUSTER_THRESHOLD
