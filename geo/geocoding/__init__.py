"""Place names to coordinates: the offline gazetteer or an online service, cached; choosing by context.

    protocol     Geocoder and GazetteerLike: what the rest of geo/ codes against
    offline      OfflineGeocoder: the embedded gazetteer (the default)
    services     NominatimGeocoder, PhotonGeocoder, PeliasGeocoder, through geopy (GeopyGeocoder)
    answers      a service's JSON -> Candidates
    failures     geopy's errors -> ours (geo.errors)
    throttle     one request a second per service, across threads and processes
    cache        GeocodeCache (one SQLite file) and CachedGeocoder
    fallback     FallbackGeocoder (online, else offline) and CircuitBreaker
    notices      what a geocoder tells the user, collected per analysis
    factory      make_geocoder: the stack a user's settings ask for
    resolve      choosing among the candidates by the document's context
    corrections  the user's own choices, stored beside the cache

Only this package imports geopy.
"""

from geo.geocoding.cache import CachedGeocoder, GeocodeCache, open_cached
from geo.geocoding.factory import GEOCODER_KINDS, make_geocoder
from geo.geocoding.fallback import CircuitBreaker, FallbackGeocoder, fallback_notice
from geo.geocoding.offline import OfflineGeocoder
from geo.geocoding.protocol import GazetteerLike, Geocoder, country_codes
from geo.geocoding.services import GeopyGeocoder, NominatimGeocoder, PeliasGeocoder, PhotonGeocoder
from geo.geocoding.throttle import THROTTLE_FILE, THROTTLE_FILES, FileThrottle

__all__ = [
    "GEOCODER_KINDS",
    "THROTTLE_FILE",
    "THROTTLE_FILES",
    "CachedGeocoder",
    "CircuitBreaker",
    "FallbackGeocoder",
    "FileThrottle",
    "GazetteerLike",
    "GeocodeCache",
    "Geocoder",
    "GeopyGeocoder",
    "NominatimGeocoder",
    "OfflineGeocoder",
    "PeliasGeocoder",
    "PhotonGeocoder",
    "country_codes",
    "fallback_notice",
    "make_geocoder",
    "open_cached",
]
