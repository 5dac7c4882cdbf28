"""The text layer of a PDF, by pypdf. Run in a child process (``geo.text.isolation``).

pypdf bounds what one stream may inflate to; the character limit is checked
page by page, so a PDF holding far more text than the limit is refused
before it is all read; pages that share one content stream (and resources)
share its text, read once.
"""

from __future__ import annotations

import io
import re

from geo.errors import InputError
from geo.text.limits import max_chars, over_limit


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page; lines within a paragraph joined."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not _opens_without_password(reader):
        raise InputError("the PDF is encrypted; save an unprotected copy and try again")
    limit, total = max_chars(), 0
    pages: list[str] = []
    seen: dict[tuple, str] = {}
    for number, page in enumerate(reader.pages, 1):
        key = _page_key_of(page)
        text = seen.get(key) if key is not None else None
        if text is None:
            text = (page.extract_text() or "").strip()
            if key is not None:
                seen[key] = text
        if text:
            pages.append(text)
            total += len(text) + 2
            if total > limit:
                raise InputError(f"{over_limit(total)} (counted up to page {number} of {len(reader.pages)})")
    text = "\n\n".join(pages)
    if not text:
        raise InputError("the PDF has no text layer (a scan?); run it through OCR first")
    # A line break inside a paragraph is layout, not a sentence boundary.
    return re.sub(r"(?<=\S)[ \t]*\n(?=[^\n])", " ", text)


def _page_key_of(page) -> tuple | None:
    """(contents, resources, rotation) of a page whose contents and resources are indirect objects:
    two pages with the same key have the same text. None when either is written into the page itself."""
    refs = []
    for name in ("/Contents", "/Resources"):
        node, hops = page, 0
        while name not in node and name == "/Resources" and "/Parent" in node and hops < 64:
            node, hops = node["/Parent"], hops + 1  # resources may be inherited from the page tree
        value = node.raw_get(name) if name in node else None
        if not hasattr(value, "idnum"):
            return None
        refs.append((value.idnum, value.generation))
    return (*refs, page.get("/Rotate", 0))


def _opens_without_password(reader) -> bool:
    """Many PDFs are "encrypted" with an empty password only, to set permissions: those are read."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - a cipher pypdf cannot undo (or lacks a library for) is still encrypted
        return False
