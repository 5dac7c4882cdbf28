"""The dashboard: a thin Streamlit shell around geo.pipeline and geo.mapview.

    streamlit run dashboard.py --server.enableStaticServing true --server.headless true

Static serving lets the browser fetch Leaflet from this app (``static/``)
instead of a CDN; without it the map is sent inlined, which also works
offline but weighs more on every rerun.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo import config
from geo.assets import inline_html, install_static, use_local_assets
from geo.errors import GeoError
from geo.mapview import build_map, tied_people
from geo.model import Analysis
from geo.pipeline import Resources, analyse_text, load_resources
from geo.text import decode

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAP_HEIGHT = 560
SAMPLE, PASTE, UPLOAD = "Sample article", "Paste text", "Upload a .txt file"

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Loading the language model and gazetteer…")
def resources() -> Resources:
    return load_resources(geocoder="offline")


@st.cache_resource
def static_assets() -> Path:
    """Leaflet copied into static/ once per server process (idempotent)."""
    return install_static(STATIC_DIR)


@st.cache_data(show_spinner="Finding places, people and dates…")
def analysis_of(text: str, doc_id: str, _resources: Resources) -> Analysis:
    return analyse_text(text, _resources, doc_id=doc_id)


def static_url() -> str:
    """Where the browser finds static/, under any server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def chosen_text() -> tuple[str, str, str | None]:
    """(text, document id, decoding notice) from the source the user picked."""
    source = st.radio("Text", [SAMPLE, PASTE, UPLOAD], horizontal=True, label_visibility="collapsed")
    if source == SAMPLE:
        text = config.SAMPLE_PATH.read_text(encoding="utf-8")
        with st.expander(f"The sample article ({config.SAMPLE_PATH.name})"):
            st.text(text)
        return text, config.SAMPLE_PATH.stem, None
    if source == PASTE:
        return st.text_area("Text to analyse", height=200, placeholder="Paste a news article…"), "pasted", None
    upload = st.file_uploader("A plain-text file", type=["txt"])
    if upload is None:
        return "", "uploaded", None
    text, notice = decode(upload.getvalue(), upload.name)
    return text, Path(upload.name).stem, notice


def places_table(analysis: Analysis) -> list[dict]:
    """Every place mention, unresolved ones too: none may go missing silently."""
    return [
        {
            "as written": p.mention.text,
            "resolved": p.chosen.name if p.chosen else "(not found)",
            "kind": p.chosen.kind if p.chosen else None,
            "country": p.chosen.country if p.chosen else None,
            "lat": p.chosen.lat if p.chosen else None,
            "lon": p.chosen.lon if p.chosen else None,
            "sentence": p.mention.sentence.text,
        }
        for p in analysis.places
    ]


def show_map(analysis: Analysis, people: list[str]) -> None:
    m = build_map(analysis, people=people)
    if st.get_option("server.enableStaticServing"):
        static_assets()
        st_folium(use_local_assets(m, static_url()), key="map", returned_objects=[],
                  height=MAP_HEIGHT, use_container_width=True)
    else:
        components.html(inline_html(m), height=MAP_HEIGHT)


def main() -> None:
    st.set_page_config(page_title="Text to map", page_icon="🗺️", layout="wide")
    st.title("Text to map")
    st.caption("Reads a news text, finds the places, people and dates in it, and draws "
               "who went where on a map. Everything runs on this machine.")

    text, doc_id, notice = chosen_text()
    if notice:
        st.warning(notice)
    if not text.strip():
        st.info("Paste or upload a text to see its places on the map.")
        return
    analysis = analysis_of(text, doc_id, resources())
    for message in analysis.notices:
        st.warning(message)

    resolved = sum(p.resolved for p in analysis.places)
    st.write(f"**{resolved}** of {len(analysis.places)} place mentions on the map, "
             f"**{len(analysis.people)}** people.")
    names = tied_people(analysis)
    people = st.multiselect("People on the map", names, default=names,
                            help="Their routes, and what ties them to each place") if names else []
    show_map(analysis, people)
    if analysis.places:
        st.dataframe(places_table(analysis), hide_index=True)


try:
    main()
except GeoError as err:  # bad input, missing gazetteer...: the message says what to do
    st.error(str(err))
except Exception:  # a bug still must not show the user a traceback
    log.exception("dashboard failed")
    st.error("Something went wrong while drawing this text. The details are in the server log.")
