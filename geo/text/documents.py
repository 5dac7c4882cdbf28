"""Reading documents: bytes to text, with clear refusals.

Plain text is decoded and kept exactly as it is; HTML, Markdown, PDF and
DOCX are reduced to their main text by ``geo.readers``, chosen by the file's
suffix. Offsets everywhere in the product are offsets into the text exactly
as returned here, so nothing is cleaned or rewritten after this.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable
from pathlib import Path

from geo.text import readers
from geo.errors import InputError
from geo.model import Document

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


def document_text(data: bytes, name: str) -> tuple[str, str | None]:
    """The text to analyse in a file's bytes, by its suffix, and an optional decoding notice."""
    suffix = Path(name).suffix.lower()
    if suffix in readers.BINARY_READERS:
        return readers.BINARY_READERS[suffix](data, name), None
    text, notice = decode(data, name)
    if suffix in readers.MARKUP_READERS:
        text = readers.MARKUP_READERS[suffix](text)
    return text, notice


def document_from_bytes(data: bytes, name: str) -> tuple[Document, str | None]:
    """A file's bytes to a Document (id = the file's stem) and an optional decoding notice."""
    text, notice = document_text(data, name)
    return Document(id=Path(name).stem, text=check_text(text, name)), notice


def documents_from_files(files: Iterable[tuple[str, bytes]]) -> tuple[list[Document], list[str], list[str]]:
    """Several files' (name, bytes) to (documents, notices, errors): a bad file is reported, the others read.

    Ids are the files' stems, made unique ("report", "report-2") so that every
    mention still says which document it came from.
    """
    documents, notices, errors = [], [], []
    taken: set[str] = set()
    for name, data in files:
        try:
            doc, notice = document_from_bytes(data, name)
        except InputError as err:
            errors.append(str(err))
            continue
        doc_id, n = doc.id, 1
        while doc_id in taken:
            n += 1
            doc_id = f"{doc.id}-{n}"
        taken.add(doc_id)
        documents.append(Document(doc_id, doc.text))
        if notice:
            notices.append(notice)
    return documents, notices, errors


def read_document(path: Path) -> tuple[Document, str | None]:
    """A file to a Document (id = the file's stem) and an optional decoding notice."""
    try:
        size = Path(path).stat().st_size
        # UTF-8 spends at most 4 bytes a character: a larger plain-text file is over
        # the limit before it is read, so a file of gigabytes never reaches memory.
        # (A PDF or a Word file holds far less text than its size.)
        plain = Path(path).suffix.lower() not in (*readers.BINARY_READERS, *readers.MARKUP_READERS)
        if plain and size > 4 * max_chars() + 4:
            raise InputError(
                f"{path}: the file has {size:,} bytes, more than the limit of {max_chars():,} characters "
                "can hold; set GEO_MAX_CHARS to raise it"
            )
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from err
    return document_from_bytes(data, str(path))
