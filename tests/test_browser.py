"""The dashboard and the PNG export in a real headless Chromium, with no network but this machine.

Chromium comes from Debian (``.ci/run`` installs it) and is driven by
Playwright for Python through ``geo.map.snapshot.open_chromium``, the same
launcher, flags and ``$GEO_CHROMIUM`` as the PNG export. A missing Chromium
fails these tests with the fix; leaving them out is the test runner's choice
(a marker), never a silent skip.
"""

from __future__ import annotations

import io
import json
import os
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
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo import config
from geo.map import KIND_STYLES, LAND_STYLE, SEA_COLOUR, build_map, person_colours
from geo.map.snapshot import SETTLE_BUDGET_MS, SETTLED_JS, find_chromium, html_snapshot, open_chromium, png_snapshot

DASHBOARD = config.REPO_ROOT / "dashboard.py"
VIEWPORT = (1400, 1000)
# Every name but this machine's resolves to nothing: a request out would fail, and is also caught below.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "devtools")
# Set to a folder to keep the screenshots (docs/dashboard.png is made this way).
SCREENSHOT_DIR = os.environ.get("GEO_SCREENSHOT_DIR")


def require_chromium() -> str:
    """The Chromium to test with; without one the test fails and says how to get it."""
    path = find_chromium()
    if path is None:
        pytest.fail("Chromium is missing: apt-get install chromium (.ci/run does), or point $GEO_CHROMIUM at one")
    return path


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


def assert_cities_on_top(page: Page, png: bytes) -> None:
    """The city markers are seen, not hidden under the land that loaded after them."""
    points = page.evaluate(CITY_MARKERS)
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

    chromium = require_chromium()
    a = analysis()
    # A draw that hangs fails on this timeout instead of holding the suite for the default minute.
    png = png_snapshot(html_snapshot(build_map(a)), size=(900, 600), chromium=chromium, timeout=20)
    image = Image.open(io.BytesIO(png))
    assert image.size == (900, 600) and image.format == "PNG"
    assert_map_drawn(image, list(person_colours(a).values()))


def test_the_html_export_draws_in_chromium_asking_for_nothing(tab):
    """Everything the exported map needs is inside it: opened with no network, it asks for nothing and draws."""
    from test_mapview import analysis

    a = analysis()
    tab.page.set_content(html_snapshot(build_map(a)), wait_until="load")
    tab.page.evaluate(SETTLED_JS, SETTLE_BUDGET_MS)
    assert_map_drawn(Image.open(io.BytesIO(tab.page.screenshot())), list(person_colours(a).values()))
    assert tab.requests_out() == [] and tab.errors == []


# --- a page in Chromium ----------------------------------------------------------------------


class Tab:
    """One page of a headless Chromium, with the errors it threw and the URLs it asked for, frames included."""

    def __init__(self, page: Page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(error.stack or str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def wait_for(self, expression: str, what: str, timeout: float = 60):
        """The first truthy value of `expression`, evaluated again every 200 ms in the page."""
        try:
            return self.page.wait_for_function(expression, polling=200, timeout=timeout * 1000).json_value()
        except PlaywrightTimeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}") from None

    def requests_out(self) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).hostname != "127.0.0.1"]


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


# Whether the offline basemap's land is on the map (a GeoJSON layer in its own pane).
BASEMAP_LOADED = """(() => { let w; try { w = [...document.querySelectorAll('iframe')].find(f => {
    try { return f.contentWindow.map && f.contentWindow.L; } catch (e) { return false; } }).contentWindow; }
  catch (e) { return false; }
  let land = 0;
  w.map.eachLayer(l => { if (l instanceof w.L.GeoJSON && l.options.pane === 'geoBasemap') land += l.getLayers().length; });
  return land > 100; })()"""

# The window of the frame that holds the map.
MAP_WINDOW = """[...document.querySelectorAll('iframe')].find(f => {
  try { return f.contentWindow.map && f.contentWindow.L; } catch (e) { return false; } }).contentWindow"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory) -> Iterator[str]:
    require_chromium()
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    # As `make run` starts it: python dashboard.py loads the model and the gazetteer while its server starts.
    command = [sys.executable, str(DASHBOARD), "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    # Batch stores open under the tests' own folders only (README, "Running it for others").
    env = {**os.environ, "GEO_STORE_ROOTS": str(tmp_path_factory.getbasetemp())}
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=config.REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env)
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
def tab() -> Iterator[Tab]:
    with open_chromium(require_chromium(), args=[OFFLINE]) as browser:
        yield Tab(browser.new_page(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]}, device_scale_factor=1))



# The input of a box on the page: the People box in the sidebar, the name to fix in the Fix tab.
PEOPLE_BOX = """document.querySelector('[data-testid="stSidebar"] input')"""
NAME_BOX = """[...document.querySelectorAll('[data-testid="stSelectbox"]')]
    .find(s => s.innerText.includes('Name as written'))?.querySelector('input')"""


def choose_person(tab: Tab, name: str, box: str = PEOPLE_BOX) -> None:
    """Choose one person in the People box (or `name` in another box), as a user does: click, type, pick."""
    page = tab.page
    box = tab.wait_for(f"""(() => {{ const i = {box};
        if (!i) return null; const r = i.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""",
                       "the box to choose in")
    page.mouse.click(*box)
    page.keyboard.insert_text(name.split()[0])
    option = tab.wait_for(f"""(() => {{ const o = [...document.querySelectorAll('[role="option"]')]
        .find(o => o.textContent.includes({name!r})); if (!o) return null;
        const r = o.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""",
                          f"{name} among the options")
    page.mouse.click(*option)
    page.keyboard.press("Escape")

def map_picture(tab: Tab, state: dict, name: str) -> Image.Image:
    png = tab.page.screenshot()
    keep(name, png)
    left, top, right, bottom = state["box"]
    return Image.open(io.BytesIO(png)).crop((int(left), int(top), int(right), int(bottom)))


def test_dashboard_draws_the_map_offline_and_filters_by_person(dashboard_url, tab, resources, sample_text):
    from geo.pipeline import analyse_text

    colours = person_colours(analyse_text(sample_text, resources, config.SAMPLE_PATH.stem))
    page = tab.page
    page.goto(dashboard_url)
    state = tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.markers > 5 && s.lines > 1 && s; }})()",
                         "the map with markers and routes")
    everyone = dict(state)
    page.evaluate(f"{MAP_WINDOW}.__kept = true")  # gone if the map were built anew
    tab.wait_for(BASEMAP_LOADED, "the basemap's land")  # fetched after the data, from static/
    time.sleep(1.0)  # the canvas is drawn on the next animation frame
    assert_map_drawn(map_picture(tab, state, "dashboard.png"), list(colours.values())[:2])
    assert_cities_on_top(page, page.screenshot())

    choose_person(tab, "Hayat Boumeddiene")
    state = tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.lines === 1 && s; }})()",
                         "the map redrawn with one route")
    assert 0 < state["markers"] < everyone["markers"]
    assert page.evaluate(f"{MAP_WINDOW}.__kept === true"), "the filter rebuilt the map instead of its data"
    # the view can be shared: the address follows once the page's run has ended
    tab.wait_for("location.search.includes('person=Hayat+Boumeddiene') || null", "the person in the address", 10)
    time.sleep(0.5)
    picture = map_picture(tab, state, "dashboard-one-person.png")
    assert_map_drawn(picture, [colours["Hayat Boumeddiene"]])

    assert tab.requests and tab.requests_out() == [], "requests left this machine"
    assert tab.errors == []


def analysers_of(port: int) -> list[int]:
    """The pids of the `python -m geo.analyser` children of the dashboard server on ``port``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            server = (Path("/proc") / str(parent) / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if b"geo.analyser" in command and str(port).encode() in server:
            found.append(int(stat.parent.name))
    return found


def test_a_pasted_text_is_analysed_by_the_servers_analyser_and_mapped(dashboard_url, tab):
    """`python dashboard.py` hands a new text to a process of its own (geo.analyser); its map is drawn."""
    page = tab.page
    page.goto(f"{dashboard_url}/?src=paste")
    area = page.get_by_label("Text to analyse")
    # A text never seen before (the server's cache would answer at once): its own number in it.
    area.fill(f"Report {time.time_ns()}. Omar Haddad flew from Cairo to Tunis in 2017. "
              "He then drove from Tunis to Sfax.", timeout=60_000)
    area.press("Control+Enter")
    state = tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.markers >= 3 && s.lines >= 1 && s; }})()",
                         "the pasted text's map", timeout=120)
    assert state["markers"] >= 3
    assert "Omar Haddad" in page.inner_text('[data-testid="stSidebar"]'), "the pasted text's person to filter"
    assert analysers_of(urlsplit(dashboard_url).port), "the text was analysed by the server's analyser process"
    assert tab.errors == []


def test_the_png_button_downloads_the_picture_drawn_by_the_server(dashboard_url, tab):
    """The server draws the PNG in a worker thread of its own, with Chromium started from there."""
    page = tab.page
    page.goto(dashboard_url)
    tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.markers > 5 && s; }})()", "the map")
    # The map tells the page where it looks, and the page runs once more: its buttons are then new ones (a
    # button's file is made on the click, by the run that drew it, and Streamlit forgets the files of runs
    # before). A click that lands between two runs downloads nothing, and a user clicks again: so does this.
    tab.wait_for("location.search.includes('map=') || null", "the map's view in the address")
    download = None
    for _ in range(3):
        try:
            with page.expect_download(timeout=40_000) as download:
                page.get_by_role("button", name="PNG snapshot").click()
            break
        except PlaywrightTimeout:
            download = None
    assert download is not None, "no PNG downloaded after three clicks"
    assert download.value.suggested_filename == f"{config.SAMPLE_PATH.stem}.png"
    image = Image.open(download.value.path())
    assert image.size == (1280, 800) and image.format == "PNG"
    assert_map_drawn(image, [])
    assert tab.errors == []


CAPITALS = ("Paris", "London", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Prague", "Warsaw", "Budapest",
            "Athens", "Oslo", "Stockholm", "Helsinki", "Copenhagen", "Dublin", "Brussels", "Amsterdam", "Bern",
            "Bucharest", "Sofia", "Belgrade", "Zagreb", "Ljubljana", "Bratislava", "Tallinn", "Riga", "Vilnius",
            "Kyiv", "Ankara", "Cairo", "Nairobi", "Lagos", "Accra", "Dakar", "Tunis", "Algiers", "Rabat",
            "Tehran", "Baghdad", "Amman", "Beirut", "Riyadh", "Doha", "Muscat", "Kabul", "Islamabad", "Delhi")


def test_a_corpus_with_many_places_is_clustered_in_the_dashboard(dashboard_url, tab, resources, tmp_path):
    """Past the cluster threshold the places layer is a cluster, and it too is swapped into the kept map."""
    from geo.corpus.batch import run_batch

    text = " ".join(f"On {day} May 2019 the orchestra played in {city}." for day, city in enumerate(CAPITALS, 1))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tour.txt").write_text(f"Anna Keller led the orchestra's tour. {text}", encoding="utf-8")
    run_batch(tmp_path / "docs", tmp_path / "store", resources=resources, progress=False)
    tab.page.goto(f"{dashboard_url}/?src=store&store={tmp_path / 'store'}")
    members = tab.wait_for(f"""(() => {{ let w; try {{ w = {MAP_WINDOW}; }} catch (e) {{ return null; }}
        let n = 0; w.map.eachLayer(l => {{ if (l instanceof w.L.GeoCluster) n = l.getLayers().length; }});
        return n; }})()""", "the clustered places on the map")
    assert members > mapview_threshold()
    shown = tab.wait_for(f"""(() => {{ const d = {MAP_WINDOW}.document;
        return d.querySelectorAll('.geo-cluster').length; }})()""", "numbered bubbles")
    assert shown > 0
    assert tab.errors == []


def mapview_threshold() -> int:
    from geo.map import CLUSTER_THRESHOLD

    return CLUSTER_THRESHOLD


# --- the page as a user meets it: the fold, the toolbar, the address ---------------------------------------


def wait_for_map(tab: Tab) -> dict:
    return tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.markers > 5 && s; }})()", "the map")


@pytest.mark.browser
def test_the_map_is_above_the_fold(dashboard_url):
    with open_chromium(require_chromium(), args=[OFFLINE]) as browser:
        tab = Tab(browser.new_page(viewport={"width": 1280, "height": 720}, device_scale_factor=1))
        tab.page.goto(dashboard_url)
        left, top, right, bottom = wait_for_map(tab)["box"]
        assert top >= 0 and bottom <= 720, f"the map runs from {top:.0f} to {bottom:.0f} px in a 720 px window"
        assert right - left > 600
        assert tab.errors == []


@pytest.mark.browser
def test_there_is_no_deploy_button(dashboard_url, tab):
    tab.page.goto(dashboard_url)
    wait_for_map(tab)  # the page is drawn, its header with it
    deploy = tab.page.evaluate("""[...document.querySelectorAll('button, a')].filter(e =>
        e.innerText.trim() === 'Deploy' || e.closest('[data-testid="stAppDeployButton"]')).length""")
    assert deploy == 0, "Streamlit's Deploy button"


@pytest.mark.browser
def test_where_the_map_looks_goes_into_the_address_and_back(dashboard_url, tab):
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    time.sleep(1.0)  # the first fit has been reported
    page.evaluate(f"void {MAP_WINDOW}.map.setView([48.85, 2.35], 6, {{animate: false}})")  # the user moves the map
    search = tab.wait_for("location.search.includes('map=48.8') && location.search", "the view in the address")
    assert "map=48.85%2C2.35%2C6" in search or "map=48.850%2C2.350%2C6" in search, search
    page.goto(f"{dashboard_url}/{search}")  # the link opened again: a new session
    wait_for_map(tab)
    view = tab.wait_for(f"""(() => {{ const m = {MAP_WINDOW}.map, c = m.getCenter();
        return m.getZoom() === 6 && Math.abs(c.lat - 48.85) < 0.05 && Math.abs(c.lng - 2.35) < 0.05
               && [c.lat, c.lng, m.getZoom()]; }})()""", "the map where the link says")
    assert view[2] == 6
    assert tab.errors == []


@pytest.mark.browser
def test_a_filter_change_keeps_where_the_user_looks(dashboard_url, tab):
    """Fit on a new text only: after the user moved the map, a filter redraws the data and leaves the view."""
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    tab.wait_for("location.search.includes('map=') || null", "the first fit reported")
    page.evaluate(f"void {MAP_WINDOW}.map.setView([48.85, 2.35], 6, {{animate: false}})")  # the user moves the map
    tab.wait_for("location.search.includes('map=48.8') || null", "the view in the address")
    page.evaluate(f"{MAP_WINDOW}.__kept = true")
    lines = page.evaluate(f"{MAP_STATE}.lines")
    choose_person(tab, "Hayat Boumeddiene")
    tab.wait_for(f"(() => {{ const s = {MAP_STATE}; return s && s.lines === 1 && s.lines < {lines} && s; }})()",
                 "the map redrawn with one route")
    time.sleep(1.5)  # a fit, were there one, would have moved the map by now
    view = page.evaluate(f"""(() => {{ const m = {MAP_WINDOW}.map, c = m.getCenter();
        return [c.lat, c.lng, m.getZoom(), {MAP_WINDOW}.__kept === true]; }})()""")
    assert view[2] == 6 and abs(view[0] - 48.85) < 0.05 and abs(view[1] - 2.35) < 0.05, view
    assert view[3], "the filter rebuilt the map instead of its data"
    assert tab.errors == []


CRAFTED = "![x](https://evil.example/p.png)[Your session expired](https://evil.example/login)"


@pytest.mark.browser
def test_a_crafted_store_link_shows_no_link_and_no_image(dashboard_url, tab):
    """The address's folder is quoted in the refusal (this server opens stores under its test folders only)."""
    from urllib.parse import quote

    page = tab.page
    page.goto(f"{dashboard_url}/?src=store&store={quote(CRAFTED)}")
    alerts = """[...document.querySelectorAll('[data-testid="stAlert"]')].map(a => a.innerText).join('\\n')"""
    said = tab.wait_for(f"(() => {{ const t = {alerts}; return t.length > 0 && t; }})()", "a message about the link")
    injected = page.evaluate("""[...document.querySelectorAll('a[href*="evil"], img[src*="evil"]')].length""")
    assert injected == 0, "the link or the image of the address was drawn"
    assert "![x](" in said and "[Your session expired](" in said  # the address's words, as written
    assert not [u for u in tab.requests if urlsplit(u).hostname == "evil.example"]
    assert tab.errors == []


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port`` (IPv4 and IPv6), from /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def outward_address() -> str | None:
    """This machine's address on its network (no packet is sent), or None when it has no route out."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            return s.getsockname()[0]
        except OSError:
            return None


@pytest.mark.subprocess
def test_make_run_answers_on_this_machine_only(tmp_path):
    """The command `make run` runs, as make prints it, listens on 127.0.0.1 and nowhere else."""
    port = free_port()
    venv = Path(sys.executable).parent.parent
    printed = subprocess.run(["make", "-n", "run", f"PORT={port}", f"VENV={venv}"], cwd=config.REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout
    (line,) = [x for x in printed.splitlines() if "dashboard.py" in x]
    assert "--server.address 127.0.0.1" in line
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(line.replace("\\", " "), shell=True, cwd=config.REPO_ROOT, stdout=out,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the dashboard did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.2)
        assert listening_addresses(port) == {"127.0.0.1"}
        outward = outward_address()
        if outward and outward != "127.0.0.1":
            with pytest.raises(OSError):
                urllib.request.urlopen(f"http://{outward}:{port}/_stcore/health", timeout=3)
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)


@pytest.mark.browser
def test_a_marker_clicked_is_offered_to_fix_and_its_candidates_are_drawn_numbered(dashboard_url, tab):
    """A click on a place marker names it beside the map; Fix this place opens it with its candidates drawn."""
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    tab.wait_for("location.search.includes('map=') || null", "the first fit reported")
    page.evaluate(f"void {MAP_WINDOW}.map.setView([41.0, 29.0], 7, {{animate: false}})")
    tab.wait_for("location.search.includes('map=41') || null", "the view in the address")
    page.evaluate(f"{MAP_WINDOW}.__kept = true")
    at = page.evaluate(f"""(() => {{ const w = {MAP_WINDOW}; let found = null;
        w.map.eachLayer(l => {{ if (l instanceof w.L.CircleMarker && !found) {{ const p = l.getLatLng();
            if (Math.abs(p.lat - 41.01) < 0.1 && Math.abs(p.lng - 28.97) < 0.1) found = l; }} }});
        const c = w.map.latLngToContainerPoint(found.getLatLng()), r = w.frameElement.getBoundingClientRect();
        return [r.x + c.x + 2, r.y + c.y + 2]; }})()""")
    page.mouse.click(*at)
    button = tab.wait_for("""(() => { const b = [...document.querySelectorAll('button')]
        .find(b => b.textContent.includes('Fix this place')); if (!b) return null;
        const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()""",
                          "Fix this place beside the map")
    assert "Clicked on the map: Istanbul" in page.inner_text("body")
    page.mouse.click(*button)
    numbers = tab.wait_for(f"""(() => {{ const n = [...{MAP_WINDOW}.document.querySelectorAll('.geo-candidate')]
        .map(e => e.textContent); return n.length ? n : null; }})()""", "the candidates numbered on the map")
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
    options = tab.wait_for("""(() => { const o = [...document.querySelectorAll('[role="radiogroup"] label')]
        .map(l => l.innerText.trim()).filter(t => /^\\d+\\. /.test(t)); return o.length ? o : null; })()""",
                           "the numbered choices")
    assert len(options) == len(numbers) and options[0].startswith("1. Istanbul")
    assert page.evaluate(f"{MAP_WINDOW}.__kept === true"), "the candidates came as data, the map was kept"

    # Another name picked in the tab: its candidates are drawn instead (docs/fix.png is made this way).
    choose_person(tab, "Brussels", NAME_BOX)
    options = tab.wait_for("""(() => { const o = [...document.querySelectorAll('[role="radiogroup"] label')]
        .map(l => l.innerText.trim()).filter(t => /^\\d+\\. /.test(t));
        return o.length && !o.some(t => t.includes('Istanbul')) ? o : null; })()""", "the other name's choices")
    # (not while the old list is still on the page: a rerun draws the new list before it takes the old one away)
    numbers = tab.wait_for(f"""(() => {{ const n = [...{MAP_WINDOW}.document.querySelectorAll('.geo-candidate')]
        .map(e => e.textContent); return n.length === {len(options)} ? n : null; }})()""", "its candidates on the map")
    assert numbers == [str(i) for i in range(1, len(options) + 1)]
    if SCREENSHOT_DIR:  # the map zoomed out to them clear of the key and the time control, as a user would, and
        # the window tall enough for the list
        page.evaluate(f"""(() => {{ const w = {MAP_WINDOW}, at = [];
            w.map.eachLayer(l => {{ if (l instanceof w.L.Marker && l._icon && l._icon.querySelector('.geo-candidate'))
                at.push(l.getLatLng()); }});
            w.map.fitBounds(w.L.latLngBounds(at), {{paddingTopLeft: [60, 40], paddingBottomRight: [180, 150], animate: false}}); }})()""")
        page.set_viewport_size({"width": VIEWPORT[0], "height": 1180})
        time.sleep(1.5)  # the canvas is drawn on the next animation frame, the page laid out again
        keep("fix.png", page.screenshot())
    assert tab.errors == []


# scrolled_to(element): the reading view's text scrolled to put it in the middle (the text alone: the page's
# own scroll is smooth, and would move the frame after its box was read).
SCROLLED_TO = """const scrolled_to = e => { const b = w.document.querySelector('.geo-reader-body');
    b.scrollTop += e.getBoundingClientRect().top - b.getBoundingClientRect().top - b.clientHeight / 2; };"""


def in_frame(tab: Tab, expression: str, what: str) -> tuple[float, float]:
    """The page coordinates of the centre of what ``expression`` (run in the map's window, as `w`) gives a box of."""
    return tuple(tab.wait_for(f"""(() => {{ const w = {MAP_WINDOW}; {SCROLLED_TO}
        const box = ({expression});
        if (!box || !box.width) return null; const f = w.frameElement.getBoundingClientRect();
        return [f.x + box.x + box.width / 2, f.y + box.y + box.height / 2]; }})()""", what))


def open_reader(tab: Tab) -> None:
    """Show the text beside the map, as its Text button does (a map under 1000 px wide starts with it hidden),
    once the page has its regions (whose arrival draws the data layers, and the text with them, again)."""
    tab.wait_for("""(() => { const b = [...document.querySelectorAll('[data-testid="stDownloadButton"] button')]
        .find(b => b.innerText.includes('GeoJSON')); return b && !b.disabled || null; })()""", "the regions drawn")
    tab.wait_for("location.search.includes('map=') || null", "the first fit reported")
    if not tab.page.evaluate(f"{MAP_WINDOW}.L.geo.reader.isOpen()"):
        tab.page.mouse.click(*in_frame(tab, "w.document.querySelector('.geo-reader-toggle a')?.getBoundingClientRect()",
                                       "the Text button"))
    tab.wait_for(f"{MAP_WINDOW}.L.geo.reader.isOpen() || null", "the text beside the map")
    # The data layers, the text among them, are drawn again once the browser has said where the map looks (the
    # first fit is then over): a request offered in the text before that goes with it. Wait for a text that stays.
    deadline = time.monotonic() + 30
    while True:
        tab.page.evaluate(f"{MAP_WINDOW}.L.geo.reader._panel.__kept = true")
        time.sleep(1.5)
        if tab.page.evaluate(f"{MAP_WINDOW}.L.geo.reader._panel.__kept === true && {MAP_WINDOW}.L.geo.reader.isOpen()"):
            return
        assert time.monotonic() < deadline, "the text beside the map kept being drawn again"


def fixing(tab: Tab, name: str) -> None:
    """The Fix tab is open on ``name``: its candidates are the numbered choices."""
    try:
        tab.wait_for(f"""(() => {{ const open = [...document.querySelectorAll('[role=tab][aria-selected=true]')]
            .map(t => t.innerText); const o = [...document.querySelectorAll('[role="radiogroup"] label')]
            .map(l => l.innerText.trim()).filter(t => /^\\d+\\. /.test(t));
            return open.includes('Fix a place') && o.length && o[0].startsWith('1. {name}') || null; }})()""",
                     f"{name} in the Fix tab", timeout=30)
    except AssertionError as err:
        said = tab.page.evaluate("""[...document.querySelectorAll('[role=tab][aria-selected=true], [role="radiogroup"] label')]
            .map(e => e.innerText).join(' | ')""") + str(tab.page.evaluate(f"[{MAP_WINDOW}.L.geo.request, JSON.stringify({MAP_WINDOW}.__GLOBAL_DATA__.previous_data)]"))
        raise AssertionError(f"{err}; the page shows: {said}") from None


def asked_button(tab: Tab, label: str) -> tuple[float, float]:
    """Where the reading view's request button ``label`` is, once it stays there (the text scrolls to the
    sentence clicked, and the map flies to the place, after the button shows)."""
    where = None
    for _ in range(20):
        now = shown_button(tab, label)
        if now == where:
            return now
        where = now
        time.sleep(0.4)
    raise AssertionError(f"“{label}” kept moving")


def shown_button(tab: Tab, label: str) -> tuple[float, float]:
    return in_frame(tab, f"""[...w.document.querySelectorAll('.geo-ask-button')]
        .find(b => b.offsetParent && b.textContent.includes({label!r}))?.getBoundingClientRect()""", f"“{label}”")


@pytest.mark.browser
def test_a_name_clicked_in_the_reading_view_is_fixed_from_there(dashboard_url, tab):
    """The text beside the map asks for the correction where the error is: a place name clicked in it offers
    Fix, which opens that name in the Fix tab with its candidates drawn; an exported file offers nothing."""
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    open_reader(tab)
    mark = in_frame(tab, """(m => m && (scrolled_to(m), m.getBoundingClientRect()))(
        [...w.document.querySelectorAll('.geo-reader mark[data-kind=place]')].find(m => m.textContent === 'Brussels'))""",
                    "Brussels in the reading view")
    page.mouse.click(*mark)
    button = asked_button(tab, "Fix “Brussels”")
    if SCREENSHOT_DIR:  # docs/fix-from-text.png is made this way: the map frame, the text open, the button shown
        time.sleep(1)
        box = page.evaluate(f"(() => {{ const r = {MAP_WINDOW}.frameElement.getBoundingClientRect();"
                            " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()")
        keep("fix-from-text.png", page.screenshot(clip=box))
    page.mouse.click(*button)
    fixing(tab, "Brussels")
    numbers = tab.wait_for(f"""(() => {{ const n = [...{MAP_WINDOW}.document.querySelectorAll('.geo-candidate')]
        .map(e => e.textContent); return n.length ? n : null; }})()""", "its candidates numbered on the map")
    assert numbers[0] == "1"
    assert tab.errors == []


@pytest.mark.browser
def test_words_selected_in_the_reading_view_are_offered_as_a_place(dashboard_url, tab):
    """Dragging over part of "White House" takes the whole words, and Add puts them in the Fix tab's box."""
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    open_reader(tab)
    # From inside "White" to inside "House", as a hand drags: the words are widened to whole words.
    ends = tab.wait_for(f"""(() => {{ const w = {MAP_WINDOW}, d = w.document; {SCROLLED_TO}
        const walk = d.createTreeWalker(d.querySelector('.geo-reader-body'), 4);
        let node; while ((node = walk.nextNode()) && !node.data.includes('White House')) {{}}
        if (!node) return null;
        const at = node.data.indexOf('White House'), f = w.frameElement.getBoundingClientRect();
        const point = i => {{ const r = d.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
            const b = r.getBoundingClientRect(); return [f.x + b.x + b.width / 2, f.y + b.y + b.height / 2]; }};
        scrolled_to(node.parentElement);
        return [point(at + 2), point(at + 8)]; }})()""", "White House in the reading view")
    page.mouse.move(*ends[0])
    page.mouse.down()
    page.mouse.move(*ends[1], steps=5)
    page.mouse.up()
    page.mouse.click(*asked_button(tab, "Add “White House” as a place"))
    tab.wait_for("""(() => { const i = [...document.querySelectorAll('[data-testid="stTextInput"]')]
        .find(s => s.innerText.includes('Words as written'))?.querySelector('input');
        return i && i.value === 'White House'; })() || null""", "the words in Add a place")
    tab.wait_for("document.body.innerText.includes('White House is in the text 1 time') || null",
                 "how often the text has them")
    assert tab.errors == []


@pytest.mark.browser
def test_fix_this_place_in_a_marker_popup(dashboard_url, tab):
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    open_reader(tab)  # the page settled (and the text open: the popup's quote scrolls it)
    page.evaluate(f"void {MAP_WINDOW}.map.setView([41.0, 29.0], 7, {{animate: false}})")
    at = in_frame(tab, """(() => { let found = null;
        w.map.eachLayer(l => { if (l instanceof w.L.CircleMarker && !found && l.getPopup()) { const p = l.getLatLng();
            if (Math.abs(p.lat - 41.01) < 0.1 && Math.abs(p.lng - 28.97) < 0.1) found = l; } });
        if (!found) return null; const c = w.map.latLngToContainerPoint(found.getLatLng());
        return {x: c.x - 1, y: c.y - 1, width: 2, height: 2}; })()""", "Istanbul's marker")
    page.mouse.click(*at)
    button = "w.document.querySelector('.leaflet-popup .geo-ask-fix')?.getBoundingClientRect()"
    in_frame(tab, button, "Fix this place in the popup")
    time.sleep(1)  # the map pans the popup clear of the text
    page.mouse.click(*in_frame(tab, button, "Fix this place in the popup"))
    fixing(tab, "Istanbul")
    assert tab.errors == []


@pytest.mark.browser
def test_a_row_picked_in_the_places_table_is_ringed_on_the_map(dashboard_url, tab):
    """Select a table row: its place is ringed on the map, and the map brings it into view."""
    page = tab.page
    page.goto(dashboard_url)
    wait_for_map(tab)
    open_reader(tab)  # the page settled
    page.get_by_role("tab", name="Places").click()
    grid = tab.wait_for("""(() => { const g = document.querySelector('[data-testid="stDataFrame"]');
        if (!g) return null; g.scrollIntoView({block: 'center', behavior: 'instant'});
        const r = g.getBoundingClientRect(); return r.height > 80 && [r.x, r.y, r.width, r.height]; })()""",
                        "the places table")
    time.sleep(1)
    grid = page.evaluate("""(() => { const r = document.querySelector('[data-testid="stDataFrame"]')
        .getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()""")
    page.mouse.click(grid[0] + 18, grid[1] + 35 + 17)  # the first row's box: under the header, in the first column
    rings = tab.wait_for(f"""(() => {{ const w = {MAP_WINDOW}; const found = [];
        w.map.eachLayer(l => {{ if (l.options && l.options.className === 'geo-selected') found.push(l); }});
        return found.length && found.map(l => [l.getLatLng().lat, l.getLatLng().lng,
                                                w.map.getBounds().contains(l.getLatLng())]); }})()""",
                         "the place ringed on the map")
    assert len(rings) == 1 and rings[0][2], "one place ringed, in view"
    if SCREENSHOT_DIR:  # docs/pick.png is made this way: the map, and the table under it
        time.sleep(1.5)
        page.evaluate(f"{MAP_WINDOW}.frameElement.scrollIntoView({{block: 'start', behavior: 'instant'}})")
        time.sleep(0.5)
        keep("pick.png", page.screenshot())
    assert tab.errors == []
