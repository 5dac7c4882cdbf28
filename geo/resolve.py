"""Choosing the right candidate for each place mention from the document's context.

A candidate's score adds up, in log units so no one term swamps the rest:
- a prior by kind: a country or a region outranks a city of the same name,
  a first-level admin area outranks a small town ("California", "Iowa");
- its population (log10), so Paris, France beats Paris, Texas;
- the document's countries: a candidate inside a country the text names
  (or whose places are already placed unambiguously) gets a bonus;
- an explicit qualifier right after the name: "Paris, Texas", "Cambridge,
  Massachusetts", "Victoria, Australia";
- the label: a LOC is more often a region, a FAC a site.
One sense per document: every mention of the same name gets the same place.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .model import Candidate, Place, PlaceMention
from .names import fold

KIND_PRIOR = {"country": 4.0, "region": 3.5, "admin": 2.0, "city": 0.0, "site": -0.5}
COUNTRY_BONUS = 2.5  # the candidate lies in a country the document is about
QUALIFIER_BONUS = 8.0  # "X, <country or admin>" names the candidate's own area
CLOSE = 1.0  # candidates within this of the best are offered as alternatives
MAX_ALTERNATIVES = 4


@dataclass(frozen=True)
class Context:
    """What the document says about where it is."""

    countries: frozenset[str]  # ISO2 codes of countries named or unambiguously implied
    qualifiers: dict  # (start, end) of a mention -> folded qualifier text after it


def _population_score(c: Candidate) -> float:
    return math.log10(c.population + 1) * 0.6


def _label_score(c: Candidate, label: str) -> float:
    if label == "FAC":
        return 2.0 if c.kind == "site" else 0.0
    if label == "LOC":
        return 1.0 if c.kind in ("region", "admin") else 0.0
    return 0.0


def _usable(c: Candidate, text: str) -> bool:
    """Short names ("US", "UK") are abbreviations, never the village that spells them."""
    if len(fold(text).replace(" ", "")) <= 3 and c.kind in ("city", "site") and text.isupper():
        return False
    return True


def score(c: Candidate, mention: PlaceMention, ctx: Context, qualifier: tuple[Candidate, ...]) -> float:
    s = KIND_PRIOR.get(c.kind, 0.0) + _population_score(c) + _label_score(c, mention.label)
    if c.country and c.country in ctx.countries and c.kind != "country":
        s += COUNTRY_BONUS
    for q in qualifier:
        if q.kind == "country" and q.country == c.country and c.kind != "country":
            s += QUALIFIER_BONUS
            break
        if q.kind == "admin" and q.country == c.country and c.admin1 and fold(c.admin1) == fold(q.name):
            s += QUALIFIER_BONUS
            break
    return s


def prefer_city_over_namesake_admin(ranked: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """News says "Gaziantep" or "New York" for the city more often than for its province or state.

    When the best is an admin area and a large city of the same country bears
    the same name, the city comes first.
    """
    if not ranked or ranked[0][1].kind != "admin":
        return ranked
    admin = ranked[0][1]
    for i, (s, c) in enumerate(ranked[1:], 1):
        if c.kind == "city" and c.country == admin.country and c.population >= 100_000:
            return [ranked[i], *ranked[:i], *ranked[i + 1:]]
    return ranked


def rank(mention: PlaceMention, candidates: tuple[Candidate, ...], ctx: Context) -> list[tuple[float, Candidate]]:
    qualifier = ctx.qualifiers.get((mention.start, mention.end), ())
    usable = [c for c in candidates if _usable(c, mention.text)]
    ranked = sorted(((score(c, mention, ctx, qualifier), c) for c in usable),
                    key=lambda sc: (-sc[0], -sc[1].population, sc[1].id))
    return prefer_city_over_namesake_admin(ranked)


def document_countries(mentions, lookups) -> frozenset[str]:
    """Countries the document is about: those it names, and those of names that are not ambiguous.

    `lookups` maps a mention's folded text to its candidates.
    """
    codes: Counter = Counter()
    for m in mentions:
        cands = lookups.get(fold(m.text), ())
        if not cands:
            continue
        top = cands[0]
        if top.kind == "country":
            codes[top.country] += 1
        elif len({c.country for c in cands}) == 1 and top.country:
            codes[top.country] += 1
    return frozenset(codes)


def qualifiers_of(text: str, mentions, lookups) -> dict:
    """Mention span -> candidates of the place named right after it with a comma ("Paris, Texas")."""
    by_start = {m.start: m for m in mentions}
    out = {}
    for m in mentions:
        rest = text[m.end:m.end + 3]
        if not rest.startswith(", "):
            continue
        nxt = by_start.get(m.end + 2)
        if nxt is None:
            continue
        cands = tuple(c for c in lookups.get(fold(nxt.text), ()) if c.kind in ("country", "admin"))
        if cands:
            out[(m.start, m.end)] = cands
    return out


def _choose(m: PlaceMention, candidates: tuple[Candidate, ...], ctx: Context, source: str) -> Place:
    ranked = rank(m, candidates, ctx)
    if not ranked:
        return Place(m, None, (), 0.0, source)
    best_score, best = ranked[0]
    close = tuple(c for s, c in ranked[1:MAX_ALTERNATIVES + 1] if best_score - s <= CLOSE)
    return Place(m, best, close, round(best_score, 3), source)


def resolve(mentions, text: str, geocoder) -> tuple[Place, ...]:
    """Choose a candidate for every mention; one sense per name in a document."""
    lookups: dict[str, tuple[Candidate, ...]] = {}
    for m in mentions:
        key = fold(m.text)
        if key not in lookups:
            lookups[key] = geocoder.candidates(m.text)
    ctx = Context(document_countries(mentions, lookups), qualifiers_of(text, mentions, lookups))
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
        chosen[i] = _choose(m, lookups[key], ctx, getattr(geocoder, "name", "offline"))
        senses.setdefault(key, chosen[i])
    places = [chosen[i] for i in range(len(mentions))]
    return tuple(places)
