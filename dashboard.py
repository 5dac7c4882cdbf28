"""The dashboard: a thin Streamlit shell around geo/ (pipeline, filters, mapview, tables, exports).

    streamlit run dashboard.py --server.enableStaticServing true --server.headless true

Static serving lets the browser fetch Leaflet from this app (``static/``)
instead of a CDN; without it the map is sent inlined, which also works
offline but weighs more on every rerun. The filters live in the URL, so a
view can be shared by its address.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo import config

from geo.geocoding import corrections
from geo.corpus import store as batch_store
from geo.fsutil import natural_key
from geo.map.assets import inline_html, install_static, use_local_assets
from geo.errors import GeoError
from geo.export import export_view
from geo.filters import ROLE_GROUPS, Filters, View, apply, date_range
from geo.map import LAYER_NAMES, LAYERS, ONLINE_TILES, build_map, legend_html, live_parts, person_colours, tied_people
from geo.model import KINDS, Analysis, Document
from geo.pipeline import Resources, analyse, load_resources
from geo.text.readers import SUFFIXES
from geo.geography.regions import regions_for
from geo.map.snapshot import find_chromium
from geo.tables import describe, people_rows, place_rows, timeline, timeline_chart
from geo.text.documents import check_text, documents_from_files, max_chars

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAP_HEIGHT = 580
SOURCES = {"sample": "Sample article", "paste": "Paste text", "upload": "Upload files", "store": "Batch store"}
ROLE_LABELS = {"movement": "Movement", "event": "Other ties (attack, arrest…)", "mention": "Plain mentions"}
WORDS_PER_SECOND = 3400  # the whole pipeline on one core, measured (shared/DEPENDENCIES.md)
NOT_A_PLACE = "Not a place"

log = logging.getLogger(__name__)


# --- cached work ----------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the language model and gazetteer…")
def resources() -> Resources:
    return load_resources(geocoder="offline")


@st.cache_resource
def static_assets() -> Path:
    """Leaflet and our scripts copied into static/ once per server process (idempotent)."""
    return install_static(STATIC_DIR)


# Analyses and regions are immutable (frozen dataclasses): cache_resource hands every rerun the
# same object, where cache_data would unpickle a copy each time (45 ms for a 200-document store).
@st.cache_resource(show_spinner=False, max_entries=16)
def analysis_of(documents: tuple[tuple[str, str], ...], _resources: Resources) -> Analysis:
    """The analysis of a corpus, before the user's corrections (they are applied on top, uncached).

    The progress bar is made in here, not passed in: on a cache hit Streamlit
    replays what the function drew (a bar, then nothing), and it can only
    replay elements the function made itself.
    """
    words = sum(len(text.split()) for _, text in documents)
    bar = st.progress(0.0, text=f"Finding places, people and dates in {words:,} words "
                                f"(about {max(1, round(words / WORDS_PER_SECOND))} s)…")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / total, text=f"{done} of {total} documents analysed ({name})")

    analysis = analyse([Document(i, t) for i, t in documents], _resources, progress=progress)
    bar.empty()
    return analysis


@st.cache_resource(show_spinner=False, max_entries=16)
def regions_of(places_key: tuple, _analysis: Analysis, _resources: Resources) -> tuple:
    """The regions of an analysis, keyed by where its places are (corrections move them)."""
    return regions_for(_analysis, _resources.gazetteer.region_members)


@st.cache_resource(show_spinner=False, max_entries=8)
def opened_store(path: str, chunks: tuple[str, ...]) -> batch_store.Store:
    """A batch store opened once per folder and set of chunks (a batch still running adds chunks)."""
    return batch_store.Store(path)


@st.cache_resource(show_spinner="Reading the batch store…", max_entries=16)
def store_analysis(path: str, chunks: tuple[str, ...], docs: tuple[str, ...] | None) -> Analysis:
    """The store's corpus as one Analysis (people merged), before the user's corrections.

    Keyed on the folder, its chunks and the documents chosen: a chunk that lands
    later makes a new key, so the corpus is read again, and only then.
    """
    return opened_store(path, chunks).analysis(docs=list(docs) if docs is not None else None)


@st.cache_data(show_spinner=False, max_entries=16)
def store_documents(path: str, chunks: tuple[str, ...]) -> list[str]:
    """The ids of the store's documents, in natural order."""
    return sorted(opened_store(path, chunks).document_ids(), key=natural_key)


# --- the URL holds the view -------------------------------------------------------


def from_url(key: str, options: list, default, *, many: bool = True):
    """A widget's value: what the session has, else what the URL says, else the default; never outside options."""
    if key in st.session_state:
        value = st.session_state[key]
    elif many and key in st.query_params:
        value = st.query_params.get_all(key)
    elif not many and key in st.query_params:
        value = st.query_params[key]
    else:
        value = default
    if many:
        return [v for v in value if v in options]
    return value if value in options else default


def write_url(params: dict) -> None:
    """Replace the URL's query with the view's non-default settings (lists as repeated keys)."""
    st.query_params.from_dict({k: v for k, v in params.items() if v not in (None, [], "")})


# --- input --------------------------------------------------------------------------


def chosen_source() -> str:
    st.session_state["src"] = from_url("src", list(SOURCES), "sample", many=False)
    return st.radio("Text", list(SOURCES), format_func=SOURCES.get, horizontal=True,
                    label_visibility="collapsed", key="src")


def chosen_documents(source: str) -> tuple[list[Document], list[str], list[str]]:
    """(documents, notices, errors) from the source the user picked (sample, paste or upload)."""
    if source == "sample":
        text = config.SAMPLE_PATH.read_text(encoding="utf-8")
        with st.expander(f"The sample article ({config.SAMPLE_PATH.name})"):
            st.text(text)
        return [Document(config.SAMPLE_PATH.stem, text)], [], []
    if source == "paste":
        text = st.text_area("Text to analyse", height=200, placeholder="Paste a news article…")
        return ([Document("pasted", check_text(text, "the pasted text"))] if text.strip() else []), [], []
    uploads = st.file_uploader("Files: " + ", ".join(SUFFIXES) + " (main text only: page furniture is dropped)",
                               type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True)
    return read_uploads(tuple((u.name, u.getvalue()) for u in uploads or []), max_chars())


@st.cache_data(show_spinner="Reading the files…", max_entries=32)
def read_uploads(files: tuple[tuple[str, bytes], ...], limit: int) -> tuple[list[Document], list[str], list[str]]:
    """The uploads read once, not on every rerun: each PDF, DOCX or web page is read in a child process.
    ``limit`` (the character limit in force) is part of the key: what is refused depends on it."""
    return documents_from_files(files)


def chosen_store() -> tuple[Analysis | None, str, dict]:
    """(the store's corpus or None, a stem for exports, the URL's part) for the "Batch store" source.

    A folder that is not a store, or one that cannot be read, is said in an
    error, never a traceback.
    """
    if "store" not in st.session_state:
        st.session_state["store"] = st.query_params.get("store", "")
    path = st.text_input("Batch store folder", key="store", placeholder="/path/to/STORE",
                         help="A folder written by `python -m geo batch DIR --out STORE`").strip()
    query = {"store": path or None}
    if not path:
        st.info("Give the folder of a batch store (made by `python -m geo batch DIR --out STORE`) "
                "to see its documents as one corpus.")
        return None, "", query
    folder = Path(path).expanduser()
    try:
        chunks = tuple(batch_store.chunk_ids(folder))
        key = str(folder.resolve())
        opened_store(key, chunks)  # a folder that is not a store fails here, with the reason
        ids = store_documents(key, chunks)
    except GeoError as err:
        st.error(str(err))
        return None, "", query
    except Exception as err:  # noqa: BLE001  an unreadable Parquet file, a folder we may not read...
        log.exception("batch store %s", folder)
        st.error(f"{folder} cannot be read as a batch store: {err}")
        return None, "", query
    if not ids:
        st.info(f"The store {folder} holds no documents yet.")
        return None, "", query
    st.session_state["doc"] = from_url("doc", ids, [])
    docs = st.multiselect("Documents", ids, key="doc", placeholder=f"All {len(ids)} documents",
                          help="Read from the store only these; none chosen reads them all")
    query["doc"] = docs
    try:
        analysis = store_analysis(key, chunks, tuple(docs) if docs else None)
    except GeoError as err:
        st.error(str(err))
        return None, "", query
    except Exception as err:  # noqa: BLE001
        log.exception("batch store %s", folder)
        st.error(f"{folder} cannot be read as a batch store: {err}")
        return None, "", query
    st.caption(f"{len(analysis.documents)} of {len(ids)} documents from {len(chunks)} chunks, "
               f"{len(analysis.people)} people merged across them.")
    return analysis, folder.name or "corpus", query


# --- filters --------------------------------------------------------------------------


def sidebar_filters(analysis: Analysis, regions: tuple) -> tuple[Filters, list[str], tuple[str, ...], dict]:
    """The filter and map widgets; returns (filters, layers, tiles, the URL's query)."""
    sb = st.sidebar
    sb.header("Filter")
    names = tied_people(analysis)
    colours = person_colours(analysis)
    st.session_state["person"] = from_url("person", names, [])
    people = sb.multiselect("People", names, key="person", placeholder="Everyone",
                            help="Their routes and ties; none chosen shows everyone")
    legend = [p for p in (people or names) if p in colours]
    if legend:
        sb.markdown(f"<div style='font-size:0.85em'>{legend_html(people=legend, colours=colours)}</div>",
                    unsafe_allow_html=True)

    span = date_range(analysis)
    date_from = date_to = None
    if span and span[0] < span[1]:
        if st.session_state.get("dates_bounds") != span:  # a new text: its own range
            st.session_state["dates_bounds"] = span
            st.session_state["dates"] = _url_dates(span)
        low, high = sb.slider("Dates", min_value=span[0], max_value=span[1], key="dates", format="YYYY-MM-DD")
        date_from = low.isoformat() if low > span[0] else None
        date_to = high.isoformat() if high < span[1] else None
    if "undated" not in st.session_state:
        st.session_state["undated"] = st.query_params.get("undated") != "0"
    undated = sb.checkbox("Include undated items", key="undated")

    st.session_state["role"] = from_url("role", list(ROLE_GROUPS), list(ROLE_GROUPS))
    roles = sb.multiselect("Roles", list(ROLE_GROUPS), format_func=ROLE_LABELS.get, key="role")
    present = [k for k in KINDS if any(p.resolved and p.chosen.kind == k for p in analysis.places)]
    st.session_state["kind"] = from_url("kind", present, present)
    kinds = sb.multiselect("Kinds of place", present, key="kind")
    region_ids = region_labels(regions)
    st.session_state["region"] = from_url("region", list(region_ids), [])
    chosen_regions = sb.multiselect("Regions", list(region_ids), key="region", placeholder="Everywhere",
                                    help="Areas of nearby places, and regions the text names") if regions else []

    sb.header("Map")
    layers = []
    for layer in LAYERS:
        key = f"layer_{layer}"
        if key not in st.session_state:
            st.session_state[key] = layer in (st.query_params.get_all("layer") or LAYERS)
        if sb.checkbox(LAYER_NAMES[layer], key=key):
            layers.append(layer)
    if "tiles" not in st.session_state:
        st.session_state["tiles"] = st.query_params.get("tiles") == "online"
    online = sb.toggle("Online tiles (needs the internet)", key="tiles",
                       help="OpenStreetMap and OpenTopoMap tiles; the offline basemap stays in the layer control")
    sb.caption("The address bar holds these filters: copy it to share this view.")

    filters = Filters(
        people=frozenset(people) or None,
        date_from=date_from,
        date_to=date_to,
        undated=undated,
        roles=None if set(roles) == set(ROLE_GROUPS) else frozenset(roles),
        kinds=None if set(kinds) == set(present) else frozenset(kinds),
        regions=frozenset(region_ids[r] for r in chosen_regions) or None,
    )
    query = {
        "src": st.session_state["src"] if st.session_state["src"] != "sample" else None,
        "person": people, "from": date_from, "to": date_to, "undated": None if undated else "0",
        "role": roles if filters.roles is not None else [], "kind": kinds if filters.kinds is not None else [],
        "region": chosen_regions, "layer": layers if set(layers) != set(LAYERS) else [],
        "tiles": "online" if online else None,
    }
    return filters, layers, ONLINE_TILES if online else (), query


def region_labels(regions: tuple) -> dict[str, str]:
    """Label -> region id: names a person reads (and a URL shows), unique within the text."""
    labels: dict[str, str] = {}
    for r in regions:
        label = r.name + (" (named in the text)" if r.kind == "macro" else "")
        labels[label if label not in labels else f"{label} [{r.id}]"] = r.id
    return labels


def _url_dates(span: tuple[date, date]) -> tuple[date, date]:
    """The slider's range from the URL's from/to, clamped to the text's dates."""
    def read(key: str, fallback: date) -> date:
        try:
            return min(max(date.fromisoformat(st.query_params[key]), span[0]), span[1])
        except (KeyError, ValueError):
            return fallback

    return read("from", span[0]), read("to", span[1])


# --- output ------------------------------------------------------------------------------


def static_url() -> str:
    """Where the browser finds static/, under any server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def show_map(view: View, layers: list[str], tiles: tuple[str, ...]) -> None:
    if st.get_option("server.enableStaticServing"):
        # The frame (basemap, tiles) is the same on every rerun, so the browser keeps it and
        # swaps only the data layers: a filter change does not rebuild the map.
        parts = live_parts(view, layers=layers, tiles=tiles)
        static_assets()
        st_folium(use_local_assets(parts.frame, static_url(), parts.layers), key="map", returned_objects=[],
                  feature_group_to_add=list(parts.layers), height=MAP_HEIGHT, use_container_width=True)
    else:
        components.html(inline_html(build_map(view, layers=layers, tiles=tiles)), height=MAP_HEIGHT)


def export_buttons(view: View, stem: str, layers: list[str], tiles: tuple[str, ...]) -> None:
    """What the user sees, as files, each made only when its button is clicked (not on every rerun)."""
    cols = st.columns(5)

    def made(fmt: str, name: str):
        return lambda: export_view(view, fmt, stem, layers=layers, tiles=tiles)[name]

    cols[0].download_button("GeoJSON", made("geojson", f"{stem}.geojson"), f"{stem}.geojson",
                            "application/geo+json", key="dl_geojson")
    for col, table, label in zip(cols[1:3], ("places", "moves"), ("CSV of places", "CSV of moves")):
        name = f"{stem}.{table}.csv"
        col.download_button(label, made("csv", name), name, "text/csv", key=f"dl_{table}")
    cols[3].download_button("HTML map", made("html", f"{stem}.html"), f"{stem}.html", "text/html", key="dl_html",
                            help="One file that opens offline: Leaflet and the map's scripts are inside")
    chromium = find_chromium()
    cols[4].download_button("PNG snapshot", made("png", f"{stem}.png"), f"{stem}.png", "image/png", key="dl_png",
                            disabled=chromium is None,
                            help="Drawn by headless Chromium" if chromium else "Needs Chromium, which is not installed")


def fix_a_place(analysis: Analysis, stored: dict, writable: bool) -> None:
    """Pick another candidate for a wrongly placed name; remembered for every later text."""
    if message := st.session_state.pop("fix_error", None):
        st.error(message)
    by_name = {}
    for place in analysis.places:
        by_name.setdefault(place.mention.text, place)
    if not by_name:
        st.info("No place names in this text.")
        return
    written = st.selectbox("Name as written", sorted(by_name, key=str.casefold), key="fix_name")
    place = by_name[written]
    options = list(corrections.candidates_for(place, resources().gazetteer)) + [None]
    current = options.index(place.chosen) if place.chosen in options else len(options) - 1
    choice = st.radio("It is", range(len(options)), index=current, key=f"fix_choice_{written}",
                      format_func=lambda i: describe(options[i]) if options[i] else NOT_A_PLACE)
    cols = st.columns(2)
    cols[0].button("Use this choice", key="fix_save", disabled=not writable, on_click=_store,
                   args=(corrections.choose, written, options[choice]))
    if corrections.key(written) in stored:
        cols[1].button("Forget my choice", key="fix_forget", disabled=not writable, on_click=_store,
                       args=(corrections.forget, written))
        st.caption("Your choice is used wherever this name is written, in this text and the next.")


def _store(change, *args) -> None:
    """Apply ``change`` to the corrections as stored now (another tab may have saved since), and save.

    A button's callback runs before the script, outside its error handling:
    a failure is kept for the script to show.
    """
    try:
        corrections.update(change, *args)
    except GeoError as err:
        st.session_state["fix_error"] = str(err)


def main() -> None:
    st.set_page_config(page_title="Text to map", page_icon="🗺️", layout="wide")
    st.title("Text to map")
    st.caption("Reads a news text, finds the places, people and dates in it, and draws "
               "who went where on a map. Everything runs on this machine.")

    source = chosen_source()
    source_query: dict = {}
    if source == "store":
        found, stem, source_query = chosen_store()
        if found is None:
            return
    else:
        documents, notices, errors = chosen_documents(source)
        for message in errors:
            st.error(message)
        for message in notices:
            st.warning(message)
        if not documents:
            if not errors:
                st.info("Paste or upload a text to see its places on the map.")
            return
        stem = documents[0].id if len(documents) == 1 else "corpus"
    try:
        stored, writable = corrections.load(notify=st.warning), True
    except GeoError as err:
        st.warning(f"{err}. Corrections are off until it is fixed.")
        stored, writable = {}, False
    if source == "store":
        analysis = corrections.apply_corrections(found, stored)
    else:
        analysis = corrections.apply_corrections(
            analysis_of(tuple((d.id, d.text) for d in documents), resources()), stored)
    for message in analysis.notices:
        st.warning(message)
    regions = regions_of(tuple((p.chosen.id, p.chosen.lat, p.chosen.lon) if p.chosen else None
                               for p in analysis.places), analysis, resources())

    filters, layers, tiles, query = sidebar_filters(analysis, regions)
    view = apply(analysis, filters, regions)
    write_url({**query, **source_query})

    shown = sum(p.resolved for p in view.analysis.places)
    resolved = sum(p.resolved for p in analysis.places)
    st.write(f"**{shown}** of {resolved} placed mentions shown ({len(analysis.places) - resolved} not placed), "
             f"**{len(tied_people(view.analysis))}** people tied to places"
             + (" — filtered" if filters.active else "") + ".")
    show_map(view, layers, tiles)
    export_buttons(view, stem, layers, tiles)

    people_tab, places_tab, moves_tab, fix_tab = st.tabs(["People", "Places", "Moves", "Fix a place"])
    with people_tab:
        st.dataframe(people_rows(view.analysis), hide_index=True)
    with places_tab:
        st.dataframe(place_rows(view.analysis), hide_index=True)
    with moves_tab:
        chart = timeline_chart(view.analysis, person_colours(analysis))
        if chart:
            st.vega_lite_chart(chart)
        st.dataframe(timeline(view.analysis), hide_index=True)
    with fix_tab:
        fix_a_place(analysis, stored, writable)


try:
    main()
except GeoError as err:  # bad input, missing gazetteer...: the message says what to do
    st.error(str(err))
except Exception:  # a bug still must not show the user a traceback
    log.exception("dashboard failed")
    st.error("Something went wrong while drawing this text. The details are in the server log.")
