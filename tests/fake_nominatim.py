"""A local Nominatim that speaks the real protocol, for tests.

It answers ``GET /search?format=json`` (what geopy asks for) the way
nominatim.openstreetmap.org does, honouring ``addressdetails``,
``extratags``, ``limit`` and ``countrycodes``, from a table of query ->
results that a test fills in. It can be told to misbehave: hang past the
client's timeout, answer slowly, drip its answer a byte at a time, stream a
huge body, answer 429 with Retry-After, 500, malformed JSON, JSON of another
service's shape, an empty list, or any body a test gives (``raw``). Every request is recorded (path, query parameters, User-Agent,
arrival time on the server's clock, time.monotonic unless a test gives its
fake clock) so a test asserts on what reached the wire, not on what our code
meant to send.

    with FakeNominatim() as server:
        server.add("Kobani", place("Kobani", 36.89, 38.35, country_code="sy"))
        server.queue(rate_limited(retry_after="2"), SERVER_ERROR)
        ...  # point the geocoder at server.url
        assert [r.params["q"] for r in server.requests] == [...]
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from geo.model import Candidate

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


@dataclass(frozen=True)
class Fault:
    """One way to misbehave. kind: hang, slow, drip, huge, 429, 500, garbage, foreign, empty or raw."""

    kind: str
    retry_after: str | None = None  # the Retry-After header of a 429, as sent
    seconds: float = 5.0  # how long a hang or a slow answer takes; a drip's pause between bytes
    body: bytes = b""  # what a raw answer sends
    status: int = 200  # with the status of a raw answer
    size: int = 0  # the bytes of a huge answer
    declared: bool = True  # a huge answer says its Content-Length (else it is sent chunked)


HANG = Fault("hang")
SERVER_ERROR = Fault("500")
GARBAGE = Fault("garbage")
FOREIGN = Fault("foreign")  # e.g. the URL points at Photon or Pelias
EMPTY = Fault("empty")


def rate_limited(retry_after: str | None = "1") -> Fault:
    return Fault("429", retry_after=retry_after)


def raw(body: bytes, status: int = 200) -> Fault:
    """Answer `body` as JSON with `status`, whatever it holds."""
    return Fault("raw", body=body, status=status)


def slow(seconds: float) -> Fault:
    """Answer normally, but only after `seconds`."""
    return Fault("slow", seconds=seconds)


def drip(seconds_per_byte: float) -> Fault:
    """Send the whole reply, status line and headers included, one byte every `seconds_per_byte`.

    Each byte comes well within any per-read timeout, so only a deadline for
    the whole reply ends it before its last byte.
    """
    return Fault("drip", seconds=seconds_per_byte)


def huge(size: int, *, declared: bool = True) -> Fault:
    """Answer a valid list of places `size` bytes long, streamed as it is made (never held whole)."""
    return Fault("huge", size=size, declared=declared)


@dataclass(frozen=True)
class Request:
    path: str
    params: dict[str, str]
    user_agent: str | None
    time: float  # the server's clock on arrival


_counter = iter(range(100_000, 10**9))


def place(
    name: str,
    lat: float,
    lon: float,
    *,
    country_code: str,
    cls: str = "place",
    type: str = "city",  # noqa: A002 - Nominatim's field name
    addresstype: str | None = None,
    importance: float = 0.5,
    osm_type: str = "relation",
    osm_id: int | None = None,
    display_name: str | None = None,
    address: dict[str, str] | None = None,
    extratags: dict[str, str] | None = None,
) -> dict:
    """One search result in Nominatim's format=json shape, with address and extratags."""
    number = next(_counter)
    country = address.get("country", country_code.upper()) if address else country_code.upper()
    return {
        "place_id": number,
        "licence": LICENCE,
        "osm_type": osm_type,
        "osm_id": osm_id if osm_id is not None else number,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": cls,
        "type": type,
        "place_rank": 16,
        "importance": importance,
        "addresstype": addresstype or type,
        "name": name,
        "display_name": display_name or f"{name}, {country}",
        "address": {**(address or {}), "country": country, "country_code": country_code.lower()},
        "extratags": extratags or {},
        "boundingbox": [f"{lat - 0.1:.7f}", f"{lat + 0.1:.7f}", f"{lon - 0.1:.7f}", f"{lon + 0.1:.7f}"],
    }


class StubGazetteer:
    """Stands in for geo.gazetteer (not the unit under test): name -> candidates."""

    def __init__(self, table: dict[str, tuple[Candidate, ...]]):
        self.table = table
        self.asked: list[str] = []

    def lookup(self, name: str) -> tuple[Candidate, ...]:
        self.asked.append(name)
        return self.table.get(name, ())


class FakeNominatim:
    """A threaded HTTP server on 127.0.0.1 at a free port; use as a context manager."""

    path = "/search"  # the one endpoint it serves

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.requests: list[Request] = []
        self.sent = 0  # body bytes a drip or a huge answer got out before it ended or the client hung up
        self._table: dict[str, list[dict]] = {}
        self._queued: deque[Fault] = deque()
        self._always: Fault | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        # A short poll keeps shutdown (and so each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeNominatim:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()  # releases hanging handlers
        self._server.shutdown()
        self._server.server_close()

    # --- scripting -------------------------------------------------------

    def add(self, query: str, *results: dict) -> None:
        """Answer `query` (matched case-insensitively, like Nominatim) with `results`."""
        self._table[_match_key(query)] = list(results)

    def queue(self, *faults: Fault) -> None:
        """Misbehave on the next requests, one fault each, then answer normally."""
        with self._lock:
            self._queued.extend(faults)

    def always(self, fault: Fault | None) -> None:
        """Misbehave on every request from now on (None: stop)."""
        self._always = fault

    # --- serving ---------------------------------------------------------

    def _record(self, request: Request) -> Fault | None:
        with self._lock:
            self.requests.append(request)
            return self._queued.popleft() if self._queued else self._always

    def _results(self, params: dict[str, str]) -> list[dict]:
        results = self._table.get(_match_key(params.get("q", "")), [])
        codes = {c for c in params.get("countrycodes", "").lower().split(",") if c}
        if codes:
            results = [r for r in results if r["address"]["country_code"] in codes]
        results = results[: int(params.get("limit", 10))]
        return [_shape(r, params) for r in results]


def _match_key(query: str) -> str:
    return " ".join(query.casefold().split())


def _flag(params: dict[str, str], name: str) -> bool:
    # Nominatim reads "1", "true" and geopy's "True" alike.
    return params.get(name, "0").lower() not in ("", "0", "false", "no")


def _shape(result: dict, params: dict[str, str]) -> dict:
    """Drop what the request did not ask for, as the real server does."""
    shaped = dict(result)
    if not _flag(params, "addressdetails"):
        shaped.pop("address", None)
    if not _flag(params, "extratags"):
        shaped.pop("extratags", None)
    return shaped


def _handler_for(fake: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlsplit(self.path)
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            request = Request(url.path, params, self.headers.get("User-Agent"), fake.clock())
            fault = fake._record(request)
            if url.path != fake.path:
                self._send(404, b'{"error": "not found"}')
            elif fault is None:
                self._answer(params)
            else:
                self._misbehave(fault, params)

        def _answer(self, params: dict[str, str]) -> None:
            self._send(200, json.dumps(fake._results(params)).encode())

        def _misbehave(self, fault: Fault, params: dict[str, str]) -> None:
            if fault.kind == "hang":
                fake._stop.wait(fault.seconds)  # then drop the connection unanswered
            elif fault.kind == "slow":
                fake._stop.wait(fault.seconds)
                self._answer(params)
            elif fault.kind == "429":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._send(429, b'{"error": "Too many requests"}', headers)
            elif fault.kind == "500":
                self._send(500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"})
            elif fault.kind == "garbage":
                self._send(200, b'[{"place_id": 1, "lat": "36.9"')
            elif fault.kind == "foreign":
                self._send(200, b'{"type": "FeatureCollection", "features": []}')
            elif fault.kind == "empty":
                self._send(200, b"[]")
            elif fault.kind == "raw":
                self._send(fault.status, fault.body)
            elif fault.kind == "drip":
                self._drip(fault.seconds)
            elif fault.kind == "huge":
                self._huge(fault.size, fault.declared)
            else:
                raise ValueError(f"unknown fault kind {fault.kind!r}")

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, pause: float) -> None:
            reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"
            self.close_connection = True
            for i in range(len(reply)):
                if not self._out(reply[i:i + 1]) or fake._stop.wait(pause):
                    return

        def _huge(self, size: int, declared: bool) -> None:
            item = json.dumps(place("Filler", 1.0, 2.0, country_code="tr")).encode()
            count = max(1, size // (len(item) + 1))
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            if declared:
                self.send_header("Content-Length", str(count * (len(item) + 1) + 1))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.close_connection = True
            frame = (lambda data: b"%x\r\n%s\r\n" % (len(data), data)) if not declared else (lambda data: data)
            block = 256
            for start in range(0, count, block):
                n = min(block, count - start)
                data = (b"[" if start == 0 else b",") + b",".join([item] * n)
                if start + n == count:
                    data += b"]"
                if not self._out(frame(data)) or fake._stop.is_set():
                    return
            if not declared:
                self._out(b"0\r\n\r\n")

        def _out(self, data: bytes) -> bool:
            """Send `data`; False once the client has hung up."""
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return False
            fake.sent += len(data)
            return True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep pytest output clean

    return Handler


class FakeClock:
    """A clock that only moves when slept on (every sleep is recorded); for the client and the server alike."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
