"""Ambiguous names in context, through the real recogniser, gazetteer and resolver.

Texts written for the purpose; each name has namesakes far apart, and the
context (a qualifier, the document's countries or states, the label) must
pick the right one.
"""

import math

import pytest

from geo.pipeline import analyse_text


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lon2 - lon1)
    h = math.sin((math.radians(lat2) - p1) / 2) ** 2 + math.cos(p1) * math.cos(math.radians(lat2)) * math.sin(p2 / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


CASES = [
    # text, name, (lat, lon) of the right place, country
    ("The festival moved from Paris, Texas, to nearby Dallas last spring.", "Paris", (33.66, -95.56), "US"),
    ("She flew from Paris to Lyon and then drove on to Marseille.", "Paris", (48.85, 2.35), "FR"),
    ("Police in London, Ontario, said the suspect had lived in Toronto.", "London", (42.98, -81.25), "CA"),
    ("Commuters in London faced delays as strikes hit Manchester and Leeds.", "London", (51.51, -0.13), "GB"),
    ("Flooding hit Kentucky this week; in Edmonton, the county seat, roads closed.", "Edmonton", (36.98, -85.61), "US"),
    ("The Oilers returned to Edmonton after a road trip through Calgary and Alberta.", "Edmonton", (53.55, -113.47), "CA"),
    ("Talks between Armenia and Azerbaijan resumed; in Georgia, Tbilisi hosted observers.", "Georgia", (42.0, 43.5), "GE"),
    ("He studied in Cambridge, Massachusetts, before moving to Boston.", "Cambridge", (42.37, -71.11), "US"),
    ("Students in Cambridge and Oxford protested against the fees, English papers reported.", "Cambridge", (52.2, 0.12), "GB"),
    ("Wildfires spread across California as firefighters battled blazes near Los Angeles.", "California", (37.2, -119.5), "US"),
    ("Officials in the US and the UK condemned the attack.", "US", (39.8, -98.5), "US"),
    ("The delegation reached Alexandria, Virginia, after leaving Richmond.", "Alexandria", (38.80, -77.05), "US"),
    ("Archaeologists in Alexandria, Egypt, found a Ptolemaic tomb near Cairo.", "Alexandria", (31.2, 29.92), "EG"),
]


@pytest.mark.parametrize("text,name,point,country", CASES, ids=[f"{c[1]}-{c[3]}" for c in CASES])
def test_context_picks_the_right_namesake(resources, text, name, point, country):
    analysis = analyse_text(text, resources, "t")
    placed = [p for p in analysis.places if p.mention.text == name and p.resolved]
    assert placed, f"{name} not found in {text!r}"
    chosen = placed[0].chosen
    assert chosen.country == country, (chosen.name, chosen.country)
    # countries and states are compared by code; cities within 60 km
    if chosen.kind in ("city", "site"):
        assert km(*point, chosen.lat, chosen.lon) < 60, chosen
