"""Bytes to text: byte-order marks, UTF-8, a stated fallback, and what is not text at all."""

from __future__ import annotations

import codecs
import re
import unicodedata

from geo.errors import InputError

# Magic numbers of formats that are certainly not text.
_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x7fELF",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"Rar!", b"MZ", b"\x00\x00\x01\x00",
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Characters no text is made of: control codes (tab, line and page breaks aside), and the
# replacement character that bytes undefined in Windows-1252 decode to. In any real text
# they are a handful; in random bytes about one in ten.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
MAX_NOT_TEXT_SHARE = 0.01


def _share_not_text(text: str) -> float:
    return sum(1 for _ in _NOT_TEXT.finditer(text)) / max(len(text), 1)


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every unit decodes, and to letters, not control codes.

    Random bytes fail here: one 16-bit unit in 32 is half of a surrogate pair, almost never paired.
    """
    if len(data) < 16:  # too short to tell
        return False
    sample = data[: 65536 & ~1] if len(data) > 65536 else data[: len(data) & ~1]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = sum(1 for c in text if unicodedata.category(c)[0] in "LNPZ" or c in "\n\r\t")
        if _share_not_text(text) < MAX_NOT_TEXT_SHARE / 4 and letters >= 0.9 * len(text):
            return True
    return False


def _binary(data: bytes, name: str) -> InputError:
    if _looks_like_utf16(data):
        return InputError(f"{name}: looks like UTF-16 text without a byte-order mark, which cannot be told "
                          "from binary for sure; save it as UTF-8 (or as UTF-16 with a byte-order mark)")
    return InputError(f"{name}: looks like a binary file, not text")


def decode(data: bytes, name: str = "input") -> tuple[str, str | None]:
    """Bytes to text; returns (text, notice) where notice says how a fallback was used.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such;
    anything else that is not valid UTF-8 is read as Windows-1252, and the
    notice says so. Bytes that are no text in any encoding (a binary file
    renamed, UTF-16 without its BOM) are refused.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not valid {codec}") from err
    if any(data.startswith(m) for m in _BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise _binary(data, name)
    try:
        text, notice = data.decode("utf-8"), None
    except UnicodeDecodeError:
        text, notice = data.decode("cp1252", errors="replace"), f"{name}: not valid UTF-8; read as Windows-1252"
    if _share_not_text(text) > MAX_NOT_TEXT_SHARE:
        raise _binary(data, name)
    return text, notice
