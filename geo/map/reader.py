"""The reading view: the documents' text as escaped HTML, its places, people and dates marked by kind.

It sits beside the map, in the map's own page (``geo.map.elements.Reader``),
so its links work in the dashboard's map frame and in an exported file
alike: a name marked here flies the map to its place, and a marker's popup
scrolls the text to its sentence (``sentence_ref``). Doubtful names — a place
with close candidates, or one that could not be placed — are flagged.

Pure: strings in, strings out. Every piece of document text is escaped here;
the page then hands the HTML to the browser as a JSON string, never to a
template.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from html import escape

from geo.filters import iso_span
from geo.map.popups import sentence_ref
from geo.map.styles import MARK_CLASSES, ZOOM_BY_KIND
from geo.model import Analysis, Document, Place, Sentence
from geo.routes import epoch_ms

# Past this many characters, a document shows only its sentences that name something, with elisions:
# the whole text of a book would otherwise ride along with every redraw of the map.
READER_MAX_CHARS = 200_000
ELISION = "<span class='geo-elided'> […] </span>"


def point_key(lat: float, lon: float) -> str:
    """The name of a marker's point, shared by the markers and the reading view's marks."""
    return f"{lat:.5f},{lon:.5f}"


def doubt_of(places: Iterable[Place]) -> str:
    """Why these places (one name's, or one place) are doubtful, as the reading view flags them: "not placed",
    "close candidates", or "" when they are not."""
    places = list(places)
    if any(p.chosen is None for p in places):
        return "not placed"
    return "close candidates" if any(p.candidates for p in places) else ""


@dataclass(frozen=True)
class Reading:
    """The reading view, and the sentences it shows (``sentence_ref``s): the only ones a marker's popup can
    scroll it to, so the only ones the map's data need name."""

    html: str
    sentences: frozenset[str]

    @cached_property
    def documents(self) -> frozenset[str]:
        """The documents it shows (some of their sentences, or all)."""
        return frozenset(ref.rsplit("@", 1)[0] for ref in self.sentences)

    def ref(self, sentence: Sentence) -> str | None:
        """The sentence's ``sentence_ref`` when the reading view shows it, else None (its document first: a
        corpus's map asks for 100,000 sentences, most of documents not shown)."""
        if sentence.doc_id not in self.documents:
            return None
        ref = sentence_ref(sentence)
        return ref if ref in self.sentences else None


def reader_html(analysis: Analysis, *, max_chars: int = READER_MAX_CHARS) -> str:
    """The reading view of every document of ``analysis``, with a short summary at its head."""
    return reading(analysis, max_chars=max_chars).html


def reading(analysis: Analysis, *, max_chars: int = READER_MAX_CHARS) -> Reading:
    """``reader_html``, with the sentences it shows."""
    items = _by_document(analysis)
    doubtful = sum(1 for p in analysis.places if doubt_of([p]))
    people = len({p.name for p in analysis.people})
    head = (f"<div class='geo-reader-sum'>{_count(len(analysis.places), 'place name')} · "
            f"{_count(people, 'person', 'people')} · {_count(len(analysis.dates), 'date')}"
            + (f" · <span class='geo-doubt'>{_count(doubtful, 'doubtful name')}</span>" if doubtful else "")
            + "</div>")
    # Characters of text shown, over all the documents: a document that fits is shown whole, a longer one by
    # its sentences that name something; once they are spent, the documents after are counted, not shown (a
    # corpus's text would otherwise ride along with every redraw of the map). The first is always shown.
    budget = max_chars
    body, shown = [], set()
    several = len(analysis.documents) > 1
    for k, doc in enumerate(analysis.documents):
        if k and budget <= 0:
            left = len(analysis.documents) - k
            body.append(f"<div class='geo-small geo-more'>{_count(left, 'more document')} not shown here: the "
                        f"reading view holds about {max_chars:,} characters. Choose fewer documents to read "
                        f"them.</div>")
            break
        mine = items.get(doc.id, ())  # (only the documents shown are read: a corpus's others cost nothing)
        doc_marks = _marks(doc, mine)
        sentences = _sentences(doc, mine)
        if len(doc.text) <= budget:
            ranges = [(0, len(doc.text))]
        else:  # only what names something, the rest elided
            starts = sorted(m[0] for m in doc_marks)
            ranges = _merge([(s, e) for s, e in sentences
                             if bisect.bisect_left(starts, e) > bisect.bisect_left(starts, s)])
        budget -= sum(b - a for a, b in ranges)
        title = f"<h4 class='geo-reader-doc'>{escape(doc.id)}</h4>" if several else ""
        text = ELISION.join(_render(doc, a, b, sentences, doc_marks, shown) for a, b in ranges)
        if ranges and ranges != [(0, len(doc.text))]:
            text = (f"<div class='geo-small'>A long text: only its sentences that name a place, person or date "
                    f"are shown.</div>{text}")
        body.append(f"{title}<div class='geo-reader-text'>{text}</div>")
    return Reading(head + "".join(body), frozenset(shown))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _by_document(analysis: Analysis) -> dict[str, list[tuple[int, object, object]]]:
    """Per document, what it marks, in one pass: (priority, mention, what it is: its Place, its person's name
    or the DateMention itself); places first, then people, then dates, each in the analysis' order."""
    out: dict[str, list[tuple[int, object, object]]] = {}
    for place in analysis.places:
        out.setdefault(place.mention.doc_id, []).append((0, place.mention, place))
    for person in analysis.people:
        for m in person.mentions:
            out.setdefault(m.doc_id, []).append((1, m, person.name))
    for d in analysis.dates:
        out.setdefault(d.doc_id, []).append((2, d, d))
    return out


def _marks(doc: Document, items) -> list[tuple[int, int, int, str]]:
    """(start, end, priority, opening tag) of each mark of ``doc``, places first where two overlap."""
    out = []
    for priority, mention, what in items:
        span = _span(doc, mention)
        if span:
            out.append((*span, priority, _tag(priority, what)))
    return out


def _tag(priority: int, what) -> str:
    if priority == 1:
        return (f"<mark class='{MARK_CLASSES['person']}' data-kind='person' data-person='{escape(what)}' "
                f"title='{escape(what)}'>")
    if priority == 2:
        span = iso_span(what.iso, what.iso_end) if what.iso else None
        when = f" data-t='{epoch_ms(span[0])}' title='{escape(what.iso)}'" if span else " title='date not understood'"
        return f"<mark class='{MARK_CLASSES['date']}' data-kind='date'{when}>"
    classes = MARK_CLASSES["place"]
    if what.chosen is None:
        title = "Not placed: no place of this name was found"
        return f"<mark class='{classes} geo-doubt geo-unplaced' data-kind='place' title='{escape(title)}'>"
    c = what.chosen
    where = ", ".join(x for x in (c.kind, c.country) if x)
    title = f"{c.name} ({where})"
    doubt = ""
    if what.candidates:
        doubt = " geo-doubt"
        others = "; ".join(f"{a.name} ({a.country or a.kind})" for a in what.candidates[:4])
        title += f". Close candidates: {others}"
    return (f"<mark class='{classes}{doubt}' data-kind='place' data-key='{point_key(c.lat, c.lon)}' "
            f"data-lat='{c.lat:.5f}' data-lon='{c.lon:.5f}' data-zoom='{ZOOM_BY_KIND.get(c.kind, 6)}' "
            f"title='{escape(title)}'>")


def _span(doc: Document, mention) -> tuple[int, int] | None:
    """Where a mention sits in its document: by its offsets, else found within its sentence."""
    n = len(mention.text)
    if n and doc.text[mention.start:mention.start + n] == mention.text:
        return mention.start, mention.start + n
    sentence = mention.sentence
    if doc.text[sentence.start:sentence.start + len(sentence.text)] == sentence.text:
        found = sentence.text.find(mention.text) if n else -1
        if found >= 0:
            return sentence.start + found, sentence.start + found + n
    return None


def _sentences(doc: Document, items) -> list[tuple[int, int]]:
    """The sentences of ``doc`` that its mentions name, as (start, end) spans, in order and not overlapping."""
    seen: dict[int, Sentence] = {}
    for _, m, _ in items:
        s = m.sentence
        if s.doc_id == doc.id and doc.text[s.start:s.start + len(s.text)] == s.text:
            seen.setdefault(s.start, s)
    spans, end = [], -1
    for start in sorted(seen):
        if start >= end:
            end = start + len(seen[start].text)
            spans.append((start, end))
    return spans


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _render(doc: Document, a: int, b: int, sentences: list[tuple[int, int]],
            marks: list[tuple[int, int, int, str]], shown: set[str]) -> str:
    """doc.text[a:b] escaped, its sentences in spans that popups point at (their refs added to ``shown``),
    its marks in <mark>."""
    text = doc.text
    inside = [(s, e) for s, e in sentences if a <= s and e <= b]
    tokens = []  # (offset, order at one offset: a mark closes, then a sentence, then one opens, then a mark; html)
    for s, e in inside:
        ref = sentence_ref(Sentence(doc.id, s, e, ""))
        shown.add(ref)
        ref = escape(ref)
        tokens += [(s, 2, f'<span class="geo-sent" data-s="{ref}">'), (e, 1, "</span>")]
    starts, ends = [s for s, _ in inside], [e for _, e in inside]
    last_end = a
    for s, e, _, tag in sorted(marks, key=lambda m: (m[0], m[2])):
        if not (a <= s and e <= b) or s < last_end:
            continue  # outside this range, or overlapping the mark made before it
        i = bisect.bisect_right(starts, s) - 1
        in_sentence = i >= 0 and s < ends[i]
        limit = ends[i] if in_sentence else (starts[i + 1] if i + 1 < len(starts) else b)
        if e > limit:
            continue  # would cross a sentence's edge
        flag = "<sup class='geo-flag'>?</sup>" if "geo-doubt" in tag else ""
        tokens += [(s, 3, tag), (e, 0, "</mark>" + flag)]
        last_end = e
    out, pos = [], a
    for offset, _, html in sorted(tokens, key=lambda t: (t[0], t[1])):
        out.append(escape(text[pos:offset]))
        out.append(html)
        pos = offset
    out.append(escape(text[pos:b]))
    return "".join(out)
