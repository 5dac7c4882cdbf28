"""Which reader takes which file, by its suffix; the one place a new format is added.

- text (``.txt`` and anything else): decoded and kept exactly as it is;
- markup (``.html``, ``.md``...): decoded (so that its encoding is read as a text's is), then reduced to its
  text by ``geo.text.markup``;
- binary (``.pdf``, ``.docx``): the bytes, to ``geo.text.pdf`` or ``geo.text.word``.

Markup and binary readers run in a child process (``geo.text.isolation``): the value is the kind of
reader it runs.
"""

from __future__ import annotations

MARKUP_READERS: dict[str, str] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown",
}
BINARY_READERS: dict[str, str] = {".pdf": "pdf", ".docx": "docx"}
SUFFIXES = (".txt", *MARKUP_READERS, *BINARY_READERS)
# A PDF or a Word file holds far less text than its size; past this it is not a document to analyse.
MAX_BINARY_BYTES = 256 * 1024 * 1024
