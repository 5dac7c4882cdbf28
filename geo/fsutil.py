"""Files that several processes share: one lock, one atomic write, one natural sort, one digest of code."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: no serialisation between processes
    fcntl = None


@contextmanager
def exclusive(lock_path: Path, *, blocking: bool = True) -> Iterator[int | None]:
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the block; yields its descriptor.

    flock: released when its process dies, so a crash never leaves it held;
    each entry opens its own descriptor, so threads of one process exclude
    each other too. With ``blocking=False`` a lock held elsewhere raises
    BlockingIOError at once instead of waiting. A no-op (yielding None) where
    flock does not exist.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield None
        return
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        yield fd
    finally:
        os.close(fd)  # closing the descriptor lets the lock go


def natural_key(name: str) -> tuple:
    """'2' before '10': the numbers in a name compare as numbers ("doc2" < "doc10")."""
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in re.split(r"(\d+)", name) if x)


def _temp_beside(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``, opened for writing with mode 0666 less the umask (as open() makes files;
    mkstemp's 0600 would make every export private to its writer)."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temp file beside `path`, then rename: a reader never sees half a file,
    and a crash leaves the old file or the new one, never an empty one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tree_digest(root: Path, names: Iterable[str]) -> str:
    """A digest of the files ``names`` under ``root`` (a folder's code and data files, recursively), their paths
    and bytes: what keys a cache on the code that made it."""
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        for file in sorted(path.rglob("*") if path.is_dir() else [path]):
            if file.is_file() and file.suffix in (".py", ".csv", ".json", ".txt"):
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()
