"""HTTP for the online geocoders: a deadline for the whole reply, and a cap on its size.

geopy's RequestsAdapter passes its timeout to requests, where it bounds each
read from the socket, not the reply: a server that sends a byte every
second holds a name for as long as it likes. And it reads the whole body
into memory, however large. `BoundedAdapter` (geopy's adapter, with
requests and urllib3 underneath as before) gives each request `timeout`
seconds in all, from the first byte of the answer's status line to the
last of its body: a watchdog shuts the socket at the deadline, which ends
any read in progress. The body is read in pieces and given up past
`MAX_ANSWER_BYTES`. Either way the request fails with one of geopy's
errors, which the geocoder retries or translates like any other.

The watchdog learns the socket from urllib3's connection when it starts
reading the response (`_Watched.getresponse`), which a new connection, a
kept-alive one and one through an HTTP proxy all pass through; a SOCKS
proxy keeps urllib3's own connections, and so only the per-read timeout.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import geopy.exc
import requests
import urllib3
from geopy.adapters import AdapterHTTPError, RequestsAdapter, RequestsHTTPWithSSLContextAdapter
from requests.adapters import HTTPAdapter
from requests.utils import guess_json_utf

MAX_ANSWER_BYTES = 5 * 2**20  # five results take a few kB; twenty with all their tags, well under 1 MB
CHUNK_BYTES = 64 * 1024


class BoundedAdapter(RequestsAdapter):
    """geopy's RequestsAdapter with a deadline per request and a size cap per answer.

    It never retries on its own (urllib3's retries would run on the real
    clock and past the throttle): every retry is the geocoder's.
    """

    def __init__(self, *, proxies: Any, ssl_context: ssl.SSLContext | None, max_bytes: int = MAX_ANSWER_BYTES):
        # geopy makes this default context itself; made here, it is shared with the adapter mounted below.
        ssl_context = ssl_context if ssl_context is not None else ssl.create_default_context()
        super().__init__(proxies=proxies, ssl_context=ssl_context, max_retries=0)
        self.max_bytes = max_bytes
        self.session.mount("http://", _WatchedHTTPAdapter(max_retries=0))
        self.session.mount("https://", _WatchedHTTPSAdapter(ssl_context=ssl_context, max_retries=0))

    def get_text(self, url: str, *, timeout: float, headers: dict) -> str:
        body, encoding = self._fetch(url, timeout=timeout, headers=headers)
        return _decoded(body, encoding)

    def get_json(self, url: str, *, timeout: float, headers: dict) -> Any:
        body, encoding = self._fetch(url, timeout=timeout, headers=headers)
        try:
            return json.loads(_decoded(body, encoding or guess_json_utf(body)))
        except ValueError as err:
            raise geopy.exc.GeocoderParseError(f"Could not deserialize the answer as JSON: {err}") from err

    def _fetch(self, url: str, *, timeout: float, headers: dict) -> tuple[bytes, str | None]:
        """(body, its encoding) of a 2xx answer; one of geopy's errors otherwise, as its own adapter raises."""
        with _deadline(timeout) as deadline:
            try:
                with self.session.get(url, timeout=timeout, headers=headers, stream=True) as resp:
                    body = _read_capped(resp, self.max_bytes)
            except _TooLarge as err:
                raise geopy.exc.GeocoderUnavailable(str(err)) from None
            except Exception as err:  # noqa: BLE001 - every failure of the request becomes one of geopy's
                raise _geopy_error(err, timed_out=deadline.expired, timeout=timeout) from err
        if resp.status_code >= 400:
            raise AdapterHTTPError(f"Non-successful status code {resp.status_code}", status_code=resp.status_code,
                                   headers=resp.headers, text=_decoded(body, resp.encoding))
        return body, resp.encoding


class _TooLarge(Exception):
    pass


def _read_capped(resp: requests.Response, limit: int) -> bytes:
    """The whole body, read a piece at a time; _TooLarge once it (or its declared length) is past `limit`."""
    too_large = _TooLarge(f"its answer is larger than {limit / 2**20:g} MB, far more than a few places take")
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    pieces, size = [], 0
    for piece in resp.iter_content(CHUNK_BYTES):  # decompressed: the cap is on what is held
        size += len(piece)
        if size > limit:
            raise too_large
        pieces.append(piece)
    return b"".join(pieces)


def _decoded(body: bytes, encoding: str | None) -> str:
    try:
        return body.decode(encoding or "utf-8", errors="replace")
    except LookupError:  # a charset no codec knows
        return body.decode("utf-8", errors="replace")


def _geopy_error(err: Exception, *, timed_out: bool, timeout: float) -> geopy.exc.GeopyError:
    """What geopy's own adapter raises for a failed request; a timeout when the deadline ended it."""
    if timed_out or isinstance(err, (requests.Timeout, socket.timeout)):
        return geopy.exc.GeocoderTimedOut(f"Service did not answer within {timeout:g} s")
    if isinstance(err, requests.ConnectionError):
        if "unauthorized" in str(err).lower():
            return geopy.exc.GeocoderServiceError(str(err))
        return geopy.exc.GeocoderUnavailable(str(err))
    return geopy.exc.GeocoderServiceError(str(err))


# --- the watchdog --------------------------------------------------------------------


class _Deadline:
    """Shuts every socket it watches once `seconds` have passed; `expired` says whether it has."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, under TLS too: a read blocked in another thread returns at once.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


_current: ContextVar[_Deadline | None] = ContextVar("geocoder request deadline", default=None)


@contextmanager
def _deadline(seconds: float) -> Iterator[_Deadline]:
    deadline = _Deadline(seconds)
    token = _current.set(deadline)
    deadline._timer.start()
    try:
        yield deadline
    finally:
        deadline._timer.cancel()
        _current.reset(token)


class _Watched:
    """A urllib3 connection that hands its socket to the request's deadline before reading the answer."""

    sock: socket.socket | None

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        deadline = _current.get()
        if deadline is not None:
            deadline.watch(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedPools:
    """A requests adapter whose pools (direct, or through an HTTP proxy) make watched connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[misc]
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS  # type: ignore[attr-defined]

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)  # type: ignore[misc]
        if isinstance(manager, urllib3.ProxyManager):  # not SOCKS, whose pools are its own
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


class _WatchedHTTPAdapter(_WatchedPools, HTTPAdapter):
    pass


class _WatchedHTTPSAdapter(_WatchedPools, RequestsHTTPWithSSLContextAdapter):
    pass
