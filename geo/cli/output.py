"""What the command line prints: one line per message, never a control code from a file name.

A file name may hold anything but "/" and NUL: escape codes that retitle or clear the terminal,
a newline that forges a second message, right-to-left overrides that reverse what is read.
Every line goes out through ``say``, with such characters shown as escapes (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import re
import sys

# C0 and C1 control codes, DEL, and the bidirectional controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character as its escape; what is left fits on one line."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def say(line: str, *, end: str = "\n", flush: bool = False) -> None:
    """One line on stderr, made printable (surrogates from undecodable file names as escapes too)."""
    text = printable(line).encode("utf-8", "backslashreplace").decode("utf-8")
    print(text, end=end, file=sys.stderr, flush=flush)


def read_files(paths) -> tuple[list, int]:
    """Each path read as a Document through the one reader: ([(path, document)], how many failed).
    A file that cannot be read is one line naming it; the others are still read."""
    from pathlib import Path

    from geo.errors import GeoError
    from geo.text.documents import read_document

    documents, failed = [], 0
    for path in paths:
        try:
            doc, notice = read_document(Path(path))
        except GeoError as err:
            say(f"error: {err}")
            failed += 1
            continue
        if notice:
            say(f"note: {notice}")
        documents.append((Path(path), doc))
    return documents, failed
