"""analyse(documents) -> Analysis: the one path from texts to an analysis.

The CLI and the dashboard are two thin shells around this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo import config
from geo.geocoding.corrections import Corrections, apply_corrections
from geo.extraction.mentions import extract
from geo.model import Analysis, Document, Place, Tie
from geo.extraction.itinerary import ties_for
from geo.extraction.people import group_people
from geo.extraction.groups import vessel_spans
from geo.extraction.references import cast_of
from geo.geocoding.protocol import GazetteerLike, Geocoder
from geo.geocoding.resolve import resolve
from geo.text.documents import check_text

if TYPE_CHECKING:  # spaCy is loaded by load_resources, not by importing this module
    from spacy.language import Language


@dataclass(frozen=True)
class Resources:
    """What an analysis needs loaded once: the spaCy pipeline, the gazetteer, a geocoder."""

    nlp: Language
    gazetteer: GazetteerLike
    geocoder: Geocoder
    # Count nationality adjectives ("French", "Turkish") as mentions of their
    # country, as the GeoWebNews and TR-News annotations do; off by default,
    # since "a French national" is not a place anyone went to.
    demonyms: bool = False


def load_resources(geocoder: str = "offline", *, user_agent: str | None = None, url: str | None = None,
                   cache_dir: Path | None = None, demonyms: bool = False) -> Resources:
    from geo.gazetteer import Gazetteer
    from geo.geocoding.factory import make_geocoder
    from geo.extraction.nlp import load_nlp

    gazetteer = Gazetteer(config.gazetteer_path())
    cache_path = (cache_dir or config.cache_dir()) / "geocode.sqlite"
    geo = make_geocoder(geocoder, offline=gazetteer, cache_path=cache_path,
                        user_agent=user_agent or config.user_agent(), url=url)
    return Resources(load_nlp(), gazetteer, geo, demonyms)


def _analyse_parsed(doc, document: Document, resources: Resources) -> Analysis:
    """The analysis of one parsed document; what the geocoder had to tell about it is in its notices."""
    ex = extract(doc, document.id, resources.gazetteer)
    # A ship's name is not a place, even when a town shares it ("the schooner Albatross")
    ships = vessel_spans(doc)
    mentions = tuple(m for m in ex.places if not any(s < m.end and m.start < e for s, e in ships))
    # Only this document's notices: the dashboard shares one geocoder between sessions.
    with resources.geocoder.recording() as told:
        places = resolve(mentions, document.text, resources.geocoder)
    if resources.demonyms:
        places = tuple(sorted(places + demonym_places(ex.demonyms, resources.gazetteer),
                              key=lambda p: p.mention.start))
    cast = cast_of(doc, group_people(list(ex.people)))
    ties = ties_for(doc, places, cast, list(ex.dates))
    return Analysis((document,), places, cast.people, tuple(d for d, _ in ex.dates), ties, tuple(told))


def demonym_places(mentions, gazetteer) -> tuple[Place, ...]:
    """Nationality adjectives placed at their country."""
    out = []
    for m in mentions:
        country = gazetteer.demonym(m.text)
        if country is not None:
            out.append(Place(m, country, (), 0.0, "offline"))
    return tuple(out)


def iter_analyses(documents: Iterable[Document], resources: Resources,
                  corrections: Corrections | None = None, *, n_process: int = 1) -> Iterator[Analysis]:
    """One Analysis per document, in order, parsed in batches through nlp.pipe.

    ``corrections`` (``geo.corrections.load()``) are the user's own choices of
    place for a name; they win over the resolver's. With ``n_process`` > 1 the
    parse runs in that many child processes (spaCy's own); the rest, geocoding
    included, stays in this one, so the analyses are the same as with one.
    ``documents`` may be a stream: only those the parse has read ahead are held.
    """
    documents, texts = itertools.tee(documents)
    docs = resources.nlp.pipe((d.text for d in texts), batch_size=8, n_process=n_process)
    for document, doc in zip(documents, docs):
        yield apply_corrections(_analyse_parsed(doc, document, resources), corrections)


def merge(parts: Sequence[Analysis], notices: tuple[str, ...] = ()) -> Analysis:
    """Several analyses as one corpus; tie indices follow their places, notices are each told once."""
    places: list[Place] = []
    ties: list[Tie] = []
    for part in parts:
        offset = len(places)
        places.extend(part.places)
        ties.extend(replace(t, place=t.place + offset) for t in part.ties)
    return Analysis(
        tuple(d for p in parts for d in p.documents), tuple(places),
        tuple(pe for p in parts for pe in p.people), tuple(d for p in parts for d in p.dates),
        tuple(ties), tuple(dict.fromkeys((*notices, *(n for p in parts for n in p.notices)))),
    )


def analyse(documents: Sequence[Document], resources: Resources,
            progress: Callable[[int, int, str], None] | None = None,
            corrections: Corrections | None = None) -> Analysis:
    """Analyse a corpus (one text is a corpus of one)."""
    parts = []
    for n, part in enumerate(iter_analyses(documents, resources, corrections), 1):
        parts.append(part)
        if progress:
            progress(n, len(documents), part.documents[0].id)
    return merge(parts)


def analyse_text(text: str, resources: Resources, doc_id: str = "pasted",
                 corrections: Corrections | None = None) -> Analysis:
    return analyse([Document(doc_id, check_text(text, doc_id))], resources, corrections=corrections)
