"""Reading documents from disk: bytes to text, with clear refusals.

Offsets everywhere in the product are offsets into the text exactly as
returned here, so nothing is cleaned or rewritten after decoding.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import InputError
from .model import Document

# A limit the user can raise: a longer text is refused with this number in the message.
DEFAULT_MAX_CHARS = 5_000_000

# Magic numbers of formats that are certainly not text.
_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x7fELF",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"Rar!", b"MZ", b"\x00\x00\x01\x00",
)


def max_chars() -> int:
    try:
        return int(os.environ.get("GEO_MAX_CHARS", DEFAULT_MAX_CHARS))
    except ValueError:
        return DEFAULT_MAX_CHARS


def decode(data: bytes, name: str = "input") -> tuple[str, str | None]:
    """Bytes to text; returns (text, notice) where notice says how a fallback was used.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such;
    anything else that is not valid UTF-8 is read as Windows-1252, which
    never fails, and the notice says so.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not valid {codec}") from err
    if any(data.startswith(m) for m in _BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), f"{name}: not valid UTF-8; read as Windows-1252"


def check_text(text: str, name: str = "input") -> str:
    """Refuse what cannot be analysed, with a message that says why."""
    if not text.strip():
        raise InputError(f"{name}: the text is empty")
    limit = max_chars()
    if len(text) > limit:
        raise InputError(
            f"{name}: the text has {len(text):,} characters, over the limit of {limit:,}; "
            "set GEO_MAX_CHARS to raise it"
        )
    return text


def read_document(path: Path) -> tuple[Document, str | None]:
    """A file to a Document (id = the file's stem) and an optional decoding notice."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from err
    text, notice = decode(data, str(path))
    return Document(id=Path(path).stem, text=check_text(text, str(path))), notice
