"""The date reader on MEANTIME (120 Wikinews articles with TIMEX3 gold), scored TempEval-3's way.

    .venv/bin/python bench/meantime.py [--eval ../shared/eval] [--keep DIR]

Each article's text is written to a temporary folder and run through `python -m geo dates FILE
--out DIR --date <its dct>` (in this process, so the spaCy model loads once; an article whose dct
is not an ISO date is run without --date and its dateline is read). The answers are converted to
the scorer's JSONL and scored with `score_timex.py GOLD PRED --drop-dct` (the dateline's own date is
left out).

MEANTIME annotates only the head of each article (its headline, dateline and first sentences):
the gold lies in its first lines and nowhere after. An expression found further down can be neither
right nor wrong, so the figures that count are over the annotated lines (`annotated extent`); the
figures over the whole texts are printed too. The number of annotated lines is read from the gold.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def annotated_lines(gold: list[dict]) -> int:
    """How many lines of each text the annotators covered: one more than the last line any gold is on."""
    return 1 + max(d["text"][:t[0]].count("\n") for d in gold for t in d["timex"])


def clip(text: str, timex: list, lines: int) -> list:
    cut = 0
    for _ in range(lines):
        nl = text.find("\n", cut)
        cut = len(text) if nl < 0 else nl + 1
    return [t for t in timex if t[0] < cut]


def score(scorer: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--drop-dct"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def line(name: str, s: dict) -> str:
    return (f"{name:<18} gold {s['gold']:>3} pred {s['pred']:>3}  strict F1 {s['strict']['F1']:.3f}  relaxed "
            f"P {s['relaxed']['P']:.3f} R {s['relaxed']['R']:.3f} F1 {s['relaxed']['F1']:.3f}  type acc "
            f"{s['type_accuracy']:.3f}  value acc {s['value_accuracy']:.3f}  value F1 {s['value_F1']:.3f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval",
                   help="the shared evaluation folder (default ../shared/eval beside the checkout)")
    p.add_argument("--keep", type=Path, default=None, help="keep the predictions (JSONL) in this folder")
    args = p.parse_args(argv)
    gold_path = args.eval / "dates" / "meantime_en.jsonl"
    scorer = args.eval / "dates" / "score_timex.py"
    gold = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]

    from geo.cli.main import main as geo

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        started = time.monotonic()
        records = []
        for n, d in enumerate(gold):
            path = tmp / "in" / f"meantime_{n:03d}.txt"
            path.write_text(d["text"], encoding="utf-8")
            dct = d.get("dct") or ""
            extra = ["--date", dct] if re.fullmatch(r"\d{4}-\d\d-\d\d", dct) else []
            if geo(["dates", str(path), "--out", str(tmp / "out")] + extra) != 0:
                print(f"error: geo dates failed on {d['id']}", file=sys.stderr)
                return 1
            record = json.loads((tmp / "out" / f"{path.stem}.dates.json").read_text(encoding="utf-8"))
            timex = [[t["start"], t["end"], t["text"], t["type"], t["value"]] for t in record["timex"]]
            bad = [t for t in timex if d["text"][t[0]:t[1]] != t[2]]
            if bad:
                print(f"error: {d['id']}: spans do not point into the text: {bad[:3]}", file=sys.stderr)
                return 1
            records.append((d, timex))
        seconds = time.monotonic() - started
        lines = annotated_lines(gold)
        full, head = tmp / "pred_all.jsonl", tmp / "pred_annotated.jsonl"
        full.write_text("".join(json.dumps({"id": d["id"], "timex": t}) + "\n" for d, t in records), encoding="utf-8")
        head.write_text("".join(json.dumps({"id": d["id"], "timex": clip(d["text"], t, lines)}) + "\n"
                                for d, t in records), encoding="utf-8")
        print(f"MEANTIME: {len(gold)} articles through `geo dates --date <dct>` in {seconds:.1f} s "
              f"(model load included); gold on the first {lines} lines of each text")
        print(line("annotated extent", score(scorer, gold_path, head)))
        print(line("whole texts", score(scorer, gold_path, full)))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for f in (full, head):
                (args.keep / f.name).write_bytes(f.read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
