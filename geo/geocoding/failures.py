"""geopy's errors -> ours: which failures are worth another attempt, and what the user is told.

The one place geopy's exception tree is read; every online geocoder raises
through `translate`, so geopy's errors never leave geo.geocoding.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopy.exc

from geo.errors import GeocoderError, GeocoderRateLimited, GeocoderTimeout, GeocoderUnavailable


def status(err: geopy.exc.GeopyError) -> int | None:
    """The HTTP status of a failure, when it was one."""
    # geopy raises its HTTP errors `from` an AdapterHTTPError carrying the status.
    return getattr(err.__cause__, "status_code", None)


def retryable(err: geopy.exc.GeopyError) -> bool:
    transient = (geopy.exc.GeocoderTimedOut, geopy.exc.GeocoderRateLimited)
    return isinstance(err, transient) or (status(err) or 0) >= 500


def translate(
    err: geopy.exc.GeopyError, *, attempts: int, service: str = "Nominatim", secrets: Sequence[str] = ()
) -> GeocoderError:
    code = status(err)
    http = f"HTTP {code}, " if code else ""
    tries = f"{http}{attempts} attempt{'s' if attempts > 1 else ''}"
    if isinstance(err, geopy.exc.GeocoderRateLimited):
        return GeocoderRateLimited(f"{service} refused: too many requests ({tries})", retry_after=err.retry_after)
    if isinstance(err, geopy.exc.GeocoderTimedOut):
        return GeocoderTimeout(f"{service} timed out ({tries})")
    if isinstance(err, geopy.exc.GeocoderParseError):
        return GeocoderUnavailable(f"{service} answered something that is not JSON ({tries})")
    detail = "" if code else f": {err}"  # geopy's text for an HTTP error only repeats the status
    return GeocoderUnavailable(redacted(f"{service} failed{detail} ({tries})", secrets))


def redacted(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret (an API key that geopy put in a URL) masked."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
