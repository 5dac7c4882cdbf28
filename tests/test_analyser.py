"""Analyses in a process of their own (geo.analyser): what the dashboard's server hands its texts to.

Each test starts a real child (``python -m geo.analyser``), which loads the model: the subprocess tier."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from geo.analyser import Analyser
from geo.corpus.cache import AnalysisCache, text_key
from geo.errors import AnalysisCancelled, GeoError
from geo.model import Document
from geo.pipeline import analyse, pipeline_version

TIMEOUT = 180
SHORT = (Document("short", "Omar Haddad flew from Cairo to Tunis in 2017."),)


def long_text(paragraphs: int) -> tuple[Document, ...]:
    return (Document("long", "\n\n".join(f"Karl Weber drove from Vienna to Prague in {1900 + i % 100}. "
                                         f"He met Anna in Brno." for i in range(paragraphs))),)


@pytest.fixture
def child(tmp_path):
    analyser = Analyser(tmp_path / "analyses", 3)
    analyser.ready(TIMEOUT)
    yield analyser
    analyser.close()


def test_the_child_makes_the_same_analysis_and_keeps_it(child, tmp_path, resources):
    said = []
    made = child.analyse(text_key(SHORT), SHORT, progress=lambda *p: said.append(p))
    assert made == analyse(list(SHORT), resources), "another process, the same analysis"
    assert [p.mention.text for p in made.places] == ["Cairo", "Tunis"]
    assert said and said[-1][0] == said[-1][1], "its progress was told, to the end"
    assert AnalysisCache(tmp_path / "analyses").get(text_key(SHORT), pipeline_version()) == made, "kept there"
    assert child.process.pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, child.process.pid) > os.getpriority(os.PRIO_PROCESS, 0), \
        "what the user looks at comes before the analysis"


def test_a_cancelled_analysis_stops_and_the_child_goes_on(child):
    cancel = threading.Event()
    said = []

    def progress(done, total, what):
        said.append(done)
        if done > 0:
            cancel.set()  # once the long text is under way

    with pytest.raises(AnalysisCancelled):
        child.analyse(text_key(long_text(3000)), long_text(3000), progress=progress, cancel=cancel)
    assert said and said[-1] < 2 * len(long_text(3000)[0].text), "it stopped before the end"
    assert child.analyse(text_key(SHORT), SHORT).places, "the next text is analysed"


def test_a_short_text_does_not_wait_for_a_long_one(child):
    long_done = threading.Event()
    cancel = threading.Event()

    def long_one():
        try:
            child.analyse(text_key(long_text(3000)), long_text(3000), cancel=cancel)
        except AnalysisCancelled:
            pass
        long_done.set()

    threading.Thread(target=long_one, daemon=True).start()
    try:
        time.sleep(1.0)
        child.analyse(text_key(SHORT), SHORT)
        assert not long_done.is_set(), "the short text came back while the long one was still being made"
    finally:
        cancel.set()
        long_done.wait(TIMEOUT)


def test_when_the_child_dies_the_waiting_analysis_fails_and_says_so(child):
    failed = []

    def waiting():
        try:
            child.analyse(text_key(long_text(3000)), long_text(3000))
        except GeoError as err:
            failed.append(err)

    thread = threading.Thread(target=waiting, daemon=True)
    thread.start()
    time.sleep(1.0)
    os.kill(child.process.pid, signal.SIGKILL)
    thread.join(TIMEOUT)
    assert failed and "analyser stopped" in str(failed[0]) and not isinstance(failed[0], AnalysisCancelled)
    assert not child.alive
    with pytest.raises(GeoError, match="stopped"):
        child.analyse(text_key(SHORT), SHORT)


def test_a_child_that_cannot_load_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))  # no gazetteer there
    analyser = Analyser(tmp_path / "analyses", 1)
    try:
        with pytest.raises(GeoError, match="gazetteer"):
            analyser.ready(TIMEOUT)
    finally:
        analyser.close()


SERVER = """
import json, sys, tempfile, pathlib
from geo import service
from geo.corpus.cache import AnalysisCache
from geo.model import Document
root = pathlib.Path(tempfile.mkdtemp())
service.cache = lambda: AnalysisCache(root)
service.analyse_apart()
service.AFTER_PAGE_SECONDS = 0.0
job = service.request([Document("a", "Omar Haddad flew from Cairo to Tunis in 2017.")])
places = [p.mention.text for p in job.result(180).places]
first = service.analyser().process.pid
service.analyser().process.kill(); service.analyser().process.wait()
import time; time.sleep(0.5)
again = service.request([Document("b", "Lina drove from Lyon to Nice.")]).result(180)
print(json.dumps({"places": places, "again": [p.mention.text for p in again.places],
                  "spacy": "spacy" in sys.modules, "restarted": service.analyser().process.pid != first,
                  "timings": sorted(service.timings())}))
"""


def test_a_server_that_analyses_apart_never_loads_spacy_and_starts_a_stopped_child_anew():
    out = subprocess.run([sys.executable, "-c", SERVER], capture_output=True, text=True, timeout=2 * TIMEOUT,
                         check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["places"] == ["Cairo", "Tunis"] and found["again"] == ["Lyon", "Nice"]
    assert not found["spacy"], "the server loaded spaCy itself"
    assert found["restarted"], "a child that stopped is started anew for the next text"
    assert {"analyser", "analyser model"} <= set(found["timings"])
