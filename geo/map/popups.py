"""The map's HTML: the evidence in popups (sentences with their mentions marked), route and region summaries, the key.

Every string taken from a document — place names, sentences, person names —
is escaped here, before it reaches a popup, tooltip or legend. Pure: strings
in, strings out; nothing here knows folium.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from geo.map.styles import (
    KIND_STYLES,
    MARK_CLASSES,
    OTHER_KIND_STYLE,
    OTHER_REGION_STYLE,
    REGION_LABELS,
    REGION_STYLES,
    ROUTE_WEIGHT,
)
from geo.model import Analysis, DateMention, Place, PlaceGroup, PlaceMention, Route, Sentence, Stop, Tie


class Evidence:
    """Finds, for a sentence, the people and dates to mark beside the place."""

    def __init__(self, analysis: Analysis):
        self._people: dict[tuple[str, str, int], list] = {}
        for person in analysis.people:
            for m in person.mentions:
                self._people.setdefault((person.name, m.sentence.doc_id, m.sentence.start), []).append(m)
        self._dates: dict[tuple[str, int], list[DateMention]] = {}
        for d in analysis.dates:
            self._dates.setdefault((d.sentence.doc_id, d.sentence.start), []).append(d)

    def html(self, sentence: Sentence, places: Iterable[PlaceMention], ties: Iterable[Tie]) -> str:
        """The sentence with its places, and the people and dates of ``ties`` found in it, marked."""
        key = (sentence.doc_id, sentence.start)
        people, dates = [], []
        for tie in ties:
            if tie.person:
                people += self._people.get((tie.person, *key), [])
            if tie.date:
                dates += [d for d in self._dates.get(key, []) if d.iso and d.iso in (tie.date, tie.date_end)]
        return highlight(sentence, places, people=people, dates=dates)


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


def _quote(sentence_html: str, doc_id: str | None = None) -> str:
    source = f"<div class='geo-doc'>{escape(doc_id)}</div>" if doc_id else ""
    return f"<blockquote class='geo-quote'>{source}{sentence_html}</blockquote>"


def popup_html(group: PlaceGroup, ties: Iterable[Tie], evidence: Evidence, *, show_doc: bool = False) -> str:
    """The evidence for a marker: what the place is, how the text names it, and where."""
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
    lines += [f"<div>{_tie_html(t)}</div>" for t in ties]
    by_sentence: dict[tuple[str, int], list[tuple[int, PlaceMention]]] = {}
    for index, mention in zip(group.indices, group.mentions):
        by_sentence.setdefault((mention.sentence.doc_id, mention.sentence.start), []).append((index, mention))
    for members in by_sentence.values():
        sentence = members[0][1].sentence
        indices = {i for i, _ in members}
        html = evidence.html(sentence, [m for _, m in members], [t for t in ties if t.place in indices])
        lines.append(_quote(html, sentence.doc_id if show_doc else None))
    return "<div class='geo-popup'>" + "".join(lines) + "</div>"


def _tie_html(tie: Tie) -> str:
    when = tie.date or ""
    if tie.date_end:
        when = f"{when}–{tie.date_end}"
    who = f"<b>{escape(tie.person)}</b>: " if tie.person else ""
    return who + escape(tie.role) + (f", {escape(when)}" if when else "")


def route_html(route: Route, places: Sequence[Place]) -> str:
    """A route's stops in order: the popup of its line."""
    items = "".join(
        f"<li>{escape(places[s.place].chosen.name)} ({escape(s.role)}{', ' + escape(s.date) if s.date else ''})</li>"
        for s in route.stops
    )
    return f"<b>{escape(route.person)}</b><ol class='geo-stops'>{items}</ol>"


def route_tooltip(route: Route, places: Sequence[Place]) -> str:
    """'Ali: Istanbul → Gaziantep'."""
    return escape(route.person) + ": " + " → ".join(escape(places[s.place].chosen.name) for s in route.stops)


def stop_html(route: Route, stops: Iterable[Stop], places: Sequence[Place], evidence: Evidence) -> str:
    """The evidence of stops of a route at one point: which stop of whose route, and the sentence that says so."""
    parts = [f"<b>{escape(route.person)}</b>"]
    for stop in stops:
        place = places[stop.place]
        when = f", {escape(stop.date)}" if stop.date else ""
        parts.append(f"<div>Stop {stop.number} of {len(route.stops)}: <b>{escape(place.chosen.name)}</b> "
                     f"({escape(stop.role)}{when})</div>")
        parts.append(_quote(evidence.html(place.mention.sentence, [place.mention], [stop.tie])))
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
_LINE = f"display:inline-block;width:14px;height:{ROUTE_WEIGHT}px;vertical-align:middle;"
_AREA = "display:inline-block;width:12px;height:10px;border:1.5px solid;opacity:0.8;"


def legend_html(kinds: Iterable[str] = (), people: Iterable[str] = (), colours: dict[str, str] | None = None,
                region_kinds: Iterable[str] = ()) -> str:
    """The key: a dot per kind of place, a line per person's route, an area per kind of region.

    Each swatch carries its own style, so the same key reads alike in the
    map's corner and in the dashboard's sidebar, which has no map stylesheet.
    """
    colours = colours or {}
    rows = []
    for kind in dict.fromkeys(kinds):
        style = KIND_STYLES.get(kind, OTHER_KIND_STYLE)
        rows.append(
            f"<div><span class='geo-dot' style='{_DOT}border-color:{style['color']};"
            f"background:{style['fill_color']}'></span> {escape(kind)}</div>"
        )
    rows += [f"<div><span class='geo-line' style='{_LINE}background:{colours[p]}'></span> {escape(p)}</div>"
             for p in people]
    for kind in region_kinds:
        style = REGION_STYLES.get(kind, OTHER_REGION_STYLE)
        rows.append(
            f"<div><span class='geo-area' style='{_AREA}border-color:{style['color']};background:{style['fillColor']}'>"
            f"</span> {escape(REGION_LABELS.get(kind, kind))}</div>"
        )
    return "".join(rows)

