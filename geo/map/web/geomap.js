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
 * L.geoPoints: many markers from one data array, made by one
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
 * dashboard swaps its data layers and keeps the map. It folds to one line.
 *
 * L.geoFit / L.geoBounds / L.geoRefit: the data's bounds, fitted now (and on
 * a resize until the user moves the map) or only kept, so that the page keeps
 * the user's view; the Fit button fits them on demand. A fit keeps the data
 * clear of the key, the text, the time control and the caption (the page's
 * ".geo-covers" boxes).
 *
 * L.geoRoutes / L.geoTime: routes as one data layer (a made path, attempted
 * legs dashed and hollow, arrows, numbered stops), and a time control that
 * plays them: each stop appears at the start of its date, the path growing
 * from one stop to the next.
 *
 * L.geoReader: the documents' text beside the map, linked both ways with it.
 * In the dashboard it also asks for corrections where the error is (L.geo.ask):
 * a place name clicked in the text, or a marker's popup, offers "Fix"; words
 * selected in the text offer "Add as a place".
 * L.geoTileFallback: online tiles that fail give way to the offline basemap,
 * with a message. L.geoCaption: a title and caption over the map.
 *
 * Everything the data layers register for the others (markers by point,
 * routes by person, the reader, the time control) and the user's choices that
 * outlive a redraw (the key folded, the text open, the time) are in L.geo:
 * a page holds one map.
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

  L.geo = L.geo || {places: {}, people: {}, routes: null, time: null, reader: null, bounds: null};

  // The dashboard's map frame is streamlit-folium's page (pinned in requirements.txt): its Streamlit object
  // (window.Streamlit) sends the map's value to the script, and __GLOBAL_DATA__.previous_data is the value
  // last sent. A request rides on that value as `geo_request`, numbered so that the script acts on it once.
  // It rides on every value sent after it too: the map's own next message (the move a click on a name
  // makes) can come before the script has read the request, and Streamlit reruns with the newest value.
  // An exported file has neither object, and offers no request.
  L.geo.canAsk = function () {
    return !!(window.Streamlit && window.Streamlit.setComponentValue && window.__GLOBAL_DATA__);
  };

  L.geo.ask = function (request) {
    if (!L.geo.canAsk()) { return false; }
    var streamlit = window.Streamlit, data = window.__GLOBAL_DATA__;
    if (!streamlit.geoAsking) {
      var send = streamlit.setComponentValue;
      streamlit.setComponentValue = function (value) {
        var asked = L.geo.request && value && typeof value === "object" && !Array.isArray(value);
        return send.call(streamlit, asked ? L.extend({}, value, {geo_request: L.geo.request}) : value);
      };
      streamlit.geoAsking = true;
    }
    L.geo.asked = (L.geo.asked || 0) + 1;
    L.geo.request = L.extend({n: Date.now() + "-" + L.geo.asked}, request);
    streamlit.setComponentValue(data.previous_data || {});
    return true;
  };

  // A place marker's popup ends with "Fix this place" where the page can ask for it.
  function offerFix(marker, key) {
    marker.on("popupopen", function (e) {
      if (!L.geo.canAsk()) { return; }
      // Beside the content, not in it: a popup's update() writes its content again. The popup grows upwards
      // from its tip; the map pans again so that all of it is in view (Leaflet 1.x's own step for that).
      var wrapper = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-content-wrapper");
      if (!wrapper || wrapper.querySelector(".geo-ask-fix")) { return; }
      var button = L.DomUtil.create("button", "geo-ask-button geo-ask-fix", wrapper);
      button.type = "button";
      button.textContent = "Fix this place\u2026";
      button.title = "Open it in the Fix tab: another candidate, a gazetteer search, or not a place";
      L.DomEvent.on(button, "click", function (ev) {
        L.DomEvent.stop(ev);
        L.geo.ask({kind: "fix_at", key: key});
      });
      if (e.popup._adjustPan) { e.popup._adjustPan(); }
    });
  }

  // A popup is its HTML, or, on a large map in the dashboard, its number in the list the page serves at `url`
  // (geo.map.layers.PopupsApart): the list is fetched when a popup of the map first opens, once, and the
  // popup shows its text when it comes. The evidence was most of a large map's data, read on every redraw.
  // The server makes the list while the browser draws the map: until it is written, the page asks again.
  L.geo.popupWaitMs = 30000;
  var popupLists = {};  // url -> the Promise of its list
  function popupList(url) {
    if (!popupLists[url]) {
      var until = Date.now() + L.geo.popupWaitMs;
      var ask = function () {
        return fetch(url).then(function (reply) {
          if (reply.status === 404 && Date.now() < until) {
            return new Promise(function (again) { setTimeout(again, 250); }).then(ask);
          }
          if (!reply.ok) { throw new Error("HTTP " + reply.status); }
          return reply.json();
        });
      };
      popupLists[url] = ask();
      popupLists[url].catch(function () { delete popupLists[url]; });  // asked again at the next opening
    }
    return popupLists[url];
  }

  L.geo.bindPopup = function (layer, popup, url) {
    if (typeof popup !== "number") { return layer.bindPopup(popup, {maxWidth: 380}); }
    layer.bindPopup("<div class='geo-popup geo-muted'>Loading the evidence\u2026</div>", {maxWidth: 380});
    layer.on("popupopen", function (e) {
      var shown = e.popup;
      popupList(url).then(function (texts) {
        if (typeof texts[popup] !== "string") { throw new Error("no popup " + popup); }
        shown.setContent(texts[popup]);
      }).catch(function () {
        var div = document.createElement("div");
        div.className = "geo-popup geo-muted";
        div.textContent = "The evidence could not be loaded: reload the page to see it.";
        shown.setContent(div);
      }).then(function () { if (shown._adjustPan && shown.isOpen()) { shown._adjustPan(); } });
    });
    return layer;
  };

  // data: {styles: {key: circleMarker options}, points: [[lat, lon, style key, popup, tooltip, point key, refs],
  // ...], popups: the URL of the popups kept apart, or null}
  L.geoPoints = function (layer, data, name) {
    var places = {};
    data.points.forEach(function (p, i) {
      var marker = L.circleMarker([p[0], p[1]], data.styles[p[2]]);
      if (p[3] || p[3] === 0) { L.geo.bindPopup(marker, p[3], data.popups); }
      if (p[4]) { marker.bindTooltip(p[4], {sticky: true}); }
      if (p[5]) { places[p[5]] = marker; offerFix(marker, p[5]); }
      if (p[6] && p[6].length) { marker.on("popupopen", function () { L.geo.showSentences(p[6]); }); }
      marker.addTo(layer);
      window[name + "_" + i] = marker;
    });
    L.geo.places = places;  // the page's one places layer: a redraw replaces them all
    return layer;
  };

  // data: {regions: [{geometry: GeoJSON, style: path options, popup: HTML, tooltip: HTML}, ...]}
  L.geoRegions = function (layer, data) {
    data.regions.forEach(function (r) {
      L.geoJson(r.geometry, {style: function () { return r.style; }})
        .bindPopup(r.popup, {maxWidth: 380}).bindTooltip(r.tooltip, {sticky: true})
        .addTo(layer);
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
        var div = L.DomUtil.create("div", "geo-legend geo-covers");
        var head = L.DomUtil.create("button", "geo-legend-head", div);
        head.type = "button";
        head.innerHTML = "Key <span class='geo-fold'></span>";
        var body = L.DomUtil.create("div", "geo-legend-body", div);
        body.innerHTML = html;
        // A small map starts with its key folded; then the key stays as the user left it.
        var folded = L.geo.legendFolded === undefined ? map.getSize().x < 600 : L.geo.legendFolded;
        var show = function () {
          div.classList.toggle("geo-folded", folded);
          head.title = folded ? "Show the key" : "Fold the key";
          head.setAttribute("aria-expanded", String(!folded));
        };
        show();
        L.DomEvent.on(head, "click", function () {
          folded = !folded;
          L.geo.legendFolded = folded;
          show();
        });
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
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

  // The padding that keeps fitted data clear of our boxes over the map: for each box, the strip
  // between it and the map's nearest edge, on the side that costs the least of the map.
  L.geo.padding = function (map, base) {
    var container = map.getContainer(), box = container.getBoundingClientRect();
    var pad = {left: base, top: base, right: base, bottom: base};
    container.querySelectorAll(".geo-covers").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height || r.right <= box.left || r.left >= box.right) { return; }
      var sides = [
        ["left", r.right - box.left, box.width], ["right", box.right - r.left, box.width],
        ["top", r.bottom - box.top, box.height], ["bottom", box.bottom - r.top, box.height]
      ];
      sides.sort(function (a, b) { return a[1] / a[2] - b[1] / b[2]; });
      pad[sides[0][0]] = Math.max(pad[sides[0][0]], sides[0][1] + base / 2);
    });
    // A map too small to keep clear of everything keeps clear of nothing but the edges.
    if (pad.left + pad.right > box.width * 0.75) { pad.left = pad.right = base; }
    if (pad.top + pad.bottom > box.height * 0.75) { pad.top = pad.bottom = base; }
    return {paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom]};
  };

  L.geo.fitNow = function (map) {
    var kept = L.geo.bounds;
    if (!kept) { return; }
    map.invalidateSize(false);
    var base = kept.options.padding ? kept.options.padding[0] : 30;
    map.fitBounds(kept.bounds, L.extend({maxZoom: kept.options.maxZoom}, L.geo.padding(map, base)));
  };

  // The data's bounds, kept for the Fit button; the view is left as the user has it.
  L.geoBounds = function (map, bounds, options) {
    if (map._geoFitStop) { map._geoFitStop(); }
    L.geo.bounds = {bounds: bounds, options: options || {}};
  };

  // A Fit button, under the zoom buttons: the map fitted to its data again.
  L.geoRefit = function (map) {
    L.geo.map = map;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar geo-refit");
      var a = L.DomUtil.create("a", "", bar);
      a.href = "#";
      a.role = "button";
      a.title = "Fit the map to the data";
      a.setAttribute("aria-label", a.title);
      a.innerHTML = "&#x2922;";
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.preventDefault(e);
        L.DomEvent.stopPropagation(e);
        L.geo.fitNow(map);
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    return control.addTo(map);
  };

  // A later fit replaces an earlier one: new data, new bounds to keep.
  L.geoFit = function (map, bounds, options) {
    L.geoBounds(map, bounds, options);
    var fit = function () { L.geo.fitNow(map); };
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

  // --- routes, and time -----------------------------------------------------------------

  var mercator = L.Projection.SphericalMercator;

  // The point a fraction f of the way from a to b, on the straight line the map draws.
  function along(a, b, f) {
    var pa = mercator.project(L.latLng(a)), pb = mercator.project(L.latLng(b));
    return mercator.unproject(pa.add(pb.subtract(pa).multiplyBy(f)));
  }

  // When a leg is travelled: from leaving its start (the end of the start's date, or the arrival if
  // sooner) to arriving at its end (the start of the end's date).
  function legTimes(stops, leg) {
    var a = stops[leg.from].t, b = stops[leg.to].t;
    if (!a || !b) { return null; }
    var leave = Math.max(a[0], Math.min(a[1], b[0]));
    return [leave, Math.max(leave, b[0])];
  }

  function arrowIcon(arrow, colour, hollow) {
    var svg = "<svg width='14' height='14' viewBox='0 0 14 14' style='transform:rotate(" + arrow[2].toFixed(1) +
      "deg)'><path d='M2 2 L12 7 L2 12 Z' fill='" + (hollow ? "#fff" : colour) + "' stroke='" +
      (hollow ? colour : "#fff") + "' stroke-width='" + (hollow ? 1.5 : 1) + "'/></svg>";
    return L.divIcon({html: svg, className: "geo-arrow", iconSize: [14, 14], iconAnchor: [7, 7]});
  }

  function badgeIcon(route, badge, numbers) {
    var style = "background:" + route.colour + ";border-color:#fff";
    var attempted = badge.stops.every(function (i) { return route.stops[i].attempted; });
    if (attempted) { style = "background:#fff;color:" + route.colour + ";border-color:" + route.colour; }
    var width = 8 + 6 * numbers.length;
    return L.divIcon({
      html: "<div class='" + route.badge + (attempted ? " geo-hollow" : "") + "' style='" + style + "'>" +
        numbers + "</div>",
      className: "geo-stop-icon", iconSize: [width, 16], iconAnchor: [-7 - badge.offset, 20]
    });
  }

  // data: {weight, attemptedDash, routes: [{person, colour, dash, badge, popup, tooltip,
  //   stops: [{n, at, t: [start ms, end ms] or null, attempted, ref}], path: [stop indices],
  //   legs: [{from, to, attempted, arrow: [lat, lon, angle], popup}],
  //   badges: [{at, stops: [indices], offset, popup, tooltip}]}]}
  // Arrows and stop numbers are markers in the page, a few elements each; a corpus's routes have thousands,
  // and every pan and zoom then took seconds. Past MARKS_IN_VIEW of them in view they are left out, the lines
  // staying (on the canvas), until the map is zoomed in to fewer; a note says so.
  var MARKS_IN_VIEW = 400;

  L.geoRoutes = function (layer, data, name) {
    var registry = {layer: layer, routes: [], domain: null};
    var people = {};
    var marks = [];  // {marker, timed: shown at the time control's time, at: its point}
    var crowded = false, note = null, map = null;
    function mark(marker) {
      var m = {marker: marker, timed: true, at: marker.getLatLng(), near: true};
      marks.push(m);
      return m;
    }
    function place(m) {
      if (m.timed && m.near) { layer.addLayer(m.marker); } else { layer.removeLayer(m.marker); }
    }
    function refresh() {
      if (marks.length <= MARKS_IN_VIEW || !map) {
        marks.forEach(function (m) { m.near = marks.length <= MARKS_IN_VIEW; place(m); });
        return;
      }
      var bounds = map.getBounds().pad(0.25), inView = 0;
      marks.forEach(function (m) { m.inView = bounds.contains(m.at); if (m.inView && m.timed) { inView++; } });
      crowded = inView > MARKS_IN_VIEW;
      marks.forEach(function (m) { m.near = !crowded && m.inView; place(m); });
      if (note) { note.getContainer().style.display = crowded ? "" : "none"; }
    }
    function watch() {
      if (map === layer._map) { return; }
      if (map) { map.off("moveend", refresh); if (note) { note.remove(); } }
      map = layer._map || null;
      if (map && marks.length > MARKS_IN_VIEW) {
        note = L.control({position: "bottomright"});
        note.onAdd = function () {
          var div = L.DomUtil.create("div", "geo-small geo-covers geo-crowded");
          div.textContent = "Zoom in to see the stops' numbers and the arrows";
          return div;
        };
        note.addTo(map);
        map.on("moveend", refresh);
      }
      refresh();
    }
    data.routes.forEach(function (r, ri) {
      var route = {data: r, timed: r.stops.some(function (s) { return s.t; }), shown: null};
      var w = data.weight;
      if (r.path.length > 1) {
        route.line = L.polyline(r.path.map(function (i) { return r.stops[i].at; }),
                                {color: r.colour, weight: w, opacity: 0.85, dashArray: r.dash || null,
                                 lineCap: r.dash ? "butt" : "round"})
          .bindTooltip(r.tooltip, {sticky: true});
        L.geo.bindPopup(route.line, r.popup, data.popups);
        layer.addLayer(route.line);
      }
      route.legs = r.legs.map(function (leg) {
        var drawn = {leg: leg, times: legTimes(r.stops, leg), parts: []};
        var ends = [r.stops[leg.from].at, r.stops[leg.to].at];
        if (leg.attempted) {  // dashed and hollow: a coloured dashed outline, white inside
          // Butt ends: round ones would close the gaps between the dashes.
          var outline = L.polyline(ends, {color: r.colour, weight: w + 3, opacity: 0.9, lineCap: "butt",
                                          dashArray: data.attemptedDash, className: "geo-attempted-leg"});
          L.geo.bindPopup(outline, leg.popup, data.popups).bindTooltip(r.tooltip, {sticky: true});
          var core = L.polyline(ends, {color: "#fff", weight: w - 0.5, opacity: 1, dashArray: data.attemptedDash,
                                       lineCap: "butt", interactive: false});
          drawn.parts = [outline, core];
          drawn.parts.forEach(function (part) { layer.addLayer(part); });
        }
        drawn.arrow = L.marker([leg.arrow[0], leg.arrow[1]],
                               {icon: arrowIcon(leg.arrow, r.colour, leg.attempted), interactive: false, keyboard: false});
        drawn.mark = mark(drawn.arrow);
        return drawn;
      });
      route.badges = r.badges.map(function (badge, bi) {
        var numbers = badge.stops.map(function (i) { return r.stops[i].n; }).join("·");
        var marker = L.marker(badge.at, {icon: badgeIcon(r, badge, numbers)});
        L.geo.bindPopup(marker, badge.popup, data.popups).bindTooltip(badge.tooltip, {sticky: true});
        var refs = badge.stops.map(function (i) { return r.stops[i].ref; });
        marker.on("popupopen", function () { L.geo.showSentences(refs); });
        window[name + "_" + ri + "_" + bi] = marker;
        return {badge: badge, marker: marker, shown: numbers, mark: mark(marker)};
      });
      var timed = r.stops.filter(function (s) { return s.t; });
      if (timed.length) {
        var lo = Math.min.apply(null, timed.map(function (s) { return s.t[0]; }));
        var hi = Math.max.apply(null, timed.map(function (s) { return s.t[1]; }));
        registry.domain = registry.domain ? [Math.min(registry.domain[0], lo), Math.max(registry.domain[1], hi)]
                                          : [lo, hi];
      }
      people[r.person] = L.latLngBounds(r.stops.map(function (s) { return s.at; }));
      registry.routes.push(route);
    });

    // Everything of the timed routes as it stands at time t (Infinity: all of it).
    registry.setTime = function (t) {
      registry.routes.forEach(function (route) {
        if (!route.timed) { return; }
        var r = route.data, stops = r.stops;
        var seen = function (i) { return stops[i].t && stops[i].t[0] <= t; };
        if (route.line) {
          var points = [];
          if (seen(r.path[0])) {
            points.push(stops[r.path[0]].at);
            for (var k = 1; k < r.path.length; k++) {
              var leg = {from: r.path[k - 1], to: r.path[k]}, times = legTimes(stops, leg);
              if (!times || t >= times[1]) { points.push(stops[leg.to].at); continue; }
              if (t > times[0]) {
                points.push(along(stops[leg.from].at, stops[leg.to].at, (t - times[0]) / (times[1] - times[0])));
              }
              break;
            }
          }
          route.line.setLatLngs(points);
        }
        route.legs.forEach(function (drawn) {
          var times = drawn.times, leg = drawn.leg;
          var done = !times || t >= times[1];
          var started = done || (t > times[0] && seen(leg.from));
          drawn.parts.forEach(function (part) {
            if (!started) { layer.removeLayer(part); return; }
            var end = done ? stops[leg.to].at
                           : along(stops[leg.from].at, stops[leg.to].at, (t - times[0]) / (times[1] - times[0]));
            part.setLatLngs([stops[leg.from].at, end]);
            layer.addLayer(part);
          });
          drawn.mark.timed = done;
          place(drawn.mark);
        });
        route.badges.forEach(function (b) {
          var shown = b.badge.stops.filter(seen);
          var numbers = shown.map(function (i) { return stops[i].n; }).join("·");
          b.mark.timed = shown.length > 0;
          if (!shown.length) { place(b.mark); b.shown = ""; return; }
          if (numbers !== b.shown) {
            b.marker.setIcon(badgeIcon(r, b.badge, numbers));
            b.shown = numbers;
          }
          place(b.mark);
          var now = shown.some(function (i) { return t <= stops[i].t[1] && t !== Infinity; });
          var el = b.marker.getElement();
          if (el) { el.classList.toggle("geo-now", now); }
        });
      });
    };
    layer.on("add remove", watch);
    watch();
    L.geo.routes = registry;
    L.geo.people = people;
    return registry;
  };

  function day(t) {
    return new Date(t).toISOString().slice(0, 10);
  }

  var SPEEDS = [1, 2, 4, 8];

  // The time control: play/pause, a slider over the routes' dates with each stop's span drawn under it,
  // the date shown, and the speed. options: {duration: ms at 1x, spans: [[start, end, colour, label]], undated: n}
  L.GeoTime = L.Layer.extend({
    initialize: function (registry, options) {
      L.setOptions(this, options);
      this._registry = registry;
      this._domain = registry.domain;
    },

    onAdd: function (map) {
      var self = this, d = this._domain;
      this._control = L.control({position: "bottomleft"});
      this._control.onAdd = function () {
        var div = L.DomUtil.create("div", "geo-time geo-covers");
        var row = L.DomUtil.create("div", "geo-time-row", div);
        self._play = L.DomUtil.create("button", "geo-time-play", row);
        self._play.type = "button";
        var track = L.DomUtil.create("div", "geo-time-track", row);
        var bars = L.DomUtil.create("div", "geo-time-bars", track);
        var width = Math.max(d[1] - d[0], 1);
        self.options.spans.forEach(function (s) {
          var bar = L.DomUtil.create("div", "geo-time-bar", bars);
          bar.style.left = (100 * (s[0] - d[0]) / width) + "%";
          bar.style.width = "max(3px, " + (100 * (s[1] - s[0]) / width) + "%)";
          bar.style.background = s[2];
          bar.title = s[3];
        });
        self._slider = L.DomUtil.create("input", "geo-time-slider", track);
        self._slider.type = "range";
        self._slider.min = 0;
        self._slider.max = 1000;
        self._slider.setAttribute("aria-label", "Date");
        self._label = L.DomUtil.create("span", "geo-time-label", row);
        self._speedButton = L.DomUtil.create("button", "geo-time-speed", row);
        self._speedButton.type = "button";
        self._speedButton.title = "Playing speed";
        if (self.options.undated) {
          var note = L.DomUtil.create("div", "geo-time-note", div);
          note.textContent = self.options.undated + (self.options.undated === 1 ? " route has" : " routes have") +
            " no date: always shown";
        }
        L.DomEvent.on(self._play, "click", function () { self.toggle(); });
        L.DomEvent.on(self._speedButton, "click", function () {
          self._speed = SPEEDS[(SPEEDS.indexOf(self._speed) + 1) % SPEEDS.length];
          L.geo.timeSpeed = self._speed;
          self._draw();
        });
        L.DomEvent.on(self._slider, "input", function () {
          var t = d[0] + (d[1] - d[0]) * self._slider.value / 1000;  // read before pause() redraws the slider
          self.pause();
          self.setTime(t);
        });
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(div, "keydown", L.DomEvent.stopPropagation);  // arrow keys move the slider, not the map
        return div;
      };
      this._speed = L.geo.timeSpeed || 1;
      this._control.addTo(map);
      L.geo.time = this;
      // A redraw (a filter change) keeps the date the user was at.
      var kept = L.geo.timeAt;
      this.setTime(kept !== undefined && kept >= d[0] && kept < d[1] ? kept : d[1]);
    },

    onRemove: function () {
      this.pause();
      if (this._control) { this._control.remove(); }
      this._control = null;
      if (L.geo.time === this) { L.geo.time = null; }
    },

    setTime: function (t) {
      var d = this._domain;
      this._t = Math.max(d[0], Math.min(d[1], t));
      this.state = this._t >= d[1] ? "end" : this.state === "playing" ? "playing" : "paused";
      L.geo.timeAt = this._t;
      this._registry.setTime(this._t >= d[1] ? Infinity : this._t);
      this._draw();
    },

    time: function () { return this._t; },

    play: function () {
      var self = this, d = this._domain;
      if (this._t >= d[1]) { this.setTime(d[0]); }
      this.state = "playing";
      var last = null;
      var step = function (now) {
        if (self.state !== "playing") { return; }
        if (last !== null) {
          var span = Math.max(d[1] - d[0], 1);
          self.setTime(self._t + span * (now - last) * self._speed / self.options.duration);
        }
        last = now;
        if (self._t >= d[1]) { self.state = "end"; self._draw(); return; }
        self._frame = L.Util.requestAnimFrame(step);
      };
      this._frame = L.Util.requestAnimFrame(step);
      this._draw();
    },

    pause: function () {
      if (this.state === "playing") { this.state = "paused"; }
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); }
      this._frame = null;
      this._draw();
    },

    toggle: function () {
      if (this.state === "playing") { this.pause(); } else { this.play(); }
    },

    _draw: function () {
      if (!this._slider) { return; }
      var d = this._domain, playing = this.state === "playing";
      this._slider.value = Math.round(1000 * (this._t - d[0]) / Math.max(d[1] - d[0], 1));
      this._label.textContent = this._t >= d[1] ? "all dates" : day(this._t);
      this._play.textContent = playing ? "\u275A\u275A" : "\u25B6";
      this._play.title = playing ? "Pause" : "Play the routes in time";
      this._speedButton.textContent = this._speed + "\u00D7";
    }
  });

  L.geoTime = function (registry, options) {
    return new L.GeoTime(registry, options);
  };

  // --- what the user selected in a table or the timeline -------------------------------------

  // points: [[lat, lon, label], ...]. Rings that take no clicks (the marker under each keeps its popup),
  // and the map moved only when it does not show them all, so that a view the user chose stays if it can.
  L.geoHighlight = function (layer, points) {
    if (!points.length) { return layer; }
    var at = points.map(function (p) { return L.latLng(p[0], p[1]); });
    points.forEach(function (p, i) {
      L.circleMarker(at[i], {radius: 13, weight: 4, color: "#ff8c00", opacity: 0.95, fill: false,
                             interactive: false, className: "geo-selected"})
        .bindTooltip(p[2], {permanent: points.length === 1, direction: "top", offset: [0, -12]})
        .addTo(layer);
    });
    function bring() {
      var map = layer._map;
      if (!map) { return; }
      var bounds = L.latLngBounds(at), pad = L.geo.padding(map, 40);
      var seen = map.getBounds().pad(-0.1);
      if (at.every(function (p) { return seen.contains(p); })) { return; }
      if (at.length === 1) {
        flyTo(map, at[0], Math.max(map.getZoom(), 5), function () {});
      } else {
        map.flyToBounds(bounds, L.extend({maxZoom: Math.max(map.getZoom(), 5), duration: 0.8}, pad));
      }
    }
    // A data layer is on the map before its children's scripts run (folium's order), or comes later.
    if (layer._map) { bring(); } else { layer.once("add", bring); }
    return layer;
  };

  // --- the text beside the map -------------------------------------------------------------

  // Scroll the text to the first of these sentences and mark them, when the text is there.
  L.geo.showSentences = function (refs, open) {
    if (L.geo.reader && !L.geo._quiet) { L.geo.reader.show(refs, open); }
  };

  L.GeoReader = L.Layer.extend({
    initialize: function (html, options) {
      L.setOptions(this, options);
      this._html = html;
    },

    onAdd: function (map) {
      var self = this, container = map.getContainer();
      this._map = map;
      this._filled = false;
      var panel = this._panel = L.DomUtil.create("div", "geo-reader geo-covers", container);
      var head = L.DomUtil.create("div", "geo-reader-head", panel);
      head.innerHTML = "<b>Text</b> <span class='geo-key-place'>places</span> <span class='geo-key-person'>people" +
        "</span> <span class='geo-key-date'>dates</span> <span class='geo-key-doubt'>doubtful?</span>";
      var close = L.DomUtil.create("button", "geo-reader-close", head);
      close.type = "button";
      close.title = "Hide the text";
      close.innerHTML = "&times;";
      // Empty until first shown (_fill): a closed panel costs the page nothing.
      var body = this._body = L.DomUtil.create("div", "geo-reader-body", panel);
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
      L.DomEvent.on(panel, "keydown", L.DomEvent.stopPropagation);  // keys scroll the text, not the map
      L.DomEvent.on(close, "click", function () { self.setOpen(false); });
      L.DomEvent.on(body, "click", this._onClick, this);
      if (L.geo.canAsk()) {  // the dashboard: corrections asked for from the text
        var bar = this._ask = L.DomUtil.create("div", "geo-ask", panel);
        bar.style.display = "none";
        var button = this._askButton = L.DomUtil.create("button", "geo-ask-button", bar);
        button.type = "button";
        L.DomEvent.on(bar, "mousedown", L.DomEvent.preventDefault);  // the selection stays while it is clicked
        L.DomEvent.on(button, "click", function () {
          if (self._request) { L.geo.ask(self._request); }
          self._offer(null);
        });
        L.DomEvent.on(body, "mouseup", function () { setTimeout(function () { self._onSelect(); }, 0); });
        L.DomEvent.on(body, "scroll", function () { self._place(); });  // the bar stays by its words
      }

      this._toggle = L.control({position: "topleft"});
      this._toggle.onAdd = function () {
        var bar = L.DomUtil.create("div", "leaflet-bar geo-reader-toggle");
        var a = L.DomUtil.create("a", "", bar);
        a.href = "#";
        a.role = "button";
        a.title = "Show the text beside the map";
        a.textContent = "Text";
        L.DomEvent.on(a, "click", function (e) {
          L.DomEvent.preventDefault(e);
          L.DomEvent.stopPropagation(e);
          self.setOpen(!self._open);
        });
        return bar;
      };
      this._toggle.addTo(map);
      // A quote in a popup leads to its sentence in the text.
      this._onQuote = function (e) {
        var quote = e.target.closest && e.target.closest(".leaflet-popup [data-s]");
        if (quote) { self.show([quote.getAttribute("data-s")], true); }
      };
      container.addEventListener("click", this._onQuote);
      L.geo.reader = this;
      var open = L.geo.readerOpen === undefined ? map.getSize().x >= (this.options.openFrom || 1000) : L.geo.readerOpen;
      this.setOpen(open, true);
    },

    onRemove: function (map) {
      L.Popup.prototype.options.autoPanPaddingTopLeft = null;
      L.geo.readerKept = this._filled ? {html: this._html, body: this._body, scroll: this._body.scrollTop} : null;
      map.getContainer().removeEventListener("click", this._onQuote);
      map.getContainer().classList.remove("geo-reading");
      this._panel.remove();
      this._toggle.remove();
      if (L.geo.reader === this) { L.geo.reader = null; }
    },

    setOpen: function (open, quiet) {
      this._open = open;
      if (!quiet) { L.geo.readerOpen = open; }
      this._panel.style.display = open ? "" : "none";
      if (open && !this._filled) { this._fill(); }
      this._map.getContainer().classList.toggle("geo-reading", open);
      var width = open ? this._panel.offsetWidth : 0;
      this._map.getContainer().style.setProperty("--geo-reader-width", width + "px");
      // Popups open clear of the text and of the buttons beside it.
      L.Popup.prototype.options.autoPanPaddingTopLeft = open ? L.point(width + 50, 10) : null;
    },

    // The text goes in when first shown; after a redraw (a filter change) the same text is moved over
    // from the panel before, read once, and scrolled where it was.
    _fill: function () {
      var kept = L.geo.readerKept;
      L.geo.readerKept = null;
      if (kept && kept.html === this._html) {
        while (kept.body.firstChild) { this._body.appendChild(kept.body.firstChild); }
        this._body.scrollTop = kept.scroll;
      } else {
        this._body.innerHTML = this._html;
      }
      this._filled = true;
      if (this._wanted) { this.show(this._wanted); }
    },

    isOpen: function () { return this._open; },

    show: function (refs, open) {
      if (open && !this._open) { this.setOpen(true); }
      if (!this._filled) { this._wanted = refs; return; }  // marked when the text is first shown
      var body = this._body, found = [];
      body.querySelectorAll(".geo-current").forEach(function (el) { el.classList.remove("geo-current"); });
      body.querySelectorAll("[data-s]").forEach(function (el) {
        if (refs.indexOf(el.getAttribute("data-s")) >= 0) { found.push(el); el.classList.add("geo-current"); }
      });
      if (!found.length) { return; }
      if (this._open) { body.scrollTop = Math.max(0, found[0].offsetTop - body.clientHeight / 3); }
    },

    // Offer one request (null: none) in the bar under `near` (a mark, or the selection's range).
    _offer: function (request, label, near) {
      if (!this._ask) { return; }
      this._request = request;
      if (!request) { this._ask.style.display = "none"; return; }
      this._askButton.textContent = label;
      this._near = near;
      this._place();
    },

    _place: function () {
      if (!this._request) { return; }
      var box = this._near.getBoundingClientRect(), panel = this._panel.getBoundingClientRect();
      var text = this._body.getBoundingClientRect();
      this._ask.style.display = box.bottom < text.top || box.top > text.bottom ? "none" : "";  // scrolled away
      var left = Math.min(Math.max(box.left - panel.left, 4), Math.max(panel.width - this._ask.offsetWidth - 4, 4));
      this._ask.style.left = left + "px";
      this._ask.style.top = (box.bottom - panel.top + 4) + "px";
    },

    // Words selected in the text, widened to whole words: the words of a place the parse missed.
    _onSelect: function () {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
      var range = selection.getRangeAt(0);
      if (!this._body.contains(range.commonAncestorContainer)) { return; }
      var words = wholeWords(range);
      if (!words || words.length > 120 || /\n\s*\n/.test(words)) { this._offer(null); return; }
      var shown = words.replace(/\s+/g, " ");
      this._offer({kind: "add", words: words}, "Add \u201C" + shown + "\u201D as a place\u2026", range);
    },

    _onClick: function (e) {
      var mark = e.target.closest && e.target.closest("mark[data-kind]");
      var selected = window.getSelection && window.getSelection();
      if (!mark || (selected && !selected.isCollapsed)) {
        if (!selected || selected.isCollapsed) { this._offer(null); }
        return;
      }
      if (mark.getAttribute("data-kind") === "place") {
        var written = mark.textContent;
        this._offer({kind: "fix", written: written}, "Fix \u201C" + written.replace(/\s+/g, " ") + "\u201D\u2026", mark);
      } else {
        this._offer(null);
      }
      var map = this._map, kind = mark.getAttribute("data-kind");
      var sentence = mark.closest("[data-s]");
      if (sentence) { this.show([sentence.getAttribute("data-s")]); }
      if (kind === "place" && mark.hasAttribute("data-lat")) {
        var at = L.latLng(+mark.getAttribute("data-lat"), +mark.getAttribute("data-lon"));
        var marker = L.geo.places[mark.getAttribute("data-key")];
        flyTo(map, at, +mark.getAttribute("data-zoom"), function () {
          if (marker && marker._map) {
            L.geo._quiet = true;  // the text stays where the user clicked
            marker.openPopup();
            L.geo._quiet = false;
          }
        });
      } else if (kind === "person" && L.geo.people[mark.getAttribute("data-person")]) {
        var bounds = L.geo.people[mark.getAttribute("data-person")];
        var pad = L.geo.padding(map, 30);
        map.flyToBounds(bounds, L.extend({maxZoom: 7, duration: 0.8}, pad));
      } else if (kind === "date" && mark.hasAttribute("data-t") && L.geo.time) {
        L.geo.time.pause();
        L.geo.time.setTime(+mark.getAttribute("data-t"));
      }
    }
  });

  // The text of `range` moved out to whole words at both ends, trimmed of spaces and of the punctuation
  // around a name; the range itself is widened the same, so the user sees what is taken.
  // A final full stop goes too, but not an initial's ("D.C.", "U.S.").
  var WORD = /[\p{L}\p{N}_]/u, AROUND = /^[\s,;:!?()\[\]"\u201C\u201D\u2018\u2019'\u00AB\u00BB]+|[\s,;:!?()\[\]"\u201C\u201D\u2018\u2019'\u00AB\u00BB]+$/g;
  var FULL_STOP = /([\p{L}\p{N}]{2,})\.$/u;

  function wholeWords(range) {
    var start = range.startContainer, end = range.endContainer;
    if (start.nodeType === 3) {
      var a = range.startOffset;
      while (a > 0 && WORD.test(start.data.charAt(a - 1)) && WORD.test(start.data.charAt(a))) { a--; }
      range.setStart(start, a);
    }
    if (end.nodeType === 3) {
      var b = range.endOffset;
      while (b < end.data.length && WORD.test(end.data.charAt(b)) && WORD.test(end.data.charAt(b - 1))) { b++; }
      range.setEnd(end, b);
    }
    // Range.toString is the text nodes' own characters (a line break stays one), as the document has them.
    return range.toString().replace(AROUND, "").replace(FULL_STOP, "$1").replace(AROUND, "");
  }

  // Fly so that the point lands in the middle of what the text and the key leave of the map.
  function flyTo(map, at, zoom, then) {
    var pad = L.geo.padding(map, 0);
    var shift = L.point((pad.paddingTopLeft[0] - pad.paddingBottomRight[0]) / 2,
                        (pad.paddingTopLeft[1] - pad.paddingBottomRight[1]) / 2);
    var target = Math.min(zoom || map.getZoom(), map.getMaxZoom());
    var centre = map.unproject(map.project(at, target).subtract(shift), target);
    map.once("moveend", then);
    map.flyTo(centre, target, {duration: 0.8});
  }

  L.geoReader = function (html, options) {
    return new L.GeoReader(html, options);
  };

  // --- tiles that fail, a caption --------------------------------------------------------

  // Online tiles that never load (no network) give way to the offline basemap, with a message.
  L.geoTileFallback = function (map, tiles, basemap, message) {
    var notice = null;
    var say = function () {
      if (notice) { return; }
      notice = L.DomUtil.create("div", "geo-notice", map.getContainer());
      notice.setAttribute("role", "status");
      var text = L.DomUtil.create("span", "", notice);
      text.textContent = message;
      var close = L.DomUtil.create("button", "", notice);
      close.type = "button";
      close.title = "Close";
      close.innerHTML = "&times;";
      L.DomEvent.disableClickPropagation(notice);
      L.DomEvent.on(close, "click", function () { notice.remove(); notice = null; });
    };
    tiles.forEach(function (tile) {
      var loaded = 0, failed = 0;
      tile.on("add", function () { loaded = 0; failed = 0; });
      tile.on("tileload", function () { loaded++; });
      tile.on("tileerror", function () {
        failed++;
        // Some tiles of a slow server may fail; none loaded and several failed is no network.
        if (loaded === 0 && failed >= 4 && map.hasLayer(tile)) {
          map.removeLayer(tile);
          map.addLayer(basemap);
          say();
          map.fire("geotilefallback", {tiles: tile});
        }
      });
    });
  };

  L.GeoCaption = L.Layer.extend({
    initialize: function (title, caption) {
      this._title = title;
      this._caption = caption;
    },

    onAdd: function (map) {
      var div = this._div = L.DomUtil.create("div", "geo-caption geo-covers", map.getContainer());
      var title = L.DomUtil.create("div", "geo-caption-title", div);
      title.textContent = this._title;
      if (this._caption) { L.DomUtil.create("div", "geo-caption-text", div).textContent = this._caption; }
    },

    onRemove: function () {
      if (this._div) { this._div.remove(); }
    }
  });

  L.geoCaption = function (title, caption) {
    return new L.GeoCaption(title, caption);
  };
})();
