"""An Analysis as rows of the store's tables, and back, exactly.

Every row carries its ``doc_id``; places, ties, people, person mentions and
dates carry ``seq``, their position in the document's own Analysis, so the
Analysis of a document comes back exactly as it was made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa

from geo.fsutil import natural_key
from geo.model import (
    Analysis,
    Candidate,
    DateMention,
    Document,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Sentence,
    Tie,
)

_SENTENCE = [("sentence_start", pa.int64()), ("sentence_end", pa.int64()), ("sentence", pa.string())]
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("path", pa.string()), ("sha1", pa.string()),
        ("chars", pa.int64()), ("words", pa.int64()), ("text", pa.string()),
        ("document_date", pa.string()),  # the date it was written, given or read from its dateline
    ]),
    "places": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
        ("label", pa.string()),
        ("resolved", pa.bool_()),
        ("name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("kind", pa.string()),
        ("country", pa.string()), ("population", pa.int64()), ("admin1", pa.string()),
        ("source", pa.string()), ("candidate_id", pa.string()),
        ("score", pa.float64()), ("geocoder", pa.string()),
        ("candidates", pa.string()),  # JSON list of Candidate fields: close alternatives
    ]),
    "people": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()), ("name", pa.string()),
        ("aliases", pa.list_(pa.string())), ("mentions", pa.int32()),
    ]),
    "person_mentions": pa.schema([
        ("doc_id", pa.string()), ("person_seq", pa.int32()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
    ]),
    "dates": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), *_SENTENCE,
        ("iso", pa.string()), ("iso_end", pa.string()), ("precision", pa.string()),
    ]),
    "ties": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()), ("place", pa.int32()),
        ("person", pa.string()), ("role", pa.string()), ("date", pa.string()),
        ("date_end", pa.string()), ("order", pa.int32()),
    ]),
}
TABLES = tuple(SCHEMAS)
@dataclass(frozen=True)
class Source:
    """Where a document came from: its file (relative to the batch root) and its bytes' SHA-1."""

    path: str
    sha1: str
def _sentence(s: Sentence) -> dict:
    return {"sentence_start": s.start, "sentence_end": s.end, "sentence": s.text}
def _candidate_fields(c: Candidate) -> dict:
    return {"name": c.name, "lat": c.lat, "lon": c.lon, "kind": c.kind, "country": c.country,
            "population": c.population, "admin1": c.admin1, "source": c.source, "id": c.id}
def analysis_rows(analysis: Analysis, sources: Mapping[str, Source] | None = None) -> dict[str, list[dict]]:
    """The rows of each table for an analysis of one or more documents (not yet merged:
    tie indices must be local to each document, as ``iter_analyses`` gives them)."""
    sources = sources or {}
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for d in analysis.documents:
        src = sources.get(d.id)
        rows["documents"].append({
            "doc_id": d.id, "path": src.path if src else None, "sha1": src.sha1 if src else None,
            "chars": len(d.text), "words": len(d.text.split()), "text": d.text, "document_date": d.document_date,
        })
    local: dict[int, tuple[str, int]] = {}  # index in analysis.places -> (doc_id, seq in its document)
    counters: dict[str, int] = {}
    for i, p in enumerate(analysis.places):
        m = p.mention
        seq = counters.get(m.doc_id, 0)
        counters[m.doc_id] = seq + 1
        local[i] = (m.doc_id, seq)
        c = p.chosen
        rows["places"].append({
            "doc_id": m.doc_id, "seq": seq, "text": m.text, "start": m.start, "end": m.end,
            **_sentence(m.sentence), "label": m.label, "resolved": c is not None,
            "name": c.name if c else None, "lat": c.lat if c else None, "lon": c.lon if c else None,
            "kind": c.kind if c else None, "country": c.country if c else None,
            "population": c.population if c else None, "admin1": c.admin1 if c else None,
            "source": c.source if c else None, "candidate_id": c.id if c else None,
            "score": p.score, "geocoder": p.geocoder,
            "candidates": json.dumps([_candidate_fields(a) for a in p.candidates], ensure_ascii=False),
        })
    seqs: dict[str, int] = {}
    for person in analysis.people:
        doc_id = person.mentions[0].doc_id if person.mentions else analysis.documents[0].id
        seq = seqs.get(doc_id, 0)
        seqs[doc_id] = seq + 1
        rows["people"].append({"doc_id": doc_id, "seq": seq, "name": person.name,
                               "aliases": list(person.aliases), "mentions": len(person.mentions)})
        for j, m in enumerate(person.mentions):
            rows["person_mentions"].append({"doc_id": m.doc_id, "person_seq": seq, "seq": j, "text": m.text,
                                            "start": m.start, "end": m.end, **_sentence(m.sentence)})
    seqs = {}
    for dm in analysis.dates:
        seq = seqs.get(dm.doc_id, 0)
        seqs[dm.doc_id] = seq + 1
        rows["dates"].append({"doc_id": dm.doc_id, "seq": seq, "text": dm.text, "start": dm.start, "end": dm.end,
                              **_sentence(dm.sentence), "iso": dm.iso, "iso_end": dm.iso_end,
                              "precision": dm.precision})
    seqs = {}
    for t in analysis.ties:
        doc_id, place_seq = local[t.place]
        seq = seqs.get(doc_id, 0)
        seqs[doc_id] = seq + 1
        rows["ties"].append({"doc_id": doc_id, "seq": seq, "place": place_seq, "person": t.person,
                             "role": t.role, "date": t.date, "date_end": t.date_end, "order": t.order})
    return rows
def rows_to_tables(rows: Mapping[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: pa.Table.from_pylist(rows.get(name, []), schema=SCHEMAS[name]) for name in TABLES}
def concat_rows(parts: Iterable[Mapping[str, list[dict]]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for part in parts:
        for name in TABLES:
            out[name].extend(part.get(name, ()))
    return out
def _sent(doc_id: str, r: Mapping) -> Sentence:
    return Sentence(doc_id, r["sentence_start"], r["sentence_end"], r["sentence"])
def _place(r: Mapping) -> Place:
    mention = PlaceMention(r["doc_id"], r["text"], r["start"], r["end"], _sent(r["doc_id"], r), r["label"])
    chosen = None
    if r["resolved"]:
        chosen = Candidate(r["name"], r["lat"], r["lon"], r["kind"], r["country"], r["population"],
                           r["admin1"], r["source"], r["candidate_id"])
    alternatives = tuple(Candidate(**c) for c in json.loads(r["candidates"] or "[]"))
    return Place(mention, chosen, alternatives, r["score"], r["geocoder"])
def tables_to_analysis(tables: Mapping[str, pa.Table], person_of: Mapping[tuple[str, str], str] | None = None,
                       notices: tuple[str, ...] = ()) -> Analysis:
    """One Analysis (a corpus) from store tables, documents in natural order of their ids.

    ``person_of`` maps (doc_id, name in that document) to a corpus person: their
    ties then name the corpus person, and the Persons of several documents who
    are one person become one Person, with every name they go by as aliases.
    """
    rows = {name: tables[name].to_pylist() for name in TABLES}
    order = {d["doc_id"]: i for i, d in enumerate(sorted(rows["documents"], key=lambda d: natural_key(d["doc_id"])))}
    rank = lambda r: (order.get(r["doc_id"], len(order)), natural_key(r["doc_id"]))  # noqa: E731
    documents = tuple(Document(d["doc_id"], d["text"], d.get("document_date"))
                      for d in sorted(rows["documents"], key=rank))

    place_rows = sorted(rows["places"], key=lambda r: (rank(r), r["seq"]))
    index = {(r["doc_id"], r["seq"]): i for i, r in enumerate(place_rows)}
    places = tuple(_place(r) for r in place_rows)

    rename = person_of or {}
    mentions: dict[tuple[str, int], list[PersonMention]] = {}
    for r in sorted(rows["person_mentions"], key=lambda r: (rank(r), r["person_seq"], r["seq"])):
        mentions.setdefault((r["doc_id"], r["person_seq"]), []).append(
            PersonMention(r["doc_id"], r["text"], r["start"], r["end"], _sent(r["doc_id"], r)))
    merged: dict[object, dict] = {}  # corpus name (or, unmerged, the document's person) -> names, mentions
    for r in sorted(rows["people"], key=lambda r: (rank(r), r["seq"])):
        corpus = rename.get((r["doc_id"], r["name"]), r["name"])
        entry = merged.setdefault(corpus if person_of is not None else (r["doc_id"], r["seq"]),
                                  {"name": corpus, "names": [], "mentions": []})
        entry["names"] += [r["name"], *r["aliases"]]
        entry["mentions"] += mentions.get((r["doc_id"], r["seq"]), [])
    people = tuple(
        Person(e["name"], tuple(n for n in dict.fromkeys(e["names"]) if n != e["name"]), tuple(e["mentions"]))
        for e in merged.values()
    )

    dates = tuple(
        DateMention(r["doc_id"], r["text"], r["start"], r["end"], _sent(r["doc_id"], r), r["iso"], r["iso_end"],
                    r["precision"])
        for r in sorted(rows["dates"], key=lambda r: (rank(r), r["seq"]))
    )
    ties = tuple(
        Tie(index[(r["doc_id"], r["place"])],
            rename.get((r["doc_id"], r["person"]), r["person"]) if r["person"] else None,
            r["role"], r["date"], r["date_end"], r["order"])
        for r in sorted(rows["ties"], key=lambda r: (rank(r), r["seq"]))
        if (r["doc_id"], r["place"]) in index
    )
    return Analysis(documents, places, people, dates, ties, notices)
