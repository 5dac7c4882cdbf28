"""Hostile files (issue #14): every reader failure is one line naming the file, the other files are
still done; reading is bounded in memory, CPU and time; exports never overwrite each other; what is
printed never carries a control code from a file name. The files are made by tests/hostile_corpus.py.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile_corpus import (
    GOOD_TEXT,
    body_xml,
    corpus,
    docx_bytes,
    minimal_pdf,
    pdf_pages,
    replace_part,
    text_ops,
)
from test_hostile_input import as_shown, assert_one_clear_line, lines_naming, places_in, run_cli

from geo import config
from geo.errors import InputError
from geo.fsutil import write_atomic
from geo.text.documents import document_text, read_document

GOOD = ("good_txt.txt", "good_html.html", "good_md.md", "good_pdf.pdf", "good_docx.docx")
BAD = {  # file -> words its one line must hold
    "docx_deflate64.docx": ("deflate64",),
    "docx_encrypted.docx": ("encrypted",),
    "docx_corrupt_deflate.docx": ("damaged",),
    "docx_truncated.docx": ("not a readable .docx",),
    "docx_bomb.docx": ("too large", "zip bomb"),
    "docx_lying_header.docx": ("damaged",),
    "docx_text_bomb.docx": ("GEO_MAX_CHARS",),
    "pdf_flate_bomb.pdf": ("not a readable PDF",),
    "pdf_truncated.pdf": ("not a readable PDF",),
    "pdf_page_tree_loop.pdf": ("not a readable PDF",),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    made = corpus()
    for name in (*GOOD, *BAD):
        (folder / name).write_bytes(made[name])
    return folder


@pytest.mark.subprocess
def test_bad_documents_are_one_line_each_and_the_good_ones_are_exported(files, tmp_path):
    out = tmp_path / "out"
    r = run_cli(*(str(files / n) for n in (*BAD, *GOOD)), "--out", str(out))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    for name, words in BAD.items():
        assert_one_clear_line(r.stderr, name, *words)
    for name in GOOD:
        assert not lines_naming(r.stderr, name), r.stderr
        assert {"Munich", "Lisbon"} <= places_in(out / f"{Path(name).stem}.geojson"), name


def test_a_good_and_a_corrupt_docx_uploaded_together(upload_app):
    made = corpus()
    upload_app.get("file_uploader")[0].set_value([
        ("memo.docx", docx_bytes("Omar Haddad flew from Cairo to Tunis."), "application/octet-stream"),
        ("broken.docx", made["docx_corrupt_deflate.docx"], "application/octet-stream"),
    ]).run()
    assert not upload_app.exception, [e.message for e in upload_app.exception]
    errors = [as_shown(e.value) for e in upload_app.error]
    assert len(errors) == 1 and errors[0].startswith("broken.docx: ") and "damaged" in errors[0], errors
    assert "Something went wrong" not in " ".join(errors)
    assert any("placed mentions shown" in m.value for m in upload_app.markdown), "the good file was not analysed"


# --- bounded: memory, CPU, time, characters ------------------------------------------------


def test_a_reader_past_its_memory_limit_is_stopped_with_the_reason(monkeypatch):
    monkeypatch.setenv("GEO_READER_MEMORY_MB", "400")
    # 90 MB of empty paragraphs: under the size limits, but 15 million XML elements to build.
    data = replace_part(docx_bytes("x"), "word/document.xml", body_xml(b"<w:p/>", 15_000_000))
    with pytest.raises(InputError, match=r"^big.docx: reading it needs more than 400 MB of memory.*"
                                         "GEO_READER_MEMORY_MB"):
        document_text(data, "big.docx")


def test_a_reader_past_its_deadline_is_stopped_with_the_reason(monkeypatch):
    monkeypatch.setenv("GEO_READER_SECONDS", "1")
    page = ("<html><body><p>" + '<a href="/x">Paris</a> ' * 200_000 + "</p></body></html>").encode()
    with pytest.raises(InputError, match=r"^links.html: reading it took (longer|more) than 1 s.*GEO_READER_SECONDS"):
        document_text(page, "links.html")


def test_pages_that_share_one_content_stream_are_read_once_and_held_to_the_limit(monkeypatch):
    monkeypatch.setenv("GEO_MAX_CHARS", "50000")
    lines = [f"Line {i} of a page that every page draws" for i in range(60)]
    shared = pdf_pages(2000, text_ops(*lines))
    with pytest.raises(InputError, match=r"over the limit of 50,000.*counted up to page \d+ of 2000"):
        document_text(shared, "shared.pdf")
    text, _ = document_text(pdf_pages(2000, text_ops("Anna flew to Lisbon.")), "small.pdf")
    assert text == "\n\n".join(["Anna flew to Lisbon."] * 2000)


def test_markup_over_the_limit_is_refused_from_its_size_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_MAX_CHARS", "1000")
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>" + b"Paris " * 1000 + b"</p>")
    with pytest.raises(InputError, match=r"the file has 6,007 bytes, more than the limit of 1,000 characters"):
        read_document(page)


def test_a_flood_of_punctuation_costs_no_more_tokens_than_prose(nlp):
    """300 KB of "!?." was 300,000 tokens (57 s, 4 GB through the pipeline): one per character.
    Prose has about one token per five and a half characters; no flood may have more than that."""
    floods = ("!?." * 100_000, "x's" * 100_000, "a," * 150_000, "! ? . " * 50_000, "-- " * 100_000,
              "*a **a " * 50_000, "a, " * 100_000)
    for flood in floods:
        doc = nlp.tokenizer(flood)
        assert doc.text == flood
        assert len(doc) <= len(flood) / 5, (flood[:12], len(doc))


def test_the_guard_leaves_prose_as_spacy_tokenises_it(nlp):
    prose = (config.SAMPLE_PATH.read_text(encoding="utf-8") + "\n\n") * 30  # far past one window
    guarded, plain = nlp.tokenizer(prose), nlp.tokenizer.tokenizer(prose)
    assert [(t.text, t.whitespace_) for t in guarded] == [(t.text, t.whitespace_) for t in plain]


def test_a_long_run_keeps_the_prose_around_it_and_every_offset(nlp):
    text = "Ali flew to Paris. " + "!?." * 300 + "  \n\nThen he drove to Rome. " + "http://example.org/" + "a" * 300
    doc = nlp.tokenizer(text)
    assert doc.text == text
    assert [t.text for t in doc[:5]] == ["Ali", "flew", "to", "Paris", "."]
    assert "Rome" in [t.text for t in doc]
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)


# --- exports: unique names, the umask's mode --------------------------------------------------


@pytest.mark.subprocess
def test_files_of_the_same_name_in_two_folders_get_two_exports(tmp_path):
    for folder, city in (("a", "Munich"), ("b", "Porto")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"Anna Schmidt flew from {city} to Lisbon.", encoding="utf-8")
    (tmp_path / "b" / "Report.md").write_text("Omar drove from Madrid to Seville.", encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli(str(tmp_path / "a" / "report.txt"), str(tmp_path / "b" / "report.txt"),
                str(tmp_path / "b" / "Report.md"), "--out", str(out), umask=0o022)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Report-3.geojson", "report-2.geojson", "report.geojson"]
    assert "Munich" in places_in(out / "report.geojson") and "Porto" in places_in(out / "report-2.geojson")
    assert "Madrid" in places_in(out / "Report-3.geojson")
    notes = [line for line in r.stderr.splitlines() if "exported as" in line]
    assert len(notes) == 2 and "report-2.*" in notes[0] and "Report-3.*" in notes[1], r.stderr
    assert json.loads((out / "report-2.geojson").read_text(encoding="utf-8"))["features"][0]["properties"]
    assert stat.S_IMODE((out / "report.geojson").stat().st_mode) == 0o644


def test_write_atomic_makes_files_by_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "x.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o640
    assert not list(tmp_path.glob(".*.tmp"))


# --- what is printed ----------------------------------------------------------------------------


@pytest.mark.subprocess
def test_escape_codes_in_file_names_are_printed_as_escapes(tmp_path):
    bad = tmp_path / "\x1b]0;pwned\x07\x1b[2J.txt"
    bad.write_bytes(b"")
    noplace = tmp_path / "n\u202eote.txt"
    noplace.write_text("Nothing happened here at all.", encoding="utf-8")
    r = run_cli(str(bad), str(noplace), "--out", str(tmp_path / "out"))
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "\u202e" not in r.stderr, repr(r.stderr)
    assert "\\x1b]0;pwned\\x07\\x1b[2J.txt: the text is empty" in r.stderr
    assert "n\\u202eote.txt: no place" in r.stderr


# --- batch: the readers, a full disk ----------------------------------------------------------------


def test_batch_takes_pdf_and_docx_by_glob(tmp_path, capsys):
    from geo.cli.main import main

    root = tmp_path / "docs"
    root.mkdir()
    (root / "trip.pdf").write_bytes(minimal_pdf("Karl Weber drove from Vienna to Prague in 2018."))
    (root / "memo.docx").write_bytes(docx_bytes("Omar Haddad flew from Cairo to Tunis in 2017."))
    assert main(["batch", str(root), "--out", str(tmp_path / "store"), "--glob", "*.pdf", "--glob", "*.docx",
                 "--no-progress"]) == 0
    assert "2 analysed" in capsys.readouterr().err


@pytest.mark.subprocess
def test_batch_on_a_full_disk_says_so_in_one_line(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text(GOOD_TEXT * 20, encoding="utf-8")

    def small_files():  # every write past 4 KB fails, as on a full disk (EFBIG rather than ENOSPC)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    r = subprocess.run([sys.executable, "-m", "geo", "batch", str(root), "--out", str(tmp_path / "store"),
                        "--no-progress"], capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=300,
                       preexec_fn=small_files)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
    (line,) = [x for x in r.stderr.splitlines() if x.startswith("error: ")]
    assert "store cannot be written" in line and "run the same command again" in line


def test_a_docx_written_by_word_is_read_whole():
    """Not hostile: a table and paragraphs, as python-docx writes them, all come through."""
    data = docx_bytes("Report", GOOD_TEXT, table=[["Paris", "Rome"]])
    text, _ = document_text(data, "r.docx")
    assert text == f"Report\n\n{GOOD_TEXT}\n\nParis\n\nRome"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/document.xml" in z.namelist()
