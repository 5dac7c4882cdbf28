"""The map's HTML: the evidence in popups (sentences with their mentions marked), route and region summaries, the key.

Every string taken from a document — place names, sentences, person names —
is escaped here, before it reaches a popup, tooltip or legend. Pure: strings
in, strings out; nothing here knows folium.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from html import escape

from geo.map.styles import (
    ATTEMPTED_DASH,
    KIND_STYLES,
    MARK_CLASSES,
    OTHER_KIND_STYLE,
    OTHER_REGION_STYLE,
    REGION_LABELS,
    REGION_STYLES,
    ROUTE_WEIGHT,
    RouteStyle,
)
from geo.geocoding.between import neighbours
from geo.model import Analysis, Leg, Place, PlaceGroup, PlaceMention, Route, Sentence, Stop, Tie
from geo.reckoning import Reckoning, reckoning


class Evidence:
    """Finds, for a sentence, the people and dates to mark beside the place; and how a tie's date was read.

    Its indexes are made when first asked (half a second for a 10,000-document corpus): a map whose popups
    are made later (``geo.map.layers.PopupsApart``) is sent without waiting for them."""

    def __init__(self, analysis: Analysis):
        self._analysis = analysis
        self._by_sentence: dict[str, dict[tuple[str, int], list]] = {}  # a name -> its mentions by sentence

    @cached_property
    def _named(self) -> dict[str, list]:
        """The people of each name, in the analysis' order (a corpus may hold two of one name)."""
        named: dict[str, list] = {}
        for person in self._analysis.people:
            named.setdefault(person.name, []).append(person)
        return named

    def _mentions(self, name: str, sentence: tuple[str, int]) -> list:
        """The mentions of the people called ``name`` in ``sentence`` (doc id, start): each name's indexed when
        first asked, as its ties are shown (the whole corpus's at once took 0.4 s)."""
        index = self._by_sentence.get(name)
        if index is None:
            index = {}
            for person in self._named.get(name, ()):
                for m in person.mentions:
                    index.setdefault((m.sentence.doc_id, m.sentence.start), []).append(m)
            self._by_sentence[name] = index
        return index.get(sentence, [])

    @cached_property
    def _reckoning(self) -> Reckoning:
        return reckoning(self._analysis)

    def html(self, sentence: Sentence, places: Iterable[PlaceMention], ties: Iterable[Tie]) -> str:
        """The sentence with its places, and the people and dates of ``ties`` found in it, marked."""
        key = (sentence.doc_id, sentence.start)
        people, dates = [], []
        for tie in ties:
            if tie.person:
                people += self._mentions(tie.person, key)
            if tie.date:
                dates += self._reckoning.dated_by(tie, sentence)
        return highlight(sentence, places, people=people, dates=dates)

    def when_html(self, tie: Tie, mention: PlaceMention) -> str:
        """How the tie's date was worked out (geo.reckoning), as escaped HTML, the date itself in bold."""
        worked = self._reckoning.worked(tie, mention)
        if worked is None:
            return ""
        value = escape(worked.value) if worked.plain else f"<b>{escape(worked.value)}</b>"
        return " · ".join((value + escape(worked.gloss), *(escape(h) for h in worked.how)))


def highlight(sentence: Sentence, places: Iterable, *, people: Iterable = (), dates: Iterable = ()) -> str:
    """The sentence as escaped HTML, with the mentions' text in <mark> by what they are.

    Any mention with ``text``, ``start`` and ``sentence`` will do: places,
    people, dates. Where two overlap, the first one wins (places first).
    """
    text = sentence.text
    spans = []
    for kind, mentions in (("place", places), ("person", people), ("date", dates)):
        for m in mentions:
            span = _span_in_sentence(m, sentence)
            if span is not None:
                spans.append((*span, kind))
    out, taken, pos = [], [], 0
    for start, end, kind in sorted(set(spans), key=lambda s: (s[0], list(MARK_CLASSES).index(s[2]))):
        if start < pos or any(s < end and start < e for s, e in taken):
            continue  # overlaps a mark already made: leave it unmarked
        out += [escape(text[pos:start]), f'<mark class="{MARK_CLASSES[kind]}">', escape(text[start:end]), "</mark>"]
        taken.append((start, end))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _span_in_sentence(mention, sentence: Sentence) -> tuple[int, int] | None:
    """Where the mention sits in the sentence's text, by offsets, else by search."""
    start = mention.start - sentence.start
    end = start + len(mention.text)
    if 0 <= start and sentence.text[start:end] == mention.text:
        return (start, end)
    # Offsets that disagree with the text (a cleaned sentence, say): find it instead.
    found = sentence.text.find(mention.text) if mention.text else -1
    return (found, found + len(mention.text)) if found >= 0 else None


def sentence_ref(sentence: Sentence) -> str:
    """The id of a sentence in the page: the reading view marks it, popups and markers point at it."""
    return f"{sentence.doc_id}@{sentence.start}"


def _quote(sentence_html: str, sentence: Sentence, show_doc: bool = False) -> str:
    source = f"<div class='geo-doc'>{escape(sentence.doc_id)}</div>" if show_doc else ""
    return f"<blockquote class='geo-quote' data-s=\"{escape(sentence_ref(sentence))}\">{source}{sentence_html}</blockquote>"


# A marker's popup lists this many ties and quoted sentences at most: a corpus names a capital thousands of
# times, and every popup rides along with each redraw of the map. The rest are counted; the Places table and
# the Documents choice reach them.
POPUP_TIES = 20
POPUP_QUOTES = 10


def _more(n: int, what: str) -> str:
    return f"<div class='geo-small geo-more'>… and {n:,} more {what}</div>" if n > 0 else ""


def popup_html(group: PlaceGroup, ties: Iterable[Tie], evidence: Evidence, *, show_doc: bool = False) -> str:
    """The evidence for a marker: what the place is, how the text names it, and where (the first
    POPUP_TIES ties and POPUP_QUOTES sentences, in the text's order, and how many more)."""
    ties = list(ties)
    chosen = group.place.chosen
    facts = " · ".join(escape(x) for x in (chosen.kind, chosen.country or "") if x)
    written = ", ".join(f"“{escape(w)}”" for w in dict.fromkeys(m.text for m in group.mentions))
    count = len(group.mentions)
    lines = [
        f"<b>{escape(chosen.name)}</b> <span class='geo-muted'>{facts}</span>",
        f"<div class='geo-small'>{chosen.lat:.4f}, {chosen.lon:.4f}</div>",
        f"<div>Written as {written}" + (f" ({count} mentions)" if count > 1 else "") + "</div>",
    ]
    between = neighbours(chosen)
    if between is not None:
        lines.insert(2, f"<div class='geo-small'>Not in the gazetteer: placed between {escape(between[0])} and "
                        f"{escape(between[1])}, the stops before and after it on the route</div>")
    mention_of = dict(zip(group.indices, group.mentions))
    lines += [f"<div>{_tie_html(t)}{_when(evidence, t, mention_of.get(t.place))}</div>" for t in ties[:POPUP_TIES]]
    lines.append(_more(len(ties) - POPUP_TIES, "ties"))
    by_sentence: dict[tuple[str, int], list[tuple[int, PlaceMention]]] = {}
    for index, mention in zip(group.indices, group.mentions):
        by_sentence.setdefault((mention.sentence.doc_id, mention.sentence.start), []).append((index, mention))
    told_at: dict[int, list[int]] = {}  # a mention's index -> the positions of its ties
    for k, t in enumerate(ties):
        told_at.setdefault(t.place, []).append(k)
    for members in list(by_sentence.values())[:POPUP_QUOTES]:
        sentence = members[0][1].sentence
        told = sorted(k for i in {i for i, _ in members} for k in told_at.get(i, ()))
        html = evidence.html(sentence, [m for _, m in members], [ties[k] for k in told])
        lines.append(_quote(html, sentence, show_doc))
    lines.append(_more(len(by_sentence) - POPUP_QUOTES, "sentences"))
    return "<div class='geo-popup'>" + "".join(lines) + "</div>"


def _tie_html(tie: Tie) -> str:
    when = tie.date or ""
    if tie.date_end:
        when = f"{when}–{tie.date_end}"
    who = f"<b>{escape(tie.person)}</b>: " if tie.person else ""
    return who + escape(_role(tie.role)) + (f", {escape(when)}" if when else "")


def _role(role: str) -> str:
    return "attempted, not reached" if role == "attempted" else role


def _when(evidence: Evidence, tie: Tie, mention: PlaceMention | None) -> str:
    html = evidence.when_html(tie, mention) if mention is not None else ""
    return f"<div class='geo-when'>{html}</div>" if html else ""


def route_html(route: Route, places: Sequence[Place], evidence: Evidence, *, show_doc: bool = False) -> str:
    """A route's stops in order, each with its date and the sentence that puts it there: the popup of its line."""
    items = []
    for stop in route.stops:
        place = places[stop.place]
        mention = place.mention
        when = f", {escape(stop.date)}" if stop.date else ""
        flag = " <span class='geo-attempted'>attempted</span>" if stop.attempted else ""
        items.append(
            f"<li><b>{escape(place.chosen.name)}</b>{flag} ({escape(_role(stop.role))}{when})"
            f"{_beside(stop, places)}{_when(evidence, stop.tie, mention)}"
            f"{_quote(evidence.html(mention.sentence, [mention], [stop.tie]), mention.sentence, show_doc)}</li>")
    return (f"<div class='geo-popup'><b>{escape(route.person)}</b> · {len(route.stops)} stops"
            f"<ol class='geo-stops'>{''.join(items)}</ol></div>")


def leg_html(route: Route, leg: Leg, places: Sequence[Place], evidence: Evidence) -> str:
    """The popup of an attempted leg: who tried to go where, from where, and the sentence that says so."""
    a, b = places[leg.start.place], places[leg.end.place]
    when = f", {escape(leg.end.date)}" if leg.end.date else ""
    mention = b.mention
    return (f"<div class='geo-popup'><b>{escape(route.person)}</b>: <span class='geo-attempted'>attempted</span> "
            f"{escape(a.chosen.name)} ⇢ <b>{escape(b.chosen.name)}</b>{when}"
            f"<div class='geo-small'>A journey tried and not made: stop {leg.end.number} was not reached.</div>"
            f"{_when(evidence, leg.end.tie, mention)}"
            f"{_quote(evidence.html(mention.sentence, [mention], [leg.end.tie]), mention.sentence)}</div>")


def route_tooltip(route: Route, places: Sequence[Place]) -> str:
    """'Ali: Istanbul → Gaziantep', an attempted stop with a dashed arrow and '(attempted)'."""
    parts = []
    for stop in route.stops:
        name = escape(places[stop.place].chosen.name)
        parts.append(f"{name} (attempted)" if stop.attempted else name)
    arrows = [" ⇢ " if s.attempted else " → " for s in route.stops[1:]]
    return escape(route.person) + ": " + parts[0] + "".join(a + p for a, p in zip(arrows, parts[1:]))


def _beside(stop: Stop, places: Sequence[Place]) -> str:
    """The countries named beside a city, drawn as the city: "(in Turkey, named beside it)"."""
    names = list(dict.fromkeys(places[t.place].mention.text for t in stop.beside))
    if not names:
        return ""
    return f" <span class='geo-muted'>(in {escape(', '.join(names))}, named beside it)</span>"


def stop_html(route: Route, stops: Iterable[Stop], places: Sequence[Place], evidence: Evidence) -> str:
    """The evidence of stops of a route at one point: which stop of whose route, and the sentence that says so."""
    parts = [f"<b>{escape(route.person)}</b>"]
    for stop in stops:
        place = places[stop.place]
        when = f", {escape(stop.date)}" if stop.date else ""
        flag = " <span class='geo-attempted'>attempted</span>" if stop.attempted else ""
        parts.append(f"<div>Stop {stop.number} of {len(route.stops)}: <b>{escape(place.chosen.name)}</b>{flag} "
                     f"({escape(_role(stop.role))}{when}){_beside(stop, places)}</div>")
        parts.append(_when(evidence, stop.tie, place.mention))
        parts.append(_quote(evidence.html(place.mention.sentence, [place.mention], [stop.tie]), place.mention.sentence))
    return "<div class='geo-popup'>" + "".join(parts) + "</div>"


def region_html(region, analysis: Analysis) -> str:
    names = sorted({analysis.places[i].chosen.name for i in region.places if analysis.places[i].resolved})
    when = " – ".join(dict.fromkeys(d for d in (region.first_date, region.last_date) if d))
    label = REGION_LABELS.get(region.kind, region.kind)
    rows = [
        f"<b>{escape(region.name)}</b> <span class='geo-muted'>{escape(label)}</span>",
        f"<div>Places: {escape(', '.join(names))}</div>" if names else "",
        f"<div>People: {escape(', '.join(region.people))}</div>" if region.people else "",
        f"<div>Dates: {escape(when)}</div>" if when else "",
        f"<div class='geo-small'>{escape(' · '.join(region.countries))}</div>" if region.countries else "",
    ]
    return "<div class='geo-popup'>" + "".join(rows) + "</div>"


# The key's swatches, styled inline (see legend_html).
_DOT = "display:inline-block;width:10px;height:10px;border-radius:50%;border:2px solid;"
_LINE = f"display:inline-block;width:24px;height:{ROUTE_WEIGHT}px;vertical-align:middle;"
_AREA = "display:inline-block;width:12px;height:10px;border:1.5px solid;opacity:0.8;"


def legend_html(kinds: Iterable[str] = (), people: Iterable[str] = (),
                colours: dict[str, str | RouteStyle] | None = None, region_kinds: Iterable[str] = (), *,
                attempted: bool = False) -> str:
    """The key: a dot per kind of place, a line per person's route, an area per kind of region.

    ``colours`` gives each person a colour or a whole RouteStyle (a dash past
    the palette's twentieth person); ``attempted`` adds the look of an
    attempted leg. Each swatch carries its own style, so the same key reads
    alike in the map's corner and in the dashboard's sidebar, which has no
    map stylesheet.
    """
    colours = colours or {}
    rows = []
    for kind in dict.fromkeys(kinds):
        style = KIND_STYLES.get(kind, OTHER_KIND_STYLE)
        rows.append(
            f"<div><span class='geo-dot' style='{_DOT}border-color:{style['color']};"
            f"background:{style['fill_color']}'></span> {escape(kind)}</div>"
        )
    for person in people:
        style = colours[person] if isinstance(colours[person], RouteStyle) else RouteStyle(colours[person])
        rows.append(f"<div>{_line_swatch(style)} {escape(person)}</div>")
    if attempted:
        swatch = _line_swatch(RouteStyle("#555555", ATTEMPTED_DASH), hollow=True)
        rows.append(f"<div>{swatch} attempted, not made</div>")
    for kind in region_kinds:
        style = REGION_STYLES.get(kind, OTHER_REGION_STYLE)
        rows.append(
            f"<div><span class='geo-area' style='{_AREA}border-color:{style['color']};background:{style['fillColor']}'>"
            f"</span> {escape(REGION_LABELS.get(kind, kind))}</div>"
        )
    return "".join(rows)


def _line_swatch(style: RouteStyle, *, hollow: bool = False) -> str:
    if style.dash is None and not hollow:
        return f"<span class='geo-line' style='{_LINE}background:{style.colour}'></span>"
    # A dashed or hollow line is drawn as the map draws it, in a small SVG.
    y, width = 4, ROUTE_WEIGHT + (3 if hollow else 0)
    core = (f"<line x1='0' y1='{y}' x2='24' y2='{y}' stroke='#fff' stroke-width='{ROUTE_WEIGHT - 0.5}' "
            f"stroke-dasharray='{style.dash}'/>" if hollow else "")
    return (f"<svg class='geo-line' width='24' height='8' style='vertical-align:middle'>"
            f"<line x1='0' y1='{y}' x2='24' y2='{y}' stroke='{style.colour}' stroke-width='{width}' "
            f"stroke-dasharray='{style.dash or ''}'/>{core}</svg>")
