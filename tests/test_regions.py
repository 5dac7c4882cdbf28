"""Regions from hand-built analyses: countries by polygon, clusters, names, shapes, exports.

No NLP pipeline and no gazetteer: places are built here with GeoNames'
coordinates, and a region's member countries are given by a plain function.
"""

from __future__ import annotations

import csv
import io
import json
import random

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geo.geography import distance, naturalearth
from geo.geography.countries import (
    country_of_points, countries_union, macro_region_name, prefer_gazetteer, reconcile_countries,
)
from geo.errors import InputError
from geo.model import Analysis, Candidate, Document, Place, PlaceMention, Sentence, Tie
from geo.geography.regions import (
    CSV_COLUMNS, cluster_places, macro_regions, place_countries, region_features, region_of_place, regions_csv,
)

# name: (lat, lon, gazetteer country code), from the GeoNames entries of the gazetteer
CITIES = {
    "Kilis": (36.71611, 37.115, "TR"),
    "I‘zāz": (36.58662, 37.04628, "SY"),
    "Gaziantep": (37.05944, 37.3825, "TR"),
    "Şanlıurfa": (37.16708, 38.79392, "TR"),
    "Tall Abyaḑ": (36.69648, 38.95382, "SY"),
    "Ar Raqqah": (35.95283, 39.00788, "SY"),
    "Strasbourg": (48.58392, 7.74553, "FR"),
    "Kehl": (48.57297, 7.81523, "DE"),
    "Konstanz": (47.66033, 9.17582, "DE"),
    "Paris": (48.85341, 2.3488, "FR"),
    "Brussels": (50.85045, 4.34878, "BE"),
    "Lille": (50.63391, 3.05512, "FR"),
    "Liège": (50.63373, 5.56749, "BE"),
    "Aachen": (50.77664, 6.08342, "DE"),
    "Köln": (50.93333, 6.95, "DE"),
    "Tbilisi": (41.69143, 44.83412, "GE"),
    "Yerevan": (40.17765, 44.5126, "AM"),
    "Ganja": (40.68157, 46.36134, "AZ"),
    "Istanbul": (41.01384, 28.94966, "TR"),
    "İzmir": (38.41273, 27.13838, "TR"),
    "Suva": (-18.13683, 178.42531, "FJ"),
    "Lautoka": (-17.61686, 177.45049, "FJ"),
    "Lau Islands": (-17.2, -179.9, "FJ"),  # east of the antimeridian
    "Anadyr": (64.73424, 177.5103, "RU"),
    "Nome": (64.50111, -165.40639, "US"),
    "Cayenne": (4.9381, -52.33455, "GF"),
    "Kassel": (51.31667, 9.5, "DE"),
}
SENTENCE = Sentence("doc", 0, 10, "hand-built")


def place(name: str, lat: float | None = None, lon: float | None = None, cc: str | None = None,
          kind: str = "city", population: int = 0) -> Place:
    if lat is None:
        lat, lon, cc = CITIES[name]
    candidate = Candidate(name, lat, lon, kind, cc, population, id=f"test:{name}")
    return Place(PlaceMention("doc", name, 0, len(name), SENTENCE, "GPE"), candidate)


def analysis(*places: Place, ties: tuple[Tie, ...] = ()) -> Analysis:
    return Analysis((Document("doc", "hand-built"),), tuple(places), ties=ties)


def cities(*names: str) -> Analysis:
    return analysis(*(place(n) for n in names))


def names_of(regions, a: Analysis) -> list[tuple[str, list[str]]]:
    return [(r.name, sorted(a.places[i].chosen.name for i in r.places)) for r in regions]


def lon_span(geometry) -> float:
    """Width in longitude, measured the short way round: 177°..-179.9° is 3.1°, not 357°."""
    lons = shapely.get_coordinates(geometry)[:, 0] % 360.0
    return float(min(np.ptp(lons), np.ptp((lons + 180.0) % 360.0)))


def covers_all(geometry, a: Analysis) -> bool:
    return all(geometry.covers(Point(p.chosen.lon, p.chosen.lat)) for p in a.places)


# --- countries -----------------------------------------------------------------


def test_great_circle_distance_one_pair_and_arrays_agree():
    # Paris to London on the mean sphere; the equator's quarter.
    assert distance.km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.9, abs=0.5)
    assert distance.km(0.0, 0.0, 0.0, 90.0) == pytest.approx(distance.EARTH_RADIUS_KM * np.pi / 2)
    rng = np.random.default_rng(7)
    lat1, lat2 = rng.uniform(-90, 90, (2, 200))
    lon1, lon2 = rng.uniform(-180, 180, (2, 200))
    one_by_one = [distance.km(*args) * 1000 for args in zip(lat1, lon1, lat2, lon2)]
    assert np.allclose(distance.metres(lat1, lon1, lat2, lon2), one_by_one, rtol=1e-12)
    assert distance.km(10.0, 20.0, 10.0, 20.0) == 0.0
    assert distance.km(0.0, 0.0, 0.0, 180.0) == pytest.approx(distance.EARTH_RADIUS_KM * np.pi)


def test_natural_earth_rows_carry_codes_labels_and_valid_shapes_in_one_order():
    records, shapes = naturalearth.records(), naturalearth.geometries()
    assert len(records) == len(shapes) > 200
    assert all(s.is_valid and s.geom_type in ("Polygon", "MultiPolygon") for s in shapes)  # Egypt repaired
    by_code = {}
    for rec, shape in zip(records, shapes):
        by_code.setdefault(rec.iso2, (rec, shape))
    # ISO_A2 is -99 for these three; the reader takes the code from ISO_A2_EH.
    assert {"FR", "NO", "XK"} <= set(by_code)
    for code in ("FR", "NO", "US", "TR", "RU"):
        rec, shape = by_code[code]
        assert shape.contains(Point(rec.label_lon, rec.label_lat)), code  # the label is on its own row's shape
    labels = naturalearth.label_points()
    assert 45 < labels["FR"][0] < 48 and 0 < labels["FR"][1] < 4  # mainland France, not an overseas row
    assert 58 < labels["NO"][0] < 64  # Norway on the mainland, not Svalbard


def test_country_of_points_near_borders():
    names = ["Kilis", "I‘zāz", "Strasbourg", "Kehl"]  # 15 km and 5 km across a border
    lats, lons = [CITIES[n][0] for n in names], [CITIES[n][1] for n in names]
    assert country_of_points(lats, lons) == ["TR", "SY", "FR", "DE"]


def test_gazetteer_code_wins_within_the_tolerance_of_a_border():
    # Natural Earth draws both on the wrong side: Tal Abyad 0.4 km into Turkey, Konstanz 1.1 km into Switzerland.
    names = ["Tall Abyaḑ", "Konstanz"]
    lats, lons, codes = zip(*(CITIES[n] for n in names))
    assert country_of_points(lats, lons) == ["TR", "CH"]
    assert reconcile_countries(lats, lons, codes) == ["SY", "DE"]
    assert reconcile_countries(lats, lons, codes, tolerance_m=100) == ["TR", "CH"]


def test_polygon_wins_far_from_the_gazetteer_country():
    lat, lon, _ = CITIES["Kassel"]
    assert reconcile_countries([lat], [lon], ["FR"]) == ["DE"]


def test_point_at_sea_near_a_coast_takes_the_gazetteer_code():
    lat, lon, _ = CITIES["Suva"]  # GeoNames' point is off Natural Earth's coast
    assert country_of_points([lat], [lon]) == [None]
    assert reconcile_countries([lat], [lon], ["FJ"]) == ["FJ"]
    assert reconcile_countries([lat], [lon], [None]) == [None]


def test_gazetteer_code_of_a_territory_drawn_inside_another_country_is_kept():
    lat, lon, code = CITIES["Cayenne"]  # Natural Earth draws French Guiana as France
    assert country_of_points([lat], [lon]) == ["FR"]
    assert reconcile_countries([lat], [lon], [code]) == ["GF"]


@pytest.mark.parametrize("polygon, gazetteer, distance, expected", [
    ("TR", None, None, "TR"),
    (None, "FJ", None, "FJ"),
    ("FR", "GF", None, "GF"),
    ("TR", "SY", 400.0, "SY"),
    ("DE", "FR", 250_000.0, "DE"),
    ("DE", "DE", None, "DE"),
])
def test_prefer_gazetteer(polygon, gazetteer, distance, expected):
    assert prefer_gazetteer(polygon, gazetteer, distance) == expected


def test_place_countries_by_kind():
    a = analysis(place("Tall Abyaḑ"), place("Turkey", 39.0, 35.0, "TR", kind="country"),
                 place("Caucasus", 42.5, 44.0, None, kind="region"),
                 Place(PlaceMention("doc", "Atlantis", 0, 8, SENTENCE, "GPE"), None))
    assert place_countries(a) == ("SY", "TR", None, None)


@pytest.mark.parametrize("codes, name", [
    (("FR", "BE"), "Western Europe"),
    (("FR", "BE", "DE"), "Western Europe"),
    (("GE", "AM", "AZ"), "the Caucasus"),
    (("KZ", "UZ"), "Central Asia"),
    (("SY", "LB", "JO"), "the Levant"),
    (("FR", "GB", "BE"), "Europe"),
    (("TR", "GR"), None),
])
def test_macro_region_name(codes, name):
    assert macro_region_name(codes) == name


# --- clusters ------------------------------------------------------------------


def test_paris_and_brussels_together_at_300_km_apart_at_200_km():
    a = cities("Paris", "Brussels")  # 264 km apart
    assert names_of(cluster_places(a, 300), a) == [("Western Europe", ["Brussels", "Paris"])]
    assert sorted(names_of(cluster_places(a, 200), a)) == [("Belgium", ["Brussels"]), ("France", ["Paris"])]


def test_turkish_syrian_border_places_at_two_radii():
    a = cities("Kilis", "Gaziantep", "Şanlıurfa", "Tall Abyaḑ", "Ar Raqqah")
    assert names_of(cluster_places(a), a) == [
        ("Turkey–Syria border", ["Ar Raqqah", "Gaziantep", "Kilis", "Tall Abyaḑ", "Şanlıurfa"]),
    ]
    # Gaziantep and Şanlıurfa are 126 km apart: at 100 km the chain breaks there.
    assert names_of(cluster_places(a, 100), a) == [
        ("Syria–Turkey border", ["Ar Raqqah", "Tall Abyaḑ", "Şanlıurfa"]),
        ("Turkey", ["Gaziantep", "Kilis"]),
    ]


@pytest.mark.parametrize("names, expected", [
    (("Lille", "Brussels", "Liège", "Aachen", "Köln"), "Western Europe"),
    (("Tbilisi", "Yerevan", "Ganja"), "the Caucasus"),
    (("Strasbourg", "Kehl"), "France–Germany border"),
    (("Paris",), "France"),
    (("Cayenne",), "French Guiana"),  # drawn inside France by Natural Earth
])
def test_cluster_names(names, expected):
    assert [r.name for r in cluster_places(cities(*names))] == [expected]


def test_clusters_of_one_country_are_told_apart_by_their_landmark():
    a = analysis(place("Istanbul"), place("Istanbul"), place("İzmir"))  # 330 km apart
    assert [r.name for r in cluster_places(a)] == ["Turkey (Istanbul)", "Turkey (İzmir)"]


def test_countries_and_areas_are_not_clustered():
    a = analysis(place("Paris"), place("France", 46.0, 2.0, "FR", kind="country"),
                 place("Western Europe", 48.5, 7.5, None, kind="region"))
    assert [r.places for r in cluster_places(a)] == [(0,)]


def test_summary_of_a_cluster():
    ties = (
        Tie(0, "Ibrahim El Bakraoui", "stop", "2015-06-14", order=2),
        Tie(1, "Ibrahim El Bakraoui", "attempted", "2015-06-17", "2015-06-18", order=3),
        Tie(1, None, "mention"),
        Tie(2, "Hayat Boumeddiene", "stop", "2015-01", order=1),
    )
    a = analysis(place("Gaziantep"), place("Tall Abyaḑ"), place("Şanlıurfa"), place("Paris"), ties=ties)
    border = cluster_places(a)[0]
    assert border.places == (0, 1, 2)
    assert border.people == ("Hayat Boumeddiene", "Ibrahim El Bakraoui")
    assert (border.first_date, border.last_date) == ("2015-01", "2015-06-18")
    assert border.countries == ("TR", "SY")


def test_same_places_in_any_order_give_the_same_regions():
    names = ["Kilis", "Gaziantep", "Şanlıurfa", "Tall Abyaḑ", "Ar Raqqah", "Paris", "Brussels",
             "Istanbul", "İzmir", "Istanbul", "Suva", "Lautoka", "Lau Islands"]

    def regions_of(order: list[str]):
        a = analysis(*(place(n) for n in order),
                     ties=tuple(Tie(i, f"person {n}", "stop", "2015") for i, n in enumerate(order)))
        return [(r.id, r.name, r.geometry.wkb, sorted(a.places[i].chosen.name for i in r.places),
                 r.people, r.first_date, r.last_date, r.countries)
                for r in cluster_places(a)]

    expected = regions_of(names)
    for seed in range(3):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert regions_of(shuffled) == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=1, max_size=12),
       st.sampled_from([50.0, 300.0, 2000.0]))
def test_every_place_is_in_one_valid_region_that_covers_it(points, radius_km):
    a = analysis(*(place(f"p{i}", lat, lon, None) for i, (lat, lon) in enumerate(points)))
    regions = cluster_places(a, radius_km)
    assert sorted(i for r in regions for i in r.places) == list(range(len(points)))
    for region in regions:
        assert region.geometry.is_valid and region.geometry.geom_type in ("Polygon", "MultiPolygon")
        assert np.all(np.abs(shapely.get_coordinates(region.geometry)[:, 0]) <= 180)
        assert all(region.geometry.buffer(1e-9).covers(Point(points[i][1], points[i][0])) for i in region.places)


def test_radius_must_be_positive():
    with pytest.raises(InputError, match="radius_km"):
        cluster_places(cities("Paris"), 0)


# --- shapes --------------------------------------------------------------------


def test_shape_is_the_same_at_any_latitude():
    # Two points 100 km apart, north-south, at the equator and at 60°N: same metric shape.
    def height_km(lat):
        a = analysis(place("a", lat, 10.0, "XX"), place("b", lat + 0.9, 10.0, "XX"))
        west, south, east, north = cluster_places(a, 300)[0].geometry.bounds
        return (north - south) * 111.2, (east - west) * 111.2 * np.cos(np.radians(lat + 0.45))

    assert np.allclose(height_km(0.0), height_km(60.0), rtol=0.02)


def test_region_across_the_antimeridian_in_fiji_does_not_wrap_around_the_world():
    a = cities("Suva", "Lautoka", "Lau Islands")
    (fiji,) = cluster_places(a)
    assert fiji.name == "Fiji"
    assert fiji.geometry.is_valid and fiji.geometry.geom_type == "MultiPolygon"
    assert all(-180 <= x <= 180 for x in shapely.get_coordinates(fiji.geometry)[:, 0])
    assert lon_span(fiji.geometry) < 10
    assert all(lon_span(part) < 10 for part in fiji.geometry.geoms)
    assert covers_all(fiji.geometry, a)


def test_region_from_chukotka_to_alaska_does_not_wrap_around_the_world():
    a = cities("Anadyr", "Nome")  # 820 km apart across the Bering Strait
    assert len(cluster_places(a, 300)) == 2
    (bering,) = cluster_places(a, 1000)
    assert bering.countries == ("RU", "US")
    assert bering.geometry.is_valid
    assert lon_span(bering.geometry) < 40
    assert covers_all(bering.geometry, a)


def test_region_round_a_pole_is_closed_over_it():
    a = analysis(*(place(f"p{lon}", 88.5, lon, None) for lon in (0.0, 120.0, -120.0)))  # 290 km apart
    (arctic,) = cluster_places(a)
    assert arctic.geometry.is_valid
    assert arctic.geometry.covers(Point(0, 90)) and arctic.geometry.covers(Point(60, 89.5))
    assert not arctic.geometry.covers(Point(0, 85))


def test_cluster_wider_than_a_hemisphere_is_drawn_as_disks():
    a = analysis(*(place(f"e{lon}", 0.0, float(lon), None) for lon in range(-180, 180, 2)))  # 222 km apart
    (belt,) = cluster_places(a)
    assert belt.geometry.is_valid
    assert covers_all(belt.geometry, a)
    _, south, _, north = belt.geometry.bounds
    assert -1 < south and north < 1


# --- macro-regions ---------------------------------------------------------------

CENTRAL_ASIA = ("KG", "KZ", "TJ", "TM", "UZ")


def members(candidate: Candidate) -> tuple[str, ...]:
    return {"Central Asia": CENTRAL_ASIA, "Caucasus": ("AM", "AZ", "GE", "RU")}.get(candidate.name, ())


def test_central_asia_is_the_union_of_its_countries():
    a = analysis(place("Central Asia", 43.0, 67.0, None, kind="region"), place("Paris"),
                 ties=(Tie(0, "Akbarzhon Jalilov", "event", "2017"),))
    (region,) = macro_regions(a, members)
    assert (region.name, region.kind, region.places, region.countries) == (
        "Central Asia", "macro", (0,), CENTRAL_ASIA)
    assert region.people == ("Akbarzhon Jalilov",)
    union = countries_union(CENTRAL_ASIA)
    # The same shape but for ~5 km of simplification along its edges.
    assert region.geometry.symmetric_difference(union).area < 0.01 * union.area
    assert region.geometry.contains(Point(69.21627, 41.26465))  # Tashkent
    assert not region.geometry.contains(Point(37.62, 55.75))  # Moscow


def test_caucasus_takes_only_the_caucasian_part_of_russia():
    a = analysis(place("Caucasus", 42.5, 44.0, None, kind="region"))
    (region,) = macro_regions(a, members)
    geometry = region.geometry
    assert geometry.contains(Point(44.83412, 41.69143)) and geometry.contains(Point(45.69, 43.31))  # Tbilisi, Grozny
    assert not geometry.contains(Point(37.62, 55.75)) and not geometry.contains(Point(82.92, 55.03))


def test_region_without_member_countries_has_no_shape():
    a = analysis(place("Mediterranean Sea", 35.0, 18.0, None, kind="region"))
    assert macro_regions(a, members) == ()


# --- exports -------------------------------------------------------------------


def border_and_asia() -> tuple[Analysis, tuple]:
    a = analysis(place("Gaziantep"), place("Tall Abyaḑ"), place("Central Asia", 43.0, 67.0, None, kind="region"),
                 place("Paris"), place("Kilis"),
                 ties=(Tie(0, "Ibrahim El Bakraoui", "stop", "2015-06-14"), Tie(3, "=cmd()", "event", "2015-01-07")))
    return a, cluster_places(a) + macro_regions(a, members)


def test_region_features():
    a, regions = border_and_asia()
    features = json.loads(json.dumps(region_features(regions, a)))
    assert [f["geometry"]["type"] for f in features] == [r.geometry.geom_type for r in regions]
    assert [f["geometry"]["type"] for f in features][:2] == ["Polygon", "Polygon"]
    border = features[0]["properties"]["region"]
    assert border == {
        "id": regions[0].id, "name": "Turkey–Syria border", "kind": "cluster",
        "places": ["Gaziantep", "Kilis", "Tall Abyaḑ"], "people": ["Ibrahim El Bakraoui"],
        "first_date": "2015-06-14", "last_date": "2015-06-14", "countries": ["TR", "SY"],
    }


def test_regions_csv():
    a, regions = border_and_asia()
    rows = list(csv.DictReader(io.StringIO(regions_csv(regions, a))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["name"] for r in rows] == ["Turkey–Syria border", "France", "Central Asia"]
    assert rows[0]["places"] == "Gaziantep; Kilis; Tall Abyaḑ"
    assert rows[1]["people"] == "'=cmd()"  # a spreadsheet shows it, never runs it
    assert rows[2]["countries"] == "KG; KZ; TJ; TM; UZ"
    for row, region in zip(rows, regions):
        assert region.geometry.contains(Point(float(row["lon"]), float(row["lat"])))


def test_region_of_place():
    a, regions = border_and_asia()
    border = "Turkey–Syria border"
    assert region_of_place(regions) == {0: border, 1: border, 4: border, 3: "France", 2: "Central Asia"}


# --- the seed article ------------------------------------------------------------

# The places of examples/seed_isis_turkey.txt, at the gazetteer's candidates.
SEED = [
    ("Turkey", 39.0, 35.0, "TR", "country"), ("Syria", 35.0, 38.0, "SY", "country"),
    ("Iraq", 33.0, 44.0, "IQ", "country"), ("Istanbul", 41.01384, 28.94966, "TR", "city"),
    ("Şanlıurfa", 37.16708, 38.79392, "TR", "city"), ("Gaziantep", 37.05944, 37.3825, "TR", "city"),
    ("Tall Abyaḑ", 36.69648, 38.95382, "SY", "city"), ("Ar Raqqah", 35.95283, 39.00788, "SY", "city"),
    ("Incirlik Air Base", 37.0021, 35.4259, "TR", "site"), ("Antalya", 36.90812, 30.69556, "TR", "city"),
    ("İzmir", 38.41273, 27.13838, "TR", "city"), ("Paris", 48.85341, 2.3488, "FR", "city"),
    ("Brussels", 50.85045, 4.34878, "BE", "city"), ("Belgium", 50.83333, 4.0, "BE", "country"),
    ("The Netherlands", 52.5, 5.75, "NL", "country"), ("Berlin", 52.52437, 13.41053, "DE", "city"),
    ("Saint Petersburg", 59.93863, 30.31413, "RU", "city"), ("Kyrgyzstan", 41.0, 75.0, "KG", "country"),
    ("Stockholm", 59.32938, 18.06871, "SE", "city"), ("Sweden", 62.0, 15.0, "SE", "country"),
    ("Manchester", 53.48095, -2.23743, "GB", "city"), ("London", 51.50853, -0.12574, "GB", "city"),
    ("Libya", 25.0, 17.0, "LY", "country"), ("Italy", 42.83333, 12.83333, "IT", "country"),
    ("Central Asia", 43.0, 67.0, None, "region"), ("Caucasus", 42.5, 44.0, None, "region"),
]


def test_seed_article():
    a = analysis(*(place(name, lat, lon, cc, kind) for name, lat, lon, cc, kind in SEED))
    assert place_countries(a) == tuple(cc for *_, cc, _kind in SEED)
    regions = {r.name: sorted(a.places[i].chosen.name for i in r.places) for r in cluster_places(a)}
    assert regions["Turkey–Syria border"] == [
        "Ar Raqqah", "Gaziantep", "Incirlik Air Base", "Tall Abyaḑ", "Şanlıurfa"]
    assert regions["Western Europe"] == ["Brussels", "Paris"]
    assert {r.name for r in macro_regions(a, members)} == {"Central Asia", "Caucasus"}
