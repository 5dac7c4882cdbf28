"""Folding place names to a lookup key: case, accents, dotless i, quotes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters NFKD does not decompose to ASCII but that writers swap freely.
_TRANSLATE = str.maketrans({
    "ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
})
_SPACES = re.compile(r"[\s\-_/]+")
_DROP = re.compile(r"[.'\"()\[\],]")


@lru_cache(maxsize=65_536)  # the same few thousand words and names are folded again and again per document
def fold(name: str) -> str:
    """The key a name is looked up by.

    "İzmir", "Izmir" and "izmir" fold alike; so do "St. Petersburg" and
    "St Petersburg", "Tal-Abyad" and "Tal Abyad".
    """
    s = name.translate(_TRANSLATE)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold()
    s = _DROP.sub("", s)
    s = _SPACES.sub(" ", s)
    return s.strip()
