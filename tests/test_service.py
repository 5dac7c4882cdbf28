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


# --- the loading's order: a process of its own each, as a server just started -------------------------------

LOADING = """
import gc, json, sys, time
from geo import service
from geo.model import Document
service.AFTER_PAGE_SECONDS = {after}
service.start()
service.gazetteer()  # what a map needs is loaded
time.sleep(1.0)
before = {{"spacy": "spacy" in sys.modules, "model": "model" in service.timings()}}
t = time.monotonic()
{trigger}
print(json.dumps({{"before": before, "waited": time.monotonic() - t, "frozen": gc.get_freeze_count()}}))
"""


def loading(trigger: str, after: float) -> dict:
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", LOADING.format(trigger=trigger, after=after)],
                         capture_output=True, text=True, timeout=TIMEOUT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_model_waits_for_the_first_page_then_a_moment_more():
    """The model's loading holds the interpreter the server needs to send the first map: it waits for a page
    to be sent, and then for the browser to draw it (AFTER_PAGE_SECONDS), unless a text needs it."""
    found = loading("service.page_sent(); time.sleep(0.2); assert 'model' not in service.timings(); "
                    "service.start().result()", after=1.5)  # the loading's Future, which asks for nothing
    assert found["before"] == {"spacy": False, "model": False}, "nothing asked for the model yet"
    assert found["waited"] >= 1.5, "the model loaded before the first page had its moment"


def test_a_text_to_analyse_loads_the_model_at_once():
    found = loading("service.resources()", after=30.0)
    assert found["before"] == {"spacy": False, "model": False}
    assert found["waited"] < 25, "resources() waited for a page instead of loading the model"


def test_what_lives_as_long_as_the_process_is_set_apart_from_full_collections():
    """Streamlit collects all garbage after every run of the page; the model and the gazetteer are kept out of
    those passes (gc.freeze), which took 80 ms with them in."""
    assert loading("service.resources()", after=0.0)["frozen"] > 100_000


def test_import_like_runs_a_files_top_level_imports_and_nothing_else(tmp_path, monkeypatch):
    import sys

    (tmp_path / "warm_probe_top.py").write_text("VALUE = 1\n")
    (tmp_path / "warm_probe_inner.py").write_text("VALUE = 2\n")
    page = tmp_path / "page.py"
    page.write_text("import json\nfrom warm_probe_top import VALUE\n\nraise SystemExit('the page ran')\n\n\n"
                    "def later():\n    import warm_probe_inner\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("warm_probe_top", "warm_probe_inner"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    service.import_like(page)
    assert "warm_probe_top" in sys.modules and "warm_probe_inner" not in sys.modules


def test_a_large_analysis_is_set_apart_from_full_collections_once_made():
    """A large analysis lives as long as the sessions that show it: a full collection over its millions of
    objects took a second in the middle of a map's redraw."""
    found = loading("service.LARGE_ANALYSIS = 10**9; service.cache = lambda: __import__('geo.corpus.cache', "
                    "fromlist=['x']).AnalysisCache(__import__('pathlib').Path(__import__('tempfile').mkdtemp())); "
                    "service.request([Document('a', 'Omar flew from Cairo to Tunis.')]).result(); "
                    "small = gc.get_freeze_count(); service.LARGE_ANALYSIS = 1; "
                    "analysis = service.request([Document('b', 'Lina drove from Lyon to Nice.')]).result(); "
                    "before = dict(before, small=small)", after=0.0)
    assert found["frozen"] > found["before"]["small"], "the large analysis was not set apart"
