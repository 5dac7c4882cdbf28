"""Our folium elements: popups bound as JSON, the key, the map's CSS, the fit, the cluster, the data layers.

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


class Bindings(VerbatimMacro):
    """A popup and a tooltip bound to the parent layer.

    folium's own Popup and Tooltip paste their text into a JavaScript template
    literal, where a backtick or ``${...}`` from the document would run as
    code, and Popup needs jQuery. Here both go in as JSON strings (Jinja's
    tojson also escapes <, >, & and '), which Leaflet shows as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}
                .bindPopup({{ this.popup|tojson }}, {"maxWidth": 380})
                .bindTooltip({{ this.tooltip|tojson }}, {"sticky": true});
        {% endmacro %}
        """
    )

    def __init__(self, popup: str, tooltip: str):
        super().__init__()
        self._name = "Bindings"
        self.popup = popup
        self.tooltip = tooltip


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
            .geo-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
                          font: 12px/1.5 sans-serif; box-shadow: 0 0 4px rgba(0,0,0,0.3);
                          max-height: 40vh; overflow: auto; }
            .geo-popup { max-height: 280px; overflow: auto; font: 12px/1.45 sans-serif; }
            .geo-muted { color: #666; }
            .geo-small, .geo-doc { color: #666; font-size: 11px; }
            .geo-quote { margin: 6px 0; padding-left: 6px; border-left: 3px solid #ccc; }
            .geo-stops { margin: 4px 0; padding-left: 18px; }
            mark.geo-place { background: #ffe08a; }
            mark.geo-person { background: #c7e0ff; }
            mark.geo-date { background: #c9efc0; }
            .geo-stop { color: #fff; font: bold 10px/14px sans-serif; text-align: center; border-radius: 7px;
                        border: 1px solid #fff; box-shadow: 0 0 2px rgba(0,0,0,0.5); padding: 0 3px;
                        white-space: nowrap; }
            .geo-arrow svg { display: block; }
            .geo-cluster { background: rgba(31,59,115,0.75); border: 3px solid rgba(255,255,255,0.8);
                           border-radius: 50%; color: #fff; font: bold 12px sans-serif; display: flex;
                           align-items: center; justify-content: center;
                           box-shadow: 0 0 4px rgba(0,0,0,0.4); }
            </style>
        {% endmacro %}
        """
    )

    def __init__(self, sea: str = SEA_COLOUR):
        super().__init__()
        self._name = "Style"
        self.sea = sea


class FitBounds(JSCSSMixin, VerbatimMacro):
    """Fit the map to its places on load, and again if its frame is resized before the user moves it (L.geoFit)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoFit({{ this.map_name() }}, {{ this.bounds|tojson }},
                     {"padding": [50, 50], "maxZoom": {{ this.max_zoom }}});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, bounds: list[list[float]], max_zoom: int = MAX_FIT_ZOOM):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.max_zoom = max_zoom

    def map_name(self) -> str:
        return map_of(self).get_name()


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
    [lat, lon, style key, popup HTML, tooltip HTML], the HTML escaped by
    popup_html and the like before it gets here.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoPoints({{ this._parent.get_name() }}, {{ this.data }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, styles: dict[str, dict], points: list[list]):
        super().__init__()
        self._name = "GeoPoints"
        self.count = len(points)
        self.data = safe_json({"styles": styles, "points": points})


class Icons(JSCSSMixin, VerbatimMacro):
    """Many small HTML markers (arrows, stop badges) as one data layer (``L.geoIcons``).

    Each row is [lat, lon, icon HTML, class, size, anchor, popup HTML or null,
    tooltip HTML or null]; a row with neither is not interactive.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoIcons({{ this._parent.get_name() }}, {{ this.data }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )
    default_js = [GEOMAP_JS]

    def __init__(self, icons: list[list]):
        super().__init__()
        self._name = "GeoIcons"
        self.data = safe_json(icons)
