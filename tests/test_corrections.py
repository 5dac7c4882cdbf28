"""Corrections: stored atomically as JSON, applied to every mention of the name, through the pipeline too."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import asdict

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard import DASHBOARD, TIMEOUT, folium_maps, static_serving  # noqa: F401 - a fixture
from test_filters import PARIS, analysis

from geo import config
from geo.errors import CacheError
from geo.geocoding import corrections
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
    assert data["version"] == 2 and data["places"]["isis"] == {"written": "ISIS", "choice": None}
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


def test_a_name_looked_up_puts_its_places_first_then_the_places_own_candidates(gazetteer):
    place = analysis().places[2]  # Paris
    own = corrections.candidates_for(place, gazetteer)
    offered = corrections.options_for(place, gazetteer, " Bombay ")
    assert [(c.name, c.country) for c in offered.candidates[:2]] == [("Mumbai", "IN"), ("Bombay", "NZ")]
    assert offered.candidates[2:] == own and (offered.found, offered.shown) == (2, 2)
    assert corrections.options_for(place, gazetteer, "  ") == corrections.Options(own)  # nothing looked up
    nothing = corrections.options_for(place, gazetteer, "Qwxzyville")
    assert nothing.candidates == own and nothing.found == 0
    same = corrections.options_for(place, gazetteer, "Paris")  # the name as written: each place once
    assert len(same.candidates) == len(set(same.candidates)) and set(same.candidates) == set(own)


def test_a_name_of_many_places_lists_the_first_of_them(gazetteer):
    place = analysis().places[2]
    offered = corrections.options_for(place, gazetteer, "Santa Cruz", limit=5)
    assert offered.shown == 5 and offered.found > 100
    assert offered.candidates[:5] == gazetteer.lookup("Santa Cruz")[:5]  # the largest of each kind first
    assert offered.candidates[5:] == corrections.candidates_for(place, gazetteer)


@pytest.mark.parametrize("content", ["{not json", '{"version": 9, "places": {}}', '["version", 1]',
                                     '{"version": 1, "places": []}'])
def test_a_file_that_is_not_a_corrections_file_is_refused_with_the_way_out_and_left_alone(tmp_path, content):
    path = tmp_path / "corrections.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CacheError, match="move it away"):
        corrections.load(path)
    assert path.read_text(encoding="utf-8") == content and not list(tmp_path.glob("*.bad-*"))


def entry(**changes) -> dict:
    """A stored choice of Paris, Texas, as save() writes it, with `changes` to its candidate."""
    return {"written": "Paris", "choice": {**asdict(PARIS_TEXAS), **changes}}


BAD_ENTRIES = {
    "lat is text": entry(lat="north"),
    "lat out of range": entry(lat=91.0),
    "lon is null": entry(lon=None),
    "kind unknown": entry(kind="town"),
    "population is text": entry(population="many"),
    "country is a name": entry(country="Texas"),
    "name missing": {"written": "Paris", "choice": {"lat": 1.0, "lon": 2.0, "kind": "city"}},
    "written missing": {"choice": None},
    "choice missing": {"written": "Paris"},
    "a list for the choice": {"written": "Paris", "choice": [33.66, -95.56]},
    "a list for the entry": ["Paris", None],
    "an empty entry": {},
}


def write_places(path, places: dict, raw_extra: str = "") -> bytes:
    text = json.dumps({"version": 1, "places": places}, ensure_ascii=False)
    if raw_extra:  # JSON that json.dumps would not write, such as 1e999
        text = text[:-2] + ", " + raw_extra + "}}"
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize("bad", BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_bad_entries_are_set_aside_the_good_ones_kept_and_the_user_told_once(tmp_path, bad):
    path = tmp_path / "corrections.json"
    good = {"rome": {"written": "Rome", "choice": None}, "paris": entry()}
    original = write_places(path, {**good, "bad one": bad})
    told: list[str] = []

    stored = corrections.load(path, notify=told.append)

    assert stored == {"rome": corrections.Correction("Rome", None), "paris": corrections.Correction("Paris", PARIS_TEXAS)}
    (notice,) = told
    assert "'bad one'" in notice and "kept at" in notice, notice
    (moved,) = tmp_path.glob("corrections.json.bad-*")
    assert moved.read_bytes() == original and str(moved) in notice  # kept whole, bad entry and all
    assert json.loads(path.read_text(encoding="utf-8"))["places"] == good  # the good ones, as they were
    assert corrections.load(path, notify=told.append) == stored and len(told) == 1  # told once


def test_an_infinite_coordinate_is_a_bad_entry(tmp_path):
    path = tmp_path / "corrections.json"
    write_places(path, {"paris": entry()}, raw_extra='"inf": {"written": "Inf", "choice": {"name": "Inf", '
                                                      '"lat": 1e999, "lon": 2.0, "kind": "city"}}')
    told: list[str] = []
    assert list(corrections.load(path, notify=told.append)) == ["paris"]
    assert "'inf'" in told[0] and "lat is Infinity" in told[0], told


def test_without_a_listener_setting_entries_aside_is_a_warning(tmp_path):
    path = tmp_path / "corrections.json"
    write_places(path, {"paris": entry(lat="north")})
    with pytest.warns(RuntimeWarning, match="cannot be used"):
        assert corrections.load(path) == {}


def test_saving_a_choice_beside_bad_entries_keeps_the_good_ones_and_sets_the_bad_aside(tmp_path):
    path = tmp_path / "corrections.json"
    write_places(path, {"rome": {"written": "Rome", "choice": None}, "bad": entry(lat="north")})
    told: list[str] = []
    saved = corrections.update(corrections.choose, "Paris", PARIS_TEXAS, path=path, notify=told.append)
    assert set(saved) == {"rome", "paris"} and corrections.load(path) == saved
    assert len(told) == 1 and len(list(tmp_path.glob("corrections.json.bad-*"))) == 1


def test_cli_with_a_bad_correction_uses_the_good_ones_and_says_so_once(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(config.gazetteer_path())
    write_places(cache / "corrections.json", {"paris": entry(), "berlin": {
        "written": "Berlin", "choice": {"name": "Berlin", "lat": "north", "lon": 13.4, "kind": "city"}}})
    (tmp_path / "a.txt").write_text("In 2015 Anna Schmidt flew from Berlin to Paris.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("In 2016 Anna Schmidt drove from Paris to Berlin.", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "geo", "export", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                        "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=config.REPO_ROOT,
                       timeout=120, env={**os.environ, "GEO_CACHE_DIR": str(cache)})
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    told = [line for line in r.stderr.splitlines() if "cannot be used" in line]
    assert len(told) == 1 and told[0].startswith("note: ") and "'berlin'" in told[0], r.stderr
    for stem in ("a", "b"):
        data = json.loads((tmp_path / "out" / f"{stem}.geojson").read_text(encoding="utf-8"))
        points = {f["properties"]["place"]: f["geometry"]["coordinates"] for f in data["features"]
                  if f["geometry"]["type"] == "Point"}
        assert points["Paris"] == [PARIS_TEXAS.lon, PARIS_TEXAS.lat]  # the good correction holds
        assert points["Berlin"][1] == pytest.approx(52.5, abs=0.2)  # the bad one is not used: the resolver's


@pytest.mark.usefixtures("static_serving")
def test_the_dashboard_shows_the_map_and_tells_of_a_bad_correction_once(tmp_path, monkeypatch):

    path = tmp_path / "corrections.json"
    monkeypatch.setattr(config, "corrections_path", lambda: path)
    write_places(path, {"istanbul": {"written": "Istanbul", "choice": {"name": "Istanbul", "lat": "north",
                                                                        "lon": 28.97, "kind": "city"}}})
    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert folium_maps(at)
    assert [w.value for w in at.warning if "cannot be used" in w.value], [w.value for w in at.warning]
    at.run()
    assert not at.error and not [w for w in at.warning if "cannot be used" in w.value]


def test_the_pipeline_applies_corrections(resources):
    text = "In 2015 Anna Schmidt flew from Berlin to Paris."
    before = analyse_text(text, resources, "t")
    after = analyse_text(text, resources, "t", corrections=corrections.choose({}, "Paris", PARIS_TEXAS))
    (paris_before,) = [p for p in before.places if p.mention.text == "Paris"]
    (paris_after,) = [p for p in after.places if p.mention.text == "Paris"]
    assert paris_before.chosen.country == "FR"
    assert paris_after.chosen == PARIS_TEXAS and paris_before.chosen in paris_after.candidates
    assert after.ties == before.ties  # the ties do not move; only where the place is
