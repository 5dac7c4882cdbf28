"""Score the extractor on the real-text development set, the seed and tests/routes, as one table.

    .venv/bin/python bench/realtexts.py [--eval ../shared/eval] [--only NAME ...] [--json]

Each text is analysed in this process (one model load), exported as the GeoJSON contract and scored by the
shared benchmark's own scorer (`score.py`). Prints one row per text and the mean over the real set; the
figures the issue's goals are stated in (person_recall, person_place_f1, route_f1, date_acc).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

COLUMNS = ("toponym_f1", "person_recall", "person_place_f1", "route_f1", "date_acc")


def _scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("eval_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts(eval_dir: Path) -> list[tuple[str, str, Path, Path]]:
    """(set, name, text, gold) of every scored text."""
    out = [("real", g.stem, eval_dir / "real" / "docs" / f"{g.stem}.txt", g)
           for g in sorted((eval_dir / "real" / "gold").glob("*.json"))]
    out.append(("seed", "seed_isis_turkey", eval_dir / "docs" / "seed_isis_turkey.txt",
                eval_dir / "gold" / "seed_isis_turkey.json"))
    out += [("routes", g.stem, g.with_suffix(".txt"), g) for g in sorted((REPO / "tests" / "routes").glob("*.json"))]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--only", nargs="*", help="only these texts (names)")
    ap.add_argument("--json", action="store_true", help="print every metric of every text as JSON")
    args = ap.parse_args(argv)

    from geo.export import to_geojson
    from geo.geography.regions import regions_for
    from geo.pipeline import analyse, load_resources
    from geo.text.documents import read_document

    scorer = _scorer(args.eval)
    resources = load_resources()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for group, name, text_path, gold_path in texts(args.eval):
            if args.only and name not in args.only:
                continue
            document, _ = read_document(text_path)
            analysis = analyse([document], resources)
            pred = Path(tmp) / f"{name}.geojson"
            regions = regions_for(analysis, resources.gazetteer.region_members)
            pred.write_text(json.dumps(to_geojson(analysis, regions)), encoding="utf-8")
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            rows.append((group, name, scorer.score(gold, scorer.load_pred(str(pred)))))
    if args.json:
        print(json.dumps([{"set": g, "text": n, **m} for g, n, m in rows], indent=1))
        return 0
    print(f"{'text':32} " + " ".join(f"{c[:15]:>15}" for c in COLUMNS))
    for group in ("real", "seed", "routes"):
        mine = [m for g, _, m in rows if g == group]
        for g, n, m in rows:
            if g == group:
                print(f"{n[:32]:32} " + " ".join(f"{m[c]:15.3f}" for c in COLUMNS))
        if group == "real" and mine:
            mean = {c: sum(m[c] for m in mine) / len(mine) for c in COLUMNS}
            print(f"{'MEAN (real, ' + str(len(mine)) + ' texts)':32} " + " ".join(f"{mean[c]:15.3f}" for c in COLUMNS))
            print("-" * (33 + 16 * len(COLUMNS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
