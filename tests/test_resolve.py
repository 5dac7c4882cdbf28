"""The resolver chooses by context; candidates are hand-built, the geocoder a table of them."""

from geo.model import Candidate, PlaceMention, Sentence
from geo.names import fold
from geo.geocoding.resolve import resolve

PARIS_FR = Candidate("Paris", 48.85, 2.35, "city", "FR", 2_100_000, "Île-de-France", id="g:paris")
PARIS_TX = Candidate("Paris", 33.66, -95.55, "city", "US", 25_000, "Texas", id="g:paris-tx")
TEXAS = Candidate("Texas", 31.0, -100.0, "admin", "US", 29_000_000, id="a:tx")
US = Candidate("United States", 39.8, -98.5, "country", "US", 327_000_000, source="country", id="c:us")
US_VILLAGE = Candidate("Us", 49.1, 1.97, "city", "FR", 1_200, id="g:us")
CALIFORNIA_ADMIN = Candidate("California", 37.2, -119.5, "admin", "US", 39_000_000, id="a:ca")
CALIFORNIA_MD = Candidate("California", 38.3, -76.5, "city", "US", 11_000, "Maryland", id="g:ca-md")
GEORGIA_COUNTRY = Candidate("Georgia", 42.0, 43.5, "country", "GE", 3_700_000, source="country", id="c:ge")
GEORGIA_STATE = Candidate("Georgia", 32.7, -83.4, "admin", "US", 10_000_000, id="a:ga")
GAZIANTEP_CITY = Candidate("Gaziantep", 37.06, 37.38, "city", "TR", 1_065_000, "Gaziantep", id="g:gzt")
GAZIANTEP_PROV = Candidate("Gaziantep", 37.1, 37.4, "admin", "TR", 1_900_000, id="a:gzt")
TURKEY = Candidate("Turkey", 39.0, 35.0, "country", "TR", 82_000_000, source="country", id="c:tr")


class TableGeocoder:
    name = "table"

    def __init__(self, *cands):
        self.table = {}
        for c in cands:
            self.table.setdefault(fold(c.name), []).append(c)
        self.table["us"] = [US, US_VILLAGE]

    def candidates(self, query, *, countries=()):
        return tuple(self.table.get(fold(query), ()))


def mentions_in(text, *names, label="GPE"):
    s = Sentence("d", 0, len(text), text)
    out, pos = [], 0
    for n in names:
        i = text.index(n, pos)
        out.append(PlaceMention("d", n, i, i + len(n), s, label))
        pos = i + len(n)
    return out


GEOCODER = TableGeocoder(PARIS_FR, PARIS_TX, TEXAS, US, CALIFORNIA_ADMIN, CALIFORNIA_MD,
                         GEORGIA_COUNTRY, GEORGIA_STATE, GAZIANTEP_CITY, GAZIANTEP_PROV, TURKEY)


def chosen(text, *names):
    return [p.chosen for p in resolve(mentions_in(text, *names), text, GEOCODER)]


def test_largest_place_wins_without_context():
    assert chosen("She lived in Paris.", "Paris") == [PARIS_FR]


def test_a_qualifier_after_a_comma_wins():
    assert chosen("He grew up in Paris, Texas, and moved.", "Paris", "Texas")[0] == PARIS_TX


def test_the_documents_countries_pull_ambiguous_names():
    text = "Voters in Macon, Georgia, queued."
    assert chosen(text, "Georgia")[0] == GEORGIA_COUNTRY  # nothing says otherwise: the country
    assert chosen("Turkey met. In Georgia, the party won.", "Turkey", "Georgia")[1] == GEORGIA_COUNTRY


def test_an_admin_area_in_the_documents_country_wins_when_it_is_named_as_such():
    text = "In Paris, Texas, and across Texas, people voted."
    assert chosen(text, "Paris", "Texas")[0] == PARIS_TX


def test_an_admin_area_outranks_a_small_namesake_town():
    assert chosen("Wildfires in California.", "California") == [CALIFORNIA_ADMIN]


def test_a_large_city_outranks_its_namesake_province():
    assert chosen("He moved to Gaziantep.", "Gaziantep") == [GAZIANTEP_CITY]


def test_an_abbreviation_never_resolves_to_a_village():
    assert chosen("Officials in the US said so.", "US") == [US]


def test_an_abbreviation_a_reviewed_alias_gives_is_its_town():
    # "D.C." is in geo/data/aliases.csv for Washington's GeoNames entry; a village the data spell "Dc" is not
    washington = Candidate("Washington", 38.9, -77.04, "city", "US", 689_545, "District of Columbia",
                           id="geonames:4140963")
    village = Candidate("Dc", 45.1, 25.1, "city", "RO", 900, id="g:dc")
    geocoder = TableGeocoder()
    geocoder.table["dc"] = [village, washington]
    text = "In D.C., we had a problem."
    assert [p.chosen for p in resolve(mentions_in(text, "D.C."), text, geocoder)] == [washington]
    text = "In DC, we had a problem."
    geocoder.table["dc"] = [village]
    assert [p.chosen for p in resolve(mentions_in(text, "DC"), text, geocoder)] == [None]


def test_one_sense_per_document():
    text = "Paris, Texas is small. Later Paris grew."
    places = resolve(mentions_in(text, "Paris", "Texas", "Paris"), text, GEOCODER)
    assert places[0].chosen == places[2].chosen == PARIS_TX
    text = "Later Paris grew. It is Paris, Texas."
    places = resolve(mentions_in(text, "Paris", "Paris", "Texas"), text, GEOCODER)
    assert places[0].chosen == PARIS_TX  # a later qualifier fixes the earlier bare mention
    text = "Paris grew. Paris again."
    places = resolve(mentions_in(text, "Paris", "Paris"), text, GEOCODER)
    assert places[0].chosen == places[1].chosen


def test_close_alternatives_are_kept():
    text = "In Georgia, the vote."
    (place,) = resolve(mentions_in(text, "Georgia"), text, GEOCODER)
    assert place.chosen in (GEORGIA_COUNTRY, GEORGIA_STATE)
    assert {place.chosen, *place.candidates} >= {GEORGIA_COUNTRY}


def test_unknown_names_stay_unresolved():
    text = "They reached Xyzzyville."
    (place,) = resolve(mentions_in(text, "Xyzzyville"), text, GEOCODER)
    assert place.chosen is None and not place.resolved


MIRAMAR_FL = Candidate("Miramar", 25.98, -80.23, "city", "US", 137_000, "Florida", id="g:miramar-fl")
MIRAMAR_AR = Candidate("Miramar", -38.27, -57.84, "city", "AR", 34_000, "Buenos Aires", id="g:miramar-ar")
BUENOS_AIRES = Candidate("Buenos Aires", -34.61, -58.38, "city", "AR", 13_000_000, id="g:ba")
MIAMI = Candidate("Miami", 25.77, -80.19, "city", "US", 440_000, "Florida", id="g:miami")


def test_a_story_moves_between_neighbouring_places():
    geocoder = TableGeocoder(MIRAMAR_FL, MIRAMAR_AR, BUENOS_AIRES, MIAMI)
    text = "From Buenos Aires they rode south to Miramar."
    places = resolve(mentions_in(text, "Buenos Aires", "Miramar"), text, geocoder)
    assert places[1].chosen == MIRAMAR_AR
    text = "From Miami they drove north to Miramar."
    places = resolve(mentions_in(text, "Miami", "Miramar"), text, geocoder)
    assert places[1].chosen == MIRAMAR_FL
    text = "They rode to Miramar."  # no neighbour: the larger one
    assert resolve(mentions_in(text, "Miramar"), text, geocoder)[0].chosen == MIRAMAR_FL


EDMONTON_CA = Candidate("Edmonton", 53.55, -113.47, "city", "CA", 1_000_000, "Alberta", id="g:edm-ca")
EDMONTON_GB = Candidate("Edmonton", 51.62, -0.06, "city", "GB", 82_000, "England", id="g:edm-gb")
ENFIELD = Candidate("Enfield", 51.65, -0.08, "city", "GB", 132_000, "England", id="g:enfield")


def test_a_local_story_keeps_its_places_together():
    geocoder = TableGeocoder(EDMONTON_CA, EDMONTON_GB, ENFIELD)
    text = "A school in Edmonton won the prize. " + "The pupils cheered. " * 40 + "Enfield council paid."
    places = resolve(mentions_in(text, "Edmonton", "Enfield"), text, geocoder)
    assert places[0].chosen == EDMONTON_GB  # Enfield, 3 km away, is named far below
    text = "A school in Edmonton won the prize."
    assert resolve(mentions_in(text, "Edmonton"), text, geocoder)[0].chosen == EDMONTON_CA


def test_a_place_names_the_geocoder_that_answered_it():
    """An online geocoder's own answer says so; one the offline gazetteer gave (a fallback) says offline."""
    kobani = Candidate("Kobanî", 36.89, 38.35, "city", "SY", 45_000, source="nominatim", id="nominatim:node:1")

    class Online(TableGeocoder):
        name = "nominatim"

    online = Online(kobani, PARIS_FR)  # Paris as a fallback to the gazetteer would give it
    online.table["kobani"] = [kobani]
    text = "From Kobani to Paris."
    places = resolve(mentions_in(text, "Kobani", "Paris"), text, online)
    assert [p.geocoder for p in places] == ["nominatim", "offline"]


LONDON = Candidate("London", 51.51, -0.13, "city", "GB", 8_900_000, "England", id="g:london")
ANDOVER = Candidate("Andover", 51.21, -1.48, "city", "GB", 38_000, "England", id="g:andover")
HAMPSHIRE_IL = Candidate("Hampshire", 42.1, -88.53, "city", "US", 6_000, "Illinois", id="g:hampshire-il")
ILLINOIS = Candidate("Illinois", 40.0, -89.0, "admin", "US", 12_800_000, id="a:il")
STRAYS = TableGeocoder(LONDON, ANDOVER, HAMPSHIRE_IL, ILLINOIS)


def test_a_village_an_ocean_away_from_the_whole_story_is_left_unplaced_with_its_candidate():
    text = "The Hampshire driver won at Andover and then in London."
    (hampshire, andover, london) = resolve(mentions_in(text, "Hampshire", "Andover", "London"), text, STRAYS)
    assert hampshire.chosen is None and HAMPSHIRE_IL in hampshire.candidates  # a user can still place it
    assert andover.chosen == ANDOVER and london.chosen == LONDON


def test_a_village_stays_placed_when_the_text_points_to_its_country_or_area():
    text = "The Hampshire driver won at Andover and then in London, then went home to Illinois."
    places = resolve(mentions_in(text, "Hampshire", "Andover", "London", "Illinois"), text, STRAYS)
    assert places[0].chosen == HAMPSHIRE_IL
    text = "From Hampshire, Illinois, he drove on to Andover and London."
    places = resolve(mentions_in(text, "Hampshire", "Illinois", "Andover", "London"), text, STRAYS)
    assert places[0].chosen == HAMPSHIRE_IL
    text = "He won at Hampshire and at Andover."  # too few other places to call it a stray
    assert resolve(mentions_in(text, "Hampshire", "Andover"), text, STRAYS)[0].chosen == HAMPSHIRE_IL


WATERVLIET = Candidate("Watervliet", 42.73, -73.70, "city", "US", 10_000, "New York", id="g:watervliet")
WASHINGTON_DC = Candidate("Washington", 38.9, -77.04, "city", "US", 690_000, "District of Columbia", id="g:dc")
NEW_YORK_STATE = Candidate("New York", 42.75, -75.83, "admin", "US", 19_000_000, id="a:ny")
NEW_YORK_CITY = Candidate("New York City", 40.71, -74.01, "city", "US", 8_800_000, "New York", id="g:nyc")
BOSTON = Candidate("Boston", 42.36, -71.06, "city", "US", 670_000, "Massachusetts", id="g:boston")


def test_a_list_of_places_is_not_a_qualified_name():
    """ "Washington, New York and Boston" lists three cities; "Washington" is not a town in New York State."""
    lists = TableGeocoder(WASHINGTON_DC, BOSTON)
    lists.table["washington"] = [WASHINGTON_DC, WATERVLIET]  # a town that GeoNames also calls Washington
    lists.table["new york"] = [NEW_YORK_CITY, NEW_YORK_STATE]
    text = "After stops in Washington, New York and Boston, he flew home."
    assert resolve(mentions_in(text, "Washington", "New York", "Boston"), text, lists)[0].chosen == WASHINGTON_DC
    text = "He grew up in Washington, New York, before the war."
    assert resolve(mentions_in(text, "Washington", "New York"), text, lists)[0].chosen == WATERVLIET


def test_a_list_of_qualified_cities_keeps_each_qualifier():
    virginia = Candidate("Virginia", 37.5, -78.8, "admin", "US", 8_500_000, id="a:va")
    richmond_va = Candidate("Richmond", 37.55, -77.46, "city", "US", 230_000, "Virginia", id="g:rva")
    richmond_ca = Candidate("Richmond", 37.94, -122.35, "city", "US", 900_000, "California", id="g:rca")
    virginia_za = Candidate("Virginia", -28.1, 26.87, "city", "ZA", 120_000, "Free State", id="g:virginia-za")
    tokyo = Candidate("Tokyo", 35.69, 139.69, "city", "JP", 8_300_000, "Tokyo", id="g:tokyo")
    table = TableGeocoder(virginia, virginia_za, richmond_ca, richmond_va, tokyo)
    table.table["richmond"] = [richmond_ca, richmond_va]
    text = "Offices in Richmond, Virginia, Tokyo and elsewhere."
    assert resolve(mentions_in(text, "Richmond", "Virginia", "Tokyo"), text, table)[0].chosen == richmond_va


def test_a_countrys_own_name_means_the_country_among_its_towns():
    mexico = Candidate("Mexico", 23.0, -102.0, "country", "MX", 126_000_000, source="country", id="c:mx")
    mexico_city = Candidate("Mexico City", 19.43, -99.13, "city", "MX", 12_300_000, "Mexico City", id="g:cdmx")
    puebla = Candidate("Puebla", 19.04, -98.2, "city", "MX", 1_500_000, "Puebla", id="g:puebla")
    toluca = Candidate("Toluca", 19.29, -99.65, "city", "MX", 490_000, "México", id="g:toluca")
    cdmx = Candidate("Mexico City", 19.4, -99.1, "admin", "MX", 9_200_000, id="a:cdmx")
    table = TableGeocoder(mexico, puebla, toluca)
    table.table["mexico"] = [mexico, mexico_city]  # GeoNames also calls the capital "Mexico"
    table.table["ciudad de mexico"] = [cdmx]
    text = "Buses left Puebla for Toluca and Ciudad de Mexico; Mexico said the road was safe."
    places = resolve(mentions_in(text, "Puebla", "Toluca", "Ciudad de Mexico", "Mexico"), text, table)
    assert places[3].chosen == mexico


def test_a_province_twenty_times_its_namesake_city_is_what_its_name_means():
    quebec = Candidate("Quebec", 52.0, -72.0, "admin", "CA", 8_500_000, id="a:qc")
    quebec_city = Candidate("Québec", 46.81, -71.21, "city", "CA", 530_000, "Quebec", id="g:qc-city")
    new_york = TableGeocoder(NEW_YORK_STATE)
    new_york.table["new york"] = [NEW_YORK_STATE, NEW_YORK_CITY]
    table = TableGeocoder(quebec, quebec_city)
    table.table["quebec"] = [quebec, quebec_city]
    text = "Hydro dams in Quebec supply the grid."
    assert resolve(mentions_in(text, "Quebec"), text, table)[0].chosen == quebec
    text = "Hydro dams near New York supply the grid."  # the city is 40% of its state: the city
    assert resolve(mentions_in(text, "New York"), text, new_york)[0].chosen == NEW_YORK_CITY


def test_a_county_weighs_like_a_town_not_like_a_state():
    # A small local-government area abroad shares the name of a larger city: rank does not lift it.
    lga = Candidate("Cambridge", -31.94, 115.8, "admin", "AU", 30_000, id="admin2:AU.08.51310")
    city = Candidate("Cambridge", 52.2, 0.12, "city", "GB", 145_000, "England", id="g:cambridge")
    county = Candidate("Suffolk", 52.17, 1.0, "admin", "GB", 577_000, "England", id="admin2:GB.ENG.N5")
    town = Candidate("Suffolk", 36.73, -76.58, "city", "US", 88_000, "Virginia", id="g:suffolk-va")
    table = TableGeocoder(lga, city, county, town)
    text = "She studied in Cambridge and then farmed in Suffolk."
    assert [p.chosen for p in resolve(mentions_in(text, "Cambridge", "Suffolk"), text, table)] == [city, county]


OKLAHOMA = Candidate("Oklahoma", 35.49, -97.5, "admin", "US", 3_060_000, id="admin:US.OK")
OKLAHOMA_CITY = Candidate("Oklahoma City", 35.47, -97.52, "city", "US", 680_000, "Oklahoma", id="g:okc")
BAHIA = Candidate("Bahia", -12.0, -42.0, "admin", "BR", 14_300_000, id="admin:BR.05")
SALVADOR = Candidate("Salvador", -12.98, -38.49, "city", "BR", 2_700_000, "Bahia", id="g:salvador")
HOMS_PROV = Candidate("Homs", 34.47, 38.3, "admin", "SY", 1_060_000, id="admin:SY.11")
HOMS_CITY = Candidate("Homs", 34.72, 36.73, "city", "SY", 775_000, "Homs", id="g:homs")
ALEPPO_PROV = Candidate("Aleppo", 36.25, 37.5, "admin", "SY", 4_800_000, id="admin:SY.09")
ALEPPO_CITY = Candidate("Aleppo", 36.2, 37.16, "city", "SY", 1_900_000, "Aleppo", id="g:aleppo")


def area_table():
    table = TableGeocoder(OKLAHOMA, BAHIA, HOMS_PROV, HOMS_CITY, ALEPPO_PROV, ALEPPO_CITY, CALIFORNIA_ADMIN,
                          CALIFORNIA_MD)
    table.table["oklahoma"] = [OKLAHOMA, OKLAHOMA_CITY]  # GeoNames also calls the capital "Oklahoma"
    table.table["bahia"] = [BAHIA, SALVADOR]
    return table


def test_a_state_by_its_own_name_is_the_state_not_the_capital_called_so_too():
    for text, name, area in (("Storms crossed Oklahoma overnight.", "Oklahoma", OKLAHOMA),
                             ("Carnival crowds filled Bahia.", "Bahia", BAHIA)):
        assert resolve(mentions_in(text, name), text, area_table())[0].chosen == area


def test_a_state_is_not_a_namesake_town_near_the_rest_of_the_story():
    annapolis = Candidate("Annapolis", 38.98, -76.49, "city", "US", 40_000, "Maryland", id="g:annapolis")
    maryland = Candidate("Maryland", 39.0, -76.75, "admin", "US", 6_000_000, id="admin:US.MD")
    table = area_table()
    table.table["annapolis"] = [annapolis]
    table.table["maryland"] = [maryland]
    text = "From Annapolis, Maryland, the governor flew to California for the summit."
    places = resolve(mentions_in(text, "Annapolis", "Maryland", "California"), text, table)
    assert places[2].chosen == CALIFORNIA_ADMIN


def test_the_words_around_a_name_say_area_or_city():
    text = "Fighting spread in the Homs and Aleppo governorates."
    assert [p.chosen for p in resolve(mentions_in(text, "Homs", "Aleppo"), text, area_table())] == \
        [HOMS_PROV, ALEPPO_PROV]
    text = "Shelling hit Homs and Aleppo."  # big cities that hold most of their provinces: the cities
    assert [p.chosen for p in resolve(mentions_in(text, "Homs", "Aleppo"), text, area_table())] == \
        [HOMS_CITY, ALEPPO_CITY]
    text = "The mayor of Oklahoma spoke."  # a writer who says city means the city
    assert resolve(mentions_in(text, "Oklahoma"), text, area_table())[0].chosen == OKLAHOMA_CITY


def test_a_town_named_by_an_ordinary_word_needs_the_text_to_point_to_it():
    man = Candidate("Man", 7.41, -7.55, "city", "CI", 240_000, "Montagnes", id="g:man")
    ivory_coast = Candidate("Ivory Coast", 7.5, -5.5, "country", "CI", 25_000_000, source="country", id="c:ci")
    table = TableGeocoder(man, ivory_coast)
    text = "The Man from Nowhere opened in cinemas."
    assert resolve(mentions_in(text, "Man"), text, table)[0].chosen is None
    text = "Rebels left Man, Ivory Coast, at dawn."
    assert resolve(mentions_in(text, "Man", "Ivory Coast"), text, table)[0].chosen == man


SUFFOLK_NY = Candidate("Suffolk County", 40.87, -72.8, "admin", "US", 1_490_000, "New York", id="admin2:US.NY.103")
SUFFOLK_MA = Candidate("Suffolk County", 42.33, -71.08, "admin", "US", 2_010_000, "Massachusetts",
                       id="admin2:US.MA.025")
SOUTHOLD = Candidate("Southold", 41.06, -72.43, "city", "US", 5_700, "New York", id="g:southold")


def test_a_county_is_near_the_rest_of_a_local_story():
    # Counties are local places: the town beside it in the text picks the Long Island one.
    table = TableGeocoder(SUFFOLK_NY, SUFFOLK_MA, SOUTHOLD)
    text = "Police in Southold dug up the basement. Suffolk County detectives found a skeleton."
    assert resolve(mentions_in(text, "Southold", "Suffolk County"), text, table)[1].chosen == SUFFOLK_NY
    text = "Suffolk County detectives found a skeleton."  # alone: the more populous one
    assert resolve(mentions_in(text, "Suffolk County"), text, table)[0].chosen == SUFFOLK_MA


WASHINGTON_STATE = Candidate("Washington", 47.5, -120.5, "admin", "US", 6_500_000, id="admin:US.WA")
WASHINGTON_DC = Candidate("Washington", 38.9, -77.04, "city", "US", 690_000, "District of Columbia", id="g:dc")
TACOMA = Candidate("Tacoma", 47.25, -122.44, "city", "US", 210_000, "Washington", id="g:tacoma")
LOUISIANA = Candidate("Louisiana", 31.0, -92.0, "admin", "US", 4_600_000, id="admin:US.LA")
LOS_ANGELES = Candidate("Los Angeles", 34.05, -118.24, "city", "US", 3_900_000, "California", id="g:la")
SLIDELL = Candidate("Slidell", 30.28, -89.78, "city", "US", 27_000, "Louisiana", id="g:slidell")


def test_the_name_that_qualifies_a_place_is_the_area_that_holds_it():
    table = TableGeocoder(WASHINGTON_STATE, WASHINGTON_DC, TACOMA, SLIDELL)
    table.table[fold("La.")] = [LOS_ANGELES, LOUISIANA]  # GeoNames calls Los Angeles "LA" too
    text = "A baker from Tacoma, Washington shares her tips."
    assert [p.chosen for p in resolve(mentions_in(text, "Tacoma", "Washington"), text, table)] == \
        [TACOMA, WASHINGTON_STATE]
    text = "He died in his backyard in Slidell, La., on March 5."
    assert [p.chosen for p in resolve(mentions_in(text, "Slidell", "La."), text, table)] == [SLIDELL, LOUISIANA]
    text = "Ministers met in Moscow, Washington and Paris."  # a list: no one is qualified
    table.table["moscow"] = [Candidate("Moscow", 55.75, 37.62, "city", "RU", 10_400_000, "Moscow", id="g:moscow")]
    assert resolve(mentions_in(text, "Moscow", "Washington"), text, table)[1].chosen == WASHINGTON_DC


MONTANA = Candidate("Montana", 47.0, -109.75, "admin", "US", 685_000, id="admin:US.MT")
MONTANA_BG = Candidate("Montana", 43.5, 23.18, "admin", "BG", 105_000, id="admin:BG.47")
SHELBY_MT = Candidate("Shelby", 48.5, -111.86, "city", "US", 3_300, "Montana", id="g:shelby-mt")
SHELBY_MI = Candidate("Shelby", 42.67, -83.03, "city", "US", 74_000, "Michigan", id="g:shelby-mi")
SHELBY_NC = Candidate("Shelby", 35.29, -81.54, "city", "US", 20_000, "North Carolina", id="g:shelby-nc")


def test_a_state_that_dwarfs_its_namesakes_vouches_for_its_towns():
    # Montana has a namesake province in Bulgaria, seven times smaller: the text still means the state.
    table = TableGeocoder(MONTANA, MONTANA_BG, SHELBY_MT, SHELBY_MI, SHELBY_NC)
    text = "The company runs the prison in Shelby. Montana officials renewed the contract."
    assert resolve(mentions_in(text, "Shelby", "Montana"), text, table)[0].chosen == SHELBY_MT


LONDON_GB = Candidate("London", 51.51, -0.13, "city", "GB", 8_960_000, "England", id="g:london")
LONDON_CA_US = Candidate("London", 36.48, -119.44, "city", "US", 1_870, "California", id="g:london-ca")
LONDON_KY = Candidate("London", 37.13, -84.08, "city", "US", 8_100, "Kentucky", id="g:london-ky")
KENTUCKY = Candidate("Kentucky", 37.5, -85.0, "admin", "US", 4_400_000, id="admin:US.KY")
SPAIN = Candidate("Spain", 40.0, -4.0, "country", "ES", 46_000_000, source="country", id="c:es")
SWEDEN = Candidate("Sweden", 62.0, 15.0, "country", "SE", 10_000_000, source="country", id="c:se")


def test_a_world_city_is_not_lost_to_a_hamlet_near_another_place_of_the_story():
    table = TableGeocoder(LONDON_GB, LONDON_CA_US, LONDON_KY, CALIFORNIA_ADMIN, KENTUCKY, SPAIN, SWEDEN)
    text = "A professor in California studied the chain. Its shops in London, Spain and Sweden sell out."
    names = ("California", "London", "Spain", "Sweden")
    assert resolve(mentions_in(text, *names), text, table)[1].chosen == LONDON_GB
    # A story set in the hamlet's country keeps it: a Kentucky crash, a driver "of London".
    text = "Deputies in Kentucky said the driver, of London, died at the scene."
    assert resolve(mentions_in(text, "Kentucky", "London"), text, table)[1].chosen == LONDON_KY


CAMBRIDGE_MA = Candidate("Cambridge", 42.37, -71.11, "city", "US", 110_000, "Massachusetts", id="g:cambridge-ma")
CAMBRIDGE_MD = Candidate("Cambridge", 38.56, -76.08, "city", "US", 12_500, "Maryland", id="g:cambridge-md")


def test_a_big_city_named_in_the_story_does_not_make_it_local():
    # Washington is named for its government: the Maryland village near it is not the Cambridge meant.
    table = TableGeocoder(CAMBRIDGE_MA, CAMBRIDGE_MD, WASHINGTON_DC)
    table.table["washington"] = [WASHINGTON_DC]
    text = "Lawmakers in Washington questioned the firm. The Cambridge company declined to comment."
    assert resolve(mentions_in(text, "Washington", "Cambridge"), text, table)[1].chosen == CAMBRIDGE_MA
    # A small town named beside it still makes the story local.
    easton = Candidate("Easton", 38.77, -76.07, "city", "US", 16_000, "Maryland", id="g:easton")
    table.table["easton"] = [easton]
    text = "Farmers in Easton met. The Cambridge harbour reopened."
    assert resolve(mentions_in(text, "Easton", "Cambridge"), text, table)[1].chosen == CAMBRIDGE_MD


LONDON_ON = Candidate("London", 42.98, -81.23, "city", "CA", 420_000, "Ontario", id="g:london-on")
ONTARIO = Candidate("Ontario", 49.25, -84.5, "admin", "CA", 13_000_000, id="admin:CA.08")
NORWAY = Candidate("Norway", 62.0, 10.0, "country", "NO", 5_300_000, source="country", id="c:no")
TROMSO = Candidate("Tromsø", 69.65, 18.96, "city", "NO", 64_000, "Troms og Finnmark", id="g:tromso")
TROMSO_US = Candidate("Tromsø", 44.0, -90.0, "city", "US", 70_000, "Wisconsin", id="g:tromso-us")  # made up


def test_a_province_code_or_a_bare_country_qualifies_the_town_before_it():
    table = TableGeocoder(LONDON_GB, LONDON_ON, ONTARIO, NORWAY, TROMSO, TROMSO_US)
    text = "Police in London, ON said the driver fled."
    assert resolve(mentions_in(text, "London"), text, table)[0].chosen == LONDON_ON
    text = "Police in London said the driver fled."
    assert resolve(mentions_in(text, "London"), text, table)[0].chosen == LONDON_GB
    text = "Tromsø Norway"
    assert resolve(mentions_in(text, "Tromsø", "Norway"), text, table)[0].chosen == TROMSO


def test_the_city_of_a_country_is_a_city_in_it():
    brazil = Candidate("Brazil", -10.0, -55.0, "country", "BR", 209_000_000, source="country", id="c:br")
    brazil_in = Candidate("Brazil", 39.52, -87.13, "city", "US", 8_000, "Indiana", id="g:brazil-in")
    table = TableGeocoder(brazil, brazil_in)
    text = "It is the biggest city of Brazil."
    assert resolve(mentions_in(text, "Brazil"), text, table)[0].chosen == brazil


DEVONPORT_AU = Candidate("Devonport", -41.18, 146.35, "city", "AU", 26_000, "Tasmania", id="g:devonport-au")
PLYMOUTH = Candidate("Plymouth", 50.37, -4.14, "city", "GB", 260_000, "England", id="g:plymouth")  # "Devonport" too
TENERIFE = Candidate("Tenerife", 28.27, -16.6, "admin", "ES", 900_000, id="r:tenerife")
PRAIA = Candidate("Praia", 14.93, -23.51, "city", "CV", 137_000, id="g:praia")
HOBART = Candidate("Hobart", -42.88, 147.33, "city", "AU", 200_000, "Tasmania", id="g:hobart")


class AliasGeocoder(TableGeocoder):
    def __init__(self, *cands):
        super().__init__(*cands)
        self.table["devonport"] = [DEVONPORT_AU, PLYMOUTH]  # its own name first, as the gazetteer has it


def test_a_town_an_ocean_away_from_the_story_yields_to_its_namesake_near_it():
    geocoder = AliasGeocoder(TENERIFE, PRAIA, HOBART)
    text = "The brig sailed from Devonport, reached Tenerife and anchored at Praia. Devonport was far behind."
    places = resolve(mentions_in(text, "Devonport", "Tenerife", "Praia", "Devonport"), text, geocoder)
    assert [p.chosen for p in places] == [PLYMOUTH, TENERIFE, PRAIA, PLYMOUTH]
    assert DEVONPORT_AU in places[0].candidates
    # near the story's other places, the town of its own name stays
    text = "The brig sailed from Devonport and reached Hobart and Praia."
    assert resolve(mentions_in(text, "Devonport", "Hobart", "Praia"), text, geocoder)[0].chosen == DEVONPORT_AU


# A walk among English villages whose names the gazetteer knows best elsewhere.
KESWICK = Candidate("Keswick", 54.6, -3.13, "city", "GB", 4_700, "England", id="g:keswick")
PENRITH = Candidate("Penrith", 54.66, -2.75, "city", "GB", 16_700, "England", id="g:penrith")
KENDAL = Candidate("Kendal", 54.33, -2.75, "city", "GB", 29_000, "England", id="g:kendal")
SHAP = Candidate("Shap", 54.53, -2.68, "city", "GB", 1_200, "England", id="g:shap")
AMBLESIDE_CA = Candidate("Ambleside", 49.33, -123.14, "city", "CA", 12_000, "British Columbia", id="g:amb-ca")
AMBLESIDE_GB = Candidate("Ambleside", 54.43, -2.96, "city", "GB", 2_500, "England", id="g:amb-gb")
KIRKSTONE_CA = Candidate("Kirkstone", 49.34, -123.05, "city", "CA", 1_200, "British Columbia", id="g:kirk-ca")
BOWNESS_CA = Candidate("Bowness", 51.09, -114.17, "city", "CA", 10_800, "Alberta", id="g:bow-ca")
WALK = TableGeocoder(KESWICK, PENRITH, KENDAL, SHAP, AMBLESIDE_CA, AMBLESIDE_GB, KIRKSTONE_CA, BOWNESS_CA)


def test_villages_known_only_far_away_do_not_vouch_for_each_other_against_the_story():
    text = "We walked from Kendal to Bowness, to Kirkstone and Ambleside, then to Keswick, Shap and Penrith."
    places = resolve(mentions_in(text, "Kendal", "Bowness", "Kirkstone", "Ambleside", "Keswick", "Shap", "Penrith"),
                     text, WALK)
    by_name = {p.mention.text: p for p in places}
    # Bowness and Kirkstone exist here only in Canada: left unplaced, their candidate kept for the user
    assert by_name["Bowness"].chosen is None and BOWNESS_CA in by_name["Bowness"].candidates
    assert by_name["Kirkstone"].chosen is None
    # Ambleside's English namesake lies among the walk's stops: a smaller village, but the one meant
    assert by_name["Ambleside"].chosen == AMBLESIDE_GB and AMBLESIDE_CA in by_name["Ambleside"].candidates
    assert [by_name[n].chosen for n in ("Kendal", "Keswick", "Shap", "Penrith")] == [KENDAL, KESWICK, SHAP, PENRITH]


def test_a_story_told_in_two_far_countries_keeps_both():
    # as many places in Canada as in England: no ground outnumbers the rest, each town keeps its reading
    text = "She left Kendal and Keswick for Bowness, Kirkstone and Ambleside."
    places = resolve(mentions_in(text, "Kendal", "Keswick", "Bowness", "Kirkstone", "Ambleside"), text, WALK)
    assert [p.chosen for p in places][2:4] == [BOWNESS_CA, KIRKSTONE_CA]


def test_a_feature_the_gazetteer_lacks_is_placed_at_the_town_it_is_named_after_among_the_story():
    from geo.geocoding.features import town_of

    assert [town_of(n) for n in ("Coniston Water", "Lake Windermere", "Isle of Mull", "Kendal", "Water")] == [
        "Coniston", "Windermere", "Mull", None, None]
    coniston = Candidate("Coniston", 54.37, -3.07, "city", "GB", 640, "England", id="g:coniston")
    kirkstone_ca = KIRKSTONE_CA
    table = TableGeocoder(KENDAL, KESWICK, coniston, kirkstone_ca)
    text = "From Kendal we rowed on Coniston Water, crossed Kirkstone Pass and reached Keswick."
    places = resolve(mentions_in(text, "Kendal", "Coniston Water", "Kirkstone Pass", "Keswick"), text, table)
    water, kirkstone_pass = places[1], places[2]
    # a site at its town's point, under the name as written
    assert (water.chosen.name, water.chosen.kind, water.chosen.lat) == ("Coniston Water", "site", 54.37)
    # the only Kirkstone is an ocean away from the story: no evidence for the pass
    assert kirkstone_pass.chosen is None
    # nothing else in the story: no story to be beside
    text = "We rowed on Coniston Water."
    assert resolve(mentions_in(text, "Coniston Water"), text, table)[0].chosen is None


def test_a_feature_is_beside_the_one_town_of_its_name_in_a_country_the_story_names():
    # a thinly peopled country's towns lie days apart: the bay is beside the country's only Disko, far as
    # that is from the story's other stops
    disko = Candidate("Disko", 69.25, -53.54, "city", "GL", 839, id="g:disko")
    nuuk = Candidate("Nuuk", 64.18, -51.72, "city", "GL", 15_000, id="g:nuuk")
    greenland = Candidate("Greenland", 72.0, -40.0, "country", "GL", 56_000, source="country", id="c:gl")
    disko_ca = Candidate("Disko", 45.0, -75.0, "city", "CA", 300, id="g:disko-ca")
    text = "The two set out from Disko Bay in Greenland and reached Nuuk."
    names = ("Disko Bay", "Greenland", "Nuuk")
    bay = resolve(mentions_in(text, *names), text, TableGeocoder(disko, nuuk, greenland, disko_ca))[0]
    assert (bay.chosen.name, bay.chosen.kind, bay.chosen.lat) == ("Disko Bay", "site", 69.25)
    # the story names no country: a far town is no evidence
    text = "The two set out from Disko Bay and reached Nuuk."
    assert resolve(mentions_in(text, "Disko Bay", "Nuuk"), text, TableGeocoder(disko, nuuk))[0].chosen is None
    # two towns of that name in the named country: no evidence for either
    disko_2 = Candidate("Disko", 61.0, -46.0, "city", "GL", 200, id="g:disko-2")
    text = "The two set out from Disko Bay in Greenland and reached Nuuk."
    geocoder = TableGeocoder(disko, disko_2, nuuk, greenland)
    assert resolve(mentions_in(text, *names), text, geocoder)[0].chosen is None


MANCHESTER_JM = Candidate("Manchester", 18.05, -77.5, "admin", "JM", 62_000, id="a:manchester-jm")
MANCHESTER_GB = Candidate("Manchester", 53.48, -2.24, "city", "GB", 569_000, "England", id="g:manchester")
JAMAICA = Candidate("Jamaica", 18.1, -77.3, "country", "JM", 2_900_000, source="country", id="c:jm")
KESWICK_CA = Candidate("Keswick", 44.25, -79.47, "city", "CA", 26_000, "Ontario", id="g:keswick-ca")
KESWICK_GB = Candidate("Keswick", 54.6, -3.13, "city", "GB", 4_700, "England", id="g:keswick-gb")


def test_a_small_area_does_not_take_the_name_of_a_city_many_times_its_size():
    geocoder = TableGeocoder(MANCHESTER_JM, MANCHESTER_GB, JAMAICA)
    text = "He flew to Manchester."
    assert [p.chosen for p in resolve(mentions_in(text, "Manchester"), text, geocoder)] == [MANCHESTER_GB]
    # the text's country still decides: in Jamaica, Manchester is the parish
    text = "In Jamaica, Manchester voted."
    assert [p.chosen for p in resolve(mentions_in(text, "Jamaica", "Manchester"), text, geocoder)][1] == MANCHESTER_JM


def test_nationality_words_say_where_the_document_is():
    geocoder = TableGeocoder(KESWICK_CA, KESWICK_GB)
    text = "We walked to Keswick."
    assert [p.chosen for p in resolve(mentions_in(text, "Keswick"), text, geocoder)] == [KESWICK_CA]
    assert [p.chosen for p in resolve(mentions_in(text, "Keswick"), text, geocoder, {"GB": 2})] == [KESWICK_GB]
