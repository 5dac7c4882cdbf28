"""Time to load the country polygons, then to place and cluster random points, on one core.

    .venv/bin/python bench/regions_bench.py [--points 10000] [--radius 300] [--seed 7] [--land]

Points are uniform on the globe (with --land: only those on land, as a
news text's places are). Each gets, as its gazetteer code, the country of a
point 1 km north of it: a gazetteer that agrees with the polygons except near
borders and coasts, so the border rule has work to do. "cold" is the first
run after loading (GEOS builds its point-in-polygon indexes lazily), "warm"
the best of three more.
"""

from __future__ import annotations

import os

# One core: no thread pools in the numeric libraries, and the process pinned to one CPU.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.geography.countries import country_of_points, load_countries  # noqa: E402
from geo.model import Analysis, Candidate, Document, Place, PlaceMention, Sentence  # noqa: E402
from geo.geography.regions import cluster_places, place_countries  # noqa: E402


def random_points(n: int, rng: np.random.Generator, land: bool) -> tuple[np.ndarray, np.ndarray]:
    """n points uniform on the sphere; with land, drawn until n of them fall in a country."""
    lats, lons = np.empty(0), np.empty(0)
    while len(lats) < n:
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
        lon = rng.uniform(-180, 180, n)
        if land:
            keep = np.array([c is not None for c in country_of_points(lat, lon)])
            lat, lon = lat[keep], lon[keep]
        lats, lons = np.append(lats, lat), np.append(lons, lon)
    return lats[:n], lons[:n]


def random_analysis(lats: np.ndarray, lons: np.ndarray) -> Analysis:
    codes = country_of_points(lats + 1 / 111.2, lons)  # 1 km north
    sentence = Sentence("bench", 0, 5, "bench")
    places = tuple(
        Place(PlaceMention("bench", f"p{i}", 0, 1, sentence, "GPE"),
              Candidate(f"p{i}", float(lat), float(lon), "city", code, id=f"bench:{i}"))
        for i, (lat, lon, code) in enumerate(zip(lats, lons, codes))
    )
    return Analysis((Document("bench", ""),), places)


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def cold_and_warm(fn, *args) -> tuple[float, float, object]:
    cold, result = timed(fn, *args)
    warm = min(timed(fn, *args)[0] for _ in range(3))
    return cold, warm, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--radius", type=float, default=300.0, help="cluster radius in km")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--land", action="store_true", help="only points on land")
    args = parser.parse_args()

    load, table = timed(load_countries)
    print(f"load polygons + STRtree: {load:.3f} s ({len(table.codes)} countries, {len(table.parts)} polygons)")

    lats, lons = random_points(args.points, np.random.default_rng(args.seed), args.land)
    analysis = random_analysis(lats, lons)
    where = "on land" if args.land else "on the globe"
    print(f"{args.points} random points {where} (seed {args.seed}), radius {args.radius:g} km")

    cold, warm, codes = cold_and_warm(place_countries, analysis)
    print(f"countries: cold {cold:.3f} s, warm {warm:.3f} s ({sum(c is not None for c in codes)} in a country)")
    cold, warm, regions = cold_and_warm(cluster_places, analysis, args.radius)
    sizes = sorted((len(r.places) for r in regions), reverse=True)
    print(f"countries + clusters: cold {cold:.3f} s, warm {warm:.3f} s "
          f"({len(regions)} regions, largest {sizes[0]} places, {sum(s == 1 for s in sizes)} of one place)")


if __name__ == "__main__":
    main()
