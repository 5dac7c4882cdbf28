"""Score the geoparser on the made-up suite of shapes other geoparsers test (tests/shapes/suite.json).

Prints, over the suite: expected places found, found with the right country, found within 161 km,
and words that are no place left alone; then each miss. Usage: python bench/shapes.py [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.geography.distance import km  # noqa: E402
from geo.names import fold  # noqa: E402

SUITE = ROOT / "tests" / "shapes" / "suite.json"
NEAR_KM = 161.0


def load_suite(path: Path = SUITE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def judge_case(case: dict, places) -> list[tuple[str, bool, bool, bool]]:
    """(name, found, right country, within 161 km) for each expected place of a case."""
    out = []
    for name, cc, lat, lon in case["places"]:
        hits = [p for p in places if fold(p.mention.text) == fold(name)]
        placed = [p for p in hits if p.resolved]
        found = bool(placed)
        country = any(p.chosen.country == cc for p in placed)
        near = any(km(p.chosen.lat, p.chosen.lon, lat, lon) <= NEAR_KM for p in placed)
        out.append((name, found, country, near))
    return out


def left_alone(case: dict, places) -> list[tuple[str, bool]]:
    """(word, no place was put on it) for each word of a non-place case."""
    text = case["text"]
    out = []
    for word in case["words"]:
        start = text.index(word)
        end = start + len(word)
        out.append((word, not any(p.resolved and p.mention.start < end and start < p.mention.end
                                  for p in places)))
    return out


def run(resources, suite: dict) -> dict:
    from geo.pipeline import analyse_text

    rows, alone, misses = [], [], []
    for case in suite["cases"]:
        places = analyse_text(case["text"], resources, "shape").places
        for name, found, country, near in judge_case(case, places):
            rows.append((found, country, near))
            if not (found and country and near):
                got = [(p.mention.text, p.chosen and (p.chosen.name, p.chosen.country)) for p in places]
                misses.append(f"{case['shape']}: {name!r} found={found} country={country} near={near} in "
                              f"{case['text']!r} -> {got}")
    for case in suite["non_places"]:
        places = analyse_text(case["text"], resources, "shape").places
        for word, ok in left_alone(case, places):
            alone.append(ok)
            if not ok:
                misses.append(f"{case['shape']}: {word!r} was placed in {case['text']!r}")
    n = len(rows)
    return {
        "places": n,
        "found": sum(r[0] for r in rows) / n,
        "right_country": sum(r[1] for r in rows) / n,
        "within_161km": sum(r[2] for r in rows) / n,
        "non_places": len(alone),
        "left_alone": sum(alone) / len(alone),
        "misses": misses,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="figures only, not each miss")
    args = ap.parse_args(argv)
    from geo.pipeline import load_resources

    result = run(load_resources(), load_suite())
    print(f"expected places   {result['places']}")
    print(f"found             {result['found']:.3f}")
    print(f"right country     {result['right_country']:.3f}")
    print(f"within 161 km     {result['within_161km']:.3f}")
    print(f"non-places        {result['non_places']}")
    print(f"left alone        {result['left_alone']:.3f}")
    if not args.quiet:
        for miss in result["misses"]:
            print("miss:", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
