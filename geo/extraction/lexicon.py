"""The word lists the extraction rules share: one place for each, reviewed like code.

Grouped by the stage that reads them: recognising places, recognising people
and what refers to them, and tying people to places (verbs, prepositions,
nouns that frame a place).
"""

# --- places ------------------------------------------------------------------------------------

# Words before a name that say it is a place.
PLACE_PREPOSITIONS = {
    "in", "into", "to", "from", "via", "through", "near", "across", "toward", "towards",
    "outside", "inside", "around", "within", "throughout", "at", "onto", "between",
    "reached", "reaching", "entered", "entering", "left", "leaving", "visited", "visiting",
    "crossed", "crossing", "fled", "flew", "bombed", "invaded", "captured", "liberated",
    "explored", "exploring", "toured", "touring", "skirted", "skirting", "rounded", "rounding", "departed",
    "departing", "revisited", "revisiting", "traversed", "traversing", "passed", "passing",
}
PLACE_CUE_NOUNS = {
    "city", "town", "village", "province", "region", "state", "county", "district", "capital",
    "country", "island", "port", "border", "area", "suburb", "neighbourhood", "neighborhood",
    "municipality", "governorate", "prefecture", "oblast", "republic", "kingdom", "emirate",
    "airport", "airbase", "base", "valley", "river", "lake", "sea", "mountains", "coast",
    "peninsula", "desert", "resort", "enclave", "territory", "camp", "hub",
}
# Capitalised words that are also places somewhere but almost never mean one in news text.
NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christmas", "easter", "ramadan", "god", "allah", "internet", "twitter",
    "facebook", "president", "minister", "police", "army", "general", "mr", "mrs", "ms", "dr",
    "he", "she", "it", "they", "we", "i", "you", "the", "a", "an", "this", "that", "there",
    "said", "says", "reuters", "ap", "afp", "cnn", "bbc", "center", "centre", "north", "south",
    "east", "west", "central", "northern", "southern", "eastern", "western", "union", "state",
    "republic", "city", "university", "street", "click", "more", "top", "home", "news", "follow",
    "comment", "reply", "cancel", "share", "read", "video", "photo", "update", "breaking",
}
# Words that make a name a part of the place after them ("South Atlantic", "Eastern Ghouta", "Upper Egypt").
PART_WORDS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
              "northeast", "northwest", "southeast", "southwest", "north-east", "north-west", "south-east",
              "south-west", "upper", "lower", "inner", "outer", "greater", "middle", "far"}
CONNECTORS = {"of", "de", "du", "la", "le", "el", "al", "upon", "on", "the", "and", "-"}
# Words for a kind of place, not a place: capitalised alone ("the Shore", "discoloured Sea", "Burnished Rocks")
# they name no particular one, though the gazetteer has towns so called.
GENERIC_FEATURES = {
    "sea", "seas", "ocean", "oceans", "shore", "shores", "coast", "coasts", "rock", "rocks", "island", "islands",
    "isle", "isles", "bay", "harbour", "harbor", "river", "rivers", "lake", "lakes", "mountain", "mountains", "hill",
    "hills", "valley", "valleys", "beach", "cape", "point", "reef", "reefs", "strait", "straits", "peninsula",
    "desert", "plain", "plains", "forest", "creek", "cove", "fjord", "glacier", "cliff", "cliffs", "port",
    "channel", "lagoon", "marsh", "swamp", "falls", "spring", "springs", "gorge", "canyon", "ridge", "peak",
    "summit", "bank", "banks", "shoal", "inlet", "estuary", "basin", "plateau", "highlands", "lowlands",
    "mainland", "interior", "continent", "ice", "icecap", "country", "land", "lands", "world", "town", "city",
    "village", "capital", "harbours", "ports", "territory", "frontier", "border",
}
# Words that name towns somewhere but in prose are a planet, a virtue or a common noun: "the transit of Venus",
# "Freedom", "Libertad" (a newspaper, a square, a slogan).
NAMES_OF_OTHER_THINGS = {
    "venus", "mars", "mercury", "jupiter", "saturn", "neptune", "uranus", "pluto", "sun", "moon", "earth",
    "freedom", "liberty", "libertad", "liberte", "liberdade", "liberta", "unity", "victory", "peace", "paz",
    "hope", "esperanza", "faith", "charity", "justice", "justicia", "harmony", "heaven",
}
# Lines that credit a picture: nothing named in them is a place of the story ("Photo: Reuters/Jane Doe").
CREDIT_WORDS = {"photo", "photos", "photograph", "photographs", "image", "images", "picture", "pictures", "credit",
                "credits", "courtesy", "illustration", "illustrations", "pictured"}
# The lower-case words a credit may hold between its names ("AFP via Getty Images", "Jane Doe for The Times").
CREDIT_LINKS = {"via", "for", "by", "and", "of", "the", "de", "&", "/", "-", ",", "|", ";"}


# --- people ------------------------------------------------------------------------------------

TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "lady", "madame", "president", "minister", "general", "gen",
          "prof", "professor", "judge", "sheikh", "king", "queen", "prince", "princess", "captain", "colonel",
          "senator", "governor", "pope", "saint", "st", "lord", "imam", "rev", "father",
          # offices that head a name in news ("Defense Secretary Jim Mattis"); no common surname among them
          "secretary", "representative", "chancellor", "ambassador", "spokesman", "spokeswoman", "spokesperson",
          "chairman", "chairwoman", "commissioner", "prosecutor", "attorney", "detective", "inspector", "sergeant",
          "sgt", "lieutenant", "lt", "commander", "admiral", "premier", "ayatollah", "emir", "sen", "rep", "gov",
          "col", "capt", "supt", "ceo", "sultan", "commodore", "viceroy", "khan", "shah", "raja", "pasha", "doge",
          "emperor", "empress", "tsar", "czar", "kaiser", "caliph", "bey", "maharaja", "rajah", "nawab", "mayor", "sheriff", "archbishop", "rabbi", "chief", "executive", "director",
          "manager", "leader", "justice", "superintendent", "advocate", "editor", "correspondent", "writer", "mp",
          # the parties of a case, before a name: "Petitioner Luis Martinez", "Defendant John Doe"
          "petitioner", "appellant", "appellee", "respondent", "plaintiff", "defendant", "claimant", "complainant"}
# What a person's life does, as the subject of a name the model left unlabelled ("Tunde Adeyemi was born in
# Lagos"): a company or a storm is not born, does not emigrate or marry.
LIFE_VERBS = {"bear", "emigrate", "immigrate", "marry", "die", "flee", "study", "grow", "say", "tell", "travel",
              "migrate", "walk", "hike"}
# Particles inside names: "Khalid el-Bakraoui", "Ludwig van Beethoven".
PARTICLES = {"el", "al", "bin", "ibn", "bint", "van", "von", "de", "da", "di", "du", "der", "den", "la", "le",
             "abu", "ben", "dos", "das", "del", "y"}
# Words that make a capitalised run an organisation, a place or a thing, not a person.
NOT_NAME_WORDS = {
    "state", "states", "office", "ministry", "group", "party", "army", "council", "bank", "university", "company",
    "inc", "ltd", "corp", "agency", "police", "force", "forces", "front", "movement", "brigade", "committee",
    "court", "department", "airlines", "news", "times", "post", "bridge", "street", "road", "house", "hall",
    "center", "centre", "airport", "station", "market", "square", "park", "church", "mosque", "hotel", "club",
    "museum", "school", "institute", "foundation", "union", "republic", "kingdom", "islamic", "united",
    "national", "international", "global", "federal", "north", "south", "east", "west", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "christmas", "easter",
    "ramadan", "god", "allah", "twitter", "facebook", "reuters", "isis", "isil", "nato", "un", "eu", "us",
    "uk", "according", "follow", "click", "comment", "reply", "share", "read", "more", "top", "cancel",
    "tower", "towers", "building", "stadium", "arena", "cathedral", "embassy", "prison", "hospital", "college",
    "academy", "division", "chamber", "authority", "team", "golf", "majesty", "highness", "excellency",
    "admiralty", "navy", "treasury", "interior", "muslims", "christians", "jews", "hindus", "buddhists",
}
# Nouns that describe a person: an apposition with one ("X, a Russian national") makes X a person.
PERSON_NOUNS = {
    "national", "citizen", "resident", "native", "man", "woman", "boy", "girl", "child", "teenager", "person",
    "father", "mother", "son", "daughter", "brother", "sister", "husband", "wife", "cousin", "uncle", "aunt",
    "nephew", "niece", "friend", "partner", "companion", "colleague", "guide", "student", "worker",
    "journalist", "reporter", "activist", "explorer", "traveller", "traveler", "pilgrim", "refugee", "migrant",
    "soldier", "officer", "fighter", "militant", "jihadist", "suspect", "defendant", "accused", "attacker",
    "bomber", "gunman", "leader", "founder", "member", "cleric", "preacher", "imam", "doctor", "nurse",
    "teacher", "engineer", "lawyer", "writer", "author", "poet", "artist", "singer", "player", "footballer",
    "athlete", "climber", "mountaineer", "sailor", "pilot", "driver", "smuggler", "recruiter", "commander",
    "emir", "spokesman", "spokeswoman", "minister", "president", "expert", "scholar", "analyst", "accomplice",
    "businessman", "businesswoman", "photographer", "cyclist", "backpacker", "tourist", "captain", "scientist",
    "geologist", "surgeon", "volunteer", "agent", "spy", "courier", "prisoner", "detainee", "victim", "official",
    "conspirator", "co-conspirator", "associate", "accomplice", "informant", "witness", "employee", "chairman",
    # the people a traveller meets on the way: "our host Lucía", "my landlord", "the boatman Ali"
    "host", "hostess", "landlord", "landlady", "innkeeper", "interpreter", "servant", "porter", "boatman",
    "muleteer", "coachman", "postilion", "ferryman", "shepherd",
}
# Definite descriptions that may stand for people named before ("the suspects", "the couple").
DESCRIPTION_NOUNS = {"suspect", "man", "woman", "couple", "pair", "brother", "sister", "defendant", "accused",
                     "gunman", "duo", "trio", "boy", "girl", "teenager", "traveller", "traveler", "explorer"}
FEMALE = {"she", "her", "hers", "herself", "woman", "female", "girl", "mother", "wife", "sister", "daughter",
          "widow", "mrs", "ms", "miss", "madame", "lady", "queen", "princess", "actress", "aunt", "niece",
          "girlfriend", "businesswoman", "spokeswoman", "chairwoman", "congresswoman", "policewoman"}
MALE = {"he", "him", "his", "himself", "man", "male", "boy", "father", "husband", "brother", "son", "widower",
        "mr", "sir", "lord", "king", "prince", "uncle", "nephew", "boyfriend", "businessman", "spokesman",
        "chairman", "congressman", "policeman", "gunman", "frenchman", "englishman", "dutchman", "irishman",
        "scotsman", "welshman"}
PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
RELATIVES = {"who", "whom", "whose", "that", "which"}
NAMING_VERBS = {"identify", "name", "call", "know", "list"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")


# A name ending in a feature word, or starting with a place word, names a place, not a person:
# "Sermilik Fjord", "Botany Bay", "Porto Praya", "Cape Steen Bille", "Fort William".
PLACE_FEATURE_WORDS = {"fjord", "bay", "island", "islands", "isle", "peninsula", "strait", "straits", "sea", "ocean",
                       "river", "lake", "mountains", "mountain", "gulf", "coast", "reef", "glacier", "desert",
                       "valley", "canal", "channel", "sound", "harbour", "harbor", "creek", "delta", "plateau",
                       "archipelago", "lagoon", "estuary", "inlet", "cove", "firth", "loch", "fell", "pike",
                       "beck", "tarn", "moor", "heath", "forest", "wood", "hill", "hills", "peak", "falls",
                       "water", "pass", "crag", "crags", "reservoir", "gorge"}
PLACE_HEAD_WORDS = {"porto", "puerto", "port", "cape", "mount", "mt", "lake", "fort", "isla", "ilha", "rio", "lago",
                    "monte", "ciudad", "villa", "san", "santa", "sao", "st"}
# Whom a traveller meets where they are: "met X", "was welcomed by X", "lodged with X", "negotiated with X".
ENCOUNTER_OBJECT_VERBS = {"meet", "greet", "welcome", "receive", "host", "marry", "interview", "entertain", "visit",
                          "befriend", "encounter"}
ENCOUNTER_WITH_VERBS = {"negotiate", "talk", "confer", "lodge", "stay", "reside", "live", "dine", "meet", "treat",
                        "trade", "parley", "board", "sign"}
# Ceremonies and courts of a person: who they are of is where the clause is ("the installation of X as doge").
CEREMONY_NOUNS = {"installation", "coronation", "inauguration", "enthronement", "investiture", "consecration",
                  "wedding", "marriage", "funeral", "burial", "trial", "banquet", "court", "palace", "reception",
                  "audience", "ceremony", "ceremonies", "procession", "feast", "election"}
# Offices of a place: "the ruler of Samudra Pasai", "its governor".
OFFICE_NOUNS = {"ruler", "king", "queen", "sultan", "emir", "governor", "mayor", "chief", "emperor", "empress",
                "viceroy", "president", "leader", "head", "administrator", "prince", "princess", "bishop", "khan",
                "shah", "raja", "rajah", "maharaja", "pasha", "bey", "doge", "consul", "senator", "representative",
                "sheriff", "magistrate", "prefect", "commander", "lord", "duke", "count"}

# Groups that move together: "the party reached Umivik Bay", "the family travelled to Austria".
GROUP_NOUNS = {"party", "expedition", "team", "crew", "family", "couple", "group", "caravan", "delegation", "convoy",
               "troop", "band", "detachment", "company", "entourage", "retinue", "household",
               "fleet", "flotilla", "squadron", "armada"}  # "the fleet of Zheng He reached Calicut"
# People nouns that make a group only in the plural: "the two brothers", "the applicants" ("his brother" is one man).
PLURAL_GROUP_NOUNS = {"brother", "sister", "companion", "traveller", "traveler", "applicant", "pilgrim", "man",
                      "woman", "men", "friend", "colleague", "explorer", "member"}
# Vessels and vehicles, which carry people and are not people: "the sealer Jason", "his plane".
VESSEL_NOUNS = {"ship", "vessel", "boat", "brig", "schooner", "sealer", "whaler", "steamer", "steamship", "frigate",
                "sloop", "yacht", "liner", "ferry", "junk", "canoe", "barque", "bark", "ketch", "cutter", "galleon",
                "caravel", "submarine", "corvette", "cruiser", "warship", "gunboat", "tanker", "trawler", "dhow",
                "felucca", "raft", "plane", "aircraft", "airliner", "jet", "helicopter", "airship", "balloon",
                "train", "lorry", "truck", "bus", "automobile", "car", "van", "sledge", "sled"}
SHIP_PREFIXES = {"hms", "uss", "ss", "rms", "hmas", "hmcs", "hmnzs", "mv", "rv", "usns", "usrc", "usc&gs", "ms",
                 "hmhs", "sms", "ns"}
# What only a vessel does ("the Beagle anchored at Bahia", "Endeavour foundered"), and what a vessel does that
# a person does too ("Cook anchored in the bay": a person, unless "the" says a ship's name).
SHIP_ONLY_VERBS = {"founder", "capsize", "sink", "moor", "berth"}
SHIP_VERBS = SHIP_ONLY_VERBS | {"anchor", "dock", "steam", "weigh"}
# Verbs by which people are aboard: "sailed aboard the Endeavour", "travelled in the Beagle".
VESSEL_VERBS = {"sail", "travel", "voyage", "embark", "cruise", "steam", "fly", "ride", "go", "come", "arrive",
                "return", "leave", "depart"}
# Verbs by which a leader gathers a party: "Nansen recruited a pair, Balto and Ravna".
RECRUIT_VERBS = {"recruit", "hire", "enlist", "engage", "choose", "select", "invite", "appoint", "include",
                 "sign"}
# "The remaining places went to Otto Sverdrup": places in a party going to people.
SEAT_NOUNS = {"place", "position", "spot", "seat", "berth", "slot", "post", "vacancy"}

# --- moves -------------------------------------------------------------------------------------

MOTION = {
    "go", "come", "travel", "fly", "move", "cross", "enter", "return", "leave", "arrive", "reach", "flee",
    "head", "deport", "drive", "sail", "walk", "smuggle", "transfer", "relocate", "emigrate", "migrate",
    "journey", "ride", "escape", "extradite", "send", "take", "bring", "march", "board", "depart", "land",
    "visit", "tour", "trek", "hike", "pass", "continue", "proceed", "expel", "repatriate", "cycle", "row",
    "paddle", "swim", "climb", "descend", "ascend", "hitchhike", "commute", "steam", "voyage", "set",
    "push", "press", "advance", "retreat", "withdraw", "run", "race", "crawl", "wander", "roam", "backpack",
    "evacuate", "transport", "ship", "airlift", "traverse", "transit", "exit", "quit", "bus", "drift", "float",
    "carry", "convey", "ferry", "retire",  # "retired to Enugu in 2010"
    "remove", "round", "navigate", "steer", "embark", "disembark", "cruise", "motor", "raft", "canoe", "trudge",
    "turn",
    "stroll", "immigrate", "resettle", "explore", "divert", "reroute", "redirect", "skirt", "tramp", "ramble",
    "scramble", "sledge", "ski", "portage", "fly-in",
    "roll", "pull", "hop",  # "rolled into X", "pulled into X", "hopped over to X"
}
DEPART = {"leave", "depart", "flee", "escape", "quit", "exit", "evacuate", "abandon"}
REACH = {"reach", "enter", "arrive", "land", "visit", "tour", "board", "disembark", "explore"}
TRAVERSE = {"cross", "traverse", "transit", "pass", "round", "navigate", "skirt"}
# Verbs whose object, not their subject, moves: "Turkey deported him to Belgium".
CAUSED = {"deport", "send", "extradite", "expel", "smuggle", "transfer", "bring", "take", "repatriate",
          "escort", "transport", "evacuate", "airlift", "ship", "fly", "drive", "return", "remove", "resettle",
          "carry", "convey", "ferry"}
# Of those, the ones whose subject stays behind: "sent letters to X" moves letters, not the sender.
SEND_AWAY = {"deport", "send", "extradite", "expel", "transfer", "repatriate", "airlift", "ship", "return", "remove",
             "resettle", "evacuate"}
# Particles that make the object of a verb of motion the way along which one went: "sailed up the coast".
ALONG = {"up", "down", "along", "round", "around", "past", "through", "across", "over"}
STAY = {"be", "stay", "spend", "remain", "live", "settle", "hide", "wait", "reside", "study", "train", "camp",
        "shelter", "sleep", "winter", "rest", "lodge", "work", "teach", "serve", "grow", "raise", "lunch", "dine",
        "breakfast", "picnic", "overnight", "summer", "holiday", "vacation", "sojourn", "tarry", "linger",
        "sup", "bait"}  # older travel writing's meals and halts: "supped at X", "baited at X"
# Work done with one's hands where it is done: whoever does it is there ("the specimens collected by X",
# "she surveyed the bay"). Only verbs that cannot be done from afar: not "found", "named", "studied", nor
# "explored", which news uses of options.
FIELDWORK = {"collect", "gather", "retrieve", "dig", "excavate", "survey", "chart", "hunt", "fish", "botanize",
             "botanise", "sketch", "dredge"}
# Being somewhere with someone: both are there ("joined her in X", "met him in X").
MEET = {"join", "meet", "rejoin", "accompany", "visit"}
ATTEMPT = {"try", "attempt", "seek", "plan", "intend", "want", "hope", "aim", "prepare", "fail", "mean"}
SPEECH = {"say", "add", "tell", "accuse", "tweet", "write", "claim", "note", "argue", "state", "explain",
          "report", "announce", "deny", "insist", "warn", "confirm", "describe", "recall", "post",
          "suggest", "propose", "recommend"}  # ("suggested a road trip through the Balkans": no one went yet)
# Events that mark where someone was held: with a tried move under them, that is where the try began.
ARREST = {"arrest", "detain", "catch", "stop", "intercept", "apprehend", "capture", "hold", "seize", "turn"}
ORIGIN_PREPS = {"from", "out of"}
TRANSIT_PREPS = {"via", "through", "across", "by way of", "over", "past", "throughout", "along"}
DEST_PREPS = {"to", "into", "toward", "towards", "onto", "unto", "as far as"}
LOCATIVE = {"in", "at", "inside", "within", "around", "near", "on", "outside", "dobj", None}
# Nouns that only frame a place: "the border province of X", "an X airport", "X's resort city".
FRAMING_NOUNS = {
    "city", "town", "village", "province", "region", "state", "county", "district", "capital", "country",
    "island", "port", "border", "area", "suburb", "neighbourhood", "neighborhood", "municipality",
    "governorate", "prefecture", "oblast", "republic", "kingdom", "emirate", "airport", "airbase", "base",
    "valley", "coast", "peninsula", "desert", "resort", "enclave", "territory", "camp", "hub", "outskirts",
    "center", "centre", "part", "side", "crossing", "checkpoint", "harbour", "harbor", "station",
    # a bearing from a place is where one was: "across the border west of X", "crossed the river north of X"
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "metro", "mountains", "range", "plateau", "basin", "delta", "archipelago", "islands", "shore", "bay",
    "house", "home", "apartment", "flat", "hotel", "hostel", "residence", "farm", "quarter",
    # buildings one is taken to or held in: "held at a prison in X", "entered the monastery at X"
    "prison", "jail", "gaol", "facility", "monastery", "convent", "abbey", "fort", "castle", "palace", "mission",
    # where travellers sleep: "stayed at a guesthouse in X"
    "inn", "guesthouse", "lodge", "cottage", "hut", "refuge", "campsite", "motel", "pension", "chalet", "b&b",
    # places of pilgrimage and worship: "a pilgrimage to the shrine of X"
    "shrine", "temple", "church", "cathedral", "mosque", "chapel", "tomb", "sanctuary", "basilica",
    "bungalow", "villa", "tent", "pub", "restaurant", "cafe", "café", "bar", "tavern", "teahouse", "teashop",
}
# Prepositions by which a framing noun sits in its place: "his house in X", "a camp near X".
FRAMING_PREPS = {"of", "in", "at", "near", "outside", "on"}
# Time spent somewhere: "after three days in X" is a stay in X; so are a halt or a meal there ("a brief stop
# in X", "a layover in X", "lunch at X").
TIME_NOUNS = {"day", "night", "week", "month", "year", "weekend", "fortnight", "spell", "stay", "stint", "stop",
              "stopover", "layover", "halt", "overnight", "lunch", "dinner", "breakfast", "supper", "tea", "picnic",
              "meal", "sojourn", "holiday", "vacation", "call"}  # "after a call at Funchal": a ship's port call
# Vehicles: "caught the train to X", "a ferry from X", "took a taxi to X" tie like a verb of travel.
VEHICLES = {"train", "bus", "coach", "ferry", "boat", "ship", "steamer", "plane", "aircraft", "airplane", "aeroplane",
            "jet", "helicopter", "taxi", "cab", "car", "tram", "metro", "subway", "minibus", "truck", "lorry",
            "bicycle", "bike", "motorbike", "motorcycle", "canoe", "kayak", "yacht", "dhow", "junk",
            "caravan", "carriage", "wagon", "cart", "sledge", "sled", "camel", "horse", "mule", "donkey", "raft",
            "barge", "liner", "cruise", "shuttle", "van", "jeep", "tuk-tuk", "rickshaw", "gondola", "cable-car"}
# Nouns of travel tie like the verb they name: "upon arrival at X" is "arrived at X" (a destination), "after
# his departure from X" is "departed X", "a trip to X" is "travelled to X".
MOTION_NOUNS = {
    "trip": "travel", "journey": "travel", "flight": "fly", "voyage": "travel", "trek": "travel", "drive": "travel",
    "ride": "travel", "crossing": "cross", "visit": "visit", "return": "return", "move": "move", "travel": "travel",
    "travels": "travel", "expedition": "travel", "march": "travel", "passage": "pass", "way": "travel",
    "route": "travel", "departure": "depart", "arrival": "arrive", "transfer": "transfer", "deportation": "deport",
    "extradition": "extradite", "escape": "escape", "removal": "remove", "repatriation": "repatriate",
    "expulsion": "expel", "entry": "enter", "landing": "land", "landfall": "land", "exit": "exit",
    "homecoming": "return", "retreat": "retreat", "transit": "transit", "tour": "tour", "pilgrimage": "travel",
    # the outings of travel writing: "made excursions to X", "took a walk to X", "an expedition up to X"
    "excursion": "travel", "walk": "travel", "ramble": "travel", "outing": "travel", "jaunt": "travel",
    "hike": "travel", "sail": "travel", "row": "travel",
    "stretch": "travel", "leg": "travel", "stage": "travel", "hop": "travel",  # "took the last stretch to X"
}

# The writer's own people ("my husband Tom", "with my friend Edward Lloyd"), and the children of a family.
COMPANION_NOUNS = {"husband", "wife", "partner", "friend", "companion", "sister", "brother", "son", "daughter",
                   "mother", "father", "cousin", "girlfriend", "boyfriend", "fiancé", "fiancée", "fiance", "fiancee"}
KIN_NOUNS = {"child", "children", "son", "daughter", "kid", "baby", "grandchild", "grandson", "granddaughter"}

# Verbs that take their meaning from their object: "made an excursion to X" is going to X.
LIGHT_VERBS = {"make", "take", "pay", "undertake", "do", "have", "go"}

# Halting a vessel, a vehicle or a party somewhere is being there: "anchored at X", "docked at X", "moored in X",
# "put in at X", "called at X", "touched at X", "stopped at X". Only intransitive ("stopped him at X" is an arrest),
# and "put", "call", "touch" only with the particle or preposition that makes them a halt.
HALT = {"anchor", "dock", "moor", "berth", "stop", "halt", "pause", "overnight", "bivouac", "encamp", "call",
        "touch", "put", "lie", "layover", "harbour", "harbor", "beach", "ground"}
HALT_NEEDS = {"put": {"in", "up"}, "call": {"at", "in"}, "touch": {"at", "down"}}  # "put up at the inn at X"  # a particle or preposition needed
HALT_PREPS = {"in", "at", "inside", "within", "near", "on", "off", "outside", "by", "beside", "alongside", "around"}
# Custody is a stay: "was held at X", "was kept in X", "was imprisoned in X" (passive: the person held). A
# detention "at" a place names where one was held; "detained in X" tells an arrest, an event.
CUSTODY = {"hold", "keep", "imprison", "jail", "incarcerate", "intern", "confine", "lock", "house", "book"}
CUSTODY_AT = {"detain"}
# Verbs of avoiding: the place is where the person did not go ("to avoid the currents of X").
AVOID = {"avoid", "bypass", "circumvent", "evade", "shun", "skip", "dodge"}
# Verbs that liken or picture a place, not go there: "the bazaar reminded him of Istanbul", "it resembles Venice".
LIKENING = {"remind", "resemble", "liken", "compare", "evoke", "imagine", "picture", "dream"}
# Nouns of intent: "with the intention of bringing him back to X", "for the purpose of visiting X", "with a view
# to settling in X" tell a goal, not a move.
INTENT_NOUNS = {"intention", "intent", "purpose", "aim", "goal", "object", "objective", "plan", "hope", "view",
                "idea", "prospect", "wish", "desire", "ambition", "dream", "order"}
# Modal auxiliaries of what is not told as done: "agreed that he should take him to X", "could go to X".
IRREALIS = {"should", "could", "might", "may", "must", "ought", "shall"}
# Going with someone somewhere: "accompanied him to X" moves both.
ACCOMPANY = {"accompany", "follow", "guide", "lead", "rejoin"}
# Verbs that keep a move from happening: "prevented them from reaching X" tells a move that did not happen.
PREVENT = {"prevent", "stop", "keep", "bar", "ban", "forbid", "hinder", "deter", "block", "discourage"}
# Prepositions that put what they govern outside the facts: "instead of going to Y", "rather than Y",
# "without reaching X".
COUNTERFACTUAL = {"instead of", "rather than", "without"}
# Verbs that judge a deed named after them ("sentenced for entering X", "charged with smuggling to Y").
JUDGE_VERBS = {"sentence", "convict", "charge", "indict", "accuse", "arrest", "prosecute", "fine", "jail",
               "plead", "guilty", "try", "acquit", "suspect", "investigate", "detain", "imprison", "punish"}
# A bare noun after these says how one moved, not where: "by car from X", "without inspection near X",
# "on foot to X"; the place belongs to the verb.
MANNER_PREPS = {"by", "without", "on"}
# Words that make a place name only qualify the place before it: "X (in modern Y)", "X, in present-day Y",
# "X (now Y)", "today's Y".
QUALIFIERS = {"modern", "present", "present-day", "modern-day", "today", "now", "current", "contemporary",
              "nowadays", "presently"}
# Verbs that give a place another name: "X (now known as Y)", "referred to the city as Y", "named it Y".
NAMING = {"know", "call", "name", "rename", "dub", "term", "refer", "style", "designate", "christen"}

# Dates are looked for on the verbs a clause depends on, but not across these.
SEQUENCE = {"before", "after", "until", "till", "since", "afterwards"}
# Works done on the ground: whoever led one was at its places ("the survey of X, commenced under Captain Y").
WORK_NOUNS = {"survey", "exploration", "mapping", "conquest", "excavation", "reconnaissance", "circumnavigation"}
LEADERSHIP_NOUNS = {"command", "leadership", "direction", "orders"}  # "under the command of X"
# Nouns that make a place a person's home: "X, a resident of Y" (where X belongs, not where the clause goes).
BELONGING_NOUNS = {"resident", "citizen", "native", "national", "inhabitant"}
SIMULTANEOUS = {"as", "when", "while", "whilst", "during"}
MOMENT_NOUNS = {"time", "moment", "day"}  # "by the time he reached X": a clause that sets another's time

# "Our road lay through X", "his route led over Y": the way is the subject, and its owner went along it.
WAY_NOUNS = {"road", "route", "way", "path", "journey", "course", "track", "itinerary"}
WAY_VERBS = {"lie", "lead", "run", "go", "pass", "wind", "continue", "take", "turn", "bend"}
