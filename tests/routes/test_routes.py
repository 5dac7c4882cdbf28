"""The real pipeline on varied texts, scored with the shared benchmark's own scorer.

Each `X.txt` here has its hand-made `X.json` (same shape as the shared gold
files). The minimums are per text: what the extractor reaches now, a little
below, so a regression in any genre fails. `andes_expedition` was written
after the rules and scored as it came (its losses are geocoding: Miramar,
the Andes).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from geo.export import to_geojson
from geo.pipeline import analyse_text

HERE = Path(__file__).parent
SHARED = HERE.parents[2] / "shared" / "eval"
REPO = HERE.parents[1]

MINIMUMS = {
    # text: person_recall, person_place_f1, route_f1, date_acc
    "escape_lebanon": (1.0, 0.9, 0.9, 0.8),
    "indictment_bogota": (1.0, 0.9, 0.9, 0.8),
    "overland_europe": (1.0, 0.9, 0.9, 0.9),
    "pilgrim_1325": (1.0, 0.9, 0.9, 0.9),
    "sahel_crossing": (1.0, 0.9, 0.9, 0.9),
    "andes_expedition": (1.0, 0.7, 0.7, 0.8),
    # first-person tours, written after the rules for travel writing and scored as they came (their losses
    # were the gazetteer's: villages and lakes it lacks, now placed between their neighbours on the route);
    # the Lakes tour has no year, so no dates to score
    "tour_scotland": (1.0, 0.9, 0.9, 0.95),
    "tour_lakes": (1.0, 0.8, 0.85, 0.0),
    # a flight timeline in headed lines, two fliers (written after the listing rules, scored as it came)
    "timeline_flight": (1.0, 0.85, 0.8, 0.65),
    # four texts written by a colleague who had not read the rules (a field report with a roster, an
    # encyclopedia voyage with a ship and a companion who leaves, a travel blog with an itinerary list, a
    # U.S. Attorney's release told as a flashback); the rules were then fixed for the classes of failure
    # they showed, each with its own made-up test, and these floors sit just under what they now reach
    "aid_convoy_report": (1.0, 0.9, 0.8, 0.65),
    "explorer_encyclopedia": (1.0, 0.85, 0.75, 0.45),
    "itinerary_list": (0.95, 0.85, 0.7, 0.7),
    "wire_court_release": (1.0, 0.55, 0.55, 0.35),
    # three more texts written blind to the rules (a dated walking-tour journal of 1798, a road-trip blog, an NGO
    # case report of a family's migration), scored as they came, then the rules fixed for the classes of failure
    # they showed; the floors sit just under what they now reach
    "journal_wales": (1.0, 0.6, 0.65, 0.15),
    "blog_balkans": (1.0, 0.7, 0.6, 0.45),
    "report_migration": (0.95, 0.8, 0.85, 0.6),
}
METRICS = ("person_recall", "person_place_f1", "route_f1", "date_acc")


@pytest.fixture(scope="module")
def scorer():
    # These texts are scored by the shared benchmark's own scorer, which lives beside the checkout, not in it.
    missing = [p for p in (SHARED / "score.py", SHARED / "gold" / "seed_isis_turkey.json") if not p.is_file()]
    assert not missing, (f"tests/routes needs the shared benchmark beside the checkout (../shared/eval); missing: "
                         f"{', '.join(str(p) for p in missing)}")
    spec = importlib.util.spec_from_file_location("eval_score", SHARED / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scores(scorer, resources, text: str, gold: dict, tmp_path: Path) -> dict:
    pred = tmp_path / "pred.geojson"
    pred.write_text(json.dumps(to_geojson(analyse_text(text, resources, "t"))), encoding="utf-8")
    return scorer.score(gold, scorer.load_pred(str(pred)))


def test_every_text_has_its_gold_and_a_minimum():
    texts = {p.stem for p in HERE.glob("*.txt")}
    assert texts == {p.stem for p in HERE.glob("*.json")} == set(MINIMUMS)


@pytest.mark.parametrize("name", sorted(MINIMUMS))
def test_route_texts_meet_their_minimums(name, scorer, resources, tmp_path):
    gold = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    m = _scores(scorer, resources, (HERE / f"{name}.txt").read_text(encoding="utf-8"), gold, tmp_path)
    short = {k: round(m[k], 3) for k, floor in zip(METRICS, MINIMUMS[name]) if m[k] < floor}
    assert not short, f"{name} falls short: {short} (all: { {k: round(m[k], 3) for k in METRICS} })"


def test_seed_article_meets_the_issue_targets(scorer, resources, tmp_path):
    gold = json.loads((SHARED / "gold" / "seed_isis_turkey.json").read_text(encoding="utf-8"))
    text = (REPO / "examples" / "seed_isis_turkey.txt").read_text(encoding="utf-8")
    m = _scores(scorer, resources, text, gold, tmp_path)
    assert m["person_recall"] >= 0.90 and m["person_place_f1"] >= 0.80
    assert m["route_f1"] >= 0.80 and m["date_acc"] >= 0.75
