"""A large batch store in the dashboard, in a headless Chromium: opening it, a filter change, a pan.

    .venv/bin/python bench/store_dashboard.py STORE [--people 5] [--reps 3]

STORE is a folder written by ``python -m geo batch`` (bench/corpus_batch.py makes one of 10,000 documents).
``python dashboard.py`` (what ``make run`` runs) starts with STORE's parent as the only folder stores may be
opened from, and its own cache folder; then, ``reps`` times, a new tab:

1. opens ``/?src=store&store=STORE&person=...`` (the ``--people`` people in most documents): seconds from
   the navigation to the map drawn;
2. removes the people one by one from the People box: ms from the click to the map's new data drawn;
3. pans and zooms the map in its frame: ms to the next frame drawn, with the number of markers on it.

The server starts as ``make run`` starts it (the sample's analysis kept by ``make setup``), and the first tab
opens once it has done loading (its log says "ready"), as a user's would on a server that was already up;
``--at-start`` opens it the moment the server answers instead, while it still loads its model and shapes.
The store's analysis is kept in the server's cache first, as ``geo batch`` leaves it at its end (``python -m
geo keep --store STORE``, timed); ``--unkept`` leaves it out, and the first tab reads the store's tables.
The first tab pays for loading it; the later ones find it in the server's memory, as a second user would. The load
average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

GOALS = {"open_s": 5.0, "filter_ms": 1000.0, "pan_ms": 100.0}

# In the map's frame: pans and zoom steps, each timed to the second animation frame after it.
PAN_JS = """(async () => {
  const frames = [...document.querySelectorAll('iframe')];
  let m = null, w = null;
  for (const f of frames) {
    try {
      const win = f.contentWindow;
      m = Object.values(win).find(v => v && win.L && v instanceof win.L.Map);
      if (m) { w = win; break; }
    } catch (e) {}
  }
  if (!m) return null;
  const frame = () => new Promise(r => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
  const pans = [], zooms = [];
  for (let i = 0; i < 6; i++) {
    let t = w.performance.now(); m.panBy([i % 2 ? -300 : 300, 0], {animate: false}); await frame();
    pans.push(w.performance.now() - t);
    t = w.performance.now(); m.setZoom(m.getZoom() + (i % 2 ? -1 : 1), {animate: false}); await frame();
    zooms.push(w.performance.now() - t);
  }
  const markers = w.document.querySelectorAll('.leaflet-marker-icon, .marker-cluster').length;
  return {pans, zooms, markers};
})()"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--people", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--unkept", action="store_true",
                    help="do not keep the store's analysis in the server's cache first: the first tab reads the store")
    ap.add_argument("--at-start", action="store_true",
                    help="open the first tab as soon as the server answers, not once it has done loading")
    args = ap.parse_args(argv)

    import bench as b
    import dashboard_bench as d

    from geo.corpus.store import Store
    from geo.map.snapshot import open_chromium

    store = args.store.resolve()
    summary = Store(store).summary()
    people = [p for p, _ in Store(store).people()[:args.people]]
    query = urllib.parse.urlencode([("src", "store"), ("store", str(store)), *(("person", p) for p in people)])
    cache = d.cache_folder(sample_kept=True)  # as `make run` starts: the sample kept by `make setup`
    os.environ["GEO_STORE_ROOTS"] = str(store.parent)
    keeping = None
    if not args.unkept:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "keep", "--store", str(store)], check=True, cwd=REPO,
                       env={**os.environ, "GEO_CACHE_DIR": str(cache)}, stdout=subprocess.DEVNULL)
        keeping = time.perf_counter() - t
    runs = []
    try:
        with open_chromium() as browser, d.server([sys.executable, "dashboard.py"], cache) as info:
            waited = 0.0 if args.at_start else d.model_loaded(info["log"])
            for rep in range(args.reps):
                tab = browser.new_page(viewport={"width": b.BROWSER_SIZE[0], "height": b.BROWSER_SIZE[1]})
                load = os.getloadavg()[0]
                opened = d.map_after_navigation(tab, f"{info['url']}/?{query}")
                time.sleep(1.0)
                filters = d.filter_changes(tab, len(people) - 1)
                time.sleep(0.5)
                frames = tab.evaluate(PAN_JS) or {}
                runs.append({"open_s": opened, "filter_ms": filters, "load": load, **frames})
                tab.close()
            rss, _ = b.rss_mb(info["pid"])
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    print(f"# The dashboard on a batch store: {store.name}, {summary['documents']:,} documents, "
          f"{summary['places']:,} places ({summary['resolved']:,} resolved), {summary['people']:,} people; "
          f"{len(people)} people in the address")
    print("- the store's analysis " + (f"kept first by `geo keep --store` ({keeping:.1f} s), as `geo batch` leaves it"
                                       if keeping is not None else "not kept: the first tab reads the store"))
    print(f"- the first tab opened {'as the server answered' if args.at_start else f'once the server was ready ({waited:.1f} s after it answered)'}")
    print()
    print("| tab | opened to the map drawn | filter changes (ms) | pan (ms) | zoom step (ms) | markers drawn | load |")
    print("|---|---|---|---|---|---|---|")
    for k, r in enumerate(runs, 1):
        pans = f"{statistics.median(r['pans']):.0f}" if r.get("pans") else "n/a"
        zooms = f"{statistics.median(r['zooms']):.0f}" if r.get("zooms") else "n/a"
        print(f"| {k}{' (reads the store)' if k == 1 else ''} | {r['open_s']:.2f} s | "
              f"{', '.join(f'{x:.0f}' for x in r['filter_ms']) or 'n/a'} | {pans} | {zooms} | "
              f"{r.get('markers', 'n/a')} | {r['load']:.1f} |")
    first = runs[0]
    all_filters = [x for r in runs for x in r["filter_ms"]]
    all_pans = [x for r in runs for x in r.get("pans", [])]
    print()
    verdict = lambda ok: "met" if ok else "not met"  # noqa: E731
    print(f"- opened (first tab): {first['open_s']:.2f} s, goal ≤ {GOALS['open_s']:.0f} s: "
          f"{verdict(first['open_s'] <= GOALS['open_s'])}")
    if all_filters:
        med = statistics.median(all_filters)
        print(f"- filter change: median {med:.0f} ms (max {max(all_filters):.0f}), goal ≤ {GOALS['filter_ms']:.0f} ms: "
              f"{verdict(med <= GOALS['filter_ms'])}")
    if all_pans:
        med = statistics.median(all_pans)
        print(f"- pan: median {med:.0f} ms, goal ≤ {GOALS['pan_ms']:.0f} ms: {verdict(med <= GOALS['pan_ms'])}")
    print(f"- the server's memory after: {rss:.0f} MB; load {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
