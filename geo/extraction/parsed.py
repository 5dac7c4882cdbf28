"""What the rules read off a parsed document once and keep with it, instead of asking spaCy again.

No spaCy import here: the rules' modules stay importable without the model's library.
"""

from __future__ import annotations

_TEXT = "geo.text"  # the key in ``Doc.user_data``, which travels with the document (pickled, DocBin)


def text_of(doc) -> str:
    """The text of a parsed document. spaCy's ``Doc.text`` joins every token again at each access, and the
    rules read it per name and per line break: it is joined once and kept with the document."""
    data = getattr(doc, "user_data", None)
    if data is None:  # a Span
        return doc.text
    text = data.get(_TEXT)
    if text is None:
        text = data[_TEXT] = doc.text
    return text
