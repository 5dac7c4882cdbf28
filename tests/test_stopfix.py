"""A stop's person, role or date corrected: on hand-built Analyses, through the corrections file and every export."""

from __future__ import annotations

import json

import pytest
from test_filters import TEXT, analysis

from geo.corpus import access
from geo.errors import InputError
from geo.export import to_geojson, to_kml
from geo.filters import apply
from geo.geocoding import corrections
from geo.model import Document
from geo.routes import routes
from geo.stopfix import StopFix, apply_stop_fixes, fix_for, iso_date, people_of, stop_rows, tie_key
from geo.tables import move_rows, moves_csv

DOC_HASH = access.document_hash(Document("doc", TEXT))


def fixed(a, *fixes: StopFix):
    own = {}
    for f in fixes:
        own = corrections.put(own, f)
    return apply_stop_fixes(a, {"doc": own})


def route_of(a, person: str) -> list[str]:
    (route,) = [r for r in routes(a) if r.person == person]
    return [a.places[s.place].mention.text for s in route.stops]


def test_an_event_made_a_movement_joins_the_route_where_the_text_tells_it():
    a = analysis()
    assert route_of(a, "Ali") == ["Istanbul", "Gaziantep"]
    b = fixed(a, fix_for(a, a.ties[4], "Ali", "destination", "2016"))
    assert route_of(b, "Ali") == ["Istanbul", "Gaziantep", "Raqqa"]
    assert (b.ties[4].role, b.ties[4].date, b.ties[4].order) == ("destination", "2016", 2)
    assert b.ties[:4] == a.ties[:4]


def test_a_stop_given_to_another_person_leaves_one_route_for_the_other():
    a = analysis()
    b = fixed(a, fix_for(a, a.ties[2], "Ali", "stop", "2016"))  # Sara's Paris is Ali's
    assert route_of(b, "Ali") == ["Istanbul", "Gaziantep", "Paris"]
    assert route_of(b, "Sara") == ["Raqqa"]
    assert [t.order for t in b.ties if t.person == "Ali" and t.role != "event"] == [0, 1, 2]


def test_a_stop_given_to_nobody_is_on_no_route_and_in_no_table_of_moves():
    a = analysis()
    b = fixed(a, fix_for(a, a.ties[0], None, "origin", "2015-06"))
    assert b.ties[0].person is None and b.ties[0].order is None
    assert route_of(b, "Ali") == ["Gaziantep"]
    assert [(r["person"], r["place"]) for r in move_rows(b)] == [
        ("Ali", "Gaziantep"), ("Sara", "Paris"), ("Sara", "Raqqa")]


def test_a_new_date_drops_the_old_end_and_the_date_filter_follows_it():
    a = analysis()
    a = a.__class__(a.documents, a.places, a.people, a.dates,
                    (a.ties[0].__class__(0, "Ali", "origin", "2015-06", "2015-07", 0), *a.ties[1:]))
    b = fixed(a, fix_for(a, a.ties[0], "Ali", "origin", "2019-03-02"))
    assert (b.ties[0].date, b.ties[0].date_end) == ("2019-03-02", None)
    from geo.filters import Filters

    view = apply(b, Filters(date_from="2019", date_to="2019", undated=False))
    assert [p.mention.text for p in view.analysis.places] == ["Istanbul"]


@pytest.mark.parametrize("typed,expected", [("2015", "2015"), (" 2015-06 ", "2015-06"), ("2016-02-29", "2016-02-29"),
                                            ("", None), ("  ", None)])
def test_a_date_is_read_at_its_precision(typed, expected):
    assert iso_date(typed) == expected


@pytest.mark.parametrize("typed", ["2015-02-30", "15", "June 2015", "2015/06", "2015-13"])
def test_a_date_that_is_not_one_is_refused_quoting_it_and_the_forms(typed):
    with pytest.raises(InputError, match=r"YYYY, YYYY-MM or YYYY-MM-DD") as err:
        iso_date(typed)
    assert repr(typed) in str(err.value)


def test_a_role_the_model_lacks_is_refused():
    a = analysis()
    with pytest.raises(InputError, match="not a role"):
        fix_for(a, a.ties[0], "Ali", "visit", None)


def test_a_fix_finds_its_stop_in_a_new_analysis_of_the_same_text_and_no_other():
    a = analysis()
    fix = fix_for(a, a.ties[3], "Ali", "destination", "2016")
    again = analysis()  # the same document analysed again: new objects, the same offsets
    assert fixed(again, fix).ties[3].person == "Ali"
    moved = StopFix(fix.written, fix.sentence + 1, fix.person, fix.role, "Ali", "destination", "2016")
    assert fixed(again, moved) == again  # another sentence: not this stop
    other = apply_stop_fixes(again, {"other-doc": corrections.put({}, fix)})
    assert other == again  # another document's fix


def test_stop_rows_show_what_each_tie_was_and_is_and_the_people_of_the_document():
    a = analysis()
    fix = fix_for(a, a.ties[4], "Sara", "event", None)
    rows = stop_rows(a, None, {"doc": corrections.put({}, fix)})
    assert [r.written for r in rows] == ["Istanbul", "Gaziantep", "Paris", "Raqqa", "Raqqa"]
    (raqqa,) = [r for r in rows if r.index == 4]
    assert raqqa.was.person == "Ali" and raqqa.now.person == "Sara" and raqqa.fix == fix
    assert raqqa.key == tie_key(a, a.ties[4])
    assert people_of(a, "doc") == ["Ali", "Sara"]  # tied in the document (no mention of the others is)


def test_stop_fixes_are_saved_beside_place_corrections_and_read_back(tmp_path):
    a = analysis()
    path = tmp_path / "corrections.json"
    stored = corrections.choose({}, "Rome", None)
    stored = corrections.put(stored, fix_for(a, a.ties[4], "Sara", "destination", "2016-05"))
    corrections.save(stored, path)
    assert corrections.load(path) == stored
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2 and list(data["places"]) == ["rome"]
    (entry,) = data["stops"].values()
    assert entry["to"] == {"person": "Sara", "role": "destination", "date": "2016-05"} and entry["person"] == "Ali"
    undone = corrections.drop(stored, corrections.key_of(stored[tie_key(a, a.ties[4])]))
    assert list(undone) == ["rome"]


def test_a_version_1_file_is_still_read(tmp_path):
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps({"version": 1, "places": {"rome": {"written": "Rome", "choice": None}}}))
    assert corrections.load(path) == {"rome": corrections.Correction("Rome", None)}


def test_a_bad_stop_entry_is_set_aside_and_the_good_ones_kept(tmp_path):
    a = analysis()
    path = tmp_path / "corrections.json"
    good = fix_for(a, a.ties[0], "Sara", "origin", None)
    data = {"version": 2, "places": {}, "stops": {
        "good": corrections.sections(corrections.put({}, good))["stops"][tie_key(a, a.ties[0])],
        "bad": {"written": "Paris", "sentence": 0, "person": "Sara", "role": "origin", "date": None,
                "to": {"person": "Sara", "role": "origin", "date": "2015-02-30"}}}}
    path.write_text(json.dumps(data))
    told = []
    assert corrections.load(path, notify=told.append) == {tie_key(a, a.ties[0]): good}
    assert len(told) == 1 and "stop 'bad'" in told[0] and "to.date" in told[0]
    assert list(tmp_path.glob("corrections.json.bad-*"))


def test_a_fixed_stop_shows_in_every_export_of_the_view():
    a = analysis()
    kept = access.Kept({DOC_HASH: corrections.put({}, fix_for(a, a.ties[2], "Ali", "stop", "2016"))})
    b = access.apply(a, kept)
    features = to_geojson(b)["features"]
    paris = [f["properties"] for f in features if f["geometry"]["type"] == "Point" and f["properties"]["place"] == "Paris"]
    assert [(p["person"], p["role"], p["date"], p["order"]) for p in paris] == [("Ali", "stop", "2016", 2)]
    lines = {f["properties"]["person"]: f["properties"]["places"] for f in features
             if f["geometry"]["type"] == "LineString"}
    assert lines == {"Ali": ["Istanbul", "Gaziantep", "Paris"]}  # Sara has one stop left: no line
    assert "Ali,3,stop,Paris" in moves_csv(b)
    kml = to_kml(b, "doc")
    assert "<name>Ali</name>" in kml[kml.index("<name>Routes</name>"):]
    exported = access.export(kept, a.documents)
    assert list(exported["documents"][DOC_HASH]["stops"].values())[0]["to"]["person"] == "Ali"
