"""The default geocoder: the embedded gazetteer, no network."""

from __future__ import annotations

from collections.abc import Sequence

from geo.geocoding import notices
from geo.geocoding.protocol import GazetteerLike, country_codes
from geo.model import Candidate


class OfflineGeocoder:
    name = "offline"
    options: dict = {}  # the answer depends on the gazetteer alone
    recording = staticmethod(notices.recording)  # it has nothing to tell

    def __init__(self, gazetteer: GazetteerLike):
        self.gazetteer = gazetteer

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        wanted = set(country_codes(countries))
        found = self.gazetteer.lookup(query)
        return tuple(c for c in found if not wanted or c.country in wanted)
