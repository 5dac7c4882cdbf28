"""Choosing the right candidate for each place mention from the document's context.

A candidate's score adds up, in log units so no one term swamps the rest:
- a prior by kind: a country or a region outranks a city of the same name,
  a first-level admin area outranks a small town ("California", "Iowa");
- its population (log10), so Paris, France beats Paris, Texas;
- the document's countries: a candidate inside a country the text is about
  gets a bonus in proportion to that country's share of the sure places;
- the document's states and provinces: "Edmonton" in a text that names
  Kentucky is Edmonton, Kentucky;
- an explicit qualifier right after the name: "Paris, Texas", "Cambridge,
  Massachusetts", "Victoria, Australia";
- the label: a LOC is more often a region, a FAC a site.
One sense per document: every mention of the same name gets the same place.
A second pass adds closeness to the places the first pass found, and a last
step leaves unplaced a small town that nothing else in the text is near
(``unplace_strays``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

from geo.gazetteer.keys import is_common
from geo.gazetteer.sources import common_words, reviewed_aliases
from geo.geography.distance import km
from geo.geocoding.features import place_features
from geo.geocoding.context import (
    BESIDE_KM, BIG_CITY, Context, code_areas, cues_of, document_context, is_county, nearest_km, qualifiers_of,
    story_points,
)
from geo.model import GOAL_LABEL, Candidate, Place, PlaceMention
from geo.names import fold

KIND_PRIOR = {"country": 4.0, "region": 3.5, "admin": 1.0, "city": 0.0, "site": 0.0}
# A second-level area (a county) is weighed like a town: its population, not its rank, speaks for it.
COUNTY_PRIOR = 0.0
POPULATION_WEIGHT = 1.0  # per decade of population
SITE_WEIGHT = 4.5  # an airport or base weighs like a town of ~30,000 (sites carry no population)
REGION_WEIGHT = 7.0  # a sea or a named region weighs like a city of ten million
COUNTRY_BONUS = 2.5  # times the share of the document's place evidence in the candidate's country
ADMIN_BONUS = 3.5  # the candidate's state or province is named in its sentence ("Kentucky" for Edmonton)
NEAR_ADMIN_BONUS = 1.5  # ... or in a sentence nearby
FAR_ADMIN_BONUS = 1.0  # ... or only elsewhere in the document
NEARBY_CHARS = 400  # "nearby": within a short paragraph
QUALIFIER_BONUS = 8.0  # "X, <country or admin>" names the candidate's own area
NEIGHBOUR_BONUS = 2.0  # at most, for a candidate close to a sure place named nearby in the text
NEIGHBOUR_KM = 1500.0  # ... falling to nothing at this distance
LOCAL_BONUS = 2.0  # at most, for a candidate close to any other place of the document...
LOCAL_KM = 300.0  # ... falling to nothing at this distance: a local story's places are near each other
# Only towns smaller than this anchor a local story: a big city is named for what happens there (a capital
# for its government, a team's city for its game), not because the story is next door.
LOCAL_ANCHOR_MAX = 500_000
ADMIN_RIVAL = 5  # a city this many times an area's people is what a name shared with it means, other things equal
NAME_BONUS = 2.0  # the candidate's own name is the mention, not one of its alternate names

CITY_SHARE = 0.07  # ... when it holds this share of the province's people (not Quebec City, 5% of Quebec)
# A city the area's name is only another name of ("Bahia" for Salvador, "Oklahoma" for Oklahoma City)
# is what the name means only when it holds this share of the area's people (New York City holds 28% of
# what the gazetteer counts in its state, whose towns overlap; Oklahoma City 22%, Salvador 19%).
ALIAS_CITY_SHARE = 0.25
CLOSE = 1.0  # candidates within this of the best are offered as alternatives
STRAY_POPULATION = 20_000  # a town smaller than this, ...
STRAY_KM = 2000.0  # ... farther than this from every other place of the document, ...
STRAY_OTHERS = 2  # ... when it names at least this many, is not placed (unplace_strays)
STRAY_GROUND = 3  # names of the story's ground, at least, before small towns stop vouching for each other
MAX_ALTERNATIVES = 4


def _prior(c: Candidate) -> float:
    return COUNTY_PRIOR if is_county(c) else KIND_PRIOR.get(c.kind, 0.0)


def _size_score(c: Candidate) -> float:
    if not c.population and c.kind == "site":
        return SITE_WEIGHT
    if not c.population and c.kind == "region":
        return REGION_WEIGHT
    return math.log10(c.population + 1) * POPULATION_WEIGHT


def _label_score(c: Candidate, label: str) -> float:
    if label == "FAC":
        return 3.0 if c.kind == "site" else 0.0
    if label == "LOC":
        return 1.0 if c.kind in ("region", "admin") else 0.0
    return 0.0


def _usable(c: Candidate, mention: PlaceMention) -> bool:
    """Short names ("US", "UK") are abbreviations, never the village that spells them, unless a reviewed alias
    says which town they stand for ("D.C.", "NYC"); a building the model saw (FAC) is a site, not a town that
    shares its name ("White House")."""
    text = mention.text
    if (len(fold(text).replace(" ", "")) <= 3 and c.kind in ("city", "site") and text.replace(".", "").isupper()
            and (fold(text), c.id) not in reviewed_aliases()):
        return False
    if mention.label == "FAC" and c.kind == "city":
        return False
    return True


def _qualifying(c: Candidate, qualifier: tuple[Candidate, ...]) -> Candidate | None:
    """The area of `qualifier` that holds `c`, if any."""
    for q in qualifier:
        if q.kind == "country" and q.country == c.country and c.kind != "country":
            return q
        if q.kind == "admin" and q.country == c.country and c.admin1 and fold(c.admin1) == fold(q.name):
            return q
    return None


def _qualified(c: Candidate, qualifier: tuple[Candidate, ...]) -> bool:
    return _qualifying(c, qualifier) is not None


def score(c: Candidate, mention: PlaceMention, ctx: Context, qualifier: tuple[Candidate, ...]) -> float:
    s = _prior(c) + _size_score(c) + _label_score(c, mention.label)
    qualified = _qualified(c, qualifier)
    if fold(c.name) == fold(mention.text) and not qualified:
        # Not among the places a qualifier names: "Newcastle, UK" is the country's best-known
        # Newcastle (upon Tyne), not a village whose whole name happens to be the mention.
        s += NAME_BONUS
    if c.country and c.kind != "country":
        s += COUNTRY_BONUS * ctx.countries.get(c.country, 0.0)
    local = c.kind in ("city", "site") or is_county(c)  # places a local story names beside each other
    if c.admin1 and local:
        # Its state named elsewhere than in this very mention ("Quebec" does not vouch for Québec City).
        offsets = [o for o in ctx.admins.get((c.country, fold(c.admin1)), ()) if o != mention.start]
        sentence = mention.sentence
        if any(sentence.start <= o < sentence.end for o in offsets):
            s += ADMIN_BONUS
        elif any(abs(o - mention.start) <= NEARBY_CHARS for o in offsets):
            s += NEAR_ADMIN_BONUS
        elif offsets:
            s += FAR_ADMIN_BONUS
    if qualified:
        s += QUALIFIER_BONUS
    if local:
        s += NEIGHBOUR_BONUS * _closeness(c, mention, ctx.anchors)
        s += LOCAL_BONUS * _local(c, mention, ctx.anchors)
    return s


def _local(c: Candidate, mention: PlaceMention, anchors) -> float:
    """1 at another place of the document (not this name), falling to 0 at LOCAL_KM.

    Local news names its neighbourhoods: "Edmonton" beside "Enfield" is in
    north London, not Alberta.
    """
    others = [(lat, lon) for off, lat, lon, name, people in anchors
              if name != fold(mention.text) and people < LOCAL_ANCHOR_MAX]
    if not others:
        return 0.0
    d = min(km(c.lat, c.lon, lat, lon) for lat, lon in others)
    return max(0.0, 1.0 - d / LOCAL_KM)


def _closeness(c: Candidate, mention: PlaceMention, anchors) -> float:
    """1 at the place named just before or just after the mention, falling to 0 at NEIGHBOUR_KM.

    A story moves between neighbouring places: "from Buenos Aires they rode
    south to Miramar" means the Argentine one, though Florida's is larger.
    """
    before = [a for a in anchors if a[0] < mention.start and mention.start - a[0] <= NEARBY_CHARS]
    after = [a for a in anchors if a[0] > mention.start and a[0] - mention.start <= NEARBY_CHARS]
    near = before[-1:] + after[:1]
    if not near:
        return 0.0
    d = min(km(c.lat, c.lon, lat, lon) for _, lat, lon, _, _ in near)
    return max(0.0, 1.0 - d / NEIGHBOUR_KM)


def _namesake_city(city: Candidate, admin: Candidate, mention: PlaceMention) -> bool:
    """Is this city what the name of an area of its country means?

    Big, and holding CITY_SHARE of the area's people when the name is its own
    (Gaziantep; Washington, D.C. before Washington state); when the name is
    only another name of it, it must be in the area and hold ALIAS_CITY_SHARE
    (New York City, not Oklahoma City or Salvador for "Bahia").
    """
    if city.kind != "city" or city.country != admin.country or city.population < BIG_CITY:
        return False
    if fold(city.name) == fold(mention.text) or fold(admin.name) != fold(mention.text):
        # The city's own name, or one the area too is only called by ("Mecca" for Makkah and Mecca Region)
        return city.population >= CITY_SHARE * admin.population
    inside = not city.admin1 or fold(city.admin1) == fold(admin.name)
    return inside and city.population >= ALIAS_CITY_SHARE * admin.population


def _first(ranked, i):
    return [ranked[i], *ranked[:i], *ranked[i + 1:]]


def prefer_city_over_namesake_admin(mention: PlaceMention,
                                    ranked: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """News says "Gaziantep", "İzmir", "New York" for the city more often than for its province or state.

    When the best is an admin area and a large city of it bears the same name,
    the city comes first; one that the name is only another name of
    ("Bahia" for Salvador) must hold a third of the area's people.
    """
    if not ranked or ranked[0][1].kind != "admin":
        return ranked
    best, admin = ranked[0]
    for i, (s, c) in enumerate(ranked[1:], 1):
        if _namesake_city(c, admin, mention):
            return _first(ranked, i)
        # The rank of an area is no reason for a small one to take a name from a city many times its size
        # elsewhere ("Manchester": England's city, not Jamaica's parish): when only the kind's prior put the
        # area first, the city comes first.
        if (c.kind == "city" and c.country != admin.country and fold(c.name) == fold(mention.text)
                and c.population >= BIG_CITY and c.population >= ADMIN_RIVAL * admin.population
                and best - s < KIND_PRIOR["admin"]):
            return _first(ranked, i)
    return ranked


def prefer_area_by_its_own_name(mention: PlaceMention, ranked: list[tuple[float, Candidate]],
                                cue: str | None) -> list[tuple[float, Candidate]]:
    """A first-level area's own name means the area, unless the words around say city.

    Its own name exactly: "Mecca" is the city before "Mecca Region", whose
    name only holds it; "Homs province" says area by its words.

    "Oklahoma", "California", "Bahia": the state, not the capital that also
    goes by its name nor a town of that name 3,000 km away, however close
    the town is to the rest of the story; the large namesake city of
    ``prefer_city_over_namesake_admin`` excepted. "the state of New York",
    "the Homs and Aleppo governorates" (cue "area") take the area even then;
    "the city of Oklahoma" (cue "city") keeps the city.
    """
    if not ranked or cue == "city":
        return ranked
    own = fold(mention.text)
    for i, (s, c) in enumerate(ranked):
        if c.kind == "admin" and (cue == "area" or (not is_county(c) and own == fold(c.name))):
            break
    else:
        return ranked
    admin, top = ranked[i][1], ranked[0][1]
    if i == 0 or top.kind not in ("city", "site") or top.country != admin.country:
        return ranked  # a town abroad won on the document's context: that is not this rule's to undo
    if cue != "area" and _namesake_city(top, admin, mention):
        return ranked
    return _first(ranked, i)


WORLD_CITY = 1_000_000  # a city this large is not lost to a namesake ...
HAMLET_SHARE = 0.001  # ... this many times smaller without a qualifier ("London" near "California")


HOME_SHARE = 0.5  # ... unless the story is set in the hamlet's country: this share of its places


def prefer_world_city(ranked: list[tuple[float, Candidate]], ctx: Context) -> list[tuple[float, Candidate]]:
    """A world city named bare means itself, however close a hamlet of its name is to some other place
    of the story ("London" after "University of California, Los Angeles"); in a story set in the hamlet's
    country ("Laurel County, Ky."... "of London") the hamlet may stand."""
    if not ranked or ranked[0][1].kind != "city":
        return ranked
    top = ranked[0][1]
    if ctx.countries.get(top.country, 0.0) >= HOME_SHARE:
        return ranked
    for i, (s, c) in enumerate(ranked[1:], 1):
        if c.kind == "city" and c.population >= WORLD_CITY and top.population < HAMLET_SHARE * c.population:
            return _first(ranked, i)
    return ranked


def prefer_city_in_city_context(ranked: list[tuple[float, Candidate]], cue: str | None):
    """ "the city of X", "downtown X", "X's mayor": a city of that name before an area. (Not before a
    country: "the biggest city of Brazil" is a city in it.)"""
    if cue != "city" or not ranked or ranked[0][1].kind in ("city", "country"):
        return ranked
    for i, (s, c) in enumerate(ranked):
        if c.kind == "city":
            return _first(ranked, i)
    return ranked


def prefer_country_over_city_by_another_name(mention: PlaceMention,
                                             ranked: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """A country's own name means the country, not a city that is also called so ("Mexico", "Kuwait").

    The closeness bonuses go to cities only, so in a story of Mexican towns
    Mexico City ("Mexico" among its other names) would otherwise outscore
    Mexico itself.
    """
    if not ranked or ranked[0][1].kind != "city" or fold(ranked[0][1].name) == fold(mention.text):
        return ranked
    for i, (s, c) in enumerate(ranked[1:], 1):
        if c.kind == "country" and fold(c.name) == fold(mention.text):
            return [ranked[i], *ranked[:i], *ranked[i + 1:]]
    return ranked


def _unsupported_word(c: Candidate, mention: PlaceMention, ctx: Context, qualifier) -> bool:
    """A place whose name is an ordinary word ("Man", "Commonwealth") is not what the word means
    in English text unless the text points to it: a qualifier, or its country named elsewhere."""
    if c.kind in ("country", "region") or not is_common(fold(mention.text), common_words()):
        return False
    return not (_qualified(c, qualifier) or ctx.countries.get(c.country, 0.0) > 0)


def rank(mention: PlaceMention, candidates: tuple[Candidate, ...], ctx: Context) -> list[tuple[float, Candidate]]:
    qualifier = ctx.qualifiers.get((mention.start, mention.end), ())
    usable = [c for c in candidates if _usable(c, mention) and not _unsupported_word(c, mention, ctx, qualifier)]
    ranked = sorted(((score(c, mention, ctx, qualifier), c) for c in usable),
                    key=lambda sc: (-sc[0], -sc[1].population, sc[1].id))
    cue = ctx.cues.get((mention.start, mention.end))
    ranked = prefer_country_over_city_by_another_name(mention, prefer_city_over_namesake_admin(mention, ranked))
    if not any(_qualified(c, qualifier) for c in usable):  # "Alexandria, Virginia" has said which
        ranked = prefer_area_by_its_own_name(mention, prefer_world_city(ranked, ctx), cue)
    return prefer_city_in_city_context(ranked, cue)


def anchors_of(places: list[Place]) -> tuple[tuple[int, float, float, str, int], ...]:
    """The cities, sites and counties of the first pass: the points a story moves between."""
    return tuple((p.mention.start, p.chosen.lat, p.chosen.lon, fold(p.mention.text), p.chosen.population)
                 for p in places
                 if p.chosen is not None and (p.chosen.kind in ("city", "site") or is_county(p.chosen)))


def _choose(m: PlaceMention, candidates: tuple[Candidate, ...], ctx: Context, source: str) -> Place:
    ranked = rank(m, candidates, ctx)
    if not ranked:
        return Place(m, None, (), 0.0, source)
    best_score, best = ranked[0]
    close = tuple(c for s, c in ranked[1:MAX_ALTERNATIVES + 1] if best_score - s <= CLOSE)
    # An online geocoder's answers carry its name as their source; anything else the
    # offline gazetteer gave (a fallback, say), whatever geocoder was asked.
    answered = source if best.source == source else "offline"
    return Place(m, best, close, round(best_score, 3), answered)


def resolve(mentions, text: str, geocoder, nationalities: Mapping[str, int] | None = None) -> tuple[Place, ...]:
    """Choose a candidate for every mention; one sense per name in a document. `nationalities` counts the
    document's nationality words by country ("a Colombian national": CO), weak evidence of where it is."""
    lookups: dict[str, tuple[Candidate, ...]] = {}
    for m in mentions:
        key = fold(m.text)
        if key not in lookups:
            lookups[key] = geocoder.candidates(m.text)
    countries, admins = document_context(mentions, lookups, nationalities)
    ctx = Context(countries, admins, qualifiers_of(text, mentions, lookups, code_areas(geocoder)),
                  cues=cues_of(text, mentions))
    source = getattr(geocoder, "name", "offline")
    # Two passes: the confident choices of the first anchor the second.
    first = _choose_all(mentions, lookups, ctx, source)
    ctx = replace(ctx, anchors=anchors_of(first))
    placed = place_qualifiers(_choose_all(mentions, lookups, ctx, source), ctx)
    placed = unplace_strays(prefer_reading_near_the_story(placed, lookups, ctx), ctx, lookups)
    return tuple(goals_beside_the_story(place_features(placed, geocoder), lookups))


def goals_beside_the_story(places: list[Place], lookups: Mapping[str, Sequence[Candidate]]) -> list[Place]:
    """A name only its context calls a place (GOAL_LABEL: "went on to Hawes") takes the gazetteer's place of that
    name nearest the story's other places, within BESIDE_KM, or none: a name the model did not call a place and
    the words around only hint at is no evidence of a namesake far away ("went to the Gate", a Gate in Oklahoma)."""
    points = [p.chosen for p in places if p.chosen is not None and p.mention.label != GOAL_LABEL
              and p.chosen.kind in ("city", "site", "admin")]
    out = []
    for p in places:
        if p.mention.label == GOAL_LABEL:
            near = [c for c in lookups.get(fold(p.mention.text), ()) if c.kind in ("city", "site")]
            near = [c for c in near if points and nearest_km(c, points) <= BESIDE_KM]
            best = min(near, key=lambda c: nearest_km(c, points), default=None)
            p = replace(p, chosen=best, candidates=(), score=0.0 if best is None else p.score)
        out.append(p)
    return out


def place_qualifiers(places: list[Place], ctx: Context) -> list[Place]:
    """The name that qualifies a place is the area that holds it: in "Tacoma, Washington" and
    "Slidell, La." the second name is the state, whatever the same name means elsewhere in the text."""
    at = {p.mention.start: i for i, p in enumerate(places)}
    out = list(places)
    for p in places:
        qualifier = ctx.qualifiers.get((p.mention.start, p.mention.end))
        i = at.get(p.mention.end + 2)
        if not qualifier or p.chosen is None or i is None:
            continue
        area = _qualifying(p.chosen, qualifier)
        if area is not None and area != out[i].chosen:
            others = tuple(c for c in (out[i].chosen, *out[i].candidates) if c is not None and c != area)
            out[i] = replace(out[i], chosen=area, candidates=others[:MAX_ALTERNATIVES])
    return out


NEARER = 3.0  # another reading of a name this many times nearer the story's other places wins, ...
SMALL_TOWN = 50_000  # ... over a town smaller than this, when it is no smaller (or lies within BESIDE_KM)


def prefer_reading_near_the_story(places: list[Place], lookups, ctx: Context) -> list[Place]:
    """A town an ocean away from every other place of the story yields to another town of its name that is
    near them: a voyage "sailed from Devonport" and reached Tenerife the next week left Devonport in England,
    though the gazetteer's own "Devonport" is the Tasmanian town; a walk from Keswick to Ambleside is in
    England's Ambleside, a village smaller than the Canadian suburb but among the walk's other stops. Only between towns, when no qualifier or
    country of the text points to the chosen one, the chosen is a small town (a city is named for what
    happens there, however far), farther than STRAY_KM from all the story's other places, and the other
    reading is NEARER times nearer them and no smaller, or within BESIDE_KM of them."""
    out = list(places)
    senses: dict[str, Candidate] = {}
    for i, p in enumerate(places):
        c = p.chosen
        name = fold(p.mention.text)
        if (c is None or c.kind != "city" or c.population >= SMALL_TOWN
                or (p.mention.start, p.mention.end) in ctx.qualifiers):
            continue
        if name in senses:
            out[i] = replace(p, chosen=senses[name], candidates=(c, *p.candidates)) if senses[name] != c else p
            continue
        points = story_points(places, name)
        if len(points) < STRAY_OTHERS or ctx.countries.get(c.country, 0.0) > 0 or nearest_km(c, points) <= STRAY_KM:
            continue
        towns = [o for _, o in rank(p.mention, lookups.get(name, ()), ctx)
                 if o.kind == "city" and o != c and (o.population >= c.population or nearest_km(o, points) <= BESIDE_KM)]
        near = min(towns, key=lambda o: nearest_km(o, points), default=None)
        if near is not None and nearest_km(near, points) * NEARER <= nearest_km(c, points):
            senses[name] = near
            out[i] = replace(p, chosen=near, candidates=(c, *(o for o in p.candidates if o != near)))
    return out


def unplace_strays(places: list[Place], ctx: Context,
                   lookups: Mapping[str, Sequence[Candidate]] | None = None) -> list[Place]:
    """A small town that nothing in the text points to, far from every other place of it, is left unplaced.

    The story happens somewhere; when a name's only reading is a village an
    ocean away from all the document's other places and outside its
    countries ("Hampshire" in a story of English race tracks, where the
    gazetteer knows only the American towns), the town is a guess against
    the evidence. It keeps its candidates, so a user can still place it.

    Such guesses do not vouch for each other. Where the story has a ground (what
    is not a small town, and the small towns near it or in its countries) of
    STRAY_GROUND names or more, outnumbering the rest two to one, a small town
    is measured against that ground alone: a tour of English villages the
    gazetteer knows best in Canada ("Bowness", "Ambleside", "Kirkstone", two of
    them near each other in British Columbia) places none of them there; a
    namesake of the stray among the ground's places (within BESIDE_KM: England's
    Ambleside) is taken instead.
    """
    placed = [(i, fold(p.mention.text), p.chosen) for i, p in enumerate(places) if p.chosen is not None]

    def small(i: int, c: Candidate) -> bool:
        return (c.kind == "city" and c.population < STRAY_POPULATION
                and (places[i].mention.start, places[i].mention.end) not in ctx.qualifiers)

    ground = {i for i, _, c in placed if not small(i, c)}
    grew = True
    while grew:
        base = [c for i, _, c in placed if i in ground]
        near = {i for i, _, c in placed if i not in ground and any(
            o.country == c.country or km(c.lat, c.lon, o.lat, o.lon) <= STRAY_KM for o in base)}
        ground |= near
        grew = bool(near)
    ground_names = {name for i, name, _ in placed if i in ground}
    loose_names = {name for i, name, _ in placed if i not in ground}
    if len(ground_names) < STRAY_GROUND or len(ground_names) <= len(loose_names):
        ground = {i for i, _, _ in placed}  # no ground to speak of: every place counts
    out = list(places)
    for i, name, c in placed:
        if not small(i, c):
            continue
        others = [o for j, other, o in placed if other != name and j in ground]
        if any(o.country == c.country for o in others):
            continue  # the text has its country elsewhere: a local detail, not a stray
        points = [o for o in others if o.kind in ("city", "site", "admin")]
        if len(points) >= STRAY_OTHERS and all(km(c.lat, c.lon, o.lat, o.lon) > STRAY_KM for o in points):
            local = [o for o in (lookups or {}).get(name, ()) if o.kind == "city" and o != c
                     and nearest_km(o, points) <= BESIDE_KM]
            if local:
                near = min(local, key=lambda o: nearest_km(o, points))
                out[i] = replace(places[i], chosen=near, candidates=(c, *(o for o in places[i].candidates if o != near)))
            else:
                out[i] = replace(places[i], chosen=None, candidates=(c, *places[i].candidates), score=0.0)
    return out


def _choose_all(mentions, lookups, ctx: Context, source: str) -> list[Place]:
    senses: dict[str, Place] = {}
    chosen: dict[int, Place] = {}
    # Qualified mentions ("Paris, Texas") go first: they fix the sense of the bare ones.
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, mentions[i].end) not in ctx.qualifiers)
    for i in order:
        m = mentions[i]
        key = fold(m.text)
        if key in senses and (m.start, m.end) not in ctx.qualifiers:
            first = senses[key]
            chosen[i] = Place(m, first.chosen, first.candidates, first.score, first.geocoder)
            continue
        chosen[i] = _choose(m, lookups[key], ctx, source)
        senses.setdefault(key, chosen[i])
    return [chosen[i] for i in range(len(mentions))]
