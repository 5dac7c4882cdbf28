"""The offline gazetteer: a tiny one built from hand-made sources, then the real one."""

from __future__ import annotations

import math
import sqlite3

import pytest

from geo import config
from geo.errors import GazetteerMissing
from geo.gazetteer import (
    DATA_DIR,
    GEONAMES_ATTRIBUTION,
    Airport,
    Area,
    City,
    Country,
    Gazetteer,
    Region,
    Sources,
    admin_keys,
    alternate_keys,
    build,
    county_keys,
    extent_centre,
    name_keys,
    read_csv,
    read_geonames_areas,
    read_regions,
    site_keys,
)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def tiny_sources(**overrides) -> Sources:
    parts = dict(
        countries=[
            Country("TR", "Turkey", 39.0, 35.0, 82_000_000, "AS", ("Türkiye", "Турция")),
            Country("US", "United States", 39.8, -98.5, 327_000_000, "NA", ("United States of America",)),
            Country("GB", "United Kingdom", 54.0, -2.0, 66_000_000, "EU"),
            Country("RU", "Russia", 60.0, 100.0, 144_000_000, "EU"),
            Country("GE", "Georgia", 42.0, 43.5, 3_700_000, "AS"),
            Country("CH", "Switzerland", 47.0, 8.0, 8_500_000, "EU"),
        ],
        regions=[
            Region("region:caucasus", "Caucasus", 42.5, 44.0, ("Caucasia",), ("GE", "RU")),
            Region("region:persian-gulf", "Persian Gulf", 27.0, 51.0, ("the Gulf",)),
        ],
        cities=[
            City(311046, "İzmir", 38.41, 27.14, "TR", 2_900_000, "35", "İzmir",
                 ("Izmir", "Smyrna", "IZM", "izumiru", "http://en.wikipedia.org/wiki/Izmir")),
            City(1, "Bornova", 38.47, 27.22, "TR", 400_000, "35", None),  # admin1 from its code's majority
            City(2, "Çeşme", 38.32, 26.30, "TR", 40_000, "35", "İzmir"),
            City(3, "Turkey", 35.0, -78.2, "US", 300, "NC", "North Carolina"),
            City(4, "Springfield", 39.80, -89.64, "US", 114_000, "IL", "Illinois"),
            City(5, "Springfield", 37.21, -93.29, "US", 169_000, "MO", "Missouri"),
            City(498817, "Saint Petersburg", 59.94, 30.31, "RU", 5_350_000, "66", "St.-Petersburg"),
            City(4171563, "St. Petersburg", 27.77, -82.68, "US", 257_000, "FL", "Florida"),
            City(6, "The Hague", 52.08, 4.30, "NL", 474_000, "11", "South Holland"),
        ],
        airports=[
            Airport("LTAG", "UAB", "Incirlik Air Base", "Adana", "Adana", "TR", 37.0, 35.43),
            Airport("EGLL", "LHR", "London Heathrow Airport", "London", "England", "GB", 51.47, -0.46),
            Airport("00AA", "", "Aero B Ranch Airport", "Leoti", "Kansas", "US", 38.7, -101.47),
        ],
        aliases=[("Heathrow", "airport:EGLL"), ("the States", "country:US"), ("UK", "country:GB")],
        demonyms={"Turkish": "TR", "American": "US", "Swiss": "CH"},
    )
    parts.update(overrides)
    return Sources(**parts)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("gaz") / "tiny.sqlite"
    stats = build(path, sources=tiny_sources())
    with Gazetteer(path) as g:
        yield g, stats


# --- Pure name functions.

def test_name_keys_fold_and_swap_saint_and_drop_article():
    assert name_keys("St. Petersburg") == {"st petersburg", "saint petersburg"}
    assert name_keys("Sainte-Foy") == {"sainte foy", "ste foy"}
    assert name_keys("The Hague") == {"the hague", "hague"}
    assert name_keys("Stone") == {"stone"}


def test_alternate_keys_keep_latin_names_and_drop_codes_and_transliterations():
    assert alternate_keys("Smyrna") == {"smyrna"}
    assert alternate_keys("Sanli Urfa") == {"sanli urfa"}
    assert alternate_keys("IZM") == set()  # an airport code
    assert alternate_keys("washyngtn  jwrjya") == set()  # machine transliteration
    assert alternate_keys("Измир") == set()
    assert alternate_keys("https://en.wikipedia.org/wiki/Izmir") == set()
    assert alternate_keys("Ciudad de la Santisima Trinidad y Puerto de Santa Maria") == set()


def test_admin_keys_drop_the_type_but_not_from_a_direction():
    assert admin_keys("Amur Oblast") == {"amur oblast", "amur"}
    assert admin_keys("Adıyaman Province") == {"adiyaman province", "adiyaman"}
    assert admin_keys("Southern Province") == {"southern province"}
    assert admin_keys("Gulf Province") == {"gulf province"}


def test_site_keys_of_an_air_base():
    assert site_keys("Incirlik Air Base", "Adana") == {
        "incirlik air base", "incirlik airbase", "incirlik ab", "incirlik air force base", "incirlik afb",
    }
    assert "powidz air base" in site_keys("Powidz Military Air Base")


def test_site_keys_of_an_airport_never_include_the_bare_name():
    keys = site_keys("London Heathrow Airport", "London")
    assert {"london heathrow airport", "heathrow airport"} <= keys
    assert "heathrow" not in keys
    assert "schiphol airport" in site_keys("Amsterdam Airport Schiphol", "Amsterdam")
    assert "ohare airport" in site_keys("Chicago O'Hare International Airport", "Chicago")
    assert site_keys("RAF Lakenheath", "Lakenheath") == {"raf lakenheath"}


def test_extent_centre_trims_outliers_and_handles_the_antimeridian():
    lats = [32.5, 34.0, 36.0, 38.0, 42.0]
    lons = [-124.2, -118.2, -119.8, -121.5, -114.6]
    assert extent_centre(lats, lons) == pytest.approx((37.25, -119.4))
    lat, lon = extent_centre([65.0, 66.0, 67.0], [175.0, 178.0, -172.0])
    assert lat == pytest.approx(66.0)
    assert lon == pytest.approx(-178.5)


# --- A tiny gazetteer built from hand-made sources.

def test_build_reports_what_it_wrote_and_leaves_no_temp_file(tiny):
    g, stats = tiny
    assert stats["rows"] == 6 + 2 + 9 + 7 + 2  # countries, regions, cities, admin areas, sites
    assert stats["names"] > stats["rows"]
    assert stats["bytes"] == g.path.stat().st_size
    assert [p.name for p in g.path.parent.iterdir()] == [g.path.name]


def test_folded_names_find_the_same_entries(tiny):
    g, _ = tiny
    found = g.lookup("İzmir")
    assert found == g.lookup("Izmir") == g.lookup("izmir") == g.lookup("IZMIR")
    city = next(c for c in found if c.kind == "city")
    assert (city.id, city.country, city.admin1, city.source) == ("geonames:311046", "TR", "İzmir", "geonames")
    assert g.lookup("Smyrna") == (city,)


def test_junk_alternate_names_are_not_indexed(tiny):
    g, _ = tiny
    assert g.lookup("IZM") == ()
    assert not g.contains("izumiru")


def test_order_is_kind_then_population(tiny):
    g, _ = tiny
    assert [c.kind for c in g.lookup("Turkey")] == ["country", "city"]
    assert [c.admin1 for c in g.lookup("Springfield")] == ["Missouri", "Illinois"]
    russian, florida = (c for c in g.lookup("St. Petersburg") if c.kind == "city")
    assert (russian.country, florida.country) == ("RU", "US")
    assert g.lookup("Saint Petersburg") == g.lookup("St Petersburg")


def test_admin_areas_come_from_their_cities(tiny):
    g, _ = tiny
    admin = g.lookup("İzmir")[0]
    assert (admin.kind, admin.id, admin.source) == ("admin", "admin:TR.35", "admin")
    assert admin.population == 2_900_000 + 400_000 + 40_000
    assert (admin.lat, admin.lon) == pytest.approx(((38.32 + 38.47) / 2, (26.30 + 27.22) / 2))
    bornova, = g.lookup("Bornova")
    assert bornova.admin1 == "İzmir"  # from the other cities with code 35


def geonames_sources():
    """The tiny sources, with GeoNames' own areas and a town whose county is known."""
    base = tiny_sources()
    return tiny_sources(
        cities=[*base.cities,
                City(7, "Ipswich", 52.06, 1.16, "GB", 178_000, "ENG", "England", admin2="Suffolk"),
                City(8, "Lowestoft", 52.48, 1.75, "GB", 70_000, "ENG", "England", admin2="Suffolk")],
        areas=[
            Area(1, "İzmir Province", "İzmir", 1, "TR", 38.5, 27.6, "35"),
            Area(2, "Homs Governorate", "Homs", 1, "SY", 34.6, 38.0, "11", population=1_800_000),
            Area(3, "Western Area", "Western", 1, "SL", 8.3, -13.1, "04"),
            Area(4, "Suffolk", "Suffolk", 2, "GB", 52.17, 1.0, "ENG", "N5"),
            Area(5, "Scott County", "Scott County", 2, "US", 41.6, -90.6, "IA", "163", population=170_000),
            # A county named for a town of its state is that town's municipality.
            Area(6, "Springfield", "Springfield", 2, "US", 39.8, -89.6, "IL", "999"),
            # GeoNames' name of a Philippine province; text says "Laguna".
            Area(9, "Province of Laguna", "Province of Laguna", 2, "PH", 14.17, 121.33, "40", "33",
                 population=3_000_000),
        ],
        attribution=(GEONAMES_ATTRIBUTION,),
    )


@pytest.fixture(scope="module")
def with_areas(tmp_path_factory):
    path = tmp_path_factory.mktemp("gaz") / "areas.sqlite"
    build(path, sources=geonames_sources())
    with Gazetteer(path) as g:
        yield g


def test_first_level_areas_at_geonames_points_and_names(with_areas):
    g = with_areas
    izmir = g.lookup("Izmir")[0]
    assert (izmir.id, izmir.name, izmir.lat, izmir.lon) == ("admin:TR.35", "İzmir", 38.5, 27.6)
    assert izmir.population == 2_900_000 + 400_000 + 40_000  # still its cities'
    assert g.lookup("İzmir Province")[0] == izmir
    homs = g.lookup("Homs")[0]  # no city carries its code: GeoNames alone has it
    assert (homs.id, homs.kind, homs.population) == ("admin:SY.11", "admin", 1_800_000)
    assert g.lookup("Homs Governorate")[0] == homs
    assert g.lookup("Western") == ()  # a direction alone is not indexed...
    assert g.lookup("Western Area")[0].id == "admin:SL.04"  # ... the full name is


def test_second_level_areas_by_full_name_with_their_towns_people(with_areas):
    g = with_areas
    suffolk, = g.lookup("Suffolk")
    assert (suffolk.id, suffolk.kind, suffolk.admin1, suffolk.lat) == ("admin2:GB.ENG.N5", "admin", "England", 52.17)
    assert suffolk.population == 178_000 + 70_000
    scott, = g.lookup("Scott County")
    assert scott.population == 170_000  # no town of it known: GeoNames' figure
    assert g.lookup("Scott") == ()
    assert all(c.id.startswith("geonames:") for c in g.lookup("Springfield"))
    laguna, = g.lookup("Laguna")
    assert (laguna.id, laguna.lat, laguna.lon) == ("admin2:PH.40.33", 14.17, 121.33)
    assert g.lookup("Province of Laguna") == (laguna,)


def test_county_keys_are_full_names_but_a_province_of_is_its_own_name():
    assert county_keys("Scott County") == {"scott county"}
    assert county_keys("Province of Laguna") == {"province of laguna", "laguna"}
    assert county_keys("Province of Central") == {"province of central"}  # a direction alone is no name


def test_translations_into_ordinary_words_are_not_other_names(tmp_path):
    common = frozenset({"white", "house", "island", "rocks"})
    sources = Sources(
        countries=[Country("IS", "Iceland", 65.0, -18.0, 350_000, "EU", ("Island", "Ísland"))],
        cities=[City(1, "Casablanca", 33.59, -7.62, "MA", 3_600_000, alternate_names=("White House", "Dar el Beida")),
                City(2, "The Rocks", -33.86, 151.21, "AU", 800)],
        common_words=common,
    )
    build(tmp_path / "g.sqlite", sources=sources)
    with Gazetteer(tmp_path / "g.sqlite") as g:
        assert g.lookup("White House") == () and g.lookup("Island") == () and g.lookup("Rocks") == ()
        assert g.lookup("Dar el Beida")[0].name == "Casablanca" and g.lookup("Iceland")[0].id == "country:IS"
        assert g.lookup("The Rocks")[0].country == "AU"


def test_attribution_is_kept_in_the_built_file(with_areas, tiny):
    assert with_areas.attribution == GEONAMES_ATTRIBUTION
    assert tiny[0].attribution == ""


def test_geonames_table_is_well_formed():
    areas = read_geonames_areas(DATA_DIR / "geonames_admin.csv")
    levels = {level: [a for a in areas if a.level == level] for level in (0, 1, 2)}
    assert len(levels[0]) > 200 and len(levels[1]) > 3000 and len(levels[2]) > 5000
    assert len({a.geonameid for a in areas}) == len(areas)
    assert all(-90 <= a.lat <= 90 and -180 <= a.lon <= 180 and len(a.cc) == 2 for a in areas)
    assert all(a.admin1_code for a in levels[1] + levels[2]) and all(a.admin2_code for a in levels[2])


def test_country_names_in_latin_script_only(tiny):
    g, _ = tiny
    assert g.lookup("Türkiye")[0].id == "country:TR"
    assert g.lookup("Турция") == ()
    assert g.lookup("United States of America")[0].id == "country:US"


def test_regions_with_and_without_the_article(tiny):
    g, _ = tiny
    region, = g.lookup("the Caucasus")
    assert region == g.lookup("Caucasus")[0] == g.lookup("Caucasia")[0]
    assert (region.kind, region.id, region.source) == ("region", "region:caucasus", "region")
    assert region.population == 3_700_000 + 144_000_000
    assert g.region_members(region) == ("GE", "RU")
    assert g.region_members(g.country("TR")) == ()


def test_reviewed_names_are_indexed_as_written(tiny):
    g, _ = tiny
    assert g.lookup("the Gulf")[0].id == "region:persian-gulf"
    assert g.lookup("Gulf") == ()
    assert g.lookup("the States")[0].id == "country:US"
    assert g.lookup("States") == ()
    assert g.lookup("U.K.")[0].id == "country:GB"


def test_source_names_with_an_article_are_found_without_it(tiny):
    g, _ = tiny
    assert g.lookup("Hague")[0].name == "The Hague"


def test_air_base_and_airport_variants(tiny):
    g, _ = tiny
    for name in ("Incirlik Air Base", "Incirlik Airbase", "Incirlik AB", "Incirlik Air Force Base"):
        site, = g.lookup(name)
        assert (site.kind, site.country, site.admin1, site.population, site.source) == \
            ("site", "TR", "Adana", 0, "airport")
    heathrow = g.lookup("London Heathrow Airport")
    assert heathrow == g.lookup("Heathrow Airport") == g.lookup("Heathrow")  # the last by alias
    assert g.lookup("Aero B Ranch Airport") == ()  # no IATA code, not an air base


def test_contains_and_country(tiny):
    g, _ = tiny
    assert g.contains("izmir") and g.contains("the Caucasus")
    assert not g.contains("Atlantis")
    assert g.country("tr").name == "Turkey"
    assert g.country("XX") is None


def test_demonyms(tiny):
    g, _ = tiny
    assert g.demonym("Turkish") == g.demonym("turkish") == g.country("TR")
    assert g.demonym("Americans") == g.country("US")
    assert g.demonym("Swiss").id == "country:CH"  # a word ending in s is tried whole first
    assert g.demonym("Martian") is None


def test_max_name_tokens_counts_weighty_entries_only(tmp_path):
    cities = [City(1, "Big Town", 0, 0, "TR", 5000), City(2, "A Very Long Hamlet Name Here", 0, 0, "TR", 10)]
    build(tmp_path / "g.sqlite", sources=Sources(cities=cities))
    with Gazetteer(tmp_path / "g.sqlite") as g:
        assert g.max_name_tokens == 2


def test_missing_file_says_how_to_build_it(tmp_path):
    path = tmp_path / "nowhere.sqlite"
    with pytest.raises(GazetteerMissing) as err:
        Gazetteer(path)
    message = str(err.value)
    assert str(path) in message and "make setup" in message and "python -m geo build-gazetteer" in message
    assert isinstance(err.value, FileNotFoundError)


def test_a_file_that_is_not_a_gazetteer_is_missing_too(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_text("not a database")
    with pytest.raises(GazetteerMissing, match="not a gazetteer"):
        Gazetteer(path)


def test_a_failed_build_keeps_the_old_file(tmp_path):
    path = tmp_path / "g.sqlite"
    build(path, sources=tiny_sources())
    before = path.read_bytes()
    with pytest.raises(ValueError, match="airport:NOPE"):
        build(path, sources=tiny_sources(aliases=[("Nope", "airport:NOPE")]))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]


def test_opened_read_only(tiny):
    g, _ = tiny
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        g._conn.execute("DELETE FROM entry")


# --- The reviewed tables.

def test_regions_table_is_well_formed():
    regions = read_regions(DATA_DIR / "regions.csv")
    ids = [r.id for r in regions]
    assert len(ids) == len(set(ids))
    for r in regions:
        assert -90 <= r.lat <= 90 and -180 <= r.lon <= 180, r
        assert all(len(cc) == 2 and cc.isupper() for cc in r.members), r
        assert r.kind in ("region", "admin", "site"), r


def test_demonym_table_has_no_duplicates():
    words = [row["word"] for row in read_csv(DATA_DIR / "demonyms.csv")]
    assert len(words) == len(set(words))


# --- The real gazetteer, built by `make setup` (or `python -m geo build-gazetteer`).

@pytest.fixture(scope="module")
def real():
    path = config.gazetteer_path()
    if not path.exists():  # a failure, not a skip: the product cannot run without it
        pytest.fail(f"{path} is missing: run `make setup` or `python -m geo build-gazetteer` first")
    with Gazetteer(path) as g:
        yield g


def first(g: Gazetteer, name: str, kind: str | None = None):
    found = [c for c in g.lookup(name) if kind is None or c.kind == kind]
    assert found, f"nothing for {name!r}"
    return found[0]


def test_real_countries_and_states_at_geonames_points(real):
    assert (first(real, "Canada").lat, first(real, "Canada").lon) == (60.10867, -113.64258)
    assert GEONAMES_ATTRIBUTION in real.attribution.splitlines()
    suffolk = first(real, "Suffolk")
    assert (suffolk.id, suffolk.country) == ("admin2:GB.ENG.N5", "GB")
    assert first(real, "Anne Arundel County").admin1 == "Maryland"


def test_real_countries_at_their_conventional_points(real):
    turkey = first(real, "Turkey")
    assert (turkey.kind, turkey.country) == ("country", "TR")
    assert km(turkey.lat, turkey.lon, 39, 35) < 100
    russia = first(real, "Russia")
    assert russia.id == "country:RU" and km(russia.lat, russia.lon, 60, 100) < 100
    assert turkey.population > 50_000_000


@pytest.mark.parametrize("name, code", [
    ("US", "US"), ("U.S.", "US"), ("USA", "US"), ("United States", "US"), ("the States", "US"),
    ("UK", "GB"), ("U.K.", "GB"), ("Britain", "GB"), ("Great Britain", "GB"),
    ("Holland", "NL"), ("the Netherlands", "NL"), ("Ivory Coast", "CI"), ("Burma", "MM"),
    ("South Korea", "KR"), ("North Korea", "KP"), ("Syria", "SY"), ("Iran", "IR"), ("Kosovo", "XK"),
    ("Palestine", "PS"), ("DRC", "CD"), ("Türkiye", "TR"), ("Czechia", "CZ"), ("Vietnam", "VN"),
])
def test_real_country_names(real, name, code):
    assert first(real, name).id == f"country:{code}"


def test_real_country_names_skip_iso_codes_and_inverted_forms(real):
    assert "country:RU" not in {c.id for c in real.lookup("RUS")}
    assert real.lookup("Korea, Republic of") == ()


@pytest.mark.parametrize("name, code", [
    ("Şanlıurfa", "TR"), ("Sanliurfa", "TR"), ("Gaziantep", "TR"), ("Tal Abyad", "SY"), ("Raqqa", "SY"),
])
def test_real_cities(real, name, code):
    city = first(real, name, "city")
    assert city.country == code


def test_real_admin_namesakes_of_their_capitals(real):
    kinds = {(c.kind, c.country) for c in real.lookup("Şanlıurfa")}
    assert {("admin", "TR"), ("city", "TR")} <= kinds


def test_real_st_petersburg_in_russia_first(real):
    cities = [c for c in real.lookup("St. Petersburg") if c.kind == "city"]
    assert cities[0].country == "RU"
    assert any(c.country == "US" and c.admin1 == "Florida" for c in cities)


def test_real_air_base(real):
    site = first(real, "Incirlik Airbase")
    assert (site.kind, site.country) == ("site", "TR")


def test_real_california_is_a_state_before_any_town(real):
    found = real.lookup("California")
    assert found[0].kind == "admin" and found[0].country == "US"
    assert km(found[0].lat, found[0].lon, 37, -119.5) < 150
    assert any(c.kind == "city" for c in found)  # the towns named California come after it


@pytest.mark.parametrize("name", ["the Caucasus", "Caucasus", "Central Asia", "Middle East", "Europe",
                                  "Horn of Africa", "Korean Peninsula", "Black Sea"])
def test_real_regions(real, name):
    assert first(real, name).kind == "region"


def test_real_region_members(real):
    assert set(real.region_members(first(real, "Central Asia"))) == {"KZ", "KG", "TJ", "TM", "UZ"}
    assert "TR" in real.region_members(first(real, "Middle East"))


@pytest.mark.parametrize("word, code", [
    ("British", "GB"), ("American", "US"), ("Russian", "RU"), ("Turkish", "TR"), ("Dutch", "NL"),
    ("French", "FR"), ("Uzbek", "UZ"), ("Kyrgyz", "KG"), ("Belgian", "BE"), ("Moroccan", "MA"),
    ("Syrian", "SY"), ("Chinese", "CN"), ("Congolese", "CD"),
])
def test_real_demonyms(real, word, code):
    assert real.demonym(word).id == f"country:{code}"


def test_real_every_reviewed_alias_resolves(real):
    for row in read_csv(DATA_DIR / "aliases.csv"):
        assert any(c.id == row["id"] for c in real.lookup(row["name"])), row


def test_a_cape_or_an_island_of_the_regions_table_keeps_its_kind(tmp_path):
    # A route stops at a cape or a province-sized island: a point, not an area a route only names.
    path = tmp_path / "r.sqlite"
    build(path, sources=tiny_sources(regions=[Region("region:cape-horn", "Cape Horn", -55.98, -67.27, members=("CL",),
                                                     kind="site"),
                                              Region("region:tahiti", "Tahiti", -17.65, -149.43, members=("PF",),
                                                     kind="admin"),
                                              Region("region:sahel", "Sahel", 15.0, 0.0, members=("ML", "NE"))]))
    with Gazetteer(path) as g:
        assert [(c.kind, c.country) for c in g.lookup("Cape Horn")] == [("site", "CL")]
        assert [(c.kind, c.country) for c in g.lookup("Tahiti")] == [("admin", "PF")]
        assert g.lookup("Sahel")[0].kind == "region"
    kinds = {r.name: r.kind for r in read_regions(DATA_DIR / "regions.csv")}
    assert (kinds["Cape of Good Hope"], kinds["Tenerife"], kinds["Java"]) == ("site", "admin", "region")


def test_a_region_inside_one_country_is_in_it(tmp_path):
    path = tmp_path / "r.sqlite"
    build(path, sources=tiny_sources(regions=[Region("region:java", "Java", -7.5, 110.0, members=("ID",)),
                                              Region("region:sahel", "Sahel", 15.0, 0.0, members=("ML", "NE"))]))
    with Gazetteer(path) as g:
        assert g.lookup("Java")[0].country == "ID"
        assert g.lookup("Sahel")[0].country is None


@pytest.mark.parametrize("name, lat, lon, kind", [
    ("Disko Bay", 69, -52, "region"), ("Strait of Magellan", -53.5, -70.5, "region"),
    ("Straits of Magellan", -53.5, -70.5, "region"), ("Gulf of Sirte", 31.5, 18.5, "region"),
    ("Table Bay", -33.9, 18.4, "site"), ("Bay of Islands", -35.2, 174.2, "site"),
    ("North Wales", 53.0, -3.8, "region"), ("Lake District", 54.5, -3.1, "region"), ("Snowdon", 53.07, -4.08, "region"),
])
def test_seas_straits_and_bays_a_voyage_names_are_known(real, name, lat, lon, kind):
    # a voyage's or a crossing's water, which no data package holds as a place, at its usual centre point
    found = first(real, name, kind)
    assert km(found.lat, found.lon, lat, lon) < 100


def test_a_season_or_a_colour_is_no_other_name_of_a_place(real):
    # GeoNames gives "Summer" and "Tan" as other names of American towns: "in the Summer of 1798" names none
    assert real.lookup("Summer") == () and real.lookup("Tan") == ()
    # a famous feature comes before the small town named after it
    assert first(real, "North Wales").country == "GB" and first(real, "Snowdon").country == "GB"
