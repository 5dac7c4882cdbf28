"""The whole path: the sample article through the CLI to a GeoJSON export."""

import json
import math
import subprocess
import sys

import pytest

from geo import config
from geo.export import to_geojson
from geo.pipeline import analyse_text


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def sample_features(resources, sample_text):
    return to_geojson(analyse_text(sample_text, resources, "seed"))["features"]


@pytest.mark.parametrize("name,lat,lon,kind,cc", [
    ("Istanbul", 41.01, 28.98, "city", "TR"),
    # The sample says "the border province of Şanlıurfa" / "of Gaziantep": the provinces (issue #15).
    ("Şanlıurfa", 37.16, 38.80, "admin", "TR"),
    ("Gaziantep", 37.07, 37.38, "admin", "TR"),
    ("Antalya", 36.90, 30.71, "city", "TR"),
    ("Raqqa", 35.95, 39.01, "city", "SY"),
    ("Brussels", 50.85, 4.35, "city", "BE"),
    ("St. Petersburg", 59.93, 30.34, "city", "RU"),
    ("Manchester", 53.48, -2.24, "city", "GB"),
    ("Turkey", 39.0, 35.0, "country", "TR"),
])
def test_sample_places_are_where_they_should_be(sample_features, name, lat, lon, kind, cc):
    points = [f for f in sample_features if f["geometry"]["type"] == "Point" and f["properties"]["place"] == name]
    assert points, f"{name} not found"
    p = points[0]
    lon_, lat_ = p["geometry"]["coordinates"]
    assert km(lat, lon, lat_, lon_) < 60, (name, lat_, lon_)
    assert (p["properties"]["kind"], p["properties"]["country"]) == (kind, cc)


def test_every_point_quotes_its_sentence_and_span(sample_features, sample_text):
    for f in sample_features:
        if f["geometry"]["type"] != "Point":
            continue
        pr = f["properties"]
        assert sample_text[pr["start"]:pr["end"]] == pr["place"]
        assert pr["sentence"] in sample_text and pr["place"] in pr["sentence"]
        assert pr["role"] in ("origin", "stop", "transit", "destination", "attempted", "event", "mention")


def test_cli_exports_each_file_and_reports_the_bad_one(tmp_path):
    good = tmp_path / "trip.txt"
    good.write_text("In May 2019 Anna Schmidt flew from Munich to Lisbon and then drove to Porto.", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_text("  ", encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "geo", "export", str(good), str(bad), "--out", str(out)],
                       capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=300)
    assert r.returncode == 1  # something failed
    assert "empty.txt" in r.stderr and "empty" in r.stderr and "Traceback" not in r.stderr
    data = json.loads((out / "trip.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["place"] for f in data["features"] if f["geometry"]["type"] == "Point"}
    assert {"Munich", "Lisbon", "Porto"} <= names
    assert not (out / "empty.geojson").exists()


def test_sample_regions(resources, sample_text):
    from geo.geography.regions import cluster_places, place_countries

    analysis = analyse_text(sample_text, resources, "seed")
    # every placed city or site lies in the country the gazetteer gives it
    countries = place_countries(analysis)
    for place, code in zip(analysis.places, countries):
        if place.resolved and place.chosen.kind in ("city", "site"):
            assert code == place.chosen.country, (place.mention.text, code, place.chosen.country)
    regions = {r.name: {analysis.places[i].mention.text for i in r.places} for r in cluster_places(analysis, 300)}
    border = [names for name, names in regions.items() if "Turkey" in name and "Syria" in name]
    assert border and {"Gaziantep", "Şanlıurfa", "Tal Abyad", "Raqqa"} <= border[0]
    assert {"Paris", "Brussels"} <= regions["Western Europe"]
