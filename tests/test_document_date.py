"""The document's own date: read from its dateline or given with --date; in the export; anchoring 'Monday'."""

from __future__ import annotations

import json

from geo.cli.main import main
from geo.export import to_geojson
from geo.pipeline import analyse_text

RELEASE = ("News release\n\nFebruary 7, 2011\n\nMIAMI - Mario Perez was flown to Tegucigalpa on Monday "
           "by immigration officers.\n")


def test_the_dateline_is_the_document_date_and_anchors_monday(resources):
    a = analyse_text(RELEASE, resources)
    collection = to_geojson(a)
    assert collection["document_date"] == "2011-02-07"
    dates = {p["properties"]["place"]: p["properties"]["date"] for p in collection["features"]
             if p["geometry"]["type"] == "Point" and p["properties"]["person"]}
    assert dates.get("Tegucigalpa") == "2011-02-07"


def test_the_users_date_wins_over_the_dateline(tmp_path, capsys):
    text = tmp_path / "release.txt"
    text.write_text(RELEASE, encoding="utf-8")
    assert main(["export", str(text), "--out", str(tmp_path / "out"), "--date", "2011-03-01"]) == 0
    collection = json.loads((tmp_path / "out" / "release.geojson").read_text(encoding="utf-8"))
    assert collection["document_date"] == "2011-03-01"


def test_a_text_with_no_date_of_its_own_has_none(resources):
    assert "document_date" not in to_geojson(analyse_text("Anna Berg flew to Oslo.", resources))
