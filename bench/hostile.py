"""Export every file of the hostile corpus (tests/hostile_corpus.py) on its own under /usr/bin/time -v,
then all of them in one run, and print a table: exit status, wall time, peak memory, tracebacks, and the
line the command printed about the file.

    python bench/hostile.py [WORK_DIR]

Goal (issue #14): 0 tracebacks, each file at most 60 s and 1.5 GB, analysed or refused with one line,
and in the mixed run every good file exported.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_corpus import write_corpus  # noqa: E402

LIMIT_S, LIMIT_MB = 60, 1536


def timed_export(files: list[Path], out: Path) -> tuple[int, float, float, str]:
    """(exit status, wall seconds, peak resident MB, stderr) of one `geo export` run."""
    run = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "geo", "export", *map(str, files),
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT, errors="replace")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    h, m, s = (float(x) if x else 0.0 for x in wall.groups())
    rss = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
    own = run.stderr.split("\tCommand being timed:")[0]
    return run.returncode, h * 3600 + m * 60 + s, rss, own


def said(stderr: str, name: str) -> str:
    """What the run printed about the file (after its name), or "analysed" when it printed nothing."""
    for key in (name, name.encode("unicode_escape").decode("ascii")):
        for line in stderr.splitlines():
            if line.startswith(("error: ", "note: ")) and key in line:
                kind, rest = line.split(": ", 1)
                return f"{kind}: {rest.split(key, 1)[1].lstrip(': ')}"
    return "analysed"


def main() -> int:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile-"))
    files = write_corpus(work / "corpus")
    print("| file | bytes | rc | s | MB | tracebacks | outcome |\n|---|---:|---:|---:|---:|---:|---|")
    worst_s = worst_mb = 0.0
    tracebacks = 0
    for path in files:
        rc, seconds, mb, stderr = timed_export([path], work / "out" / path.stem)
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
        tracebacks += stderr.count("Traceback")
        outcome = said(stderr, path.name)[:110].replace("|", "\\|")
        flag = "" if seconds <= LIMIT_S and mb <= LIMIT_MB else " **over**"
        name = path.name.encode("unicode_escape").decode("ascii")
        print(f"| {name} | {path.stat().st_size:,} | {rc} | {seconds:.1f} | {mb:.0f} | {stderr.count('Traceback')} "
              f"| {outcome}{flag} |", flush=True)
    mixed = work / "out-mixed"
    rc, seconds, mb, stderr = timed_export(files, mixed)
    good = [p for p in files if p.name.startswith("good_")]
    kept = [p.name for p in good if (mixed / f"{p.stem}.geojson").exists()]
    print(f"\nper file: worst {worst_s:.1f} s, {worst_mb:.0f} MB, {tracebacks} tracebacks")
    print(f"mixed run of all {len(files)} files: rc {rc}, {seconds:.1f} s, {mb:.0f} MB, "
          f"{stderr.count('Traceback')} tracebacks, good files exported {len(kept)}/{len(good)}")
    return 0 if tracebacks == 0 and len(kept) == len(good) else 1


if __name__ == "__main__":
    sys.exit(main())
