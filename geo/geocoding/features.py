"""A natural feature the gazetteer lacks, placed at the town it is named after, when that town is among
the story's places.

The offline gazetteer holds towns, areas and a reviewed table of regions and seas, not every lake, bay or
pass. Many of those are named after the town beside them: "Coniston Water", "Lake Windermere", "Galway
Bay". When such a name has no answer of its own, its town's name is looked up, and a town of that name
within BESIDE_KM of the story's other places stands for the feature, as a site at the town's point. A town of
that name far from the story is no evidence ("Kirkstone Pass" in a tour of the English Lakes is not the
Canadian Kirkstone), and a feature named after nothing the gazetteer knows stays unplaced.
"""

from __future__ import annotations

from dataclasses import replace

from geo.geocoding.context import BESIDE_KM, nearest_km, story_points
from geo.model import Candidate, Place
from geo.names import fold

# Words that make a name a natural feature's, before or after the town's name.
FEATURE_HEADS = ("lake", "loch", "lough", "mount", "mt", "mt.", "isle of", "island of", "lago", "monte")
FEATURE_TAILS = ("water", "lake", "bay", "fjord", "fiord", "strait", "sound", "island", "isle", "pass", "fell",
                 "tarn", "harbour", "harbor", "peninsula", "head", "point", "falls", "reservoir", "gorge", "valley")


def town_of(name: str) -> str | None:
    """The town a feature's name is built on ("Coniston" of "Coniston Water"), or None."""
    words = name.split()
    low = [w.lower() for w in words]
    for head in FEATURE_HEADS:
        n = len(head.split())
        if len(words) > n and " ".join(low[:n]) == head:
            return " ".join(words[n:])
    if len(words) >= 2 and low[-1] in FEATURE_TAILS:
        return " ".join(words[:-1])
    return None


def place_features(places: list[Place], geocoder) -> list[Place]:
    """Unplaced features named after a town among the story's places, placed at that town."""
    out = list(places)
    seen: dict[str, Candidate | None] = {}
    for i, p in enumerate(places):
        if p.chosen is not None:
            continue
        name = fold(p.mention.text)
        if name not in seen:
            seen[name] = _beside(p, places, geocoder)
        if seen[name] is not None:
            out[i] = replace(p, chosen=seen[name], score=0.0)
    return out


def _beside(place: Place, places: list[Place], geocoder) -> Candidate | None:
    town = town_of(place.mention.text)
    points = story_points(places, fold(place.mention.text))
    if town is None or not points:
        return None
    towns = [c for c in geocoder.candidates(town) if c.kind == "city" and nearest_km(c, points) <= BESIDE_KM]
    if not towns:
        return None
    c = min(towns, key=lambda o: nearest_km(o, points))
    return replace(c, name=place.mention.text, kind="site", population=0, id=f"{c.id}#beside")
