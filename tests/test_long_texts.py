"""Long texts: parsed in bounded pieces, analysed as one document, section by section past a size; progress and cancel.

Sizes are made small here (monkeypatched PIECE_CHARS and SECTION_CHARS) so the
sample article is long enough to be cut; bench/bench.py measures a 5 MB text.
"""

from __future__ import annotations

import threading

import pytest

from geo import config, pipeline
from geo.errors import AnalysisCancelled
from geo.model import Analysis, Document, Person, PersonMention, Place, PlaceMention, Sentence, Tie
from geo.pipeline import analyse, cuts, join_sections, shifted
from geo.routes import routes


@pytest.mark.parametrize("text,limit", [
    ("Para one. Second sentence.\n\nPara two is here.\n\n" * 5, 30),
    ("One sentence. Another one! A third? " * 20, 50),
    ("words without any full stop " * 30, 40),
    ("x" * 95, 30),
    ("short", 30),
])
def test_pieces_cover_the_text_whole_and_stay_under_the_limit(text, limit):
    pieces = cuts(text, limit)
    assert "".join(text[a:b] for a, b in pieces) == text
    assert all(0 < b - a <= limit for a, b in pieces)
    assert [a for a, _ in pieces[1:]] == [b for b, _ in [(b, a) for a, b in pieces[:-1]]]  # consecutive


def test_pieces_end_at_paragraphs_then_sentences_then_spaces():
    paragraphs = "A first paragraph. It has two sentences.\n\nA second one, longer than that, much longer.\n\n"
    assert [paragraphs[a:b] for a, b in cuts(paragraphs * 2, 60)][0] == "A first paragraph. It has two sentences.\n\n"
    sentences = "A sentence that ends. Another that does not end before the limit of the piece"
    assert sentences[slice(*cuts(sentences, 40)[0])] == "A sentence that ends. "
    assert sentences[slice(*cuts(sentences.replace(".", ","), 40)[0])].endswith(" ")
    assert cuts("x" * 95, 30)[0] == (0, 30)  # no space at all: cut inside


def places_of(analysis: Analysis) -> list[tuple[str, int, int, str | None]]:
    return [(p.mention.text, p.mention.start, p.mention.end, p.chosen.id if p.chosen else None)
            for p in analysis.places]


def route_names(analysis: Analysis) -> dict[str, list[str]]:
    return {r.person: [analysis.places[s.place].mention.text for s in r.stops] for r in routes(analysis)}


def assert_offsets_hold(analysis: Analysis, text: str) -> None:
    for p in analysis.places:
        assert text[p.mention.start:p.mention.end] == p.mention.text
        s = p.mention.sentence
        assert text[s.start:s.end] == s.text and s.start <= p.mention.start < p.mention.end <= s.end
    for person in analysis.people:
        for m in person.mentions:
            assert text[m.start:m.end] == m.text
    for d in analysis.dates:
        assert text[d.start:d.end] == d.text


def test_a_text_parsed_in_pieces_is_analysed_as_one_document(resources, sample_text, monkeypatch):
    whole = analyse([Document("sample", sample_text)], resources)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_500)
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 3_000)
    told = []
    pieces = analyse([Document("sample", sample_text)], resources, progress=lambda *a: told.append(a))
    assert len([t for t in told if "parsing piece" in t[2]]) >= 2, told
    assert_offsets_hold(pieces, sample_text)
    assert places_of(pieces) == places_of(whole)
    assert [p.name for p in pieces.people] == [p.name for p in whole.people]
    assert route_names(pieces) == route_names(whole)


def test_past_a_section_the_document_is_still_one_analysis(resources, sample_text, monkeypatch):
    whole = analyse([Document("sample", sample_text)], resources)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 1_500)
    monkeypatch.setattr(pipeline, "SECTION_CHARS", 3_500)
    told = []
    parts = analyse([Document("sample", sample_text)], resources, progress=lambda *a: told.append(a))
    assert [t[2] for t in told if "part" in t[2]] == ["sample: people, places and routes of part 1 of 2",
                                                      "sample: people, places and routes of part 2 of 2"]
    assert parts.documents == (Document("sample", sample_text),)
    assert_offsets_hold(parts, sample_text)
    assert {p.name for p in parts.people} >= {p.name for p in whole.people if p.mentions}
    assert len({p.name for p in parts.people}) == len(parts.people), "one person per name"
    for person in {t.person for t in parts.ties if t.person}:
        orders = [t.order for t in parts.ties if t.person == person and t.order is not None]
        assert len(orders) == len(set(orders)), f"{person}'s route numbers its stops once"
    done = [t[0] for t in told]
    assert done == sorted(done) and told[-1][0] == told[-1][1], "progress only goes on, and ends at the end"


def test_two_sections_make_one_person_and_one_route():
    def section(text: str, offset: int, who: str) -> Analysis:
        s = Sentence("d", 0, len(text), text)
        start = text.index("Paris" if "Paris" in text else "Rome")
        name = text[start:start + (5 if "Paris" in text else 4)]
        place = Place(PlaceMention("d", name, start, start + len(name), s, "GPE"), None)
        person = Person(who, (), (PersonMention("d", who, 0, len(who), s),))
        return shifted(Analysis((Document("d", text),), (place,), (person,), (),
                                (Tie(0, who, "destination", order=0),)), offset, Document("d", "x"))

    first = section("Ali Demir flew to Paris.", 0, "Ali Demir")
    second = section("Ali Demir drove to Rome.", 25, "Ali Demir")
    joined = join_sections([first, second], Document("d", "Ali Demir flew to Paris. Ali Demir drove to Rome."))
    assert [p.name for p in joined.people] == ["Ali Demir"] and len(joined.people[0].mentions) == 2
    assert [(p.mention.text, p.mention.start) for p in joined.places] == [("Paris", 18), ("Rome", 44)]
    assert joined.places[1].mention.sentence == Sentence("d", 25, 49, "Ali Demir drove to Rome.")
    assert [(t.place, t.order) for t in joined.ties] == [(0, 0), (1, 1)]  # his route goes on


def test_an_analysis_stops_when_cancelled(resources, sample_text, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 500)
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 500)
    cancel = threading.Event()
    told = []

    def progress(done, total, what):
        told.append(what)
        cancel.set()  # the user cancels as soon as the first piece is read

    with pytest.raises(AnalysisCancelled):
        analyse([Document("sample", sample_text)], resources, progress=progress, cancel=cancel)
    assert len(told) == 1, "stopped before the next piece"


def test_short_documents_are_still_read_alike(resources):
    texts = [config.SAMPLE_PATH.read_text(encoding="utf-8"), "Anna Schmidt flew from Munich to Lisbon in May 2019."]
    together = analyse([Document("a", texts[0]), Document("b", texts[1])], resources)
    alone = [analyse([Document(i, t)], resources) for i, t in zip("ab", texts)]
    assert places_of(together) == places_of(alone[0]) + places_of(alone[1])
