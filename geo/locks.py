"""One lock between processes, for files that several dashboards or CLIs share."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no serialisation between processes
    fcntl = None


@contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the block.

    flock: released when its process dies, so a crash never leaves it held;
    each entry opens its own descriptor, so threads of one process exclude
    each other too. A no-op where flock does not exist.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor lets the lock go
