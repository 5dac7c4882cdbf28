"""The two interfaces the rest of geo/ codes against: a Geocoder, and the gazetteer it and extraction read.

Both are Protocols: anything with these methods fits, so a test passes a
small stand-in and a newcomer adds a geocoder without inheriting from ours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from geo.errors import ConfigError
from geo.model import Candidate


class Geocoder(Protocol):
    name: str  # "offline", "nominatim", ...: the cache and the rate limit key on it
    # Everything besides the query that changes the answer (the server's URL...): the cache keys on it too.
    options: Mapping[str, Any]

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        """Every place `query` could be, best first; () when nothing is found.

        `countries` (ISO 3166-1 alpha-2) restricts the answer to those countries.
        Raises a GeocoderError subclass when the service fails.
        """
        ...

    def recording(self) -> AbstractContextManager[list[str]]:
        """What the user must be told about the answers given in this block, in this thread (or context) only.

        A list of notices, filled as the block runs: names that fell back to
        the offline gazetteer, a cache that cannot be used. A geocoder with
        nothing to tell (the offline one) leaves it empty.
        """
        ...


class GazetteerLike(Protocol):
    """What geo/ asks of the offline gazetteer (geo.gazetteer's reader is the one that exists)."""

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Every entry whose name or alternate name folds like `name`; () when none does."""
        ...

    def contains(self, name: str) -> bool: ...

    def demonym(self, word: str) -> Candidate | None:
        """The country a demonym or adjective names: "Turkish" -> Turkey."""
        ...

    def region_members(self, candidate: Candidate) -> tuple[str, ...]:
        """ISO2 codes of a region's or continent's countries; () for other kinds."""
        ...

    @property
    def max_name_tokens(self) -> int:
        """Words in the longest name it holds: no longer n-gram of a text can be a name."""
        ...


def country_codes(countries: Sequence[str]) -> tuple[str, ...]:
    """Sorted, upper-case, unique ISO alpha-2 codes; a lone string is one code."""
    if isinstance(countries, str):
        countries = (countries,)
    codes = {c.strip().upper() for c in countries}
    bad = sorted(c for c in codes if not re.fullmatch(r"[A-Z]{2}", c))
    if bad:
        raise ConfigError(f"countries must be ISO 3166-1 alpha-2 codes such as 'TR'; got {bad}")
    return tuple(sorted(codes))
