"""Shapes derived from Natural Earth are built once per edition and kept: the same shapes, not rebuilt."""

from __future__ import annotations

import shapely
from shapely.geometry import Point

from geo.geography import countries, naturalearth, regions, shapecache
from geo.model import Analysis, Candidate, Document, Place, PlaceMention, Sentence

CENTRAL_ASIA = ("KG", "KZ", "TJ", "TM", "UZ")


def central_asia() -> Analysis:
    text = "He went to Central Asia."
    sentence = Sentence("d", 0, len(text), text)
    region = Candidate("Central Asia", 43.0, 67.0, "region", None, 0, None, "regions", "region:central-asia")
    place = Place(PlaceMention("d", "Central Asia", 11, 23, sentence, "LOC"), region, (), 1.0)
    return Analysis((Document("d", text),), (place,), (), (), ())


def members(candidate: Candidate) -> tuple[str, ...]:
    return CENTRAL_ASIA if candidate.name == "Central Asia" else ()


def fresh_process() -> None:
    """What a new process starts with: nothing built in memory."""
    regions.drawn_macro_shape.cache_clear()
    countries.load_countries.cache_clear()
    countries.country_shape.cache_clear()
    countries._union.cache_clear()


def test_a_macro_region_is_built_once_then_read_back_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    fresh_process()
    (built,) = regions.macro_regions(central_asia(), members)
    kept = list(shapecache.folder().glob("macro-*.wkb"))
    assert len(kept) == 1 and shapecache.folder().parent == tmp_path

    fresh_process()

    def no_union(*_):
        raise AssertionError("the kept shape should have been read, not built again")

    monkeypatch.setattr(regions, "macro_shape", no_union)
    (again,) = regions.macro_regions(central_asia(), members)
    assert shapely.to_wkb(again.geometry) == shapely.to_wkb(built.geometry)  # the same doubles, same rings
    assert again == built
    assert again.geometry.contains(Point(69.21627, 41.26465))  # Tashkent
    fresh_process()


def test_the_country_polygons_are_kept_and_read_back_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    fresh_process()
    read = countries.load_countries()
    assert (shapecache.folder() / "countries.wkb").exists()
    fresh_process()
    monkeypatch.setattr(naturalearth, "geometries", lambda: (_ for _ in ()).throw(AssertionError("read again")))
    kept = countries.load_countries()
    assert len(kept.geometries) == len(read.geometries) == len(naturalearth.records())
    assert [shapely.to_wkb(g) for g in kept.geometries] == [shapely.to_wkb(g) for g in read.geometries]
    assert countries.country_of_points([39.93, 48.86], [32.86, 2.35]) == ["TR", "FR"]
    fresh_process()


def test_a_damaged_or_foreign_cache_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    fresh_process()
    (built,) = regions.macro_regions(central_asia(), members)
    (path,) = shapecache.folder().glob("macro-*.wkb")
    path.write_bytes(path.read_bytes()[:100])  # a file cut short
    fresh_process()
    (again,) = regions.macro_regions(central_asia(), members)
    assert again == built and shapely.from_wkb(path.read_bytes()).equals(built.geometry)  # rewritten whole

    # Another edition of the polygons is another folder: nothing of this one is read for it.
    folder = shapecache.folder()
    monkeypatch.setattr(naturalearth, "edition", lambda: "9.9.9")
    shapecache._key.cache_clear()
    assert shapecache.folder() != folder and "ne9.9.9" in shapecache.folder().name
    shapecache._key.cache_clear()
    fresh_process()


def test_an_unwritable_cache_still_gives_the_shape(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("GEO_CACHE_DIR", str(blocked))
    fresh_process()
    (region,) = regions.macro_regions(central_asia(), members)
    assert region.geometry.contains(Point(69.21627, 41.26465))
    fresh_process()


def test_keeping_every_region_shape_ahead_means_a_first_map_builds_none(tmp_path, monkeypatch):
    # make setup keeps each region's shape (geo build-gazetteer --shapes); a text that names one later reads it
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    fresh_process()
    region = central_asia().places[0].chosen
    sea = Candidate("Some Sea", 10.0, 10.0, "region", None, 0, None, "regions", "region:some-sea")  # no members
    assert regions.keep_macro_shapes([region, sea], members) == 1
    assert len(list(shapecache.folder().glob("macro-*.wkb"))) == 1
    fresh_process()
    monkeypatch.setattr(regions, "macro_shape", lambda *_: (_ for _ in ()).throw(AssertionError("built again")))
    (drawn,) = regions.macro_regions(central_asia(), members)
    assert drawn.countries == CENTRAL_ASIA and drawn.geometry.contains(Point(69.21627, 41.26465))
    assert regions.keep_macro_shapes([region], members) == 1  # kept already: read, not built
    fresh_process()


def test_the_gazetteer_lists_its_regions_with_their_members():
    from geo import config
    from geo.gazetteer import Gazetteer

    with Gazetteer(config.gazetteer_path()) as gazetteer:
        listed = gazetteer.regions()
        assert {c.kind for c in listed} == {"region"}
        assert [c.id for c in listed] == sorted(c.id for c in listed)
        by_name = {c.name: c for c in listed}
        assert set(gazetteer.region_members(by_name["Central Asia"])) == set(CENTRAL_ASIA)
        assert "Europe" in by_name and len(listed) > 100
