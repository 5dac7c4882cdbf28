"""Leaflet's JavaScript and CSS, and our own small Leaflet code, served by us instead of a CDN.

folium lists Leaflet, jQuery, Bootstrap and Font Awesome on CDNs; offline they
never load and the map stays blank. The maps of ``geo.map`` use Leaflet
and ``geo/map/web/geomap.js`` alone (their popups and markers need neither jQuery
nor an icon font). Leaflet comes from the ``xstatic-leaflet`` package, the
same 1.9.3 that folium pins. Two ways to hand them to a browser:

- ``use_local_assets``: the map links to copies that Streamlit's static
  serving hands out (``install_static`` puts them in the app's ``static/``),
  and fetches the offline basemap from there too (``static/basemap.geojson``);
- ``inline_html``: a standalone HTML file with everything written into it.

A large map's popups, kept apart from its data (``geo.map.layers.PopupsApart``), are served from the same
folder: ``keep_popups`` writes them there as a JSON list, under a random name.

A map element asks for one of our scripts the way folium's plugins ask for a
CDN one, through ``default_js = [(name, file)]``, with a name of ``SCRIPTS``.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin
from xstatic.pkg import leaflet as xstatic_leaflet

from geo.fsutil import write_atomic
from geo.map.verbatim import Verbatim

LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
GEO_WEB_DIR = Path(__file__).resolve().parent / "web"
# What leaflet.css refers to (its images) besides the two files themselves.
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
# Scripts a map element may ask for by name: the file, and its path under static/.
SCRIPTS: dict[str, tuple[Path, str]] = {
    "leaflet": (LEAFLET_DIR / "leaflet.js", "leaflet/leaflet.js"),
    "geomap": (GEO_WEB_DIR / "geomap.js", "geo/geomap.js"),
}
LEAFLET_CSS = "leaflet/leaflet.css"
POPUPS_DIR = "geo-popups"  # under static/: large maps' popups, kept apart (keep_popups)
POPUPS_KEPT = 256  # the lists of popups kept there, the newest; a page whose list was removed says to reload
POPUPS_WAIT_SECONDS = 10.0  # the longest a map's popups wait for its page to say the map is drawn (PopupsDue)


def install_static(static_dir: Path) -> Path:
    """Copy Leaflet and our scripts into ``static_dir`` (``leaflet/``, ``geo/``); return ``static_dir``.

    Idempotent and cheap: a file already there with the same bytes is left
    alone, so the dashboard can call this on every start.
    """
    static_dir = Path(static_dir)
    copies = [(LEAFLET_DIR / name, f"leaflet/{name}") for name in LEAFLET_FILES]
    copies += [source for name, source in SCRIPTS.items() if name != "leaflet"]
    for source, relative in copies:
        _install(static_dir / relative, source.read_bytes())
    from geo.map.basemap import BASEMAP_FILE, basemap_geojson  # built once, from Natural Earth

    _install(static_dir / BASEMAP_FILE, basemap_geojson().encode("utf-8"))
    return static_dir


def popups_place(static_dir: Path, base_url: str) -> tuple[Path, str]:
    """Where a new map's popups will be kept (``keep_popups``), and the URL the browser fetches them at.

    The name is random: it is unguessable, as the document text in the popups asks, and each map has its
    own, so a page never reads another map's list."""
    name = f"{POPUPS_DIR}/{secrets.token_hex(16)}.json"
    return Path(static_dir) / name, f"{base_url.rstrip('/')}/{name}"


def keep_popups(path: Path, texts: Sequence[str]) -> None:
    """Write a map's popups to ``path`` as a JSON list, and remove the oldest lists past POPUPS_KEPT.

    A file the page fetches, never a script: plain JSON, the HTML in it escaped by ``geo.map.popups``."""
    write_atomic(path, json.dumps(list(texts), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    kept = []
    for old in path.parent.glob("*.json"):
        try:
            kept.append((old.stat().st_mtime, old))
        except OSError:
            continue  # removed meanwhile by another server's pruning
    for _, old in sorted(kept, reverse=True)[POPUPS_KEPT:]:
        old.unlink(missing_ok=True)


class PopupsDue:
    """Large maps' popups still to be made and written (``keep_popups``), each in a thread of its own once the
    page that shows its map says the map is drawn (``drawn``), or ``wait`` seconds after it was sent.

    Making them holds a core for a second or more: on two cores, while the browser drew a 10,000-document
    store's map, that made the first map 1.5-2.5 s later. A popup opened before they are written waits for
    them (``L.geo.bindPopup``)."""

    def __init__(self, wait: float | None = None):
        self.wait = POPUPS_WAIT_SECONDS if wait is None else wait
        self._due: dict[str, tuple[Path, Callable[[], Sequence[str]]]] = {}
        self._lock = threading.Lock()

    def add(self, url: str, path: Path, make: Callable[[], Sequence[str]]) -> None:
        """The popups ``make()`` makes, for the page to fetch at ``url``, are to be written to ``path``."""
        with self._lock:
            self._due[url] = (path, make)
        timer = threading.Timer(self.wait, self.drawn, args=(url,))
        timer.daemon = True
        timer.start()

    def drawn(self, url: str) -> None:
        """The map whose popups are at ``url`` is drawn: make them now (once; nothing when they were made)."""
        with self._lock:
            due = self._due.pop(url, None)
        if due is not None:
            path, make = due
            threading.Thread(target=lambda: keep_popups(path, make()), name="geo-popups", daemon=True).start()


def _install(dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` unless it already holds exactly that; never half a file."""
    if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
        return
    write_atomic(dest, data)  # a browser never gets half a file


def preload_plugins() -> None:
    """Import folium's plugins, which streamlit_folium imports on a page's first run: they compile 85 templates
    (0.3 s), which a server can do before its first visitor."""
    import folium.plugins  # noqa: F401


def use_local_assets(m: folium.Map, base_url: str, layers: Iterable[Element] = ()) -> folium.Map:
    """Point ``m``, and ``layers`` still to be added to it, at the files ``install_static`` put under ``base_url``.

    ``base_url`` is the URL of the static folder as the browser sees it, e.g.
    ``/app/static`` for Streamlit's static serving. ``layers`` are layers
    drawn on ``m`` later (``geo.map.MapParts``). Returns ``m``.
    """
    layers = list(layers)
    _refuse_other_assets(m, layers)
    _drop_links(m)
    base = base_url.rstrip("/")
    # Instance attributes: folium's class-level lists are shared by every map.
    m.default_js = [("leaflet", f"{base}/{SCRIPTS['leaflet'][1]}")]
    m.default_css = [("leaflet_css", f"{base}/{LEAFLET_CSS}")]
    for element in _asking_elements(m, layers):
        element.default_js = [(name, f"{base}/{SCRIPTS[name][1]}") for name, _ in element.default_js]
    for element in _descendants(m):  # data the page fetches from static/ rather than carries (the basemap)
        if getattr(element, "static_file", None):
            element.url = f"{base}/{element.static_file}?v={element.version()}"
    return m


def inline_html(m: folium.Map) -> str:
    """Render ``m`` as one HTML document with every script and stylesheet written into it.

    It needs no other file and no network, unless the map was given online
    tiles. ``m`` itself keeps the inlined assets in place of any links.
    """
    _refuse_other_assets(m)
    _drop_links(m)
    for element in _descendants(m):  # data that use_local_assets may have pointed at static/: back inside
        if getattr(element, "static_file", None):
            element.url = None
    needed = ["leaflet"]
    for element in _asking_elements(m):
        needed += [name for name, _ in element.default_js]
        element.default_js = []
    m.default_js, m.default_css = [], []
    header = m.get_root().header
    header.add_child(Verbatim(f"<style>{_inline_css()}</style>"), name="leaflet_css", index=0)
    for index, name in enumerate(dict.fromkeys(needed), 1):  # Leaflet first: the others extend it
        header.add_child(Verbatim(f"<script>{_inline_js(name)}</script>"), name=name, index=index)
    return m.get_root().render()


@cache
def _inline_js(name: str) -> str:
    path = SCRIPTS[name][0]
    js = path.read_text(encoding="utf-8")
    # The source map is a sibling file that an inlined copy does not have.
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    if "</script" in js.lower():  # would end the inline <script> early
        raise RuntimeError(f"{path.name} contains '</script' and cannot be inlined as is")
    return js


@cache
def _inline_css() -> str:
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        png = (LEAFLET_DIR / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


def _refuse_other_assets(m: folium.Map, layers: Iterable[Element] = ()) -> None:
    """Fail loudly when a layer needs a script or stylesheet we do not ship.

    Otherwise that layer would load it from a CDN, or miss it: offline, a
    blank or broken map.
    """
    needing = set()
    for element in _everything(m, layers):
        if isinstance(element, JSCSSMixin):
            needing.update(f"{type(element).__name__}: {url}"
                           for name, url in element.default_js if name not in SCRIPTS)
            needing.update(f"{type(element).__name__}: {url}" for _, url in element.default_css)
        for kind, what in _NEEDS_DROPPED_ASSETS.items():
            if isinstance(element, kind):
                needing.add(f"{type(element).__name__}: {what}")
    if needing:
        raise ValueError(
            "these map elements need assets that geo.map.assets does not ship: "
            f"{'; '.join(sorted(needing))}. Use Leaflet-only elements, or add the assets to geo/map/assets.py."
        )


# Elements that count on the CDN assets folium.Map lists, which the maps here drop.
_NEEDS_DROPPED_ASSETS = {
    folium.Popup: "jQuery",
    folium.Icon: "Bootstrap, Font Awesome and Leaflet.awesome-markers",
}


def _asking_elements(m: folium.Map, layers: Iterable[Element] = ()) -> list[JSCSSMixin]:
    """The map's elements, and ``layers``' with them, that ask for one of our scripts."""
    return [e for e in _everything(m, layers) if isinstance(e, JSCSSMixin) and e.default_js]


def _descendants(element: Element):
    for child in element._children.values():
        yield child
        yield from _descendants(child)


def _everything(m: folium.Map, layers: Iterable[Element] = ()):
    """The map's elements, then each of ``layers`` and its elements."""
    yield from _descendants(m)
    for layer in layers:
        yield layer
        yield from _descendants(layer)


def _drop_links(m: folium.Map) -> None:
    """Forget links a previous render put in the page header (CDN ones, say)."""
    header = m.get_root().header
    for name, child in list(header._children.items()):
        if isinstance(child, (JavascriptLink, CssLink)):
            del header._children[name]
