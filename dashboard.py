"""The dashboard: a thin Streamlit shell around geo/ (service, filters, map, tables, exports).

    make run                                   # python dashboard.py on 127.0.0.1, static serving on
    python dashboard.py [streamlit options]    # the server first; what a map needs loads meanwhile
    streamlit run dashboard.py [options]       # the same page; the loading starts with the first visitor

Static serving (``--server.enableStaticServing true``) lets the browser fetch
Leaflet from this app (``static/``) instead of a CDN; without it the map is
sent inlined, which also works offline but weighs more on every rerun.
The address bar holds the view: the text (by the key of its kept analysis),
the filters, the layers and basemap, the tab and where the map looks, so a
view can be shared by its address. Analyses run in worker threads
(``geo.service``) and are kept on disk (``geo.corpus.cache``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.text.documents import sample_documents

STATIC_DIR = Path(__file__).resolve().parent / "static"


def serve(argv: list[str]) -> int:
    """`python dashboard.py [options]`: run this page's Streamlit server in this process at once, and load
    meanwhile, in a thread, what the page needs: the gazetteer, the sample's analysis, the page's own imports,
    the basemap, the country shapes, then the process that analyses the texts asked for (``geo.analyser``: a
    long text never holds the interpreter that draws the maps). The browser fetches Streamlit's frontend while
    they load."""
    import logging
    import threading
    import time

    from streamlit.web import cli

    from geo import service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    service.analyse_apart()

    def page_imports() -> None:  # pandas, pyarrow, folium...: about a second
        from geo.map.assets import preload_plugins

        service.import_like(Path(__file__))
        preload_plugins()  # what streamlit_folium imports; it is imported by the page (see show_map)
        import streamlit.emojis  # noqa: F401  the page icon's check

    def basemap() -> None:
        from geo.map.assets import install_static

        install_static(STATIC_DIR)

    def country_shapes() -> None:  # what the regions of a first map are drawn from
        from geo.geography.countries import load_countries
        from geo.geography.regions import regions_for  # noqa: F401  its imports (pyproj, scipy) with it

        load_countries()

    def load_once_serving() -> None:  # the server starts first, on an interpreter of its own
        from streamlit.runtime import Runtime, RuntimeState

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (Runtime.exists() and Runtime.instance().state in (
                RuntimeState.NO_SESSIONS_CONNECTED, RuntimeState.ONE_OR_MORE_SESSIONS_CONNECTED)):
            time.sleep(0.01)
        service.start(warm=[basemap, country_shapes, page_imports], texts=[sample_documents()])

    threading.Thread(target=load_once_serving, name="geo-wait-for-server", daemon=True).start()
    sys.argv = ["streamlit", "run", str(Path(__file__).resolve()), *argv]
    return cli.main()


if __name__ == "__main__" and get_script_run_ctx() is None:  # run as a program, not as Streamlit's page
    sys.exit(serve(sys.argv[1:]))

# The page. Its imports come after the program's entry above, so that `python dashboard.py` starts the server
# before it spends a second importing them (``page_imports`` in ``serve`` does it meanwhile).
import json
import logging
import re
import threading
import time
import uuid

import streamlit as st
import streamlit.components.v1 as components

from geo import config, service
from geo.corpus import access
from geo.corpus.cache import text_key
from geo.corpus import store as batch_store
from geo.errors import AnalysisCancelled, GeoError
from geo.export import export_view
from geo.filters import (
    ROLE_GROUPS,
    Choices,
    Filters,
    MapView,
    Selection,
    Settings,
    apply,
    choices_of,
    filters_from_query,
    filters_of,
    query_from_filters,
    query_from_settings,
    selection_of,
    settings_from_query,
)
from geo.fsutil import natural_key
from geo.geocoding import corrections
from geo.map import LAYER_NAMES, LAYERS, ONLINE_TILES, build_map, legend_html, live_parts, person_colours, tied_people
from geo.map.assets import PopupsDue, inline_html, install_static, popups_place, use_local_assets
from geo.map.clicks import clicked as clicked_group
from geo.map.reader import doubt_of, point_key
from geo.map.snapshot import find_chromium
from geo import additions, stopfix
from geo.model import ROLES, Analysis, Document
from geo.routes import group_places
from geo.tables import (TIMELINE_PICK, describe, people_rows, picked_points, picked_stops, place_rows,
                        timeline, timeline_chart)
from geo.text.documents import documents_from_files, max_chars
from geo.text.readers import SUFFIXES

MAP_HEIGHT = 500  # with the header above it, the map fits a 1280x720 window
SOURCES = {"sample": "Sample article", "paste": "Paste text", "upload": "Upload files", "store": "Batch store"}
TABS = {"people": "People", "places": "Places", "moves": "Moves", "fix": "Fix a place"}
ROLE_LABELS = {"movement": "Movement", "event": "Other ties (attack, arrest…)", "mention": "Plain mentions"}
NOT_A_PLACE = corrections.NOT_A_PLACE
ADD_WORDS_MAX = 200  # characters of words selected in the text, taken as a place's name
FILTER_WIDGETS = ("person", "dates", "undated", "role", "kind", "region", "doc")
# A page that shows more of the map: less padding above the title, a smaller title.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem; padding-bottom: 2rem;}
[data-testid="stMainBlockContainer"] h3 {padding: 0;}
</style>"""

log = logging.getLogger(__name__)


# --- words ---------------------------------------------------------------------------------------


# What Markdown would make a link of even with its punctuation escaped (GitHub's autolinks: a scheme, www., e-mail).
_LINKABLE = re.compile(r"(?:\b[a-z][a-z0-9+.-]*:/+|\bwww\.)\S*|\S+@\S+", re.IGNORECASE)


def plain(text: object) -> str:
    """``text`` as Markdown that shows it as it is, so a link, an image, a heading or a colour in what a user
    gave (a folder's name, a file's, a place in a text) stays words on the screen: every punctuation mark
    escaped, and what would still become a link set as code, which Markdown never links."""
    text, out, last = str(text), [], 0
    for m in _LINKABLE.finditer(text):
        out += [_escaped(text[last:m.start()]), _code(m.group())]
        last = m.end()
    return "".join([*out, _escaped(text[last:])])


def _escaped(text: str) -> str:
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text).replace("\n", "  \n")


def _code(text: str) -> str:
    fence = "`" * (1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence} {text} {fence}"


def for_user(message: object) -> str:
    """A message of the library as a dashboard user reads it: a setting of the server is not theirs to change."""
    return re.sub(r";?\s*set GEO_[A-Z_]+ to [^;.]*", "", str(message))


def say(kind: str, message: object) -> None:
    """An error, warning or note whose text shows as text (see ``plain``)."""
    getattr(st, kind)(plain(for_user(message)))


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


# --- cached work ---------------------------------------------------------------------------------


@st.cache_resource
def static_assets() -> Path:
    """Leaflet and our scripts copied into static/ once per server process (idempotent)."""
    return install_static(STATIC_DIR)


@st.cache_resource(show_spinner=False, max_entries=16)
def regions_of(key: str, _analysis: Analysis) -> tuple:
    """The regions of an analysis (``key`` names it and its corrections: they move places)."""
    return service.regions(_analysis)


@st.cache_resource(show_spinner=False, max_entries=16)
def choices_for(key: str, _analysis: Analysis, _regions: tuple, documents: tuple[str, ...] | None) -> tuple:
    """What the filters offer for an analysis, and how many of its places are placed: read over all of it, which
    for a 10,000-document corpus took 0.1 s of every rerun."""
    choices = choices_of(_analysis, tied_people(_analysis), _regions, documents=documents)
    return choices, sum(p.resolved for p in _analysis.places)


# Views, maps and tables are immutable: cache_resource hands every rerun the same objects, and a filter
# change back to a view seen before costs nothing.
@st.cache_resource(show_spinner=False, max_entries=64)
def view_of(key: str, filters: Filters, _analysis: Analysis, _regions: tuple):
    return apply(_analysis, filters, _regions)


TABLE_ROWS = {"people": people_rows, "places": place_rows, "moves": timeline}


@st.cache_resource(show_spinner=False, max_entries=48)
def rows_of(key: str, filters: Filters, table: str, _view) -> list[dict]:
    """One of the view's tables (``TABLE_ROWS``), as rows: made when its tab is open, or a row of it picked
    (a corpus's three took a second, for the one tab shown)."""
    return TABLE_ROWS[table](_view.analysis)


@st.cache_resource(show_spinner=False, max_entries=64)
def table_of(key: str, filters: Filters, table: str, _view):
    """One of the view's tables as an Arrow table: what st.dataframe sends, without a pandas frame on every
    rerun."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows_of(key, filters, table, _view))


def pick_key(what: str, key: str, filters: Filters) -> str:
    """The key of a table's (or the timeline's) selection, new with each view: a row picked in one view is
    no row of another."""
    return f"pick_{what}_{hash((key, filters)) & 0xFFFFFFFF:08x}"


def picked_on_map(key: str, filters: Filters, view) -> tuple:
    """What is selected in the open tab's table, or in its timeline, as (lat, lon, label) to ring on the map."""
    tab = next((k for k, label in TABS.items() if label == st.session_state.get("tab")), None)
    if tab not in ("people", "places", "moves"):
        return ()

    def selection(what: str) -> dict:  # Streamlit's own state of the table or chart: a dict, once drawn
        return (st.session_state.get(pick_key(what, key, filters)) or {}).get("selection") or {}

    picked = selection(tab).get("rows") or ()
    # the rows only when one is picked: a new view's tables are made after its map (a corpus's took a second)
    points = picked_points(tab, rows_of(key, filters, tab, view), picked, view.analysis) if picked else ()
    if tab == "moves":
        points += picked_stops(selection("timeline").get(TIMELINE_PICK) or ())
    return points


@st.cache_resource(show_spinner=False, max_entries=8)
def opened_store(path: str, chunks: tuple[str, ...]) -> batch_store.Store:
    """A batch store opened once per folder and set of chunks (a batch still running adds chunks)."""
    return batch_store.Store(path)


@st.cache_resource(show_spinner="Reading the batch store…", max_entries=16)
def store_analysis(path: str, chunks: tuple[str, ...], docs: tuple[str, ...] | None) -> Analysis:
    """The store's corpus (or the documents ``docs``) as one Analysis, people merged, before corrections."""
    if docs is None:
        return service.read_store(opened_store(path, chunks))  # kept from a last open when it is large
    analysis = opened_store(path, chunks).analysis(docs=list(docs))
    service.settle()  # kept for the session's reruns: out of the collector's way (geo.service.settle)
    return analysis


@st.cache_data(show_spinner=False, max_entries=16)
def store_documents(path: str, chunks: tuple[str, ...]) -> list[str]:
    """The ids of the store's documents, in natural order."""
    return sorted(opened_store(path, chunks).document_ids(), key=natural_key)


# --- the URL ---------------------------------------------------------------------------------------


def url_query() -> dict[str, list[str]]:
    """The query the page was opened with (kept from the first run: the page rewrites it as the view changes)."""
    if "url" not in st.session_state:
        st.session_state["url"] = {k: st.query_params.get_all(k) for k in st.query_params}
    return st.session_state["url"]


def write_url(query: dict[str, list[str]]) -> None:
    """Replace the address's query with the view's (only what differs from the defaults), when it changed."""
    if st.session_state.get("written") != query:
        st.query_params.from_dict(query)
        st.session_state["written"] = query


def session_id() -> str:
    return st.session_state.setdefault("session", uuid.uuid4().hex)


# --- text in ---------------------------------------------------------------------------------------


def chosen_source(settings: Settings) -> str:
    if "src" not in st.session_state:
        st.session_state["src"] = settings.source
    return st.radio("Text", list(SOURCES), format_func=SOURCES.get, horizontal=True,
                    label_visibility="collapsed", key="src")


def linked_documents(settings: Settings, source: str) -> list[Document]:
    """The text the address names by its key, while the user has not given another."""
    if settings.source != source or not settings.text:
        return []
    try:
        found = service.cache().documents(settings.text)
    except GeoError as err:
        say("error", err)
        return []
    if found is None:
        st.info("The text of this link is no longer kept on this server: paste or upload it again.")
        return []
    st.caption(f"The text of the link: {', '.join(plain(d.id) for d in found)} "
               f"({plural(sum(len(d.text) for d in found), 'character')}).")
    return list(found)


def chosen_documents(source: str, settings: Settings) -> tuple[list[Document], list[str], list[str]]:
    """(documents, notices, errors) from the source the user picked (sample, paste or upload)."""
    if source == "sample":
        return sample_documents(), [], []
    limit = max_chars()
    if source == "paste":
        text = st.text_area("Text to analyse", height=120, key="paste", max_chars=limit,
                            placeholder=f"Paste a news article, a report, a book (up to {limit:,} characters)…")
        if not text.strip():
            return linked_documents(settings, source), [], []
        return [Document("pasted", text)], [], []
    megabytes = 4 * limit // 1_000_000 + 1  # UTF-8 spends at most 4 bytes a character
    uploads = st.file_uploader(
        f"Files ({', '.join(SUFFIXES)}) of up to {limit:,} characters of text each; "
        "of a web page only its article is read",
        type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True, key="upload", max_upload_size=megabytes)
    if not uploads:
        return linked_documents(settings, source), [], []
    return read_uploads(tuple((u.name, u.getvalue()) for u in uploads), limit)


@st.cache_data(show_spinner="Reading the files…", max_entries=32)
def read_uploads(files: tuple[tuple[str, bytes], ...], limit: int) -> tuple[list[Document], list[str], list[str]]:
    """The uploads read once, not on every rerun: each PDF, DOCX or web page is read in a child process.
    ``limit`` (the character limit in force) is part of the key: what is refused depends on it."""
    return documents_from_files(files)


def chose_store() -> None:
    """The user typed a folder or confirmed one: this session may open it."""
    path = (st.session_state.get("store") or "").strip()
    if path:
        st.session_state.setdefault("chosen_stores", set()).add(str(Path(path).expanduser().resolve()))


def chosen_store(settings: Settings) -> tuple[Analysis | None, str, Path | None, list[str], tuple]:
    """(the store's corpus or None, a stem for exports, the store's folder, its document ids, what was read).

    A folder is opened only where access.store_allowed says so; one that is not
    a store, or cannot be read, is said in an error, never a traceback.
    """
    if "store" not in st.session_state:
        st.session_state["store"] = settings.store or ""
    path = st.text_input("Batch store folder", key="store", placeholder="/path/to/STORE", on_change=chose_store,
                         help="A folder written by `python -m geo batch DIR --out STORE`").strip()
    if not path:
        st.info("Give the folder of a batch store (made by `python -m geo batch DIR --out STORE`) "
                "to see its documents as one corpus.")
        return None, "", None, [], ()
    roots = access.store_roots()
    if not access.store_allowed(path, roots, st.session_state.get("chosen_stores", ())):
        if roots:
            say("error", f"{path} is not under the folders this server opens batch stores from: "
                         + ", ".join(map(str, roots)))
        else:
            say("warning", f"This address asks to open the folder {path} as a batch store. "
                           "Open it only if you trust where the link came from.")
            st.button("Open this folder", key="open_store", on_click=chose_store)
        return None, "", None, [], ()
    folder = Path(path).expanduser().resolve()
    try:
        chunks = tuple(batch_store.chunk_ids(folder))
        opened_store(str(folder), chunks)  # a folder that is not a store fails here, with the reason
        ids = store_documents(str(folder), chunks)
    except GeoError as err:
        say("error", err)
        return None, "", None, [], ()
    except Exception as err:  # noqa: BLE001  an unreadable Parquet file, a folder we may not read...
        log.exception("batch store %s", folder)
        say("error", f"{folder} cannot be read as a batch store: {err}")
        return None, "", None, [], ()
    if not ids:
        say("info", f"The store {folder} holds no documents yet.")
        return None, "", None, [], ()
    if st.session_state.get("shown") != f"store:{folder}":  # a store seen for the first time: the address's
        linked = "shown" not in st.session_state and settings.store and Path(settings.store).expanduser().resolve() == folder
        docs = filters_from_query(url_query() if linked else {}, Choices(documents=tuple(ids))).documents
        st.session_state["doc"] = [i for i in ids if docs and i in docs]
    st.session_state["doc"] = [i for i in st.session_state.get("doc", []) if i in ids]
    chosen = st.multiselect("Documents", ids, key="doc", placeholder=f"All {plural(len(ids), 'document')}",
                            help="Read from the store only these; none chosen reads them all")
    try:
        analysis = store_analysis(str(folder), chunks, tuple(chosen) if chosen else None)
    except GeoError as err:
        say("error", err)
        return None, "", None, [], ()
    except Exception as err:  # noqa: BLE001
        log.exception("batch store %s", folder)
        say("error", f"{folder} cannot be read as a batch store: {err}")
        return None, "", None, [], ()
    st.caption(f"{len(analysis.documents):,} of {plural(len(ids), 'document')} from "
               f"{plural(len(chunks), 'chunk')}, {plural(len(analysis.people), 'person', 'people')} "
               "merged across them.")
    return analysis, folder.name or "corpus", folder, ids, (chunks, tuple(chosen))


# --- the analysis, in a worker ------------------------------------------------------------------------


def analysed(documents: list[Document]) -> Analysis | None:
    """The analysis of ``documents``: at once when kept, else while its job runs, with progress and a cancel."""
    if st.session_state.get("cancelled") == text_key(documents):  # asked again only when the user says so
        words = sum(len(d.text.split()) for d in documents)
        st.info(f"The analysis of this text was cancelled ({plural(words, 'word')}).")
        st.button("Analyse it again", key="again", on_click=st.session_state.pop, args=("cancelled", None))
        return None
    job = service.request(documents, watcher=session_id())
    if not job.done:
        bar = st.progress(job.progress.fraction, text=progress_text(job))
        deadline = time.monotonic() + service.WAIT_SECONDS
        while not job.done and time.monotonic() < deadline:
            time.sleep(0.1)
            bar.progress(job.progress.fraction, text=progress_text(job))
        bar.empty()
    if not job.done:
        running(job.key)
        return None
    try:
        return job.result()
    except AnalysisCancelled:
        st.session_state["cancelled"] = job.key
        st.info("The analysis of this text was cancelled.")
    except GeoError as err:
        say("error", err)
    return None


def progress_text(job: service.Job) -> str:
    elapsed = time.monotonic() - job.started
    left = ""
    if job.progress.fraction > 0.02 and elapsed > 2:
        left = f", about {max(1, round(elapsed * (1 / job.progress.fraction - 1))):,} s left"
    return (f"Finding places, people and dates in {plural(job.words, 'word')}: "
            f"{job.progress.fraction:.0%}{left} ({plain(job.progress.what)})")


@st.fragment(run_every=1.0)
def running(key: str) -> None:
    """A job's progress, asked again every second; the whole page again once it is done."""
    job = service.job(key)
    if job is None or job.done:
        st.rerun()
    st.progress(job.progress.fraction, text=progress_text(job))
    st.button("Cancel", key="cancel", on_click=cancel, args=(key,))
    st.caption("The analysis goes on if you close this page, and is kept: open the same text again to see it.")


@st.fragment(run_every=0.5)
def regions_later() -> None:
    """The page again once the shapes of its regions are loaded."""
    if service.map_ready():
        st.rerun()


def cancel(key: str) -> None:
    job = service.job(key)
    if job is not None:
        service.cancel(job, session_id())
    st.session_state["cancelled"] = key


# --- filters --------------------------------------------------------------------------------------------


def selection_in_state() -> Selection:
    s = st.session_state
    return Selection(people=tuple(s.get("person", ())), dates=s.get("dates"), undated=s.get("undated", True),
                     roles=tuple(s.get("role", ())), kinds=tuple(s.get("kind", ())),
                     regions=tuple(s.get("region", ())), documents=tuple(s.get("doc", ())))


def put_selection(selection: Selection, store: bool) -> None:
    s = st.session_state
    s["person"], s["undated"], s["role"] = list(selection.people), selection.undated, list(selection.roles)
    s["kind"], s["region"] = list(selection.kinds), list(selection.regions)
    if not store:  # a store's documents are chosen before it is read
        s["doc"] = list(selection.documents)
    if selection.dates:
        s["dates"] = selection.dates
    else:
        s.pop("dates", None)


def current_filters(identity: str, url_identity: str, choices: Choices, store: bool) -> Filters:
    """The filters of this run. A text seen for the first time starts from the defaults, or from the address
    when it is the text the address names (and this is the page's first text); later, from the boxes."""
    if st.session_state.get("shown") != identity:
        first = "shown" not in st.session_state
        query = url_query() if first and identity == url_identity else {}
        filters = filters_from_query(query, choices)
        st.session_state["shown"] = identity
        st.session_state.pop("view_arg", None)
        st.session_state["view_stale"] = st.session_state.pop("view_now", None)  # the last text's, until it moves
        if first and identity == url_identity:
            st.session_state["view_arg"] = settings_from_query(url_query()).view
    else:
        filters = filters_of(selection_in_state(), choices)
    put_selection(selection_of(filters, choices), store)  # what the boxes show: values this text has
    return filters


def sidebar_filters(analysis: Analysis, choices: Choices, store: bool) -> None:
    """The filter widgets; their values are in the session (``current_filters`` put them there)."""
    sb = st.sidebar
    sb.header("Filter")
    colours = person_colours(analysis)
    people = sb.multiselect("People", choices.people, key="person", placeholder="Everyone",
                            help="Their routes and ties; none chosen shows everyone")
    legend = [p for p in (people or choices.people) if p in colours]
    if legend:
        sb.markdown(f"<div style='font-size:0.85em'>{legend_html(people=legend, colours=colours)}</div>",
                    unsafe_allow_html=True)
    if "dates" in st.session_state:
        sb.slider("Dates", min_value=choices.dates[0], max_value=choices.dates[1], key="dates", format="YYYY-MM-DD")
    sb.checkbox("Include undated items", key="undated")
    sb.multiselect("Roles", list(ROLE_GROUPS), format_func=ROLE_LABELS.get, key="role", placeholder="All roles")
    sb.multiselect("Kinds of place", choices.kinds, key="kind", placeholder="All kinds")
    if choices.regions:
        sb.multiselect("Regions", [label for label, _ in choices.regions], key="region", placeholder="Everywhere",
                       help="Areas of nearby places, and regions the text names")
    if not store and len(choices.documents) > 1:
        sb.multiselect("Files", choices.documents, key="doc", placeholder=f"All {len(choices.documents)} files",
                       help="Show only what these files say")


def map_settings(settings: Settings) -> tuple[list[str], bool]:
    """The layers and basemap chosen: (layers, online tiles), from the session, else from the address. Their
    switches are drawn by ``map_switches``, after the map."""
    for layer in LAYERS:
        st.session_state.setdefault(f"layer_{layer}", settings.layers is None or layer in settings.layers)
    st.session_state.setdefault("tiles", settings.tiles == "online")
    return [layer for layer in LAYERS if st.session_state[f"layer_{layer}"]], st.session_state["tiles"]


def map_switches() -> None:
    """The layer and basemap switches; their values are in the session (``map_settings`` put them there)."""
    sb = st.sidebar
    sb.header("Map")
    for layer in LAYERS:
        sb.checkbox(LAYER_NAMES[layer], key=f"layer_{layer}")
    sb.toggle("Online tiles (needs the internet)", key="tiles",
              help="OpenStreetMap and OpenTopoMap tiles; the offline basemap stays in the layer control")
    sb.caption("The address bar holds this view: copy it to share it.")


# --- output ------------------------------------------------------------------------------------------------


def static_url() -> str:
    """Where the browser finds static/, under any server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


_RENDERING = threading.Lock()


@st.cache_resource(show_spinner=False)
def popups_due() -> PopupsDue:
    """The server's large maps whose popups are still to be made (geo.map.assets.PopupsDue)."""
    return PopupsDue()


@st.cache_resource(show_spinner=False, max_entries=64)
def map_arguments(key: str, filters: Filters, layers: tuple[str, ...], tiles: tuple[str, ...], fit: bool,
                  candidates: tuple, highlight: tuple, _view) -> tuple[dict, str | None]:
    """What st_folium hands the browser for this view, rendered once: a filter change back to a view seen
    before, or a rerun after the user moved the map, sends the same strings without building a map again.

    The frame (basemap, tiles) is the same on every rerun, so the browser keeps it and swaps only the data
    layers. The data are fitted in view (``fit``) only while the map has no view of this text yet: a filter
    change keeps the user's zoom, and the map's Fit button fits again when asked. A large map's popups are
    kept apart, in static/, and fetched when one first opens (``geo.map.layers.PopupsApart``); they are made
    in a thread once the browser has drawn the map (``popups_due``), and their URL is returned with the
    arguments (else None).
    """
    import streamlit_folium  # here, not above: a component is declared to the server it runs in (see serve)

    popups_path, popups_url = popups_place(STATIC_DIR, static_url())
    parts = live_parts(_view, layers=layers, tiles=tiles, fit=fit, candidates=candidates, highlight=highlight,
                       popups_at=popups_url)
    static_assets()
    if parts.popups is not None:
        popups_due().add(popups_url, popups_path, parts.popups.texts)
    captured: dict = {}
    with _RENDERING:  # st_folium's own code renders the map; its component is called by show_map
        real, streamlit_folium._component_func = streamlit_folium._component_func, captured.update
        try:
            streamlit_folium.st_folium(use_local_assets(parts.frame, static_url(), parts.layers), key="map",
                                       returned_objects=["center", "zoom", "last_object_clicked"],
                                       feature_group_to_add=list(parts.layers),
                                       height=MAP_HEIGHT, use_container_width=True)
        finally:
            streamlit_folium._component_func = real
    return captured, popups_url if parts.popups is not None else None


def show_map(key: str, view, layers: list[str], tiles: tuple[str, ...], candidates: tuple = (), highlight: tuple = ()
             ) -> tuple[MapView | None, tuple[float, float, float] | None]:
    """Draw the view, with ``candidates`` numbered over it and ``highlight`` ringed; returns where the map looks and where it was last
    clicked (lat, lon, zoom), as the browser last said (None before it says)."""
    if not st.get_option("server.enableStaticServing"):
        components.html(inline_html(build_map(view, layers=layers, tiles=tiles)), height=MAP_HEIGHT)
        return None, None
    import streamlit_folium

    fit = not (st.session_state.get("view_now") or st.session_state.get("view_arg"))  # a new text, not yet seen
    arguments, popups = map_arguments(key, view.filters, tuple(layers), tiles, fit, candidates, highlight, view)
    if st.session_state.get("frame") != tiles:  # a new frame is a new map: it starts where the last one was
        st.session_state["frame"] = tiles
        if st.session_state.get("view_now") and "view_arg" not in st.session_state:
            st.session_state["view_arg"] = st.session_state["view_now"]
    restore = st.session_state.get("view_arg")
    returned = streamlit_folium._component_func(**{**arguments, "center": [restore.lat, restore.lon] if restore
                                                     else None, "zoom": restore.zoom if restore else None})
    if popups and returned:  # the browser has drawn the map: its popups can be made
        popups_due().drawn(popups)
    st.session_state["map_request"] = (returned or {}).get("geo_request")
    centre, zoom = (returned or {}).get("center"), (returned or {}).get("zoom")
    if not centre or zoom is None:
        return None, None
    click = (returned or {}).get("last_object_clicked")
    click = (click["lat"], click["lng"], zoom) if isinstance(click, dict) and {"lat", "lng"} <= set(click) else None
    now = MapView(round(centre["lat"], 6), round(centre["lng"], 6), int(zoom))
    if now == st.session_state.get("view_stale") or not (-90 <= now.lat <= 90 and -180 <= now.lon <= 180):
        return None, None
    st.session_state.pop("view_stale", None)
    return now, click


def export_buttons(view, stem: str, layers: list[str], tiles: tuple[str, ...], empty: bool,
                   drawing: bool = False) -> None:
    """What the user sees, as files, each made only when its button is clicked (not on every rerun).

    While the regions are still to come (``drawing``) the buttons wait: the page is about to run again, and
    a click on a button of this run would ask for a file the next run has replaced (nothing would download).
    """
    cols = st.columns(6)
    why = "Nothing to export: no place is shown" if empty else None
    if drawing and not empty:
        empty, why = True, "A moment: the regions are being drawn"

    def made(fmt: str, name: str):
        return lambda: export_view(view, fmt, stem, layers=layers, tiles=tiles)[name]

    cols[0].download_button("GeoJSON", made("geojson", f"{stem}.geojson"), f"{stem}.geojson",
                            "application/geo+json", key="dl_geojson", disabled=empty, help=why)
    for col, table, label in zip(cols[1:3], ("places", "moves"), ("CSV of places", "CSV of moves")):
        name = f"{stem}.{table}.csv"
        col.download_button(label, made("csv", name), name, "text/csv", key=f"dl_{table}", disabled=empty, help=why)
    cols[3].download_button("HTML map", made("html", f"{stem}.html"), f"{stem}.html", "text/html", key="dl_html",
                            disabled=empty,
                            help=why or "One file that opens offline: Leaflet and the map's scripts are inside")
    cols[4].download_button("KML", made("kml", f"{stem}.kml"), f"{stem}.kml", "application/vnd.google-earth.kml+xml",
                            key="dl_kml", disabled=empty,
                            help=why or "For Google Earth: the places with their sentences, the routes as dated lines")
    chromium = find_chromium()
    cols[5].download_button("PNG snapshot", made("png", f"{stem}.png"), f"{stem}.png", "image/png", key="dl_png",
                            disabled=empty or chromium is None,
                            help=why or ("Drawn by headless Chromium" if chromium else
                                         "Needs Chromium, which is not installed on this server"))


# --- corrections -----------------------------------------------------------------------------------------------


def fix_a_place(found: Analysis, analysis: Analysis, home: access.Home, kept: access.Kept, writable: bool) -> None:
    """Pick another candidate for a wrongly placed name, for this document or every one; correct a stop;
    list, undo, export. ``found`` is the analysis before corrections, ``analysis`` after."""
    if message := st.session_state.pop("fix_error", None):
        say("error", message)
    if message := st.session_state.pop("fix_note", None):
        say("info", message)
    by_name = names_to_fix(analysis)
    if by_name:
        if st.session_state.get("fix_name") not in by_name:
            st.session_state.pop("fix_name", None)
        doubts = {name: doubt_of(places) for name, places in by_name.items()}
        if n := sum(1 for d in doubts.values() if d):
            st.caption(f"{plural(n, 'name')} marked ? {'is' if n == 1 else 'are'} doubtful, as in the text beside "
                       "the map: a place with close candidates, or one not placed.")
        written = st.selectbox("Name as written", list(by_name), key="fix_name",
                               format_func=lambda name: plain(f"{name}  ? {doubts[name]}" if doubts.get(name) else name),
                               help="Or click it in the text beside the map, or its marker, then Fix")
        place = by_name[written][0]
        search = st.text_input("Look up another name", key=f"fix_search_{written}",
                               placeholder="The name it should have been read as, or spelt right",
                               help="The gazetteer's places of that name come first in the list below",
                               on_change=st.session_state.pop, args=(f"fix_choice_{written}", None))
        offered = fix_options(analysis, written)
        if search.strip():
            st.caption(looked_up(search.strip(), offered))
        options = [*offered.candidates, None]
        current = options.index(place.chosen) if place.chosen in options else len(options) - 1
        current = 0 if offered.shown else current  # a name just looked up: its first place is the likely choice
        choice = st.radio("It is (numbered as on the map)", range(len(options)), index=current,
                          key=f"fix_choice_{written}",
                          format_func=lambda i: plain(f"{i + 1}. {describe(options[i])}") if options[i] else NOT_A_PLACE)
        documents = {p.mention.doc_id for p in by_name[written]}
        scopes = {access.document_hash(d): f"Only in {d.id}" for d in analysis.documents if d.id in documents}
        scopes[access.EVERY] = "In every document" if len(analysis.documents) > 1 or home.folder else "In every text"
        scope = st.radio("For", list(scopes), format_func=lambda k: plain(scopes[k]), key="fix_scope", horizontal=True)
        st.button("Use this choice", key="fix_save", disabled=not writable, on_click=_store,
                  args=(home, scope, corrections.choose, written, options[choice]))
    else:
        st.info("No place names in this text.")
    fix_a_stop(found, kept, home, writable)
    add_a_place(found, home, writable)
    rows = access.listed(kept, analysis.documents)
    if not rows:
        st.caption(f"Your choices are kept {home.label}.")
        return
    st.markdown(f"**Your corrections** (kept {plain(home.label)})")
    for n, (scope, where, c) in enumerate(rows):
        cols = st.columns([6, 1])
        cols[0].markdown(f"{plain(access.said(c))}, {plain(where)}")
        cols[1].button("Undo", key=f"undo_{n}", disabled=not writable, on_click=_store,
                       args=(home, scope, corrections.drop, corrections.key_of(c)))
    data = json.dumps(access.export(kept, analysis.documents), ensure_ascii=False, indent=1)
    st.download_button("Download the corrections (JSON)", data.encode("utf-8"), "corrections.json",
                       "application/json", key="dl_corrections",
                       help="The file the command line reads (`geo export` applies those for every document)")


def names_to_fix(analysis: Analysis) -> dict[str, list]:
    """The places of the analysis by their name as written, in the order the list shows them."""
    by_name: dict[str, list] = {}
    for place in analysis.places:
        if place.mention.label != additions.LABEL:  # an added place is changed by undoing it, below
            by_name.setdefault(place.mention.text, []).append(place)
    return {name: by_name[name] for name in sorted(by_name, key=str.casefold)}


def fix_options(analysis: Analysis, written: str) -> corrections.Options:
    """What the place written ``written`` may be chosen as, with what the user looked up for it."""
    place = names_to_fix(analysis)[written][0]
    return corrections.options_for(place, service.gazetteer(), st.session_state.get(f"fix_search_{written}", ""))


def fixing(analysis: Analysis) -> tuple:
    """The candidates of the place being fixed, to draw numbered on the map: while the Fix tab is open."""
    if st.session_state.get("tab") != TABS["fix"]:
        return ()
    names = names_to_fix(analysis)
    written = st.session_state.get("fix_name")
    written = written if written in names else next(iter(names), None)
    return fix_options(analysis, written).candidates if written else ()


def clicked_place(analysis: Analysis, view, click: tuple[float, float, float] | None) -> None:
    """Beside the map: the place marker last clicked, and a button that opens it in the Fix tab."""
    if click is None:
        return
    group = clicked_group(group_places(view.analysis.places), *click)
    written = written_at(group, names_to_fix(analysis))
    if written is None:
        return
    cols = st.columns([5, 1], vertical_alignment="center")
    cols[0].caption(f"Clicked on the map: {plain(group.place.chosen.name)} (written {plain(written)}).")
    cols[1].button("Fix this place", key="fix_clicked", on_click=fix_this, args=(written,))


def written_at(group, names: dict) -> str | None:
    """The first name written for a marker's place that the Fix tab lists (an added place is not there)."""
    return next((m.text for m in group.mentions if m.text in names), None) if group else None


def fix_this(written: str) -> None:
    st.session_state["fix_name"] = written
    st.session_state["tab"] = TABS["fix"]


def asked_from_map(analysis: Analysis, view) -> bool:
    """What the map asked for (``L.geo.ask`` in geo/map/web/geomap.js), acted on once: a name clicked in the
    reading view, or a marker's "Fix this place", opens that name in the Fix tab; words selected in the text
    go into "Add a place the parser missed". True when the page must run again to show it.

    The request comes from the browser, so it is only data here: a name the text does not have, or a point
    no marker is at, opens nothing.
    """
    request = st.session_state.get("map_request")
    if not isinstance(request, dict) or request.get("n") == st.session_state.get("map_request_done"):
        return False
    st.session_state["map_request_done"] = request.get("n")
    names = names_to_fix(analysis)
    kind = request.get("kind")
    if kind == "fix_at":  # a marker's point (geo.map.layers): the first name written for its place
        key = request.get("key")
        group = next((g for g in group_places(view.analysis.places) if point_key(*g.point) == key), None)
        kind, request = "fix", {"written": written_at(group, names)}
    if kind == "fix":
        written = request.get("written")
        if not isinstance(written, str):
            return False
        if written in names:
            fix_this(written)
            return True
        if any(p.mention.text == written for p in analysis.places):
            st.session_state["fix_note"] = f"{written} is a place you added: undo it in the list of your corrections."
            st.session_state["tab"] = TABS["fix"]
            return True
        return False
    if kind == "add" and isinstance(request.get("words"), str):
        words = request["words"][:ADD_WORDS_MAX].strip()  # as written: a line break inside a name stays
        if words:
            st.session_state["add_words"] = words
            st.session_state["tab"] = TABS["fix"]
            return True
    return False


def fix_a_stop(found: Analysis, kept: access.Kept, home: access.Home, writable: bool) -> None:
    """Pick a stop (a tie of a person to a place), then give it another person, role or date; kept for its
    document, known by what the analysis said (``geo.stopfix``)."""
    st.markdown("**Fix a stop**")
    hashes = {d.id: access.document_hash(d) for d in found.documents}
    rows = stopfix.stop_rows(found, None, {d.id: kept.for_document(d) for d in found.documents})
    if not rows:
        st.caption("No stops in this text.")
        return
    labels = [stopfix.label(r) for r in rows]
    row = rows[st.selectbox("Stop", range(len(rows)), format_func=labels.__getitem__, key="stop_pick",
                            help="Who, in what role, where, when, and the sentence that says so")]
    people = ["", *stopfix.people_of(found, row.doc_id)]  # "": nobody (a widget's value of None is no choice)
    if (row.now.person or "") not in people:
        people.append(row.now.person)
    cols = st.columns(3)
    keys = tuple(f"stop_{what}_{row.key}" for what in ("person", "role", "date"))
    cols[0].selectbox("Person", people, index=people.index(row.now.person or ""), key=keys[0],
                      format_func=lambda p: p or "Nobody")
    cols[1].selectbox("Role", ROLES, index=ROLES.index(row.now.role), key=keys[1])
    cols[2].text_input("Date", value=row.now.date or "", key=keys[2], placeholder="YYYY, YYYY-MM or YYYY-MM-DD",
                       help="Empty: undated")
    st.caption(plain(f"“{' '.join(row.sentence.split())}”"))
    st.button("Save this stop", key="stop_save", disabled=not writable, on_click=_fix_stop,
              args=(home, hashes[row.doc_id], found, row.index, keys))


def _fix_stop(home: access.Home, scope: str, found: Analysis, index: int, keys: tuple[str, str, str]) -> None:
    """Keep the stop as the boxes say now (read here: a value typed just before the click is in them)."""
    person, role, date = (st.session_state.get(k) for k in keys)
    try:
        fix = stopfix.fix_for(found, found.ties[index], person, role, date)
    except GeoError as err:
        st.session_state["fix_error"] = str(err)
        return
    if stopfix.changes(fix):
        _store(home, scope, corrections.put, fix)
    else:  # back to what the analysis said: nothing to keep
        _store(home, scope, corrections.drop, corrections.key_of(fix))


def add_a_place(found: Analysis, home: access.Home, writable: bool) -> None:
    """Type words of the text the parse did not take for a place, look them up, choose, keep (``geo.additions``)."""
    st.markdown("**Add a place the parser missed**")
    words = st.text_input("Words as written", key="add_words", placeholder="As the text writes them: case counts",
                          help="Every time these words are in the text, as whole words, becomes this place").strip()
    if not words:
        return
    occurs, taken = additions.counted(found, words)
    if not occurs:
        say("warning", f"{words!r} is not in the text as whole words, written so (case counts): nothing to add.")
        return
    st.caption(f"{plain(words)} is in the text {plural(occurs, 'time')}"
               + (f"; the parser found a place in {taken:,} of them (fix those above)" if taken else "") + ".")
    search = st.text_input("Look it up in the gazetteer as", value=words, key=f"add_search_{words}",
                           help="The name the gazetteer knows it by, if the text writes it otherwise")
    offered = corrections.options_for(None, service.gazetteer(), search)
    st.caption(looked_up(search.strip(), offered))
    if not offered.candidates:
        return
    options = list(offered.candidates)
    choice = st.radio("It is", range(len(options)), key=f"add_choice_{words}_{search}",
                      format_func=lambda i: plain(describe(options[i])))
    documents = [d for d in found.documents if additions.occurrences(d.text, words)]
    scopes = {access.document_hash(d): f"Only in {d.id}" for d in documents}
    scopes[access.EVERY] = "In every document" if len(found.documents) > 1 or home.folder else "In every text"
    scope = st.radio("For", list(scopes), format_func=lambda k: plain(scopes[k]), key="add_scope", horizontal=True)
    st.button("Add this place", key="add_save", disabled=not writable, on_click=_add_place,
              args=(home, scope, tuple(found.documents), words, options[choice]))


def _add_place(home: access.Home, scope: str, documents: tuple[Document, ...], words: str, choice) -> None:
    try:
        addition = additions.addition_for(documents, words, choice)
    except GeoError as err:
        st.session_state["fix_error"] = str(err)
        return
    _store(home, scope, corrections.put, addition)


def looked_up(search: str, offered: corrections.Options) -> str:
    if not offered.found:
        return f"The gazetteer has no place called {plain(search)}."
    first = f"the first {offered.shown:,} of them" if offered.shown < offered.found else "listed"
    return f"The gazetteer knows {plural(offered.found, 'place')} as {plain(search)}: {first} first below."


def _store(home: access.Home, scope: str, change, *args) -> None:
    """Apply ``change`` to the corrections as kept now (another tab may have saved since), and keep them.

    A button's callback runs before the script, outside its error handling:
    a failure is kept for the script to show.
    """
    try:
        access.change(home, scope, change, *args, session=st.session_state.setdefault("corrections", {}))
    except GeoError as err:
        st.session_state["fix_error"] = str(err)


# --- the page --------------------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Text to map", page_icon="🗺️", layout="wide")
    st.markdown(COMPACT_CSS, unsafe_allow_html=True)
    service.start()
    settings = settings_from_query(url_query(), layers=LAYERS, tabs=list(TABS))
    title, sources = st.columns([2, 3], vertical_alignment="bottom")
    title.markdown("### Text to map")
    title.caption("Who went where, and when, in a text. Everything runs on this machine.")
    with sources:
        source = chosen_source(settings)
    folder, store_ids, text = None, None, None
    if source == "store":
        found, stem, folder, store_ids, read = chosen_store(settings)
        if found is None:
            return write_url(query_from_settings(Settings(source="store", store=st.session_state.get("store"))))
        identity = f"store:{folder}"
        url_identity = f"store:{Path(settings.store).expanduser().resolve()}" if settings.store else ""
        analysis_key = f"{identity}:{read}"
    else:
        documents, notices, errors = chosen_documents(source, settings)
        for message in errors:
            say("error", message)
        for message in notices:
            say("warning", message)
        if not documents:
            if not errors:
                st.info("Paste or upload a text to see its places on the map.")
            return write_url(query_from_settings(Settings(source=source)))
        found = analysed(documents)
        if found is None:
            return None
        stem = documents[0].id if len(documents) == 1 else "corpus"
        text = None if source == "sample" else text_key(documents)
        identity = "sample" if source == "sample" else f"text:{text}"
        url_identity = "sample" if settings.source == "sample" else f"text:{settings.text}"
        analysis_key = identity

    home = access.home_for(source, folder, st.get_option("server.address"), config.corrections_path())
    try:
        base = corrections.load(notify=st.warning) if home.every_path != config.corrections_path() else None
        kept = access.read(home, found.documents, st.session_state.get("corrections"), base,
                           notify=st.warning)
        writable = True
    except GeoError as err:
        say("warning", f"{err}. Corrections are off until it is fixed.")
        kept, writable = access.Kept({}), False
    analysis = access.apply(found, kept)
    key = f"{analysis_key}:{hash(json.dumps(access.export(kept, found.documents), sort_keys=True))}"
    for message in analysis.notices:
        say("warning", message)
    # Regions are drawn from the country shapes, which a server just started may still be loading: the map
    # comes first and its regions a moment later, unless the address asks for a region.
    drawing = not (service.map_ready() or "region" in url_query())
    if drawing:
        regions = ()
        regions_later()
    else:
        regions = regions_of(key, analysis)
    key += ":regions" if regions else ""
    choices, resolved = choices_for(key, analysis, regions, tuple(store_ids) if store_ids is not None else None)
    filters = current_filters(identity, url_identity, choices, store=source == "store")
    layers, online = map_settings(settings)
    tiles = ONLINE_TILES if online else ()
    view = view_of(key, filters, analysis, regions)

    shown = resolved if view.analysis is analysis else sum(p.resolved for p in view.analysis.places)
    empty = shown == 0 and not view.analysis.ties
    if not analysis.places:
        st.info("No place names in this text.")
    elif shown == 0:
        st.info("No place matches these filters: clear some of them to see more.")
    else:
        st.markdown(f"**{shown:,}** of {plural(resolved, 'placed mention')} shown "
                    f"({len(analysis.places) - resolved:,} not placed), "
                    f"**{plural(len(tied_people(view.analysis)), 'person', 'people')}** tied to places"
                    + (" — filtered" if filters.active else "") + ".")
    if "tab" not in st.session_state:
        st.session_state["tab"] = TABS[settings.tab or "people"]
    now, click = show_map(key, view, layers, tiles, fixing(analysis), picked_on_map(key, filters, view))
    if asked_from_map(analysis, view):
        st.rerun()  # the Fix tab opens, and the map draws the name's candidates
    # The sidebar after the map, whose message the browser then handles first: the values of its widgets are
    # in the session already (current_filters, map_settings), and its place on the page is its own.
    sidebar_filters(analysis, choices, store=source == "store")
    map_switches()
    if now is not None:
        st.session_state["view_now"] = now
    clicked_place(analysis, view, click)
    export_buttons(view, stem, layers, tiles, empty, drawing)

    people_tab, places_tab, moves_tab, fix_tab = st.tabs(list(TABS.values()), key="tab", on_change="rerun")
    # A row picked in a table, or a stop in the timeline, is ringed on the map (picked_on_map, on the rerun).
    picking = {"on_select": "rerun", "selection_mode": "multi-row", "hide_index": True}
    if people_tab.open:
        with people_tab:
            st.dataframe(table_of(key, filters, "people", view), key=pick_key("people", key, filters), **picking)
    if places_tab.open:
        with places_tab:
            st.dataframe(table_of(key, filters, "places", view), key=pick_key("places", key, filters), **picking)
    if moves_tab.open:
        with moves_tab:
            chart = timeline_chart(view.analysis, person_colours(analysis))
            if chart:
                st.vega_lite_chart(chart, on_select="rerun", key=pick_key("timeline", key, filters))
            st.dataframe(table_of(key, filters, "moves", view), key=pick_key("moves", key, filters), **picking)
            st.caption("A stop with the wrong person, role or date: correct it under *Fix a place*, *Fix a stop*.")
    if fix_tab.open:
        with fix_tab:
            fix_a_place(found, analysis, home, kept, writable)
    if source == "sample":
        with st.expander(f"The sample article ({config.SAMPLE_PATH.name})"):
            st.text(found.documents[0].text)

    tab = next(k for k, label in TABS.items() if label == st.session_state.get("tab"))
    view_now = st.session_state.get("view_now") or st.session_state.get("view_arg")  # the browser's, else a restore
    settings = Settings(source=source, text=text, store=st.session_state.get("store") if folder else None,
                        layers=tuple(layers) if set(layers) != set(LAYERS) else None,
                        tiles="online" if online else "offline", tab=None if tab == "people" else tab,
                        view=view_now)
    write_url({**query_from_settings(settings), **query_from_filters(filters, choices)})


def page() -> None:
    try:
        main()
    except GeoError as err:  # bad input, missing gazetteer...: the message says what to do
        say("error", err)
    except Exception:  # a bug still must not show the user a traceback
        log.exception("dashboard failed")
        st.error("Something went wrong while drawing this text. The details are in the server log.")
    finally:
        service.page_sent()  # the model loads in a moment: the first map is out, the next text will need it


page()
