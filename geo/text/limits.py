"""How much a document may hold, and how much reading it may cost.

The character limit is the user's (``GEO_MAX_CHARS``); it is checked before
anything is parsed: from a file's size where its size bounds its text (plain
text, HTML, Markdown), and while the text is being taken out where it does not
(PDF, DOCX). The limits on a reader's memory, CPU and wall-clock time bound
what a hostile file can cost: a reader past them is stopped, and the file is
refused with the reason.
"""

from __future__ import annotations

import os

from geo.errors import InputError

# A limit the user can raise: a longer text is refused with this number in the message.
DEFAULT_MAX_CHARS = 5_000_000
# UTF-8 spends at most 4 bytes a character: a larger text file is over the character
# limit before it is read. Markup is held to the same size: its text is never longer
# than its markup.
BYTES_PER_CHAR = 4
# What a reader of PDF or DOCX, in its own process, may use before it is stopped.
DEFAULT_READER_MEMORY_MB = 1024
DEFAULT_READER_SECONDS = 30


def _int_setting(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_chars() -> int:
    return _int_setting("GEO_MAX_CHARS", DEFAULT_MAX_CHARS)


def max_bytes() -> int:
    """The largest file whose text can be under the character limit (text, HTML, Markdown)."""
    return BYTES_PER_CHAR * max_chars() + 4  # + a byte-order mark


def reader_memory_mb() -> int:
    return _int_setting("GEO_READER_MEMORY_MB", DEFAULT_READER_MEMORY_MB)


def reader_seconds() -> int:
    return _int_setting("GEO_READER_SECONDS", DEFAULT_READER_SECONDS)


def over_limit(chars: int) -> str:
    """The reason a text of ``chars`` characters is refused."""
    return (f"the text has {chars:,} characters, over the limit of {max_chars():,}; "
            "set GEO_MAX_CHARS to raise it")


def check_size(size: int, name: str) -> None:
    """Refuse a text or markup file too large to hold a text under the limit, before it is read."""
    if size > max_bytes():
        raise InputError(
            f"{name}: the file has {size:,} bytes, more than the limit of {max_chars():,} characters "
            "can hold; set GEO_MAX_CHARS to raise it"
        )


def check_text(text: str, name: str = "input") -> str:
    """Refuse what cannot be analysed, with a message that says why."""
    if not text.strip():
        raise InputError(f"{name}: the text is empty")
    if len(text) > max_chars():
        raise InputError(f"{name}: {over_limit(len(text))}")
    return text


def one_line(message: str, limit: int = 300) -> str:
    """A library's message as one line of at most ``limit`` characters."""
    line = " ".join(str(message).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
