/* Small Leaflet additions for geo's maps, shipped with the package (no CDN).
 *
 * L.geoFit: fit the map to its data now, and again whenever its box changes
 * size, until the user moves the map. A map in an iframe (Streamlit's) is
 * often made before the frame has its final size, and a fit made then is
 * wrong.
 *
 * L.geoCluster: a layer that gathers the markers added to it into one
 * numbered bubble per screen cell while zoomed out, and shows them one by one
 * from `maxZoom` on. A grid is enough for the tens to hundreds of places a
 * text names, and it draws canvas circle markers as well as DOM ones.
 * Clicking a bubble zooms to its markers.
 *
 * L.geoPoints / L.geoIcons: many markers from one data array, made by one
 * loop here instead of one generated script per marker. The popup and
 * tooltip HTML in the data was escaped in Python; it is handed to Leaflet as
 * strings. Each marker is also a global (`<name>_<n>`), as folium's own
 * elements are, so a console can reach it.
 *
 * L.geoBasemap: the land, from GeoJSON written into the page or fetched from
 * a URL (a static file the browser keeps between reruns), in a pane and on a
 * canvas of its own under everything the data draws.
 *
 * L.geoLegend: the map's key as a layer: its control shows while the layer
 * is on the map, so it leaves with the layer group that holds it when the
 * dashboard swaps its data layers and keeps the map.
 */
(function () {
  "use strict";

  L.GeoCluster = L.Layer.extend({
    options: {cellSize: 64, maxZoom: 8},

    initialize: function (options) {
      L.setOptions(this, options);
      this._members = [];
      this._shown = L.layerGroup();
      this._pending = false;
    },

    // Markers call this through .addTo(cluster).
    addLayer: function (layer) {
      this._members.push(layer);
      if (this._map && !this._pending) {
        this._pending = true;
        setTimeout(L.bind(this._redraw, this), 0);
      }
      return this;
    },

    getLayers: function () {
      return this._members.slice();
    },

    getBounds: function () {
      return L.latLngBounds(this._members.map(function (m) { return m.getLatLng(); }));
    },

    onAdd: function (map) {
      this._shown.addTo(map);
      map.on("zoomend", this._redraw, this);
      this._redraw();
    },

    onRemove: function (map) {
      map.off("zoomend", this._redraw, this);
      map.removeLayer(this._shown);
    },

    _redraw: function () {
      this._pending = false;
      var map = this._map;
      if (!map) { return; }
      this._shown.clearLayers();
      var zoom = map.getZoom();
      if (zoom >= this.options.maxZoom) {
        this._members.forEach(function (m) { this._shown.addLayer(m); }, this);
        return;
      }
      var cells = {}, order = [], size = this.options.cellSize;
      this._members.forEach(function (m) {
        var p = map.project(m.getLatLng(), zoom).divideBy(size).floor();
        var key = p.x + ":" + p.y;
        if (!cells[key]) { cells[key] = []; order.push(key); }
        cells[key].push(m);
      });
      order.forEach(function (key) {
        var group = cells[key];
        this._shown.addLayer(group.length === 1 ? group[0] : this._bubble(group));
      }, this);
    },

    _bubble: function (group) {
      var bounds = L.latLngBounds(group.map(function (m) { return m.getLatLng(); }));
      var n = group.length;
      var px = n < 10 ? 28 : n < 100 ? 34 : 40;
      var bubble = L.marker(bounds.getCenter(), {
        icon: L.divIcon({html: "<span>" + n + "</span>", className: "geo-cluster",
                         iconSize: [px, px]}),
        title: n + " places",
        riseOnHover: true
      });
      bubble.on("click", function () {
        this._map.fitBounds(bounds.pad(0.2), {maxZoom: this.options.maxZoom});
      }, this);
      return bubble;
    }
  });

  L.geoCluster = function (options) {
    return new L.GeoCluster(options);
  };

  // data: {styles: {key: circleMarker options}, points: [[lat, lon, style key, popup, tooltip], ...]}
  L.geoPoints = function (layer, data, name) {
    data.points.forEach(function (p, i) {
      var marker = L.circleMarker([p[0], p[1]], data.styles[p[2]]);
      if (p[3]) { marker.bindPopup(p[3], {maxWidth: 380}); }
      if (p[4]) { marker.bindTooltip(p[4], {sticky: true}); }
      marker.addTo(layer);
      window[name + "_" + i] = marker;
    });
    return layer;
  };

  // rows: [[lat, lon, icon html, class, size, anchor, popup or null, tooltip or null], ...]
  L.geoIcons = function (layer, rows, name) {
    rows.forEach(function (r, i) {
      var interactive = Boolean(r[6] || r[7]);
      var marker = L.marker([r[0], r[1]], {
        icon: L.divIcon({html: r[2], className: r[3], iconSize: r[4], iconAnchor: r[5]}),
        interactive: interactive, keyboard: interactive
      });
      if (r[6]) { marker.bindPopup(r[6], {maxWidth: 380}); }
      if (r[7]) { marker.bindTooltip(r[7], {sticky: true}); }
      marker.addTo(layer);
      window[name + "_" + i] = marker;
    });
    return layer;
  };

  // The basemap lives in a pane of its own under the data, on its own canvas: land
  // fetched after the data is drawn under it all the same, and redrawing the data
  // (a filter change) leaves the land's canvas alone.
  var BASEMAP_PANE = "geoBasemap";

  L.geoBasemap = function (map, parent, data, options) {
    if (!map.getPane(BASEMAP_PANE)) {
      map.createPane(BASEMAP_PANE).style.zIndex = 250;  // above tiles (200), under the data (400)
      map._geoBasemapRenderer = L.canvas({pane: BASEMAP_PANE});
    }
    var layer = L.geoJson(null, L.extend({}, options, {pane: BASEMAP_PANE, renderer: map._geoBasemapRenderer}))
      .addTo(parent);
    if (typeof data !== "string") {
      layer.addData(data);
      return layer;
    }
    fetch(data).then(function (reply) {  // a URL: the static file the browser keeps between reruns
      if (!reply.ok) { throw new Error(data + ": " + reply.status); }
      return reply.json();
    }).then(function (geojson) {
      layer.addData(geojson);
    }).catch(function (err) {
      if (window.console) { window.console.error("basemap not loaded", err); }
    });
    return layer;
  };

  L.GeoLegend = L.Layer.extend({
    initialize: function (html, options) {
      L.setOptions(this, options);
      this._html = html;
    },

    onAdd: function (map) {
      var html = this._html;
      this._control = L.control({position: this.options.position || "bottomright"});
      this._control.onAdd = function () {
        var div = L.DomUtil.create("div", "geo-legend");
        div.innerHTML = html;
        return div;
      };
      this._control.addTo(map);
    },

    onRemove: function () {
      if (this._control) { this._control.remove(); }
      this._control = null;
    }
  });

  L.geoLegend = function (html, options) {
    return new L.GeoLegend(html, options);
  };

  // A later fit replaces an earlier one: new data, new bounds to keep.
  L.geoFit = function (map, bounds, options) {
    if (map._geoFitStop) { map._geoFitStop(); }
    var fit = function () {
      map.invalidateSize(false);
      map.fitBounds(bounds, options);
    };
    fit();
    if (!window.ResizeObserver) { return; }
    var observer = new ResizeObserver(fit);
    observer.observe(map.getContainer());
    // fitBounds fires zoom events itself: only the user's own gestures end the refitting.
    var container = map.getContainer();
    var gestures = ["mousedown", "wheel", "touchstart", "keydown"];
    var stop = function () {
      observer.disconnect();
      gestures.forEach(function (name) { container.removeEventListener(name, stop, true); });
      if (map._geoFitStop === stop) { map._geoFitStop = null; }
    };
    map._geoFitStop = stop;
    gestures.forEach(function (name) { container.addEventListener(name, stop, true); });
  };
})();
