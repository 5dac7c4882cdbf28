"""Corrections: stored atomically as JSON, applied to every mention of the name, through the pipeline too."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest
from test_filters import PARIS, analysis

from geo.geocoding import corrections
from geo.errors import CacheError
from geo.model import Candidate
from geo.pipeline import analyse_text

PARIS_TEXAS = Candidate("Paris", 33.66, -95.56, "city", "US", population=25000, admin1="Texas", id="geonames:4717560")


def test_a_choice_is_saved_and_loaded(tmp_path):
    path = tmp_path / "corrections.json"
    assert corrections.load(path) == {}
    stored = corrections.choose({}, "Paris", PARIS_TEXAS)
    stored = corrections.choose(stored, "ISIS", None)
    corrections.save(stored, path)
    assert corrections.load(path) == stored
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["places"]["isis"] == {"written": "ISIS", "choice": None}
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temp file, then renamed


def _slow_choose(stored, written, choice):
    time.sleep(0.02)  # a slow session: another one saves meanwhile
    return corrections.choose(stored, written, choice)


def _save_names(path, names):
    for name in names:
        corrections.update(_slow_choose, name, PARIS_TEXAS, path=path)


def test_sessions_saving_at_once_keep_each_others_choices(tmp_path):
    path = tmp_path / "corrections.json"
    batches = [[f"Place {w}-{i}" for i in range(5)] for w in range(4)]
    workers = [multiprocessing.get_context("fork").Process(target=_save_names, args=(path, names))
               for names in batches]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert [w.exitcode for w in workers] == [0] * len(workers)
    stored = corrections.load(path)
    assert sorted(c.written for c in stored.values()) == sorted(n for names in batches for n in names)


def test_default_path_is_beside_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    corrections.save(corrections.choose({}, "Paris", PARIS_TEXAS))
    assert (tmp_path / "corrections.json").is_file() and "paris" in corrections.load()


def test_forget_gives_the_name_back_to_the_resolver():
    stored = corrections.choose({}, "İzmir", None)
    assert "izmir" in stored  # one key however it is written
    assert corrections.forget(stored, "Izmir") == {}


def test_apply_places_every_mention_as_chosen_and_keeps_the_old_choice_as_a_candidate():
    a = analysis()
    fixed = corrections.apply_corrections(a, corrections.choose({}, "paris", PARIS_TEXAS))
    paris = fixed.places[2]
    assert paris.chosen == PARIS_TEXAS and paris.geocoder == corrections.GEOCODER
    assert paris.candidates == (PARIS,)
    assert fixed.places[0] == a.places[0]  # others untouched
    assert corrections.apply_corrections(a, {}) is a


def test_not_a_place_unresolves_the_name_and_drops_its_ties():
    fixed = corrections.apply_corrections(analysis(), corrections.choose({}, "Rome", None))
    assert not fixed.places[4].resolved
    fixed = corrections.apply_corrections(analysis(), corrections.choose({}, "Raqqa", None))
    assert [t.place for t in fixed.ties] == [0, 1, 2]  # Sara's arrival and Ali's event at Raqqa are gone


def test_candidates_come_from_the_resolver_and_the_gazetteer(gazetteer):
    place = analysis().places[2]
    found = corrections.candidates_for(place, gazetteer)
    assert found[0] == PARIS and len(found) > 3
    assert any(c.country == "US" and c.name == "Paris" for c in found)
    assert len({(c.id, c.lat, c.lon) for c in found}) == len(found)


@pytest.mark.parametrize("content", ["{not json", '{"version": 9, "places": {}}', '{"version": 1, "places": {"x": {}}}'])
def test_a_broken_file_is_refused_with_the_way_out(tmp_path, content):
    path = tmp_path / "corrections.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CacheError, match="move it away"):
        corrections.load(path)


def test_the_pipeline_applies_corrections(resources):
    text = "In 2015 Anna Schmidt flew from Berlin to Paris."
    before = analyse_text(text, resources, "t")
    after = analyse_text(text, resources, "t", corrections=corrections.choose({}, "Paris", PARIS_TEXAS))
    (paris_before,) = [p for p in before.places if p.mention.text == "Paris"]
    (paris_after,) = [p for p in after.places if p.mention.text == "Paris"]
    assert paris_before.chosen.country == "FR"
    assert paris_after.chosen == PARIS_TEXAS and paris_before.chosen in paris_after.candidates
    assert after.ties == before.ties  # the ties do not move; only where the place is
