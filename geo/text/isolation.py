"""Reading a document that is not plain text in a child process, bounded in memory, CPU and time.

A hostile file can make a parser take gigabytes or hours (a Flate bomb, a
zip bomb whose headers lie, thousands of pages drawing one huge content
stream, a web page of 200,000 links in one paragraph). The child sets its own rlimits (address space, CPU seconds) before
it reads a byte; the parent kills it at a deadline. Whatever happens in it
(a refusal, a library's exception, memory or time running out, a crash),
the parent gets text or one line saying why, as an ``InputError`` naming
the file; nothing the reader does can stop the other files or the server.

    python -m geo.text.isolation KIND MEMORY_MB SECONDS   < file > b"T" + text, or b"E" + reason
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from geo.errors import InputError
from geo.text.limits import one_line, reader_memory_mb, reader_seconds

# Kind -> "module:function" of a reader of bytes, run in the child.
READERS = {"pdf": "geo.text.pdf:pdf_text", "docx": "geo.text.word:docx_text",
           "html": "geo.text.markup:html_of", "markdown": "geo.text.markup:markdown_of"}
LABELS = {"pdf": "PDF", "docx": ".docx", "html": "HTML", "markdown": "Markdown"}
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds geo/
_GRACE = 5  # seconds past the CPU limit before the kernel kills outright


def read_isolated(kind: str, data: bytes, name: str) -> str:
    """The text of ``data`` by the reader of ``kind``, read in a child process."""
    memory, seconds = reader_memory_mb(), reader_seconds()
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": _PACKAGE_ROOT + (os.pathsep + path if path else "")}
    try:
        run = subprocess.run([sys.executable, "-m", "geo.text.isolation", kind, str(memory), str(seconds)],
                             input=data, capture_output=True, timeout=seconds, env=env, check=False)
    except subprocess.TimeoutExpired as err:
        raise InputError(f"{name}: reading it took longer than {seconds} s, and was stopped; "
                         "set GEO_READER_SECONDS to allow more") from err
    except OSError as err:
        raise InputError(f"{name}: no reader could be started ({err.strerror or err})") from err
    status, payload = run.stdout[:1], run.stdout[1:]
    if run.returncode == 0 and status == b"T":
        return payload.decode("utf-8")
    if run.returncode == 0 and status == b"E":
        raise InputError(f"{name}: {payload.decode('utf-8', 'replace')}")
    if run.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise InputError(f"{name}: reading it took more than {seconds} s of CPU, and was stopped; "
                         "set GEO_READER_SECONDS to allow more")
    raise InputError(f"{name}: the {LABELS[kind]} reader failed on it ("
                     + (f"signal {-run.returncode}" if run.returncode < 0 else f"exit status {run.returncode}")
                     + f"{': ' + one_line(run.stderr.decode('utf-8', 'replace')[-300:]) if run.stderr else ''})")


def _limit(memory_mb: int, seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + _GRACE))


def _peak_mb() -> float:
    """The most address space this process has held, in MB (what RLIMIT_AS limits)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_here(kind: str, data: bytes, memory_mb: int | None = None) -> str:
    """The reader of ``kind`` on ``data`` in this process: its text, or an InputError with the reason
    (whatever the library raised). The child runs this; a test can too."""
    try:
        module, function = READERS[kind].split(":")
        return getattr(importlib.import_module(module), function)(data)
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - a library's error on a hostile file is a refusal of that file
        # Out of memory, libxml2 says "unknown error", not MemoryError; a failed allocation that doubles
        # a buffer leaves the peak over half the limit.
        out_of_memory = isinstance(err, MemoryError) or (memory_mb and _peak_mb() > memory_mb / 2)
        if not out_of_memory:
            if isinstance(err, RecursionError):
                raise InputError(f"not a readable {LABELS[kind]} (its structure is nested too deeply)") from err
            raise InputError(f"not a readable {LABELS[kind]} ({type(err).__name__}: {err})") from err
        allowed = f"{memory_mb:,} MB" if memory_mb else "the memory it may use"
        raise InputError(f"reading it needs more than {allowed} of memory, and was stopped; "
                         "set GEO_READER_MEMORY_MB to allow more") from err


def _child(kind: str, memory_mb: int, seconds: int) -> bytes:
    _limit(memory_mb, seconds)
    try:
        text = read_here(kind, sys.stdin.buffer.read(), memory_mb)
    except InputError as err:
        return b"E" + one_line(str(err)).encode("utf-8", "replace")
    return b"T" + text.encode("utf-8", "replace")  # a lone surrogate from the file becomes "?"


if __name__ == "__main__":
    kind_arg, memory_arg, seconds_arg = sys.argv[1:4]
    sys.stdout.buffer.write(_child(kind_arg, int(memory_arg), int(seconds_arg)))
    sys.stdout.buffer.flush()
