"""A natural feature the gazetteer lacks, placed at the town it is named after, when that town is among
the story's places, or is the only town of that name in a country the story names.

The offline gazetteer holds towns, areas and a reviewed table of regions and seas, not every lake, bay or
pass. Many of those are named after the town beside them: "Coniston Water", "Lake Windermere", "Galway
Bay". When such a name has no answer of its own, its town's name is looked up, and a town of that name
within BESIDE_KM of the story's other places stands for the feature, as a site at the town's point. A town of
that name far from the story is no evidence ("Kirkstone Pass" in a tour of the English Lakes is not the
Canadian Kirkstone), unless it is the only town of the name in a country the story names ("Disko Bay" in a
story of Greenland); a feature named after nothing the gazetteer knows stays unplaced.
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
    if town is None:
        return None
    points = story_points(places, fold(place.mention.text))
    towns = [c for c in geocoder.candidates(town) if c.kind == "city"]
    near = [c for c in towns if points and nearest_km(c, points) <= BESIDE_KM]
    if near:
        c = min(near, key=lambda o: nearest_km(o, points))
    else:
        # A thinly peopled country's towns lie far apart: "Disko Bay" in a story of Greenland is beside the
        # one Disko the country has, though that lies days from the story's other stops. Only the one town of
        # that name in a country the story names as a country; two are no evidence for either.
        named = {p.chosen.country for p in places if p.chosen is not None and p.chosen.kind == "country"}
        inside = [c for c in towns if c.country in named]
        if len(inside) != 1:
            return None
        c = inside[0]
    return replace(c, name=place.mention.text, kind="site", population=0, id=f"{c.id}#beside")
