"""The keys an entry is found by: pure functions from a name to its folded keys.

Every key is ``geo.names.fold`` of a name or of a variant of it; the reader
folds a text's mention the same way, so a lookup is one indexed equality.
"""

from __future__ import annotations

import re

from geo.names import fold

_LATIN_KEY = re.compile(r"[a-z0-9 ]*[a-z][a-z0-9 ]*")
_CODE = re.compile(r"[A-Z]{2,4}")
MAX_ALTERNATE_WORDS = 6
_SAINT = {"saint": "st", "st": "saint", "sainte": "ste", "ste": "sainte"}
_SAINT_WORD = re.compile(r"\b(?:saint|sainte|st|ste)\b")


def name_keys(name: str, common: frozenset[str] = frozenset()) -> set[str]:
    """The keys a name from a data package is indexed under.

    Its fold; without a leading "the" too ("The Hague" is also found as
    "Hague"), unless what is left is only ordinary words (`common`: "The
    Rocks" is not "Rocks"); and with Saint and St swapped ("St. Petersburg").
    """
    return folded_name_keys(fold(name), common)


def folded_name_keys(key: str, common: frozenset[str] = frozenset()) -> set[str]:
    """name_keys of a name already folded (the build folds each city's name once)."""
    if not key:
        return set()
    keys = {key, key[4:]} if key.startswith("the ") and not is_common(key[4:], common) else {key}
    return keys | {_swap_saint(k) for k in keys}


def is_common(key: str, common: frozenset[str]) -> bool:
    """Is a folded name made only of ordinary words ("white house", "island")?"""
    if not common:
        return False
    if " " not in key:
        return key in common
    return all(word in common for word in key.split(" "))


def _swap_saint(key: str) -> str:
    return _SAINT_WORD.sub(lambda m: _SAINT[m[0]], key)


def latin_keys(name: str, common: frozenset[str] = frozenset()) -> set[str]:
    """name_keys that fold to ASCII letters, digits and spaces: Latin script."""
    return {k for k in name_keys(name, common) if _LATIN_KEY.fullmatch(k)}


def alternate_keys(name: str, common: frozenset[str] = frozenset()) -> set[str]:
    """The keys of a GeoNames alternate name, or none when it is not worth indexing.

    Kept: Latin-script names written with a capital, of at most six words.
    Dropped: codes in capitals ("LED", "SFQ": airport codes; "MK", "AS"),
    lowercase machine transliterations ("washyngtn", "jia ji an tai pu"),
    links, long ceremonial names, and translations into ordinary words
    (`common`: "White House" for Casablanca, "Island" for Iceland).
    """
    if _CODE.fullmatch(name) or name == name.lower():
        return set()
    return {k for k in latin_keys(name, common) if k.count(" ") < MAX_ALTERNATE_WORDS and not is_common(k, common)}


# Admin names often carry their type ("Adıyaman Province", "Amur Oblast");
# text usually drops it. The type is dropped only when what is left is a
# name, not a direction or a common noun ("Southern Province", "Gulf Province").
_DESIGNATORS = frozenset({
    "province", "region", "oblast", "governorate", "krai", "kray", "republic", "prefecture",
    "state", "department", "municipality", "county", "district", "division", "voivodeship",
    "emirate", "territory",
})
_GENERIC = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "upper", "lower", "middle", "capital", "coast", "coastal", "greater",
    "far", "mid", "inner", "outer", "great", "federal", "autonomous", "national", "special",
    "metropolitan", "city", "border", "interior", "islands", "island", "gulf", "bay", "sea",
    "lake", "lakes", "river", "rivers", "valley", "highlands", "lowlands", "mountain", "desert",
})


def admin_keys(name: str) -> set[str]:
    """The keys of an admin area: its name_keys, and without its type ("Amur Oblast" is also "Amur").

    A one-word key that is a direction or a common noun ("Central",
    "Western", "Capital": GeoNames' short names of such areas) is dropped:
    text uses those words for much else. "Western Province" stays.
    """
    keys = name_keys(name)
    for key in list(keys):
        *rest, last = key.split(" ")
        if last in _DESIGNATORS and rest and not set(rest) <= _GENERIC:
            keys.add(" ".join(rest))
    return {k for k in keys if " " in k or k not in _GENERIC | _DESIGNATORS}


# GeoNames names the provinces of some countries "Province of Laguna", "Province of Cebu": text says "Laguna".
_PROVINCE_OF = re.compile(r"province of (.+)")


def county_keys(name: str) -> set[str]:
    """The keys of a second-level area: its full name only ("Scott County", not "Scott": a county's bare
    name is as often a person's or a town's), but a province's own name without "Province of"."""
    keys = name_keys(name)
    return keys | {m[1] for k in keys if (m := _PROVINCE_OF.fullmatch(k)) and m[1] not in _GENERIC}


_BASE_NAME = re.compile(r"(.+?)(?: (?:military|naval|army))? (?:air force base|air base|airbase|afb)(?: airport)?")
_BASE_SUFFIXES = ("air base", "airbase", "ab", "air force base", "afb")
_AIRPORT_TAIL = re.compile(r"(.+?)(?: (?:international|intl|regional|municipal|national|domestic))* (?:airport|airfield|aerodrome)")
_AIRPORT_HEAD = re.compile(r".+? airport (.+)")  # "Amsterdam Airport Schiphol"


def site_keys(name: str, city: str = "") -> set[str]:
    """The keys of an airport or air base: its name and the usual variants.

    "Incirlik Air Base" is also "Incirlik Airbase", "Incirlik AB", "Incirlik
    Air Force Base"; "London Heathrow Airport" is also "Heathrow Airport".
    Never the bare "Heathrow": stripping "Airport" by rule would put words
    such as "Capital" (Beijing Capital), "Sterling" and people's names into
    the text matcher. Bare names are reviewed aliases (geo/data/aliases.csv).
    """
    key = fold(name)
    keys = {key}
    if base := _BASE_NAME.fullmatch(key):
        return keys | {f"{base[1]} {suffix}" for suffix in _BASE_SUFFIXES}
    if tail := _AIRPORT_TAIL.fullmatch(key):
        stem = tail[1]
    elif head := _AIRPORT_HEAD.fullmatch(key):
        stem = head[1]
    else:
        return keys
    place = fold(city)
    core = stem[len(place) + 1:] if place and stem.startswith(place + " ") else stem
    keys |= {f"{stem} airport", f"{core} airport"}
    if place and core != place:
        keys.add(f"{place} {core} airport")
    return keys

