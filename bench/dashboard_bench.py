"""The dashboard and long texts, measured: the sections `dashboard` and `longtext` of bench/bench.py.

    .venv/bin/python bench/bench.py --only dashboard,longtext [--quick]

dashboard  `streamlit run` and `python dashboard.py` (what `make run` runs) to the first map in a headless
           Chromium: cold, and after a restart with the sample's analysis kept; a kept text opened by its
           link after the restart; filter changes in Chromium, alone and while another tab analyses a long
           text; the loading steps the server timed; the script alone (AppTest), timed inside Streamlit's
           runner: a filter change, a change back, a pan.
longtext   a 5 MB text (real news, repeated with its paragraphs shuffled): time, CPU time and peak memory of
           its analysis, the analysis read back from the cache by a fresh process; and how the rules over the
           parse grow with a document's length (why a long text is analysed section by section).

Each server and each analysis runs in a process of its own, with its own cache folder (the gazetteer
linked in), so nothing kept by an earlier run is found unless the measure says so.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = [REPO.parent / "shared" / "eval" / "geoparse" / name / "docs" for name in ("GeoWebNews", "TR-News")]
GOALS = {"first_map_s": 4.0, "filter_ms": 200, "script_ms": 60, "long_peak_mb": 1500}
PEOPLE_IN_URL = ("Hayat Boumeddiene", "Ibrahim El Bakraoui", "Salman Abedi", "Youssef Zaghba", "Rakhmat Akilov")


def _bench():
    import bench  # the helpers of bench/bench.py (Chromium, RSS, ports), whether it runs as a script or not

    return bench


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- texts -------------------------------------------------------------------------------------------


def long_text(chars: int, seed: int = 11) -> str:
    """Real news, as long as asked: the corpora's articles again and again, each round in another order."""
    files = sorted(p for corpus in CORPORA if corpus.is_dir() for p in corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"no texts in {', '.join(map(str, CORPORA))}: the long-text benchmark reads them")
    articles = [p.read_text(encoding="utf-8").strip() for p in files]
    rng, parts, n = random.Random(seed), [], 0
    while n < chars:
        rng.shuffle(articles)
        for article in articles:
            parts.append(article + "\n\n")
            n += len(article) + 2
            if n >= chars:
                break
    return "".join(parts)[:chars]


def cache_folder(*, sample_kept: bool = False) -> Path:
    """A cache folder of its own: what ``make setup`` leaves in the real one linked in (the gazetteer, the basemap,
    the region shapes of this code's edition), no analysis kept;
    with ``sample_kept``, the sample's analysis as ``make setup`` keeps it (``geo keep --sample``), so that a
    server started like ``make run`` does not analyse it meanwhile."""
    from geo import config
    from geo.corpus.cache import text_key
    from geo.geography import shapecache
    from geo.text.documents import sample_documents

    folder = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    for path in config.cache_dir().iterdir():
        if path.suffix in (".sqlite", ".geojson") and path.name != "geocode.sqlite":
            (folder / path.name).symlink_to(path.resolve())
    shapes = shapecache.folder()
    if shapes.is_dir():
        (folder / shapes.name).symlink_to(shapes.resolve())
    if sample_kept:
        kept = config.cache_dir() / "analyses" / text_key(sample_documents())
        if not kept.is_dir():
            raise SystemExit("the sample's analysis is not kept: run `make setup` (python -m geo keep --sample)")
        (folder / "analyses").mkdir()
        shutil.copytree(kept, folder / "analyses" / kept.name)
    return folder


# --- children ------------------------------------------------------------------------------------------


def child_keep_text(cfg: dict) -> dict:
    """Analyse a text through the service, as a session would, so the cache in GEO_CACHE_DIR keeps it."""
    from geo import service
    from geo.model import Document

    text = long_text(cfg["chars"])
    t = time.perf_counter()
    job = service.request([Document("kept", text)])
    job.result(timeout=1800)
    return {"key": job.key, "chars": len(text), "words": len(text.split()), "analysis_s": time.perf_counter() - t}


def child_apptest(cfg: dict) -> dict:
    """The dashboard script alone, timed inside Streamlit's runner (the script's body, not AppTest's own work)."""
    from streamlit import config as st_config
    from streamlit.runtime.scriptrunner import exec_code
    from streamlit.testing.v1 import AppTest

    from geo import service

    st_config.set_option("server.enableStaticServing", True)
    st_config.set_option("runner.magicEnabled", False)
    service.WAIT_SECONDS = 600
    times: list[float] = []
    real = exec_code.exec_func_with_error_handling

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            times.append((time.perf_counter() - t) * 1000)

    exec_code.exec_func_with_error_handling = timed
    from streamlit.runtime.scriptrunner import script_runner

    script_runner.exec_func_with_error_handling = timed
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    t = time.perf_counter()
    at.run()
    out = {"cold_s": time.perf_counter() - t, "errors": [e.value for e in at.error] + [e.message for e in at.exception]}
    if out["errors"]:
        return out

    def measure(action, n: int = 6) -> list[float]:
        found = []
        for i in range(n):
            times.clear()
            action(i).run()
            found.append(times[-1])
        return found

    out["same_ms"] = measure(lambda i: at)
    people = at.multiselect(key="person").options
    out["new_filter_ms"] = measure(lambda i: at.multiselect(key="person").set_value([people[i % len(people)]]))
    out["seen_filter_ms"] = measure(lambda i: at.multiselect(key="person").set_value([people[i % 2]]))
    components = [c for c in at.get("component_instance") if "streamlit_folium" in c.proto.component_name]
    widget = components[0].proto.id.rsplit("-", 1)[1]

    def pan(i):
        at.session_state[widget] = {"center": {"lat": 40 + i, "lng": 20 + i}, "zoom": 5}
        return at

    out["pan_ms"] = measure(pan)
    out["load"] = os.getloadavg()
    return out


def child_longtext(cfg: dict) -> dict:
    """A long text analysed in one process: time, CPU time, peak memory; then kept in a cache of its own."""
    from geo import pipeline
    from geo.corpus.cache import AnalysisCache, text_key
    from geo.model import Document
    from geo.pipeline import analyse, load_resources

    text = long_text(cfg["chars"])
    resources = load_resources()
    resources.nlp("Warm.")
    out = {"chars": len(text), "words": len(text.split()), "loaded_mb": peak_mb(),
           "pieces": sum(len(pipeline.cuts(text[a:b], pipeline.PIECE_CHARS))
                         for a, b in pipeline.cuts(text, pipeline.SECTION_CHARS)),
           "sections": len(pipeline.cuts(text, pipeline.SECTION_CHARS))}
    marks = []
    wall, cpu = time.perf_counter(), time.process_time()
    analysis = analyse([Document("long", text)], resources,
                       progress=lambda done, total, what: marks.append((time.perf_counter() - wall, done / total)))
    out.update(wall_s=time.perf_counter() - wall, cpu_s=time.process_time() - cpu, peak_mb=peak_mb(),
               places=len(analysis.places), people=len(analysis.people), ties=len(analysis.ties),
               progress_updates=len(marks), longest_silence_s=max(b[0] - a[0] for a, b in zip(marks, marks[1:])),
               load=os.getloadavg())
    folder = Path(cfg["cache"])
    t = time.perf_counter()
    AnalysisCache(folder).put(text_key(analysis.documents), "bench", analysis)
    out["cache_put_s"] = time.perf_counter() - t
    out["key"] = text_key(analysis.documents)
    out["cache_mb"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
    return out


def child_cacheread(cfg: dict) -> dict:
    """A fresh process reads a kept analysis back: what a second open after a server restart costs."""
    t = time.perf_counter()
    from geo.corpus.cache import AnalysisCache

    imported = time.perf_counter() - t
    t = time.perf_counter()
    analysis = AnalysisCache(Path(cfg["cache"])).get(cfg["key"], "bench")
    return {"read_s": time.perf_counter() - t, "import_s": imported, "places": len(analysis.places),
            "peak_mb": peak_mb()}


def child_scaling(cfg: dict) -> dict:
    """The rules over the parse (people, references, routes, resolution) on one document of n characters."""
    from spacy.tokens import Doc

    from geo import pipeline
    from geo.model import Document
    from geo.pipeline import load_resources

    resources = load_resources()
    out = {}
    for chars in cfg["sizes"]:
        text = long_text(chars)
        docs = [resources.nlp(text[a:b]) for a, b in pipeline.cuts(text, pipeline.PIECE_CHARS)]
        doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
        cpu = time.process_time()
        pipeline._analyse_parsed(doc, Document("d", text), resources)
        out[str(chars)] = time.process_time() - cpu
    return out


CHILDREN = {"keep_text": child_keep_text, "apptest2": child_apptest, "longtext": child_longtext,
            "cacheread": child_cacheread, "scaling": child_scaling}


def run_child(name: str, cfg: dict, env: dict | None = None, timeout: float = 3600) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve().parent / "bench.py"), "--child", name,
           "--config", json.dumps(cfg)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return {"error": f"took more than {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("@@RESULT "):
            return json.loads(line[len("@@RESULT "):])
    tail = (done.stderr or done.stdout).strip().splitlines()[-6:]
    return {"error": f"exit {done.returncode}: " + " | ".join(tail)}


# --- servers and a browser ---------------------------------------------------------------------------------


@contextmanager
def server(command: list[str], cache: Path) -> Iterator[dict]:
    """A dashboard server on a free port with its own cache folder; yields its url, start time, pid and log."""
    b = _bench()
    port = b.free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-dashboard-", suffix=".log", delete=False)
    env = {**os.environ, "GEO_CACHE_DIR": str(cache)}
    t0 = time.perf_counter()
    process = subprocess.Popen([*command, "--server.headless", "true", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
                               cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    info = {"url": f"http://127.0.0.1:{port}", "t0": t0, "pid": process.pid, "log": Path(log.name)}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{info['url']}/_stcore/health", timeout=1) as reply:
                    reply.read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the server did not come up: {Path(log.name).read_text()[-800:]}")
                time.sleep(0.02)
        info["up_s"] = time.perf_counter() - t0
        yield info
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def first_map(page, info: dict, path: str = "/") -> float:
    """Seconds from the server's start to the first map drawn in the page at ``path``."""
    b = _bench()
    page.goto(info["url"] + path, wait_until="commit")
    b.wait_true(page, b.MAP_DRAWN_JS, timeout=600)
    return time.perf_counter() - info["t0"]


def map_after_navigation(page, url: str) -> float:
    b = _bench()
    t = time.perf_counter()
    page.goto(url, wait_until="commit")
    b.wait_true(page, b.MAP_DRAWN_JS, timeout=600)
    return time.perf_counter() - t


def model_loaded(log: Path, timeout: float = 60) -> float:
    """Seconds until the server logs its loading done. The model loads once the first page is out (geo.service):
    the filter changes are timed after it, in the steady state a user's later changes see."""
    t, deadline = time.perf_counter(), time.monotonic() + timeout
    while "ready: " not in log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.05)
    return time.perf_counter() - t


def warmup(log: Path) -> dict:
    """The loading steps and analyses the server logged (geo.service), in seconds."""
    text = log.read_text(errors="replace")
    out = {}
    if m := re.search(r"ready: (.*)", text):
        out.update({k: float(v) for k, v in re.findall(r"([\w ]+?) ([\d.]+) s", m.group(1))})
    out["analyses_s"] = [float(x) for x in re.findall(r"words analysed in ([\d.]+) s", text)]
    out["cache_reads_s"] = [float(x) for x in re.findall(r"read from the cache in ([\d.]+) s", text)]
    return {k.strip(): v for k, v in out.items()}


# Remove the last value of the People box (a tag's "Remove" button): a filter change to a view not seen before.
REMOVE_PERSON_JS = """(() => {
  const box = [...document.querySelectorAll('[data-testid="stMultiSelect"]')]
    .find(b => (b.querySelector('label') || {}).innerText === 'People');
  const buttons = box ? [...box.querySelectorAll('button[aria-label^="Remove"]')].filter(b => !b.closest('template'))
                      : [];
  const target = buttons[buttons.length - 1];
  if (!target) return null;
  const what = target.getAttribute('aria-label');
  target.click();
  return what;
})()"""


# Streamlit shows its status widget ("Running...") while the page's script runs.
IDLE_JS = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"


def filter_changes(page, n: int) -> list[float]:
    """ms from a click in the People box to the map redrawn (bench.py's watchers of the map's frame)."""
    b = _bench()
    times = []
    for _ in range(n):
        # A click while the page still runs (the map's own first message reruns it) could be lost with that run.
        b.wait_true(page, IDLE_JS, timeout=120)
        if not page.evaluate(b.WATCH_MAP_JS):
            break
        if not page.evaluate(f"(() => {{ window.__benchClick = Date.now(); return {REMOVE_PERSON_JS}; }})()"):
            break
        times.append(float(b.wait_true(page, b.MAP_REDRAWN_JS, timeout=120)))
        time.sleep(0.5)
    return times


def measure_dashboard(cfg: dict) -> dict:
    from geo.map.snapshot import SnapshotError, open_chromium

    b = _bench()
    out: dict = {}
    people = "&".join(f"person={p.replace(' ', '+')}" for p in PEOPLE_IN_URL)
    streamlit = [str(Path(sys.executable).with_name("streamlit")), "run", "dashboard.py"]
    make_run = [sys.executable, "dashboard.py"]
    try:
        with open_chromium() as browser:
            def page():
                return browser.new_page(viewport={"width": b.BROWSER_SIZE[0], "height": b.BROWSER_SIZE[1]})

            cold = cache_folder()
            with server(streamlit, cold) as info:  # as before: everything loads when the first browser comes
                out["streamlit_run"] = {"up_s": info["up_s"], "first_map_s": first_map(page(), info)}
            shutil.rmtree(cold, ignore_errors=True)

            cache = cache_folder()
            kept = run_child("keep_text", {"chars": cfg["kept_chars"]}, env={"GEO_CACHE_DIR": str(cache)})
            out["kept_text"] = kept
            with server(make_run, cache) as info:  # make run, nothing of the sample kept yet
                out["make_run_cold"] = {"up_s": info["up_s"], "first_map_s": first_map(page(), info)}
                out["make_run_cold"]["warmup"] = warmup(info["log"])
            with server(make_run, cache) as info:  # make run again: a restart, the sample's analysis kept
                tab = page()
                out["make_run"] = {"up_s": info["up_s"], "first_map_s": first_map(tab, info, f"/?{people}")}
                out["make_run"]["model_after_map_s"] = model_loaded(info["log"])
                time.sleep(1.0)
                out["make_run"]["filter_ms"] = filter_changes(tab, len(PEOPLE_IN_URL) - 1)
                out["make_run"]["rss_mb"] = b.rss_mb(info["pid"])
                if "key" in kept:
                    out["make_run"]["kept_text_s"] = map_after_navigation(
                        page(), f"{info['url']}/?src=paste&text={kept['key']}")
                out["make_run"]["warmup"] = warmup(info["log"])
                try:  # another user pastes a long text; this one goes on filtering
                    busy = page()
                    busy.goto(f"{info['url']}/?src=paste", wait_until="load")
                    area = busy.get_by_label("Text to analyse")
                    area.fill(long_text(cfg["busy_chars"], seed=5), timeout=120_000)
                    area.press("Control+Enter")
                    b.wait_true(busy, "document.body.innerText.includes('Finding places, people and dates')", 120)
                    tab.goto(f"{info['url']}/?{people}", wait_until="commit")
                    b.wait_true(tab, b.MAP_DRAWN_JS, 120)
                    time.sleep(1.0)
                    out["make_run"]["busy_filter_ms"] = filter_changes(tab, len(PEOPLE_IN_URL) - 1)
                    out["make_run"]["rss_after_mb"] = b.rss_mb(info["pid"])
                except Exception as err:  # noqa: BLE001
                    out["make_run"]["busy_error"] = f"{type(err).__name__}: {str(err)[:200]}"
            shutil.rmtree(cache, ignore_errors=True)
    except (SnapshotError, RuntimeError) as err:
        out["error"] = str(err)[:300]
    except Exception as err:  # noqa: BLE001  a figure that cannot be taken is reported, the others kept
        out["error"] = f"{type(err).__name__}: {str(err)[:300]}"
    out["load"] = os.getloadavg()
    return out


def longtext_section(cfg: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = {"analysis": run_child("longtext", {"chars": cfg["chars"], "cache": tmp})}
        if "key" in out["analysis"]:
            out["read"] = run_child("cacheread", {"cache": tmp, "key": out["analysis"]["key"]})
    if cfg.get("sizes"):
        out["scaling"] = run_child("scaling", {"sizes": cfg["sizes"]})
    return out


# --- the report ------------------------------------------------------------------------------------------------


def report(results: dict, fmt, verdict) -> list[str]:
    lines: list[str] = []
    add = lines.append
    med = statistics.median
    if (r := results.get("dashboard")) is not None:
        add("")
        add("## Dashboard (the sample article)")
        add("| measure | value | goal |")
        add("|---|---|---|")
        browser, script = r.get("browser", {}), r.get("apptest", {})
        if "error" in browser:
            add(f"| in Chromium | failed: {browser['error']} | |")
        if s := browser.get("streamlit_run"):
            add(f"| `streamlit run dashboard.py` to the first map in Chromium, cold (model and analysis on the "
                f"first visit) | {s['first_map_s']:.2f} s (server up {s['up_s']:.2f} s) | |")
        if s := browser.get("make_run_cold"):
            add(f"| `python dashboard.py` (make run) to the first map, cold (loading from the start; the sample "
                f"analysed) | {s['first_map_s']:.2f} s | |")
        if s := browser.get("make_run"):
            ok = s["first_map_s"] <= GOALS["first_map_s"]
            add(f"| `python dashboard.py` after a restart to the first map (the sample's analysis kept) | "
                f"{s['first_map_s']:.2f} s (server up {s['up_s']:.2f} s; the model loaded "
                f"{s.get('model_after_map_s', float('nan')):.1f} s after the map, before the filter changes) | "
                f"≤ {GOALS['first_map_s']:.0f} s{verdict(ok)} |")
            for label, key in (("a filter change to the new map, in Chromium", "filter_ms"),
                               ("the same while another tab analyses a long text", "busy_filter_ms")):
                if s.get(key):
                    ok = med(s[key]) <= GOALS["filter_ms"]
                    add(f"| {label} (People: one removed, each a view not seen before) | {med(s[key]):.0f} ms "
                        f"(each: {', '.join(f'{x:.0f}' for x in s[key])}) | ≤ {GOALS['filter_ms']} ms{verdict(ok)} |")
            if "kept_text_s" in s:
                k = browser.get("kept_text", {})
                add(f"| a kept text ({k.get('words', 0):,} words) opened by its link after the restart | "
                    f"{s['kept_text_s']:.2f} s (analysed in {k.get('analysis_s', float('nan')):.1f} s the first "
                    "time) | |")
            w = s.get("warmup", {})
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in w.items() if isinstance(v, float))
            add(f"| loading at the server's start, once each (the server's log) | {steps or 'n/a'} | |")
            cold = browser.get("make_run_cold", {}).get("warmup", {})
            if cold.get("analyses_s"):
                add(f"| the sample analysed at the first start; read back after the restart | "
                    f"{cold['analyses_s'][0]:.2f} s; {', '.join(f'{x:.2f} s' for x in w.get('cache_reads_s', []))}"
                    " | |")
            add(f"| server RSS after the first map; after the long text began | {fmt(s['rss_mb'][0], ' MB', 0)}; "
                f"{fmt(s.get('rss_after_mb', [float('nan')])[0], ' MB', 0)} | |")
            if "busy_error" in s:
                add(f"| filter changes beside a long analysis | failed: {s['busy_error']} | |")
        if "error" in script:
            add(f"| the script alone (AppTest) | failed: {script['error']} | |")
        elif script.get("errors"):
            add(f"| the script alone | errors: {'; '.join(map(str, script['errors']))[:200]} | |")
        elif script:
            add(f"| the script alone (AppTest): cold run, model and analysis included | {script['cold_s']:.2f} s | |")
            for label, key, goal in (("rerun, nothing changed", "same_ms", None),
                                     ("a filter change to a view not seen before", "new_filter_ms", None),
                                     ("a filter change back to a view seen before", "seen_filter_ms", GOALS["script_ms"]),
                                     ("the user panned the map (its view goes into the address)", "pan_ms", None)):
                value = med(script[key])
                g = f"≤ {goal} ms{verdict(value <= goal)}" if goal else ""
                add(f"| the script's body: {label} | {value:.0f} ms (each: "
                    f"{', '.join(f'{x:.0f}' for x in script[key])}) | {g} |")
            add(f"| load during the script's measures | {script['load'][0]:.2f} | |")
    if (r := results.get("longtext")) is not None:
        add("")
        a = r.get("analysis", {})
        add(f"## A long text ({a.get('chars', 0):,} characters)")
        if "error" in a:
            add(f"failed: {a['error']}")
            return lines
        ok = a["peak_mb"] <= GOALS["long_peak_mb"]
        add("| measure | value | goal |")
        add("|---|---|---|")
        add(f"| analysis, {a['words']:,} words in {a['pieces']} pieces and {a['sections']} sections | "
            f"{a['wall_s']:.0f} s ({a['words'] / a['wall_s']:,.0f} words/s; CPU {a['cpu_s']:.0f} s, load "
            f"{a['load'][0]:.1f}) | |")
        add(f"| peak memory of the process (model and gazetteer: {a['loaded_mb']:.0f} MB) | {a['peak_mb']:.0f} MB | "
            f"≤ {GOALS['long_peak_mb']} MB{verdict(ok)} |")
        add(f"| found | {a['places']:,} places, {a['people']:,} people, {a['ties']:,} ties | |")
        add(f"| progress | {a['progress_updates']} updates, never more than {a['longest_silence_s']:.1f} s apart | |")
        add(f"| kept in the cache | {a['cache_put_s']:.1f} s, {a['cache_mb']:.1f} MB on disk | |")
        if (read := r.get("read")) and "read_s" in read:
            add(f"| read back by a fresh process (a second open after a restart) | {read['read_s']:.2f} s "
                f"(+ {read['import_s']:.2f} s imports; peak {read['peak_mb']:.0f} MB) | |")
        if scaling := r.get("scaling"):
            if "error" in scaling:
                add(f"| the rules over the parse, one document | failed: {scaling['error']} | |")
            else:
                cells = ", ".join(f"{int(k):,} chars {v:.1f} s ({v / int(k) * 1e5:.2f} s per 100k)"
                                  for k, v in scaling.items())
                add(f"| the rules over the parse on one document (CPU), by length | {cells} | |")
    return lines
