"""One request a second per service: across the threads of a process, and across processes.

Nominatim's usage policy (and fair use of a public Photon) binds the
client, not one object. `process_limiter` gives every geocoder of a service
in this process the same geopy RateLimiter; `FileThrottle` makes processes
on one machine (the dashboard and a CLI run) take turns through a locked
file per service beside the cache.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter

from geo.geocoding import notices

try:  # POSIX: the throttle file is locked with flock; elsewhere the throttle is per process
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy, and fair use elsewhere: one request per second per service
THROTTLE_FILE = "nominatim.throttle"  # beside the cache: the time of the last request, for every process
THROTTLE_FILES = {"nominatim": THROTTLE_FILE, "photon": "photon.throttle", "pelias": "pelias.throttle"}

_limiters: dict[tuple[str, Callable[[], float]], RateLimiter] = {}
_limiters_lock = threading.Lock()


def process_limiter(service: str, clock: Callable[[], float], sleep: Callable[[float], None]) -> RateLimiter:
    """The RateLimiter shared by every geocoder of `service` ("nominatim"...) that runs on `clock`.

    The gap between two requests must hold across instances and threads, so
    the limiter (its lock and last-request time) lives here rather than in
    an instance. There is one per service and clock (sleeping with the sleep
    it first came with) because services pace independently and times from
    different clocks cannot be compared; outside tests every geocoder runs on
    time.monotonic, so the process has one per service.
    This is the only pacing: retries wait in the geocoder, then pass through
    here, which waits only for what is left of the second, so the two never add up.
    """
    with _limiters_lock:
        if (service, clock) not in _limiters:
            _limiters[service, clock] = _ClockedRateLimiter(clock, sleep)
        return _limiters[service, clock]


class _ClockedRateLimiter(RateLimiter):
    """geopy's RateLimiter on a given clock and sleep; errors pass through (the geocoder retries)."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]):
        super().__init__(_call, min_delay_seconds=MIN_DELAY_SECONDS, max_retries=0, swallow_exceptions=False)
        self._clock_fn = clock
        self._sleep_fn = sleep

    def _clock(self) -> float:
        return self._clock_fn()

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)


def _call(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


class FileThrottle:
    """One request a second across processes: the time of the last one, in a locked file.

    The dashboard and a CLI run (or two CLI runs) on one machine share a
    Nominatim usage policy, not a process. Each request first takes an
    exclusive `flock` on `path`, waits until `min_delay` after the time
    written there, writes the current time, and lets go. The lock dies with
    its process, so a crash never leaves it held. Times are wall-clock (the
    only clock that processes share); a clock set back never makes a request
    wait more than `min_delay`. Where `flock` does not exist (Windows), or the
    file cannot be opened, the throttle is per process only, and the user is told.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        min_delay: float = MIN_DELAY_SECONDS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.path = Path(path)
        self.min_delay = min_delay
        self._clock = clock
        self._sleep = sleep

    def wait(self) -> None:
        if fcntl is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            notices.tell(f"cannot use the throttle file {self.path} ({err.strerror or err}); "
                         "requests are paced in this process only")
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                last = float(os.pread(fd, 64, 0).decode("ascii").strip() or "0")
            except ValueError:  # a torn or foreign file: as if no request was ever made
                last = 0.0
            wait = last + self.min_delay - self._clock()
            if wait > 0 and math.isfinite(wait):
                self._sleep(min(wait, self.min_delay))
            stamp = f"{self._clock():.6f}\n".encode("ascii")
            os.pwrite(fd, stamp.ljust(32), 0)  # fixed width: never a tail of a longer old stamp
        finally:
            os.close(fd)  # and with it the lock
