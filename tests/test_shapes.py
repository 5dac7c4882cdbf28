"""The shapes other geoparsers test, made up for this project (tests/shapes/suite.json), through the real
pipeline: each expected place found, in the right country, within 161 km; each word that is no place left
alone. bench/shapes.py prints the same suite's figures."""

import json
from pathlib import Path

import pytest

from geo.geography.distance import km
from geo.names import fold
from geo.pipeline import analyse_text

SUITE = json.loads((Path(__file__).parent / "shapes" / "suite.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SUITE["cases"], ids=[f"{c['shape']}: {c['text'][:40]}" for c in SUITE["cases"]])
def test_expected_places_are_found_in_their_country(resources, case):
    places = [p for p in analyse_text(case["text"], resources, "shape").places if p.resolved]
    for name, cc, lat, lon in case["places"]:
        hits = [p.chosen for p in places if fold(p.mention.text) == fold(name)]
        assert hits, f"{name!r} not found in {case['text']!r}: {[p.mention.text for p in places]}"
        assert any(c.country == cc and km(c.lat, c.lon, lat, lon) <= 161 for c in hits), (name, hits)


# Known misses are counted by bench/shapes.py, not tested here.
NON_PLACES = [c for c in SUITE["non_places"] if not c.get("known_miss")]


@pytest.mark.parametrize("case", NON_PLACES, ids=[c["text"][:40] for c in NON_PLACES])
def test_words_that_are_no_place_are_left_alone(resources, case):
    text = case["text"]
    places = [p for p in analyse_text(text, resources, "shape").places if p.resolved]
    for word in case["words"]:
        start = text.index(word)
        assert not [p for p in places if p.mention.start < start + len(word) and start < p.mention.end], word
