"""Tables and CSV of a view, and the CLI's export formats and filters on the sample."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from datetime import date

import pytest
from test_filters import analysis

from geo import config, tables
from geo.export import export_view
from geo.filters import Filters, apply, date_span
from geo.model import Analysis, Candidate, DateMention, Document, Place, PlaceMention, Sentence, Tie
from geo.pipeline import analyse_text


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_place_rows_group_mentions_and_list_the_unplaced():
    places = tables.place_rows(analysis())
    assert [r["place"] for r in places] == ["Istanbul", "Gaziantep", "Paris", "Raqqa", "Rome", tables.NOT_FOUND]
    raqqa = places[3]
    assert raqqa["people"] == "Sara, Ali" and raqqa["roles"] == "destination, event"
    assert (raqqa["first date"], raqqa["last date"]) == ("2016", "2016")
    assert places[4]["roles"] == "mention"
    assert places[-1]["written as"] == "nice" and places[-1]["lat"] is None


def test_candidates_are_described_for_a_person():
    a = analysis()
    alternative = Candidate("Paris", 33.66, -95.56, "city", "US", admin1="Texas", id="g:9")
    places = (Place(a.places[2].mention, a.places[2].chosen, (alternative,)),)
    (row,) = tables.place_rows(Analysis(a.documents, places))
    assert row["candidates"] == "Paris (US, Texas, city, 33.66, -95.56)"


def test_moves_in_route_order_and_in_time_order():
    a = analysis()
    moves = tables.move_rows(a)
    assert [(r["person"], r["stop"], r["place"]) for r in moves] == [
        ("Ali", 1, "Istanbul"), ("Ali", 2, "Gaziantep"), ("Sara", 1, "Paris"), ("Sara", 2, "Raqqa")]
    assert [r["date"] for r in tables.timeline(a)] == ["2015-06", "2015-06-14", "2016", "2016"]
    assert moves[0]["sentence"].startswith("Ali went")


def test_people_rows():
    people = {r["person"]: r for r in tables.people_rows(analysis())}
    assert set(people) == {"Ali", "Sara"}  # Sara Öztürk is tied to nothing
    assert people["Ali"]["stops"] == 2 and people["Ali"]["aliases"] == "Ali Yilmaz"
    assert (people["Ali"]["first date"], people["Ali"]["last date"]) == ("2015-06", "2015-06-14")
    assert people["Ali"]["places"] == "Istanbul, Gaziantep, Raqqa"


def test_rows_picked_are_points_to_ring_on_the_map():
    a = analysis()
    places = tables.place_rows(a)
    assert tables.picked_points("places", places, [3], a) == ((places[3]["lat"], places[3]["lon"], "Raqqa"),)
    assert tables.picked_points("places", places, [5], a) == (), "a name not placed has no point"
    people = tables.people_rows(a)
    (ali,) = [i for i, r in enumerate(people) if r["person"] == "Ali"]
    assert [label for _, _, label in tables.picked_points("people", people, [ali], a)] == [
        "Ali: Istanbul", "Ali: Gaziantep", "Ali: Raqqa"]  # every place the person is tied to, once each
    moves = tables.timeline(a)
    ((lat, lon, label),) = tables.picked_points("moves", moves, [1], a)
    assert (lat, lon) == (moves[1]["lat"], moves[1]["lon"]) and label == "Ali · Gaziantep · 2015-06-14"
    # What the browser says is data: rows out of range, or not numbers, are no rows
    assert tables.picked_points("places", places, [99, -1, "2", True, None], a) == ()


def test_a_stop_picked_in_the_timeline_is_its_point():
    chart = tables.timeline_chart(analysis(), {})
    (picking,) = [layer["params"][0] for layer in chart["layer"] if "params" in layer]
    assert picking["name"] == tables.TIMELINE_PICK and {"lat", "lon"} <= set(picking["select"]["fields"])
    value = {k: chart["data"]["values"][0][k] for k in picking["select"]["fields"]}
    assert tables.picked_stops([value]) == ((value["lat"], value["lon"], "Ali · Istanbul · 2015-06"),)
    assert tables.picked_stops([{"lat": "41", "lon": 29}, {"lat": 91, "lon": 0}, "x", {"lat": None}]) == ()


def test_csv_of_a_filtered_view():
    view = apply(analysis(), Filters(people={"Ali"}))
    files = export_view(view, "csv", "trip")
    assert set(files) == {"trip.places.csv", "trip.moves.csv"}
    assert [r["place"] for r in rows(files["trip.places.csv"].decode())] == ["Istanbul", "Gaziantep", "Raqqa"]
    moves = rows(files["trip.moves.csv"].decode())
    assert [(r["person"], r["stop"], r["date"]) for r in moves] == [("Ali", "1", "2015-06"), ("Ali", "2", "2015-06-14")]
    assert list(moves[0]) == list(tables.MOVE_COLUMNS)


def test_csv_cells_never_start_a_formula():
    text = "=HYPERLINK(1) went to Paris."
    s = Sentence("d", 0, len(text), text)
    paris = Candidate("Paris", 48.85, 2.35, "city", "FR", id="g:3")
    a = Analysis((Document("d", text),), (Place(PlaceMention("d", "Paris", 22, 27, s, "GPE"), paris),),
                 ties=(Tie(0, "=cmd|x", "destination", order=0),))
    (move,) = rows(tables.moves_csv(a))
    assert move["person"] == "'=cmd|x" and move["sentence"].startswith("'=HYPERLINK")


def test_geojson_of_a_view_keeps_the_contract():
    view = apply(analysis(), Filters(people={"Sara"}))
    (name, data), = export_view(view, "geojson", "trip").items()
    features = json.loads(data)["features"]
    points = [f["properties"] for f in features if f["geometry"]["type"] == "Point"]
    assert [(p["place"], p["person"], p["role"], p["date"]) for p in points] == [
        ("Paris", "Sara", "origin", "2016"), ("Raqqa", "Sara", "destination", "2016")]
    assert [f["properties"]["person"] for f in features if f["geometry"]["type"] == "LineString"] == ["Sara"]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="geojson, csv, kml, html, png"):
        export_view(apply(analysis()), "shp", "x")


# --- the same from the command line ----------------------------------------------------


def run_cli(*args: str, cwd=config.REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def cli_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    r = run_cli(str(config.SAMPLE_PATH), "--out", str(out), "--format", "csv", "--format", "geojson",
                "--format", "html", "--person", "Hayat Boumeddiene", "--person", "Nobody At All",
                "--from", "2015-01", "--to", "2015-01-03")
    return r, out


def test_cli_writes_each_format_filtered(cli_export):
    r, out = cli_export
    assert r.returncode == 0, r.stderr
    stem = config.SAMPLE_PATH.stem
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}{ext}" for ext in (".geojson", ".html", ".moves.csv", ".places.csv"))
    moves = rows((out / f"{stem}.moves.csv").read_text(encoding="utf-8"))
    assert {m["person"] for m in moves} == {"Hayat Boumeddiene"}
    assert moves, "Hayat Boumeddiene travels in January 2015"
    for m in moves:  # each stop overlaps the range, at its own precision
        assert date_span(m["date"])[0] <= date(2015, 1, 3), m
        assert date_span(m["date end"] or m["date"])[1] >= date(2015, 1, 1), m
    assert "Syria" not in {m["place"] for m in moves}  # she crossed on January 8
    points = [f["properties"] for f in json.loads((out / f"{stem}.geojson").read_text())["features"]
              if f["geometry"]["type"] == "Point"]
    assert points and {p["person"] for p in points} == {"Hayat Boumeddiene"}
    assert "<script src=" not in (out / f"{stem}.html").read_text(encoding="utf-8")


def test_cli_says_which_person_matched_nobody(cli_export):
    r, _ = cli_export
    assert "no one named 'Nobody At All'" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--from", "June"], "YYYY-MM-DD"),
    (["--from", "2016", "--to", "2015"], "swap"),
    (["--format", "shp"], "invalid choice"),
])
def test_cli_refuses_bad_options_with_the_fix(tmp_path, args, message):
    r = run_cli(str(config.SAMPLE_PATH), "--out", str(tmp_path), *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_timeline_chart_spans_each_dated_stop_in_its_person_colour():
    chart = tables.timeline_chart(analysis(), {"Ali": "#e6194b", "Sara": "#3cb44b"})
    values = chart["data"]["values"]
    assert [(v["person"], v["place"], v["start"], v["end"]) for v in values] == [
        ("Ali", "Istanbul", "2015-06-01", "2015-06-30"), ("Ali", "Gaziantep", "2015-06-14", "2015-06-14"),
        ("Sara", "Paris", "2016-01-01", "2016-12-31"), ("Sara", "Raqqa", "2016-01-01", "2016-12-31")]
    assert chart["encoding"]["color"]["scale"] == {"domain": ["Ali", "Sara"], "range": ["#e6194b", "#3cb44b"]}
    assert tables.timeline_chart(Analysis(analysis().documents), {}) is None


def test_the_moves_table_says_how_each_date_was_worked_out(resources):
    """As the popups do: the date, the words it was read from, and what a relative date counted from."""
    analysis = analyse_text("Anna Schmidt arrived in Berlin on 14 June 2015. Three days later she flew to Paris. "
                            "In 2016 she went to Rome.", resources, "t")
    worked = {m["place"]: m["date worked out"] for m in tables.move_rows(analysis)}
    assert worked["Paris"] == "2015-06-17 · written “Three days later”: three days after “14 June 2015” (2015-06-14)"
    assert worked["Rome"] == "2016 (some time in 2016) · written “2016”"
    assert "date worked out" in tables.moves_csv(analysis).splitlines()[0]


def test_the_dates_are_read_once_for_an_analysis_and_every_filtered_view_of_it():
    """A filtered view keeps the whole analysis' dates: the Moves table of each view reads them as indexed once
    (a 10,000-document corpus's took 0.3 s of every filter change)."""
    from dataclasses import replace

    from geo.reckoning import reckoning

    base = analysis()
    sentence = base.places[1].mention.sentence
    told = DateMention("doc", "June 14, 2015", sentence.start, sentence.start + 13, sentence, "2015-06-14")
    a = replace(base, dates=(told,))
    sara = apply(a, Filters(people={"Sara"}))
    assert sara.analysis.dates is a.dates
    assert reckoning(sara.analysis) is reckoning(a) is reckoning(apply(a, Filters(people={"Ali"})).analysis)
    assert reckoning(replace(a, dates=(told,))) is not reckoning(a), "other dates, another index"
    assert tables.move_rows(sara.analysis) == tables.move_rows(replace(sara.analysis, dates=(told,)))
