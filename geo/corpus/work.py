"""The work of one chunk of a batch, here or on a Dask worker: texts in, the store's rows out.

A worker process loads the spaCy model and the gazetteer once (``worker_resources``) and analyses
whole chunks; a document that makes the analysis fail is the only one lost (``Rows.one_by_one``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from geo.model import Document

_RESOURCES: dict[tuple, object] = {}


def worker_resources(geocoder: str = "offline", demonyms: bool = False):
    """The spaCy model, gazetteer and geocoder of this process, loaded once."""
    from geo.pipeline import load_resources

    key = (geocoder, demonyms)
    if key not in _RESOURCES:
        _RESOURCES[key] = load_resources(geocoder, demonyms=demonyms)
    return _RESOURCES[key]


def warm(geocoder: str = "offline", demonyms: bool = False) -> bool:
    worker_resources(geocoder, demonyms)
    return True


# (doc_id, rel path, sha1, text)
Job = tuple[str, str, str, str]


@dataclass
class Rows:
    """What a chunk's analyses come to so far: their store rows, failures and notices."""

    parts: list = field(default_factory=list)  # analysis_rows of each analysed document, in order
    failures: list = field(default_factory=list)  # (path, reason)
    told: dict = field(default_factory=dict)  # the documents' notices, each once, in order

    def add(self, analysis, sources, on_document) -> None:
        from geo.corpus.rows import analysis_rows

        self.parts.append(analysis_rows(analysis, sources))
        self.told.update(dict.fromkeys(analysis.notices))
        if on_document:
            on_document(analysis.documents[0].id, len(analysis.documents[0].text.split()))

    def one_by_one(self, jobs: Sequence[Job], res, sources, on_document) -> None:
        """Each job analysed alone, so that a document that makes the analysis fail is the only one lost."""
        from geo.pipeline import iter_analyses

        for d, _, _, text in jobs:
            try:
                (analysis,) = iter_analyses([Document(d, text)], res)
            except Exception as err:  # noqa: BLE001 - a bug, not bad input: that was refused when read
                self.failures.append((sources[d].path, f"analysis failed: {type(err).__name__}: {err}"))
                continue
            self.add(analysis, sources, on_document)

    def tables(self):
        from geo.corpus.rows import concat_rows, rows_to_tables

        return rows_to_tables(concat_rows(self.parts))


def sources_of(jobs: Sequence[Job]) -> dict:
    from geo.corpus.rows import Source

    return {d: Source(rel, sha) for d, rel, sha, _ in jobs}


def analyse_chunk(jobs: Sequence[Job], geocoder: str = "offline", demonyms: bool = False, *,
                  resources=None, on_document: Callable[[str, int], None] | None = None):
    """Analyse a chunk; returns (tables of geo.store, failures as [(path, reason)], the documents' notices).

    The chunk goes through nlp.pipe in one stream. Should a document make the
    analysis fail (a bug, not bad input: that was refused when read), the
    rest of the chunk is redone one document at a time, so only that one is lost.
    """
    from geo.pipeline import iter_analyses

    res = resources or worker_resources(geocoder, demonyms)
    sources = sources_of(jobs)
    rows = Rows()
    try:
        for analysis in iter_analyses([Document(d, text) for d, _, _, text in jobs], res):
            rows.add(analysis, sources, on_document)
    except Exception:  # noqa: BLE001 - isolate the document that fails, keep the others
        rows.one_by_one(jobs[len(rows.parts):], res, sources, on_document)
    return rows.tables(), rows.failures, list(rows.told)
