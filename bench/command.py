"""`geo export` as a whole process, beside a bare spaCy script over the same texts, then on every core.

    .venv/bin/python bench/command.py [--corpus DIR] [--limit N] [--reps 3] [--no-imports]

1. One core: ``python -m geo export FILES --workers 1`` and ``bench/bare_spacy.py FILES``, each a new
   process pinned to the same CPU, run back to back in alternating order, ``reps`` pairs. Wall clock and
   CPU time (the child's own rusage) of each; the ratio bare / export per pair, and its median.
2. Every core: ``--workers auto`` (the default) against ``--workers 1``, unpinned, in alternation; the
   speed-up, and the two outputs compared byte for byte.
3. Imports: ``python -X importtime`` of the export of one file: what geo imports beyond the bare script,
   the largest first.

A first export (not timed) fills the shape cache (``geo.geography.shapecache``), as any first run does.
The load average (1 min) is printed beside each figure: on a shared machine, repeat when it is high.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "geoparse" / "GeoWebNews" / "docs"
GOALS = {"one_core": 0.9, "all_cores": 1.7}
# The numeric libraries' own thread pools would take other cores behind the pinning's back.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def corpus_files(corpus: Path, limit: int | None) -> list[str]:
    sys.path.insert(0, str(REPO))
    from geo.fsutil import natural_key

    files = sorted(Path(corpus).glob("*.txt"), key=lambda p: natural_key(p.name))
    return [str(p) for p in files[:limit]]


def run(cmd: list[str], *, core: int | None) -> dict:
    """Wall and CPU seconds and peak RSS of one process (its children's CPU included: spaCy's n_process)."""
    env = {**os.environ, **(ONE_THREAD if core is not None else {})}
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                 preexec_fn=(lambda: os.sched_setaffinity(0, {core})) if core is not None else None)
        before = os.times()
        child.wait()
        wall = time.perf_counter() - t
        after = os.times()
        if child.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise SystemExit(f"{' '.join(cmd[:4])}... exited {child.returncode}: {' | '.join(tail)}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0]}


def export_cmd(files: list[str], out: Path, workers: str) -> list[str]:
    return [sys.executable, "-m", "geo", "export", *files, "--out", str(out), "--workers", workers]


def bare_cmd(files: list[str]) -> list[str]:
    return [sys.executable, str(REPO / "bench" / "bare_spacy.py"), *files]


def same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def imports_beyond_bare(files: list[str], tmp: Path) -> list[tuple[str, float]]:
    """(module, own import ms) that `geo export` of one file imports and the bare script does not."""
    def modules(cmd):
        done = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], cwd=REPO, capture_output=True,
                              text=True)
        own = {}
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "|" in line:
                self_us, _, name = (x.strip() for x in line[len("import time:"):].split("|"))
                if self_us.isdigit():
                    own[name] = int(self_us) / 1000
        return own

    ours = modules(export_cmd(files[:1], tmp / "imports", "1"))
    bare = modules(bare_cmd(files[:1]))
    extra = {m: ms for m, ms in ours.items() if m not in bare}
    return sorted(extra.items(), key=lambda kv: -kv[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="a folder of .txt documents")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--reps", type=int, default=3, help="pairs of each figure (default 3)")
    ap.add_argument("--no-imports", action="store_true", help="skip the import figure")
    args = ap.parse_args(argv)
    files = corpus_files(Path(args.corpus), args.limit)
    if not files:
        ap.error(f"no .txt files in {args.corpus}")
    words = sum(len(Path(f).read_text(encoding="utf-8").split()) for f in files)
    core = max(os.sched_getaffinity(0))
    tmp = Path(tempfile.mkdtemp(prefix="bench-command-"))
    try:
        print(f"# `geo export` as a whole command: {len(files)} documents, {words:,} words; "
              f"{len(os.sched_getaffinity(0))} cores; load {os.getloadavg()[0]:.2f} at the start", flush=True)
        run(export_cmd(files, tmp / "warm", "1"), core=None)  # fills the shape cache, as a first run does

        pairs = []
        for rep in range(args.reps):
            sides = ("bare", "export") if rep % 2 == 0 else ("export", "bare")
            pair = {}
            for side in sides:
                cmd = bare_cmd(files) if side == "bare" else export_cmd(files, tmp / f"one-{rep}", "1")
                pair[side] = run(cmd, core=core)
            pairs.append(pair)
        print()
        print(f"## One core (both pinned to CPU {core})")
        print()
        print("| pair | bare spaCy wall / CPU | geo export wall / CPU | ratio wall | ratio CPU | load |")
        print("|---|---|---|---|---|---|")
        for i, p in enumerate(pairs, 1):
            b, e = p["bare"], p["export"]
            print(f"| {i} | {b['wall']:.1f} s / {b['cpu']:.1f} s | {e['wall']:.1f} s / {e['cpu']:.1f} s | "
                  f"{b['wall'] / e['wall']:.2f} | {b['cpu'] / e['cpu']:.2f} | {b['load']:.1f}, {e['load']:.1f} |")
        wall = statistics.median(p["bare"]["wall"] / p["export"]["wall"] for p in pairs)
        cpu = statistics.median(p["bare"]["cpu"] / p["export"]["cpu"] for p in pairs)
        print(f"| median | | | **{wall:.2f}×** | {cpu:.2f}× | goal ≥ {GOALS['one_core']}× "
              f"{'met' if wall >= GOALS['one_core'] else 'not met'} |")

        runs = []
        for rep in range(args.reps):
            sides = ("1", "auto") if rep % 2 == 0 else ("auto", "1")
            runs.append({w: run(export_cmd(files, tmp / f"w{w}-{rep}", w), core=None) for w in sides})
        identical = all(same_files(tmp / f"w1-{rep}", tmp / f"wauto-{rep}") for rep in range(args.reps))
        print()
        print("## Every core (`--workers auto`, the default) against one (`--workers 1`)")
        print()
        print("| run | --workers 1 | --workers auto | speed-up | load |")
        print("|---|---|---|---|---|")
        for i, r in enumerate(runs, 1):
            one, auto = r["1"], r["auto"]
            print(f"| {i} | {one['wall']:.1f} s | {auto['wall']:.1f} s (CPU {auto['cpu']:.1f} s) | "
                  f"{one['wall'] / auto['wall']:.2f}× | {one['load']:.1f}, {auto['load']:.1f} |")
        speedup = statistics.median(r["1"]["wall"] / r["auto"]["wall"] for r in runs)
        print(f"| median | | | **{speedup:.2f}×** | goal ≥ {GOALS['all_cores']}× "
              f"{'met' if speedup >= GOALS['all_cores'] else 'not met'} |")
        print(f"\nOutputs of --workers auto and --workers 1: {'byte-identical' if identical else 'DIFFERENT'}.")

        if not args.no_imports:
            extra = imports_beyond_bare(files, tmp)
            total = sum(ms for _, ms in extra)
            print()
            print(f"## Imports geo adds to the bare script: {total:.0f} ms in {len(extra)} modules "
                  f"(load {os.getloadavg()[0]:.1f}); the largest:")
            print()
            print(", ".join(f"{m} {ms:.0f} ms" for m, ms in extra[:12]))
        print(f"\nLoad {os.getloadavg()[0]:.2f} at the end.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
