"""ISO dates at their precision, as the model keeps them: '2015', '2015-06', '2015-06-14', read and checked.

Below every stage, so the filters, the command line and a user's correction of a stop all read a date alike.
"""

from __future__ import annotations

import re
from datetime import date

from geo.errors import InputError

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_iso(value: str) -> tuple[int, int | None, int | None]:
    """'2015-06' -> (2015, 6, None); anything else is refused with the accepted forms."""
    m = _ISO.match(value.strip()) if isinstance(value, str) else None
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            date(year, month or 1, day or 1)
            return year, month, day
        except ValueError:
            pass
    raise InputError(f"{value!r} is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2015-06-14")
