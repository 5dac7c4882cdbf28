"""The batch store: a corpus of analyses as Parquet tables in a folder.

Why Parquet rather than DuckDB: pyarrow comes with Streamlit already (no new
dependency); a Parquet file is written once and never locked, so each batch
chunk lands as its own set of files, written by whoever finished it (the
serial loop or the collector of a Dask run), and a half-written chunk is
never seen; readers (the dashboard) open the folder while a batch is still
adding to it. Filters (document, country, kind) are pushed down to the
files by ``pyarrow.dataset``. DuckDB can query the same files in place
(``SELECT * FROM 'STORE/chunks/*/places.parquet'``) should SQL be wanted.

Layout::

    STORE/
      store.json                      format, version, settings, merged chunks
      people.parquet                  people merged across documents (see merge_people)
      chunks/<id>/<table>.parquet     one folder per chunk of documents, renamed into
                                      place when complete: documents, places, people,
                                      person_mentions, dates, ties

Every row carries its ``doc_id``; places, ties, people, person mentions and
dates carry ``seq``, their position in the document's own Analysis, so the
Analysis of a document comes back exactly as it was made.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from geo.errors import GeoError
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
from geo.extraction.people import name_words

FORMAT = "geo-batch-store"
VERSION = 1
MANIFEST = "store.json"
CHUNKS = "chunks"
PEOPLE_FILE = "people.parquet"


class StoreError(GeoError):
    """A store folder that cannot be used: not a store, another version, other settings."""


_SENTENCE = [("sentence_start", pa.int64()), ("sentence_end", pa.int64()), ("sentence", pa.string())]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("path", pa.string()), ("sha1", pa.string()),
        ("chars", pa.int64()), ("words", pa.int64()), ("text", pa.string()),
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

# people.parquet: each document's person -> the corpus person they are.
MERGED_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("name", pa.string()), ("person", pa.string()),
])


# --- Analysis -> rows ------------------------------------------------------


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
            "chars": len(d.text), "words": len(d.text.split()), "text": d.text,
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


# --- rows -> Analysis ------------------------------------------------------


def _natural(doc_id: str) -> tuple:
    """'2' before '10': numbers in an id compare as numbers."""
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.split(r"(\d+)", doc_id) if x)


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
    order = {d["doc_id"]: i for i, d in enumerate(sorted(rows["documents"], key=lambda d: _natural(d["doc_id"])))}
    rank = lambda r: (order.get(r["doc_id"], len(order)), _natural(r["doc_id"]))  # noqa: E731
    documents = tuple(Document(d["doc_id"], d["text"]) for d in sorted(rows["documents"], key=rank))

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


# --- people across documents -------------------------------------------------


def person_keys(name: str, aliases: Iterable[str] = ()) -> set[str]:
    """What a document's person is recognised by in other documents.

    Their full name, folded without titles ("President Recep Tayyip Erdoğan"
    -> "recep tayyip erdogan"), and each alias of two words or more. A
    one-word alias ("Erdoğan", "Smith") names different people in different
    texts, so it never joins documents; a person known by one word only is
    joined only to people known by that same word alone.
    """
    keys = {" ".join(name_words(name))}
    keys |= {" ".join(w) for a in aliases if len(w := name_words(a)) >= 2}
    return {k for k in keys if k}


def merge_people(people: Sequence[Mapping]) -> list[dict]:
    """Each document's person -> a corpus person: those sharing a key are one.

    ``people`` rows have doc_id, seq, name, aliases, mentions. The corpus
    person's name is the name most mentioned among them, then the longest,
    then the first in order; the result is the same whatever order the rows
    come in.
    """
    rows = sorted(people, key=lambda r: (_natural(r["doc_id"]), r["seq"]))
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, r in enumerate(rows):
        for key in sorted(person_keys(r["name"], r["aliases"] or ())):
            if key in owner:
                a, b = find(owner[key]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        counts: dict[str, int] = {}
        for i in members:
            counts[rows[i]["name"]] = counts.get(rows[i]["name"], 0) + int(rows[i]["mentions"] or 0)
        first = {rows[i]["name"]: n for n, i in reversed(list(enumerate(members)))}
        best = min(counts, key=lambda n: (-counts[n], -len(name_words(n)), -len(n), first[n]))
        out += [{"doc_id": rows[i]["doc_id"], "seq": rows[i]["seq"], "name": rows[i]["name"], "person": best}
                for i in members]
    out.sort(key=lambda r: (_natural(r["doc_id"]), r["seq"]))
    return out


# --- the folder --------------------------------------------------------------


def _write_table(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")


def write_chunk(root: Path, chunk_id: str, tables: Mapping[str, pa.Table]) -> Path:
    """Write a chunk's tables into a temporary folder, then rename it into place.

    A chunk is there whole or not at all: a run stopped half-way leaves only a
    ``.tmp-`` folder, which the next run removes.
    """
    chunks = Path(root) / CHUNKS
    chunks.mkdir(parents=True, exist_ok=True)
    target = chunks / chunk_id
    tmp = chunks / f".tmp-{chunk_id}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name in TABLES:
            _write_table(tables[name], tmp / f"{name}.parquet")
        if target.exists():  # the same documents again (another writer got there first)
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def create_or_check(root: Path, settings: Mapping) -> dict:
    """Open (or start) the store at ``root`` for writing with ``settings``; returns its manifest.

    A store written with other settings (another geocoder, demonyms on) is
    refused: mixing them would make one corpus of two kinds of analysis.
    """
    root = Path(root)
    manifest_path = root / MANIFEST
    if manifest_path.exists():
        manifest = read_manifest(root)
        theirs = manifest.get("settings", {})
        diff = {k: (theirs.get(k), v) for k, v in settings.items() if k in _BINDING and theirs.get(k) != v}
        if diff:
            said = ", ".join(f"{k}: {a!r} there, {b!r} now" for k, (a, b) in diff.items())
            raise StoreError(f"{root} was written with other settings ({said}); "
                             "write to another --out, or run with the same settings")
        return manifest
    if root.exists() and any(p.name != ".lock" for p in root.iterdir()):
        raise StoreError(f"{root} is a folder that is not a batch store ({MANIFEST} missing); "
                         "choose an empty or new folder for --out")
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "version": VERSION, "settings": dict(settings), "merged_chunks": []}
    _write_json_atomic(manifest_path, manifest)
    return manifest


# Settings that change what an analysis holds; others (model version) are for the record.
_BINDING = ("geocoder", "demonyms")


def read_manifest(root: Path) -> dict:
    path = Path(root) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StoreError(f"{root} is not a batch store ({MANIFEST} missing); "
                         "make one with `python -m geo batch DIR --out STORE`") from err
    except (OSError, ValueError) as err:
        raise StoreError(f"{path} cannot be read: {err}") from err
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise StoreError(f"{root} is a store of another format or version "
                         f"({manifest.get('format')} {manifest.get('version')}; this code reads {FORMAT} {VERSION})")
    return manifest


def remove_partial_chunks(root: Path) -> int:
    chunks = Path(root) / CHUNKS
    removed = 0
    if chunks.is_dir():
        for p in chunks.glob(".tmp-*"):
            shutil.rmtree(p, ignore_errors=True)
            removed += 1
    return removed


def chunk_ids(root: Path) -> list[str]:
    chunks = Path(root) / CHUNKS
    if not chunks.is_dir():
        return []
    return sorted(p.name for p in chunks.iterdir() if p.is_dir() and not p.name.startswith("."))


def finalize(root: Path) -> pa.Table:
    """Merge people across every stored document into people.parquet; note which chunks it covers."""
    root = Path(root)
    store = Store(root)
    merged = store.merged_people(recompute=True)
    tmp = root / f".{PEOPLE_FILE}.{os.getpid()}.tmp"
    _write_table(merged, tmp)
    os.replace(tmp, root / PEOPLE_FILE)
    manifest = read_manifest(root)
    manifest["merged_chunks"] = store.chunks
    _write_json_atomic(root / MANIFEST, manifest)
    return merged


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One batch writes a store at a time; the lock goes with the process that held it."""
    import fcntl

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise StoreError(f"another batch is writing {root}; wait for it to finish") from err
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --- reading -------------------------------------------------------------------


def _interval(date: str, date_end: str | None) -> tuple[str, str]:
    """An ISO date at any precision as the first and last day it can mean."""
    lo = date + "-01-01"[len(date) - 4:] if len(date) < 10 else date
    end = date_end or date
    hi = end + "-12-31"[len(end) - 4:] if len(end) < 10 else end
    return lo[:10], hi[:10]


class Store:
    """A batch store opened for reading: its tables, and the corpus as one Analysis.

    Cheap to open (it reads the manifest and lists the chunks); tables are read
    when asked for, with filters pushed down to the Parquet files.
    """

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.manifest = read_manifest(self.root)
        self.chunks = chunk_ids(self.root)
        self._datasets = {
            name: ds.dataset([str(self.root / CHUNKS / c / f"{name}.parquet") for c in self.chunks],
                             schema=SCHEMAS[name], format="parquet")
            for name in TABLES
        }

    def table(self, name: str, *, filter=None, columns: Sequence[str] | None = None) -> pa.Table:
        return self._datasets[name].to_table(filter=filter, columns=list(columns) if columns else None)

    def document_ids(self) -> dict[str, str]:
        """doc_id -> sha1 of every stored document."""
        t = self.table("documents", columns=["doc_id", "sha1"])
        return dict(zip(t["doc_id"].to_pylist(), t["sha1"].to_pylist()))

    def merged_people(self, *, recompute: bool = False) -> pa.Table:
        """(doc_id, seq, name) -> corpus person, from people.parquet when it covers every chunk."""
        path = self.root / PEOPLE_FILE
        if not recompute and path.exists() and self.manifest.get("merged_chunks") == self.chunks:
            return pq.read_table(path, schema=MERGED_SCHEMA)
        rows = self.table("people", columns=["doc_id", "seq", "name", "aliases", "mentions"]).to_pylist()
        return pa.Table.from_pylist(merge_people(rows), schema=MERGED_SCHEMA)

    def person_of(self) -> dict[tuple[str, str], str]:
        t = self.merged_people()
        return dict(zip(zip(t["doc_id"].to_pylist(), t["name"].to_pylist()), t["person"].to_pylist()))

    def people(self) -> list[tuple[str, int]]:
        """Corpus people with the number of documents each is in, most documents first."""
        t = self.merged_people()
        docs: dict[str, set[str]] = {}
        for doc_id, person in zip(t["doc_id"].to_pylist(), t["person"].to_pylist()):
            docs.setdefault(person, set()).add(doc_id)
        return sorted(((p, len(d)) for p, d in docs.items()), key=lambda pd: (-pd[1], pd[0]))

    def summary(self) -> dict[str, int]:
        return {
            "documents": self._datasets["documents"].count_rows(),
            "places": self._datasets["places"].count_rows(),
            "resolved": self._datasets["places"].count_rows(filter=ds.field("resolved")),
            "people in documents": self._datasets["people"].count_rows(),
            "people": len(set(self.merged_people()["person"].to_pylist())),
            "ties": self._datasets["ties"].count_rows(),
            "chunks": len(self.chunks),
        }

    def analysis(
        self,
        *,
        docs: Collection[str] | None = None,
        people: Collection[str] | None = None,
        countries: Collection[str] | None = None,
        kinds: Collection[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        merge: bool = True,
        corrections=None,
    ) -> Analysis:
        """The stored corpus as one Analysis, people merged across documents.

        Filters narrow it: ``docs`` (ids), ``countries`` (ISO2) and ``kinds``
        keep matching places; ``people`` (corpus names) keeps the places tied
        to them; ``date_from``/``date_to`` (ISO, any precision) keep the places
        with a tie dated in that span. Documents keep their people and dates.
        ``corrections`` (``geo.corrections.load()``) are applied on top, as the
        dashboard does: the store keeps what the resolver chose, so a later
        correction needs no new batch.
        """
        for name, value in (("docs", docs), ("people", people), ("countries", countries), ("kinds", kinds)):
            if isinstance(value, str):
                raise TypeError(f"{name} must be a collection, e.g. [{value!r}], not the string {value!r}")
        doc_filter = ds.field("doc_id").isin(list(docs)) if docs is not None else None
        place_filter = doc_filter
        for column, values in (("country", countries), ("kind", kinds)):
            if values is not None:
                f = ds.field(column).isin(list(values))
                place_filter = f if place_filter is None else place_filter & f
        tables = {name: self.table(name, filter=doc_filter) for name in TABLES}
        if place_filter is not doc_filter:
            tables["places"] = self.table("places", filter=place_filter)
        person_of = self.person_of() if merge else None
        if people is not None or date_from or date_to:
            tables["places"] = self._places_tied(tables["places"], tables["ties"], person_of or {},
                                                 set(people) if people is not None else None, date_from, date_to)
        analysis = tables_to_analysis(tables, person_of)
        if corrections:
            from geo.geocoding.corrections import apply_corrections

            analysis = apply_corrections(analysis, corrections)
        return analysis

    @staticmethod
    def _places_tied(places: pa.Table, ties: pa.Table, person_of, people, date_from, date_to) -> pa.Table:
        lo = _interval((date_from or "0000")[:10], None)[0]
        hi = _interval((date_to or "9999")[:10], None)[1]
        keep = set()
        for t in ties.to_pylist():
            if people is not None:
                if not t["person"] or person_of.get((t["doc_id"], t["person"]), t["person"]) not in people:
                    continue
            if date_from or date_to:
                if not t["date"]:
                    continue
                first, last = _interval(t["date"], t["date_end"])
                if last < lo or first > hi:
                    continue
            keep.add((t["doc_id"], t["place"]))
        mask = [(d, s) in keep for d, s in zip(places["doc_id"].to_pylist(), places["seq"].to_pylist())]
        return places.filter(pa.array(mask, type=pa.bool_()))


def open_store(root: Path | str) -> Store:
    return Store(root)


__all__ = [
    "SCHEMAS", "TABLES", "Source", "Store", "StoreError", "analysis_rows", "concat_rows", "create_or_check",
    "finalize", "merge_people", "open_store", "person_keys", "rows_to_tables", "tables_to_analysis", "write_chunk",
]
