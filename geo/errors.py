"""One tree of exceptions for the whole package.

Library errors (geopy, sqlite3, OS errors) are translated once, at the
boundary where they happen, with ``raise ... from err``. "Not found" is an
empty result, never an exception.
"""


class GeoError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(GeoError, ValueError):
    """A document cannot be read or used: empty, binary, too large..."""


class GazetteerMissing(GeoError, FileNotFoundError):
    """The offline gazetteer has not been built yet."""


class GeocoderError(GeoError):
    """A geocoder failed to answer (the offline fallback may still answer)."""


class GeocoderTimeout(GeocoderError, TimeoutError):
    """The geocoder did not answer in time."""


class GeocoderUnavailable(GeocoderError, ConnectionError):
    """The geocoder cannot be reached, refused, or answered garbage."""


class GeocoderRateLimited(GeocoderError):
    """The geocoder answered 429 (too many requests)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class CacheError(GeoError):
    """The on-disk cache could not be opened or written."""


class ConfigError(GeoError, ValueError):
    """A setting has a value the program cannot use (unknown geocoder, bad URL...)."""


class StoreError(GeoError):
    """A batch store folder that cannot be used: not a store, another version, other settings, busy."""


class AnalysisCancelled(GeoError):
    """The user stopped an analysis before it finished."""
