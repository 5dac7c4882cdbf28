"""Our folium elements: popups bound as JSON, the key, the map's CSS, the fit, the cluster, the data layers,
the time control, the reading view, the tile fallback, the page's title and caption.

Each writes its output into the page verbatim (``geo.map.verbatim``), so no
document text is ever compiled as a template; what comes from a document
reaches the page escaped (``geo.map.popups``) and as JSON, never pasted into
JavaScript source. Their scripts are ``geo/map/web/geomap.js``
(``GEOMAP_JS``), which ``geo.map.assets`` serves or inlines.
"""

from __future__ import annotations

import json

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.map.styles import MAX_FIT_ZOOM, SEA_COLOUR
from geo.map.verbatim import VerbatimMacro

GEOMAP_JS = ("geomap", "geomap.js")  # our own Leaflet code; geo.map.assets serves or inlines it


def map_of(element) -> folium.Map:
    """The map an element is drawn on, however deep: it may sit in a layer group."""
    element = element._parent
    while not isinstance(element, folium.Map):
        element = element._parent
    return element


def safe_json(data) -> str:
    """JSON that can sit inside a <script> as it is: <, >, & and ' as \\u escapes, as Jinja's tojson does.

    Nothing in it can end the script or open a tag, whatever the strings hold;
    JavaScript reads the escapes back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def parsed(json_text: str) -> str:
    """``safe_json`` text as a JavaScript expression that JSON.parse reads: ``JSON.parse('...')``.

    A map's data are megabytes of it, and the dashboard's frame runs them through ``eval``: V8 reads a
    string and JSON.parse faster than the same data written as object literals. Inside the quotes every
    backslash is doubled, and nothing else needs to be: safe_json leaves no single quote, <, > or line
    separator.
    """
    return "JSON.parse('" + json_text.replace("\\", "\\\\") + "')"


class Legend(JSCSSMixin, VerbatimMacro):
    """A small key in the map's corner (a plain Leaflet control: no Bootstrap).

    It is a layer (``L.geoLegend``) that shows the control while it is on a
    map, so it goes away with the layer group that holds it when the data
    is redrawn.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoLegend({{ this.html|tojson }}, {position: "bottomright"})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class Style(VerbatimMacro):
    """The map's own CSS: sea, legend, popups, marks, stop badges, arrows, cluster bubbles.

    One <style> in the page header; it holds no document text.
    """

    # div.leaflet-container outranks leaflet.css's own .leaflet-container grey,
    # wherever the stylesheet link ends up in the page.
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
            div.leaflet-container { background: {{ this.sea }}; }
            .geo-legend { background: rgba(255,255,255,0.92); padding: 4px 8px 6px; border-radius: 4px;
                          font: 12px/1.5 sans-serif; box-shadow: 0 0 4px rgba(0,0,0,0.3);
                          max-width: 260px; }
            .geo-legend-body { max-height: 40vh; overflow: auto; }
            .geo-legend-head { all: unset; cursor: pointer; font-weight: bold; display: block; }
            .geo-fold::after { content: "▾"; color: #666; }
            .geo-legend.geo-folded .geo-fold::after { content: "▸"; }
            .geo-legend.geo-folded .geo-legend-body { display: none; }
            .geo-popup { max-height: 280px; overflow: auto; font: 12px/1.45 sans-serif; }
            .geo-muted { color: #666; }
            .geo-small, .geo-doc { color: #666; font-size: 11px; }
            .geo-when { color: #333; font-size: 11px; margin: 1px 0 2px; }
            .geo-quote { margin: 6px 0; padding-left: 6px; border-left: 3px solid #ccc; cursor: pointer; }
            .geo-quote:hover { border-left-color: #888; }
            .geo-stops { margin: 4px 0; padding-left: 18px; }
            .geo-attempted { font-style: italic; color: #a33; }
            mark.geo-place { background: #ffe08a; }
            mark.geo-person { background: #c7e0ff; }
            mark.geo-date { background: #c9efc0; }
            .geo-stop { color: #fff; font: bold 10px/14px sans-serif; text-align: center; border-radius: 7px;
                        border: 1px solid #fff; box-shadow: 0 0 2px rgba(0,0,0,0.5); padding: 0 3px;
                        white-space: nowrap; }
            .geo-stop.geo-square { border-radius: 1px; }
            .geo-stop.geo-hollow { border-width: 1.5px; border-style: dashed; }
            .geo-now .geo-stop { box-shadow: 0 0 0 3px rgba(255,220,0,0.9); }
            .geo-arrow svg { display: block; }
            .geo-cluster { background: rgba(31,59,115,0.75); border: 3px solid rgba(255,255,255,0.8);
                           border-radius: 50%; color: #fff; font: bold 12px sans-serif; display: flex;
                           align-items: center; justify-content: center;
                           box-shadow: 0 0 4px rgba(0,0,0,0.4); }
            .geo-refit a, .geo-reader-toggle a { font: bold 16px/30px sans-serif; }
            .geo-reader-toggle a { width: auto !important; padding: 0 6px; font-size: 12px; }
            .geo-reading .leaflet-left { left: var(--geo-reader-width, 0); }
            .geo-reader { position: absolute; left: 0; top: 0; bottom: 0; width: min(340px, 45%); z-index: 1000;
                          background: rgba(255,255,255,0.97); box-shadow: 1px 0 5px rgba(0,0,0,0.3);
                          display: flex; flex-direction: column; font: 13px/1.55 Georgia, serif; cursor: auto; }
            .geo-reader-head { padding: 6px 10px; border-bottom: 1px solid #ddd; font: 12px sans-serif; }
            .geo-reader-close { float: right; border: 0; background: none; font-size: 18px; line-height: 14px;
                                cursor: pointer; }
            .geo-reader-body { position: relative; overflow: auto; padding: 6px 12px 24px; flex: 1; }
            .geo-reader-sum { font: 11px sans-serif; color: #555; margin-bottom: 6px; }
            .geo-reader-doc { font: bold 12px sans-serif; margin: 10px 0 4px; }
            .geo-reader-text { white-space: pre-wrap; overflow-wrap: anywhere; }
            .geo-reader mark { cursor: pointer; border-radius: 2px; padding: 0 1px; color: inherit; }
            .geo-reader mark.geo-date:not([data-t]) { cursor: default; }
            .geo-reader-head span { padding: 0 3px; border-radius: 2px; font-size: 11px; }
            .geo-key-place { background: #ffe08a; } .geo-key-person { background: #c7e0ff; }
            .geo-key-date { background: #c9efc0; } .geo-key-doubt { outline: 1.5px dashed #c0392b; }
            mark.geo-doubt { outline: 1.5px dashed #c0392b; }
            mark.geo-unplaced { background: #f3d1cc; }
            .geo-flag { color: #c0392b; font: bold 9px sans-serif; }
            .geo-ask { position: absolute; z-index: 2; }
            .geo-ask-button { font: 12px sans-serif; background: #1f3b73; color: #fff; border: 0; border-radius: 3px;
                              padding: 3px 8px; cursor: pointer; box-shadow: 0 1px 4px rgba(0,0,0,0.35);
                              max-width: 300px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
            .geo-ask-fix { display: block; margin: 0 20px 10px; }
            span.geo-doubt { color: #c0392b; }
            .geo-sent.geo-current { background: rgba(255,230,120,0.35); box-shadow: 0 0 0 2px rgba(255,200,0,0.5); }
            .geo-elided { color: #999; }
            .geo-crowded { background: rgba(255,255,255,0.9); padding: 2px 6px; border-radius: 3px; }
            .geo-time { background: rgba(255,255,255,0.94); padding: 5px 8px; border-radius: 4px;
                        box-shadow: 0 0 4px rgba(0,0,0,0.3); font: 12px sans-serif;
                        width: min(520px, calc(100vw - var(--geo-reader-width, 0px) - 300px)); min-width: 260px; }
            .geo-time-row { display: flex; align-items: center; gap: 6px; }
            .geo-time button { border: 1px solid #bbb; background: #fff; border-radius: 3px; cursor: pointer;
                               font: 12px sans-serif; min-width: 28px; height: 24px; }
            .geo-time-track { position: relative; flex: 1; height: 24px; }
            .geo-time-bars { position: absolute; left: 8px; right: 8px; top: 0; height: 6px; }
            .geo-time-bar { position: absolute; top: 0; height: 6px; opacity: 0.65; border-radius: 2px; }
            .geo-time-slider { position: absolute; left: 0; right: 0; bottom: 0; width: 100%; margin: 0; }
            .geo-time-label { min-width: 74px; text-align: center; font-variant-numeric: tabular-nums; }
            .geo-time-note { color: #666; font-size: 11px; margin-top: 2px; }
            .geo-notice { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1001;
                          background: #fff4d6; border: 1px solid #e0b84c; border-radius: 4px; padding: 6px 10px;
                          font: 12px sans-serif; box-shadow: 0 0 4px rgba(0,0,0,0.25); max-width: 70%; }
            .geo-notice button { border: 0; background: none; font-size: 16px; margin-left: 8px; cursor: pointer; }
            .geo-caption { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 999;
                           background: rgba(255,255,255,0.95); border-radius: 4px; padding: 6px 14px;
                           box-shadow: 0 0 4px rgba(0,0,0,0.3); text-align: center; max-width: 70%;
                           pointer-events: none; }
            .geo-caption-title { font: bold 16px sans-serif; color: #111; }
            .geo-caption-text { font: 12px sans-serif; color: #333; margin-top: 2px; }
            </style>
        {% endmacro %}
        """
    )

    def __init__(self, sea: str = SEA_COLOUR):
        super().__init__()
        self._name = "Style"
        self.sea = sea


class FitBounds(JSCSSMixin, VerbatimMacro):
    """The data's bounds: fitted on load (``fit``) or only kept for the map's Fit button (L.geoFit, L.geoBounds).

    A fit comes again if the frame is resized before the user moves the map,
    and keeps the data clear of the key, the text and the time control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.{{ "geoFit" if this.fit else "geoBounds" }}({{ this.map_name() }}, {{ this.bounds|tojson }},
                     {"padding": [30, 30], "maxZoom": {{ this.max_zoom }}});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, bounds: list[list[float]], max_zoom: int = MAX_FIT_ZOOM, *, fit: bool = True):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.max_zoom = max_zoom
        self.fit = fit

    def map_name(self) -> str:
        return map_of(self).get_name()


class RefitButton(JSCSSMixin, VerbatimMacro):
    """A Fit button under the zoom buttons, part of the frame: it fits whatever data is drawn now (L.geoRefit)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoRefit({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self):
        super().__init__()
        self._name = "RefitButton"


class TileFallback(JSCSSMixin, VerbatimMacro):
    """Online tiles that fail to load give way to the offline basemap, and the map says so (L.geoTileFallback)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoTileFallback({{ this._parent.get_name() }}, [{{ this.tile_names|join(", ") }}],
                              {{ this.basemap.get_name() }}, {{ this.message|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, tiles: list, basemap, message: str):
        super().__init__()
        self._name = "TileFallback"
        self.tiles = tiles
        self.basemap = basemap
        self.message = message

    @property
    def tile_names(self) -> list[str]:
        return [t.get_name() for t in self.tiles]


class Title(VerbatimMacro):
    """The page's <title>, escaped (branca's Figure pastes its title in as it is)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<title>{{ this.text|e }}</title>{% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Title"
        self.text = text


class Caption(JSCSSMixin, VerbatimMacro):
    """A title and a caption over the top of the map, as plain text (for a picture of it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoCaption({{ this.title|tojson }}, {{ this.caption|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, title: str, caption: str | None = None):
        super().__init__()
        self._name = "Caption"
        self.title = title
        self.caption = caption or ""


class Reader(JSCSSMixin, VerbatimMacro):
    """The reading view beside the map (``geo.map.reader``), as a layer: it leaves with its layer group.

    Its HTML is escaped before it gets here and goes in as a JSON string.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoReader({{ this.data }}, {"openFrom": {{ this.open_from }}}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, html: str, open_from: int = 1000):
        super().__init__()
        self._name = "Reader"
        self.data = safe_json(html)
        self.open_from = int(open_from)


class ClusterGroup(JSCSSMixin, folium.FeatureGroup):
    """A layer that gathers its markers into bubbles while zoomed out (``L.geoCluster``, geo/map/web/geomap.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoCluster({{ this.options|tojavascript }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    # Its variable is named as a FeatureGroup's (feature_group_<id>): streamlit-folium adds
    # the layers it is given to the kept map by that name.


class Points(JSCSSMixin, VerbatimMacro):
    """Many circle markers as one data layer: a JSON array and one loop in the page (``L.geoPoints``).

    folium would make an element, and branca compile a template, per marker
    and per popup: most of a rerun's time for a few dozen places. Each row is
    [lat, lon, style key, popup HTML, tooltip HTML, point key, sentence refs], the HTML escaped by
    popup_html and the like before it gets here. ``popups``: the URL of the popups kept apart, when a row
    holds a popup's number instead of its HTML (``geo.map.layers.PopupsApart``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoPoints({{ this._parent.get_name() }}, {{ this.data }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, styles: dict[str, dict], points: list[list], popups: str | None = None):
        super().__init__()
        self._name = "GeoPoints"
        self.count = len(points)
        self.data = parsed(safe_json({"styles": styles, "points": points, "popups": popups}))


class Regions(JSCSSMixin, VerbatimMacro):
    """Regions' shapes as one data layer (``L.geoRegions``): each shape with its style, popup and tooltip.

    One element for them all, not a folium GeoJson each: a corpus's 164 regions were 164 elements, each with
    its templates to compile and render, on every view of it. ``regions`` are the JSON texts of the
    regions (``safe_json``), made by ``geo.map.layers.regions_layer``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoRegions({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, regions: list[str]):
        super().__init__()
        self._name = "GeoRegions"
        self.data = parsed('{"regions":[' + ",".join(regions) + "]}")


class Routes(JSCSSMixin, VerbatimMacro):
    """People's routes as one data layer (``L.geoRoutes``): paths, attempted legs, arrows and numbered stops.

    The data (``geo.map.layers.routes_layer``) carries each stop's time, so
    a TimeControl in the same layer can play the routes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoRoutes({{ this._parent.get_name() }}, {{ this.data }},
                                                    {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, data: dict):
        super().__init__()
        self._name = "GeoRoutes"
        self.data = parsed(safe_json(data))


class TimeControl(JSCSSMixin, VerbatimMacro):
    """Play/pause and a slider over the dates of the routes drawn by ``routes`` (``L.geoTime``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoTime({{ this.routes.get_name() }}, {{ this.options }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, routes: Routes, spans: list[list], undated: int, duration_ms: int):
        super().__init__()
        self._name = "TimeControl"
        self.routes = routes
        self.options = parsed(safe_json({"spans": spans, "undated": undated, "duration": duration_ms}))


class Highlight(JSCSSMixin, VerbatimMacro):
    """Rings around the points of what the user selected in a table or the timeline (``L.geoHighlight``),
    brought into view when the map does not show them all. Each row is [lat, lon, label], the label escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoHighlight({{ this._parent.get_name() }}, {{ this.points }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, points: list[list]):
        super().__init__()
        self._name = "GeoHighlight"
        self.points = safe_json(points)
