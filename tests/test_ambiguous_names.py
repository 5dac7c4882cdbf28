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
    # Namesakes against their context: a country named after the town.
    ("Fans travelled to Newcastle, UK, for the derby.", "Newcastle", (54.97, -1.61), "GB"),
]

# Former and official names, by data (ISO 3166-3 through pycountry) or the reviewed aliases.
FORMER = [
    ("Mobutu renamed the country Zaire in 1971.", "Zaire", "country:CD"),
    ("Traders from Persia reached the coast.", "Persia", "country:IR"),
    ("The tea came from Ceylon.", "Ceylon", "country:LK"),
    ("The Cape Verde Islands lie off Senegal.", "Cape Verde Islands", "country:CV"),
    ("The Endeavour sailed north along the coast of New Holland.", "New Holland", "country:AU"),
]

# Physical features and named regions that no data package has (geo/data/regions.csv).
FEATURES = [  # (a province-sized island is an admin area: a point a route stops at)
    ("Rebels in Darfur attacked a convoy.", "Darfur", (13.5, 24.0), "region"),
    ("The ship anchored at Teneriffe after a week at sea.", "Teneriffe", (28.27, -16.6), "admin"),
    ("The cruise stopped in Tahiti.", "Tahiti", (-17.65, -149.43), "admin"),
    ("The ship rounded Cape Horn in May.", "Cape Horn", (-55.98, -67.27), "site"),
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


@pytest.mark.parametrize("text,name,entry", FORMER, ids=[c[1] for c in FORMER])
def test_former_and_official_names(resources, text, name, entry):
    analysis = analyse_text(text, resources, "t")
    placed = [p for p in analysis.places if p.mention.text == name and p.resolved]
    assert placed and placed[0].chosen.id == entry, [(p.mention.text, p.chosen) for p in analysis.places]


@pytest.mark.parametrize("text,name,point,kind", FEATURES, ids=[c[1] for c in FEATURES])
def test_physical_features_and_named_regions(resources, text, name, point, kind):
    analysis = analyse_text(text, resources, "t")
    placed = [p for p in analysis.places if p.mention.text == name and p.resolved]
    assert placed, [(p.mention.text, p.chosen) for p in analysis.places]
    assert placed[0].chosen.kind == kind and km(*point, placed[0].chosen.lat, placed[0].chosen.lon) < 100


def test_an_ordinary_word_is_not_a_translated_place_name(resources):
    analysis = analyse_text("Reporters waited outside the White House and on the Island of Capri.", resources, "t")
    assert all(p.chosen is None or p.chosen.country != "MA" for p in analysis.places)
