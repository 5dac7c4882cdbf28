"""ISO 3166-2 codes of first-level subdivisions, as addresses write them after a town ("London, ON",
"Houston TX USA", "Perth WA"): read from pycountry, by code.

A code alone is no place ("ON", "OR", "IN" are words); it only says which area a place named just before it
is in, so the recogniser and the resolver use it as a qualifier, never as a name of its own.
"""

from __future__ import annotations

import functools
import re

_CODE = re.compile(r"[A-Z]{2,3}")


@functools.lru_cache(maxsize=1)
def subdivision_codes() -> dict[str, tuple[tuple[str, str], ...]]:
    """Code ("ON") -> the (country, subdivision name) pairs it stands for: (("CA", "Ontario"),)."""
    import pycountry

    out: dict[str, list[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # first-level areas only
        code = sub.code.split("-", 1)[1]
        if _CODE.fullmatch(code):
            out.setdefault(code, []).append((sub.country_code, sub.name))
    return {code: tuple(pairs) for code, pairs in out.items()}


def is_subdivision_code(word: str) -> bool:
    """A word written as an ISO 3166-2 first-level code ("ON", "TX", "NSW"), in capitals."""
    return bool(_CODE.fullmatch(word)) and word in subdivision_codes()
