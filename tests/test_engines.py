"""Every core by default: the engine a job gets, and the same output from every engine."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from geo import config, pipeline
from geo.cli.main import main
from geo.corpus.batch import run_batch
from geo.corpus.engines import AUTO, SMALL_JOB_WORDS, Plan, plan, workers_option
from geo.corpus.store import Store
from geo.errors import ConfigError

ROUTES = config.REPO_ROOT / "tests" / "routes"


def test_auto_takes_every_core_but_a_small_job_stays_in_one_process():
    big, small = 10 * SMALL_JOB_WORDS, SMALL_JOB_WORDS // 2
    assert plan(big, AUTO, cores=2) == Plan("spacy", 2)
    assert plan(big, AUTO, cores=8) == Plan("spacy", 8)
    assert plan(small, AUTO, cores=8) == Plan("serial", 1)
    assert plan(big, AUTO, cores=1) == Plan("serial", 1)
    assert plan(small, 3, cores=2) == Plan("spacy", 3)  # asked for: even a small job
    assert plan(big, 1, cores=8) == Plan("serial", 1)
    assert plan(small, AUTO, cores=2, scheduler=True).engine == "dask"
    with pytest.raises(ConfigError, match="number of processes"):
        plan(big, 0)


def test_documents_at_hand_are_analysed_whole_in_forked_children_two_each_at_least():
    big = 10 * SMALL_JOB_WORDS
    assert plan(big, AUTO, cores=2, documents=4, whole=True) == Plan("forked", 2)
    assert plan(big, 3, cores=2, documents=6, whole=True) == Plan("forked", 3)
    # one long document, or too few for every child: the parse is spread by spaCy instead
    assert plan(big, AUTO, cores=2, documents=3, whole=True) == Plan("spacy", 2)
    assert plan(big, AUTO, cores=2, documents=40, whole=False) == Plan("spacy", 2)  # an online geocoder
    assert plan(big, 1, cores=2, documents=40, whole=True) == Plan("serial", 1)


@pytest.mark.subprocess
def test_forked_children_give_the_analyses_of_one_process_in_order(resources):
    import multiprocessing

    from geo.corpus.forked import forked_analyses
    from geo.model import Document
    from geo.pipeline import iter_analyses

    docs = [Document(p.stem, p.read_text(encoding="utf-8")) for p in sorted(ROUTES.glob("*.txt"))[:6]]
    before = set(multiprocessing.active_children())
    forked = list(forked_analyses(docs, resources, None, 2))
    assert forked == list(iter_analyses(docs, resources))
    assert [a.documents[0].id for a in forked] == [d.id for d in docs]
    assert not [p for p in multiprocessing.active_children() if p not in before]  # the children ended


@pytest.mark.subprocess
def test_a_document_that_breaks_a_forked_analysis_raises_in_the_caller(resources, monkeypatch):
    from geo.corpus.forked import forked_analyses
    from geo.model import Document

    real = pipeline._analyse_parsed

    def breaks(doc, document, res):
        if "Zanzibar" in document.text:
            raise ValueError("a rule broke on this document")
        return real(doc, document, res)

    monkeypatch.setattr(pipeline, "_analyse_parsed", breaks)  # (set before the fork: the children have it)
    docs = [Document("a", "She flew to Rome."), Document("b", "He sailed to Zanzibar."),
            Document("c", "They drove to Oslo.")]
    stream = forked_analyses(docs, resources, None, 2)
    assert next(stream).documents[0].id == "a"
    with pytest.raises(ValueError, match="broke on this document"):
        next(stream)


def test_the_workers_option_takes_auto_or_a_number():
    assert workers_option("auto") == AUTO and workers_option("3") == 3
    for bad in ("0", "-2", "many", "1.5"):
        with pytest.raises(argparse.ArgumentTypeError, match="auto, or a number"):
            workers_option(bad)
    with pytest.raises(SystemExit):
        main(["export", "x.txt", "--out", "o", "--workers", "none"])


def _texts(tmp_path: Path) -> list[Path]:
    """The texts of tests/routes and the sample article, with two names alike, as a user's files."""
    files = sorted(ROUTES.glob("*.txt")) + [config.SAMPLE_PATH]
    copy = tmp_path / "other" / "escape_lebanon.txt"  # exported as escape_lebanon-2.*
    copy.parent.mkdir()
    copy.write_text(files[1].read_text(encoding="utf-8") + "\n\nHe later flew to Rome.", encoding="utf-8")
    return files + [copy]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.subprocess
def test_export_with_the_parse_in_two_processes_writes_the_serial_files(tmp_path, capsys):
    files = [str(p) for p in _texts(tmp_path)]
    formats = ["--format", "geojson", "--format", "csv"]
    assert main(["export", *files, "--out", str(tmp_path / "one"), *formats, "--workers", "1"]) == 0
    serial_err = capsys.readouterr().err
    assert main(["export", *files, "--out", str(tmp_path / "two"), *formats, "--workers", "2"]) == 0
    parallel_err = capsys.readouterr().err
    serial, parallel = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert len(serial) == 3 * len(files) and "escape_lebanon-2.geojson" in serial
    assert parallel == serial  # byte for byte
    # The progress counts finished documents, one by one, to the last; the notes are the same.
    counts = [int(n) for n in re.findall(r"\[(\d+)/%d\]" % len(files), parallel_err)]
    assert counts == list(range(1, len(files) + 1))
    strip = lambda err: [line for line in re.split(r"[\r\n]", err) if line.strip() and "docs/s" not in line]  # noqa: E731
    assert strip(parallel_err) == strip(serial_err)


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for p in _texts(tmp_path)[:-1]:
        (root / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # fails to read, in the middle
    return root


def _tables(store: Store) -> dict:
    return {name: store.table(name).to_pylist() for name in ("documents", "places", "people", "dates", "ties")}


@pytest.mark.subprocess
def test_batch_with_the_parse_in_two_processes_stores_the_same_chunks(folder, tmp_path, resources):
    serial = run_batch(folder, tmp_path / "serial", resources=resources, progress=False, chunk_size=2, workers=1)
    parallel = run_batch(folder, tmp_path / "parallel", resources=resources, progress=False, chunk_size=2,
                         workers=2)
    assert (serial.engine, parallel.engine, parallel.processes) == ("serial", "spacy", 2)
    assert parallel.failed == serial.failed and [p for p, _ in parallel.failed] == ["broken.txt"]
    assert parallel.analysed == serial.analysed == len(list(folder.iterdir())) - 1  # all but broken.txt
    a, b = Store(tmp_path / "serial"), Store(tmp_path / "parallel")
    assert a.chunks == b.chunks  # the same documents in the same chunks
    assert _tables(a) == _tables(b)
    assert (tmp_path / "serial" / "people.parquet").read_bytes() == (tmp_path / "parallel" / "people.parquet").read_bytes()


@pytest.mark.subprocess
def test_a_document_that_breaks_the_parallel_stream_is_the_only_one_lost(folder, tmp_path, resources, monkeypatch):
    serial = run_batch(folder, tmp_path / "serial", resources=resources, progress=False, chunk_size=3, workers=1)
    real = pipeline._analyse_parsed

    def breaks_on_pilgrim(doc, document, res):
        if document.id == "pilgrim_1325":
            raise ValueError("a bug")
        return real(doc, document, res)

    monkeypatch.setattr(pipeline, "_analyse_parsed", breaks_on_pilgrim)
    result = run_batch(folder, tmp_path / "parallel", resources=resources, progress=True, chunk_size=3, workers=2)
    assert result.failed == [("broken.txt", serial.failed[0][1]),
                             ("pilgrim_1325.txt", "analysis failed: ValueError: a bug")]
    assert result.analysed == serial.analysed - 1
    a, b = Store(tmp_path / "serial"), Store(tmp_path / "parallel")
    kept = [d for d in a.document_ids() if d != "pilgrim_1325"]
    assert sorted(b.document_ids()) == sorted(kept)
    assert b.analysis(docs=kept, merge=False) == a.analysis(docs=kept, merge=False)


@pytest.mark.subprocess
def test_the_batch_progress_counts_each_finished_document_once(folder, tmp_path, resources, capsys):
    run_batch(folder, tmp_path / "store", resources=resources, progress=True, chunk_size=2, workers=2)
    err = capsys.readouterr().err
    total = len(list(folder.iterdir()))  # every file, the one that fails to read included
    done = [int(n) for n in re.findall(rf"(\d+)/{total} ", err)]
    assert done and done[-1] == total and max(done) == total and done == sorted(done)


@pytest.mark.subprocess
def test_a_parallel_stream_stopped_early_ends_its_children(resources, sample_text):
    """Children left parsing (or blocked writing batches no one reads) are ended; Ctrl-C is Python's again."""
    import multiprocessing
    import signal
    import time

    from geo.corpus.engines import forked_quietly
    from geo.model import Document
    from geo.pipeline import iter_analyses

    def too_long(signum, frame):
        raise TimeoutError("the stream did not close: its children are still waiting")

    docs = [Document(f"d{i}", sample_text) for i in range(48)]  # batches far larger than a pipe's buffer
    before = set(multiprocessing.active_children())
    stream = forked_quietly(iter_analyses(docs, resources, n_process=2))
    assert next(stream).documents[0].id == "d0"
    children = [p for p in multiprocessing.active_children() if p not in before]
    assert len(children) == 2
    time.sleep(2)  # the children parse on and block writing
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    try:
        stream.close()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not any(p.is_alive() for p in children)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.subprocess
def test_ctrl_c_stops_a_parallel_export_without_a_traceback(tmp_path, sample_text):
    """Ctrl-C reaches the whole process group: the command and spaCy's children all stop, and say nothing."""
    import os
    import signal
    import subprocess
    import sys
    import time

    for i in range(60):
        (tmp_path / f"{i}.txt").write_text(sample_text, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.txt"))
    err = tmp_path / "err"
    with err.open("w") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "geo", "export", *files, "--out", str(tmp_path / "out"),
                                "--workers", "2"], cwd=config.REPO_ROOT, stderr=stderr, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 120
            while "[3/60]" not in err.read_text() and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.1)
            children = Path(f"/proc/{run.pid}/task/{run.pid}/children").read_text().split()
            assert len(children) == 2, "the parse runs in two children"
            os.killpg(run.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
            assert run.wait(timeout=60) == 130
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
    said = err.read_text()
    assert "Traceback" not in said and "W127" not in said and "Warning" not in said
    assert not [c for c in children if Path(f"/proc/{c}").exists()]
