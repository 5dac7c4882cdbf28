"""Bad files and hostile text: a clear one-line message or a map, never a traceback,
and nothing from a document ever runs as HTML or JavaScript.

- The command line is run as a user runs it (``python -m geo export``), in a subprocess.
- The dashboard is run headless by Streamlit's AppTest, files uploaded as a user would.
- An exported HTML map of a hostile document is opened in headless Chromium, every
  popup and tooltip opened, every link clicked; the payloads would mark the page
  if any of them ran. A control page, where one payload does reach the page
  unescaped, proves that the marking works.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile_corpus import minimal_pdf

from geo.map import assets

from geo import config

from geo.text import documents as text
from geo.map.assets import inline_html
from geo.map import build_map
from geo.model import (
    Analysis,
    Candidate,
    Document,
    Person,
    PersonMention,
    Place,
    PlaceMention,
    Sentence,
    Tie,
)
from geo.pipeline import analyse_text, merge

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
TWENTY_MB = 20 * 1024 * 1024



def as_shown(markdown: str) -> str:
    """A dashboard message as the user reads it: the dashboard escapes every mark of what it quotes and sets
    what could link as code, so that nothing in a file's name or text becomes Markdown."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"`([^`]*)`", r"\1", markdown))


def run_cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], capture_output=True, text=True,
                          cwd=config.REPO_ROOT, timeout=300, env={**os.environ, **(env or {})}, **kwargs)


PROGRESS = re.compile(r"^\[\d+/\d+\] ")  # "[2/4] latin1.txt (1.0 docs/s)", rewritten in place with \r


def lines_naming(stderr: str, name: str) -> list[str]:
    """The lines of stderr that say something about `name` (progress lines aside)."""
    return [line for line in stderr.splitlines() if name in line and not PROGRESS.match(line)]


def assert_one_clear_line(stderr: str, name: str, *words: str) -> None:
    lines = lines_naming(stderr, name)
    assert len(lines) == 1, f"{name}: expected one line, got {lines!r} in\n{stderr}"
    assert lines[0].startswith(("error: ", "note: ")), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])


# --- bad files on the command line -------------------------------------------------


def test_unreadable_files_each_get_one_line_and_nothing_is_loaded_for_them(tmp_path):
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t \r\n",
        "photo.txt": PNG,
        "big.txt": b"Paris is a city on the Seine. " * (TWENTY_MB // 30 + 1),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    started = time.monotonic()

    r = run_cli(*(str(tmp_path / n) for n in files), "--out", str(tmp_path / "out"))

    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert_one_clear_line(r.stderr, "empty.txt", "empty")
    assert_one_clear_line(r.stderr, "blank.txt", "empty")
    assert_one_clear_line(r.stderr, "photo.txt", "binary")
    # 20 MB: refused with the limit and how to raise it, without a model being loaded for it.
    assert_one_clear_line(r.stderr, "big.txt", f"{text.DEFAULT_MAX_CHARS:,}", "GEO_MAX_CHARS")
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """One run of good and bad files together, under a raised size limit."""
    folder = tmp_path_factory.mktemp("mixed")
    over = "Anna Schmidt flew from Munich to Lisbon in May 2019. " * 8  # 424 characters
    files = {
        "over.txt": over.encode("utf-8"),
        "latin1.txt": "Anna flew from M\u00fcnchen to Lisbon on 2 May 2019; caf\u00e9 \u2013 fin.".encode("cp1252"),
        "utf16.txt": codecs.BOM_UTF16_LE + "Omar drove from Porto to Madrid.".encode("utf-16-le"),
        "noplaces.txt": b"Nothing happened here at all, said nobody, and then it rained.",
        "photo.txt": PNG,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    out = folder / "out"
    refused = run_cli(str(folder / "over.txt"), "--out", str(out), env={"GEO_MAX_CHARS": "400"})
    done = run_cli(*(str(folder / n) for n in files), "--out", str(out), env={"GEO_MAX_CHARS": "1000"})
    return refused, done, out


def test_a_text_over_the_limit_is_refused_naming_it_and_raising_it_works(mixed_run):
    refused, done, out = mixed_run
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert_one_clear_line(refused.stderr, "over.txt", "424", "400", "GEO_MAX_CHARS")
    assert not lines_naming(done.stderr, "over.txt")
    assert (out / "over.geojson").exists()


def test_bad_files_among_good_ones_are_reported_and_the_rest_exported(mixed_run):
    _, done, out = mixed_run
    assert done.returncode == 1  # photo.txt failed
    assert "Traceback" not in done.stderr
    assert_one_clear_line(done.stderr, "photo.txt", "binary")
    # Invalid UTF-8: read with the stated fallback, and said so once.
    assert_one_clear_line(done.stderr, "latin1.txt", "not valid UTF-8", "Windows-1252")
    assert {"München", "Lisbon"} <= places_in(out / "latin1.geojson")
    assert {"Porto", "Madrid"} <= places_in(out / "utf16.geojson")
    assert not lines_naming(done.stderr, "utf16.txt")
    assert places_in(out / "noplaces.geojson") == set()


def places_in(geojson: Path) -> set[str]:
    data = json.loads(geojson.read_text(encoding="utf-8"))
    return {f["properties"]["place"] for f in data["features"] if f["geometry"]["type"] == "Point"}


def test_a_text_with_no_places_is_said_to_have_none(mixed_run):
    _, done, _ = mixed_run
    assert_one_clear_line(done.stderr, "noplaces.txt", "no place")


def test_a_file_of_gigabytes_is_refused_in_bounded_memory(tmp_path):
    """3 GB under a 1 GB memory limit: refused from its size, never read."""
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.write(b"Paris is a city. ")
        f.truncate(3 * 1024**3)  # sparse: costs no disk

    def one_gigabyte():
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    r = run_cli(str(huge), "--out", str(tmp_path / "out"), preexec_fn=one_gigabyte)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-500:]
    assert_one_clear_line(r.stderr, "huge.txt", "GEO_MAX_CHARS")


def test_a_pdf_is_not_refused_for_bytes_that_are_not_its_text(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_MAX_CHARS", "1000")
    path = tmp_path / "filing.pdf"
    path.write_bytes(minimal_pdf("Anna Schmidt flew from Munich to Lisbon.", padding=20_000))
    doc, _ = text.read_document(path)
    assert doc.text == "Anna Schmidt flew from Munich to Lisbon."


def test_any_long_run_without_spaces_is_tokenised_in_linear_time(nlp):
    def best(texts) -> float:
        times = []
        for t in texts:  # each new to the tokenizer's cache
            started = time.perf_counter()
            nlp.tokenizer(t)
            times.append(time.perf_counter() - started)
        return min(times)

    small = best([start + "'s" * 300 for start in ("Ayse", "Bilal", "Cem")])
    large = best([start + "'s" * 1200 for start in ("Deniz", "Emre", "Fatma")])
    # Four times the text: about four times the time when linear, sixteen when quadratic.
    assert large < 8 * small, (small, large)


# --- bad files in the dashboard ------------------------------------------------------


def test_bad_uploads_each_get_a_message_in_the_dashboard(upload_app):
    files = [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t "),
        ("photo.txt", PNG),
        ("over.txt", b"Anna Schmidt flew from Munich to Lisbon in May 2019. " * 8),
        ("latin1.txt", "Anna flew from M\u00fcnchen to Lisbon on 2 May 2019.".encode("cp1252")),
        ("utf16.txt", codecs.BOM_UTF16_LE + "Omar drove from Porto to Madrid.".encode("utf-16-le")),
    ]
    upload_app.get("file_uploader")[0].set_value([(n, d, "text/plain") for n, d in files]).run()

    assert not upload_app.exception, [e.message for e in upload_app.exception]
    errors = [as_shown(e.value) for e in upload_app.error]
    warnings = [as_shown(w.value) for w in upload_app.warning]
    for name, word in (("empty.txt", "empty"), ("blank.txt", "empty"), ("photo.txt", "binary"),
                       ("over.txt", "over the limit")):
        assert len([e for e in errors if name in e and word in e]) == 1, (name, errors)
    assert len(errors) == 4, errors  # the good files are analysed, without "something went wrong"
    assert any("latin1.txt" in w and "Windows-1252" in w for w in warnings), warnings
    assert "Traceback" not in " ".join(errors + warnings)


def test_an_upload_with_no_places_is_said_to_have_none(upload_app):
    upload_app.get("file_uploader")[0].set_value(
        [("none.txt", b"Nothing happened here at all, said nobody.", "text/plain")]).run()
    assert not upload_app.exception and not upload_app.error, [e.value for e in upload_app.error]
    assert any("no place" in i.value.lower() for i in upload_app.info), [i.value for i in upload_app.info]


# --- hostile text: nothing from a document runs -----------------------------------------


def payload(vector: str) -> str:
    """JavaScript that marks the page with `vector` if it ever runs."""
    return f"document.documentElement.dataset.pwned='{vector}'"


SCRIPT = f"<script>{payload('script')}</script>"
IMG = f'<img src=x onerror="{payload("img")}">'
SVG = f'<svg onload="{payload("svg")}">'
DETAILS = f'<details open ontoggle="{payload("details")}">'
LINK = f'<a href="javascript:{payload("link")}">a link</a>'
MARKDOWN = f"[a markdown link](javascript:{payload('markdown')}) **bold** _it_"
TEMPLATE = f"`${{{payload('template')}}}`"
BREAKOUT = f"</script><script>{payload('breakout')}</script>"
ENTITIES = f"&lt;img src=x onerror=&quot;{payload('entity')}&quot;&gt; &amp; &#60;b&#62;"
PAYLOADS = (SCRIPT, IMG, SVG, DETAILS, LINK, MARKDOWN, TEMPLATE, BREAKOUT, ENTITIES)
# Template code for the Jinja that assembles the page on this machine: it must stay words.
JINJA = "{% if true %}jinja-ran{% endif %} {{ cycler.__init__.__globals__ }}"

HOSTILE = (
    f"Ali Hassan flew from Istanbul to Paris on 2 May 2015 {SCRIPT} and met Omar Khalil there.\n"
    f"Three days later he drove to Berlin {IMG} with {TEMPLATE} friends.\n"
    f"In Madrid he read {LINK} and {MARKDOWN} about Rome {ENTITIES} in Cairo.\n"
    f"{BREAKOUT} {SVG} {DETAILS} He then went to Vienna \"'; alert(1); //.\n"
    f"From Vienna he took the train to Prague, {JINJA} said the report.\n"
)


def hand_built(doc_id: str) -> Analysis:
    """What the pipeline cannot be relied on to produce: markup in names themselves.

    A place as written, its name from a geocoder (a hostile Nominatim answers
    anything), a person's name and the document's id (a file name) all carry payloads.
    """
    person = f"Mallory {IMG} {JINJA}"
    first, second = f"**Lyon** {SVG}", f"Nice{DETAILS}"
    sentence_text = f"{person} flew from {first} to {second}."
    sentence = Sentence(doc_id, 0, len(sentence_text), sentence_text)

    def mention(written: str) -> PlaceMention:
        start = sentence_text.index(written)
        return PlaceMention(doc_id, written, start, start + len(written), sentence, "GPE")

    lyon = Candidate(f"Lyon {SCRIPT}", 45.76, 4.84, "city", "FR", 500_000, f"Rhône {LINK}", "nominatim", "n:1")
    nice = Candidate(f"Nice {BREAKOUT}", 43.70, 7.27, "city", "FR", 340_000, None, "nominatim", "n:2")
    alternative = Candidate(f"Nizza {MARKDOWN}", 43.7, 7.3, "city", "IT", 1, None, "nominatim", "n:3")
    places = (Place(mention(first), lyon, (), 1.0, "nominatim"),
              Place(mention(second), nice, (alternative,), 1.0, "nominatim"))
    people = (Person(person, (f"M. {ENTITIES}",), (PersonMention(doc_id, person, 0, len(person), sentence),)),)
    ties = (Tie(0, person, "origin", "2016-01", None, 1), Tie(1, person, "destination", "2016-02", None, 2))
    return Analysis((Document(doc_id, sentence_text),), places, people, (), ties)


@pytest.fixture(scope="module")
def hostile_analysis(resources) -> Analysis:
    from_pipeline = analyse_text(HOSTILE, resources, "scraped")
    # The payloads reach the evidence the map shows: the sentences of placed mentions.
    sentences = " ".join(p.mention.sentence.text for p in from_pipeline.places if p.resolved)
    for piece in (SCRIPT, IMG, LINK, MARKDOWN, TEMPLATE, ENTITIES, SVG, DETAILS, JINJA):
        assert piece in sentences, piece
    return merge([from_pipeline, hand_built(f"page {DETAILS}")])


@pytest.fixture(scope="module")
def hostile_html(hostile_analysis) -> str:
    return inline_html(build_map(hostile_analysis))


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_exported_html_holds_no_markup_from_the_document(hostile_html):
    for piece in PAYLOADS:
        assert piece not in hostile_html, piece  # only ever escaped (&lt; in HTML, \u003c in JSON)
    parser = _Tags()
    parser.feed(hostile_html)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"img", "svg", "details", "a", "iframe", "object", "embed"}, tags
    handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert all("pwned" not in (script_src or "") for tag, attrs in parser.tags
               if tag == "script" for script_src in [attrs.get("src")])


def test_template_code_in_a_document_is_never_run_where_the_page_is_made(hostile_analysis, hostile_html):
    """Sentences and names reach the page as the document wrote them: the template code stays words."""
    served = assets.use_local_assets(build_map(hostile_analysis), "/app/static").get_root().render()
    for page in (hostile_html, served):
        assert page.count(JINJA) >= 2  # the Prague sentence's popups; Mallory in the legend, popups, tooltips
        assert page.count("jinja-ran") == page.count("{% if true %}jinja-ran{% endif %}")  # never run
        assert page.count("__globals__") == page.count("{{ cycler.__init__.__globals__ }}")


# The harness a tester would type into the console: every popup and tooltip of every layer
# put through innerHTML (what Leaflet does when one opens), those on the map opened for
# real, then every link inside clicked. It is the test's code, not the document's.
HARNESS = """
<script>
window.addEventListener("load", function () { setTimeout(function () {
  var sink = document.createElement("div"); sink.id = "harness-sink"; document.body.appendChild(sink);
  var popups = 0, tooltips = 0, opened = 0;
  Object.keys(window).forEach(function (key) {
    var layer; try { layer = window[key]; } catch (e) { return; }
    if (!(layer instanceof L.Layer)) { return; }
    [layer.getPopup && layer.getPopup(), layer.getTooltip && layer.getTooltip()].forEach(function (bound, i) {
      if (!bound) { return; }
      var content = bound.getContent();
      if (typeof content === "function") { content = content(layer); }
      var box = document.createElement("div"); box.className = i ? "harness-tooltip" : "harness-popup";
      if (typeof content === "string") { box.innerHTML = content; } else if (content) { box.appendChild(content.cloneNode(true)); }
      sink.appendChild(box);
      if (i) { tooltips++; } else { popups++; }
    });
    try {
      if (layer._map && layer.getPopup && layer.getPopup()) {
        layer.getPopup().options.autoClose = false; layer.openPopup(); opened++;
      }
      if (layer._map && layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
    } catch (e) {}
  });
  setTimeout(function () {
    document.querySelectorAll("#harness-sink a, .leaflet-popup a, .leaflet-tooltip a, .geo-legend a")
      .forEach(function (a) { try { a.click(); } catch (e) {} });
    document.body.setAttribute("data-harness", popups + " " + tooltips + " " + opened);
  }, 200);
}, 500); });
</script>
"""
# The control: one payload reaches the page the way an unescaped popup would put it there.
CONTROL = f"""
<script>
window.addEventListener("load", function () {{
  var box = document.createElement("div"); box.innerHTML = {IMG!r}; document.body.appendChild(box);
}});
</script>
"""
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def chromium() -> str:
    found = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
                              shutil.which("google-chrome")) if p and Path(p).exists()), None)
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Chromium is missing under CI: .ci/run installs it (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium): the real-browser test cannot run")


def dom_after_running(html: str, folder: Path) -> str:
    """The DOM of `html` once Chromium has run its scripts and timers (5 s of virtual time)."""
    page = folder / f"page-{len(list(folder.glob('page-*')))}.html"
    page.write_text(html.replace("</body>", HARNESS + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", OFFLINE,
         f"--user-data-dir={folder / ('profile-' + page.stem)}", "--virtual-time-budget=5000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0 and "<html" in run.stdout, run.stderr[-2000:]
    return run.stdout


def test_no_script_from_the_document_runs_in_a_real_browser(hostile_analysis, hostile_html, tmp_path):
    dom = dom_after_running(hostile_html, tmp_path)

    harness = re.search(r'data-harness="(\d+) (\d+) (\d+)"', dom)
    assert harness, "the harness did not run: the page's own scripts failed?"
    popups, tooltips, opened = map(int, harness.groups())
    places = len({(p.chosen.lat, p.chosen.lon) for p in hostile_analysis.places if p.resolved})
    assert popups >= places and tooltips >= places and opened >= 1, harness.groups()
    # The map drew, and the document's text is on it, as text.
    assert "leaflet-container" in dom and "leaflet-pane" in dom
    assert "&lt;img src=x onerror=" in dom and "&lt;script&gt;" in dom
    # And nothing from it ran.
    assert "data-pwned" not in dom, re.findall(r'data-pwned="[^"]*"', dom)
    assert "<img src=\"x\"" not in dom and "<details" not in dom and "<svg onload" not in dom


def test_the_browser_check_would_see_a_payload_that_ran(hostile_html, tmp_path):
    dom = dom_after_running(hostile_html.replace("</body>", CONTROL + "</body>"), tmp_path)
    assert 'data-pwned="img"' in dom
