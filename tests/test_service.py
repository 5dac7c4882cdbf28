"""The analysis service: resources loaded once, one job per text whoever asks, work outside the caller's thread."""

from __future__ import annotations

import time

import pytest

from geo import pipeline, service
from geo.corpus.cache import AnalysisCache
from geo.errors import AnalysisCancelled
from geo.model import Document

TIMEOUT = 120
SHORT = [Document("short", "Omar Haddad flew from Cairo to Tunis in 2017.")]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A service with an empty cache of its own and no job in memory (a server just started)."""
    monkeypatch.setattr(service, "cache", lambda: AnalysisCache(tmp_path / "analyses"))
    monkeypatch.setattr(service, "_jobs", type(service._jobs)())
    return tmp_path


def long_documents(n: int = 900) -> list[Document]:
    return [Document("long", "\n\n".join(f"Karl Weber drove from Vienna to Prague in {1900 + i}. He met Anna in Brno."
                                         for i in range(n)))]


def test_resources_are_loaded_once(resources):
    assert service.resources() is service.resources()
    assert service.gazetteer() is service.resources().gazetteer  # one gazetteer, for the map and the analyses
    assert {"gazetteer", "import spacy", "model"} <= set(service.timings())


def test_one_job_per_text_whoever_asks(fresh):
    first = service.request(SHORT, watcher="a")
    second = service.request(SHORT, watcher="b")
    assert first is second and first.watchers == {"a", "b"}
    analysis = first.result(TIMEOUT)
    assert [p.mention.text for p in analysis.places] == ["Cairo", "Tunis"] and not first.from_cache


def test_a_finished_analysis_is_read_back_after_a_restart(fresh, monkeypatch):
    analysis = service.request(SHORT).result(TIMEOUT)
    monkeypatch.setattr(service, "_jobs", type(service._jobs)())  # the server restarts
    again = service.request(SHORT)
    assert again.result(TIMEOUT) == analysis and again.from_cache


def test_a_job_stops_when_its_last_watcher_cancels(fresh, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 2_000)
    job = service.request(long_documents(), watcher="a")
    service.request(long_documents(), watcher="b")
    service.cancel(job, "a")
    assert not job.cancel_event.is_set(), "b still waits for it"
    service.cancel(job, "b")
    with pytest.raises(AnalysisCancelled):
        job.result(TIMEOUT)
    assert job.cancelled
    assert service.request(long_documents()) is not job, "asked again, the text is analysed anew"
    service.cancel(service.job(job.key))


def test_a_short_text_does_not_wait_for_a_long_one(fresh, monkeypatch):
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 2_000)
    long = service.request(long_documents(3000))
    try:
        deadline = time.monotonic() + TIMEOUT
        while long.progress.done == 0 and time.monotonic() < deadline:  # the long one is being read
            time.sleep(0.05)
        short = service.request(SHORT)
        short.result(TIMEOUT)
        assert not long.done, "the short text was analysed while the long one was still being read"
        assert 0 < long.progress.done < long.progress.total and "parsing piece" in long.progress.what
    finally:
        service.cancel(long)
