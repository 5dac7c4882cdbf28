"""Reading documents: a file or its bytes to the text to analyse, with clear refusals.

The one reader of the product: ``geo export``, ``geo batch`` and the
dashboard's uploads all come through here. Plain text is decoded and kept
exactly as it is; HTML, Markdown, PDF and DOCX are reduced to their main text
by the reader of their suffix (``geo.text.readers``). Offsets everywhere in
the product are offsets into the text exactly as returned here, so nothing is
cleaned or rewritten after this.

Every failure to read a file, whatever a library raised, is an
``InputError`` of one line that names the file; a caller reading several
files reports it and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from geo import config
from geo.errors import InputError
from geo.model import Document
from geo.text.decoding import decode
from geo.text.isolation import read_isolated
from geo.text.limits import DEFAULT_MAX_CHARS, check_size, check_text, max_chars
from geo.text.readers import BINARY_READERS, MARKUP_READERS, MAX_BINARY_BYTES

__all__ = ["DEFAULT_MAX_CHARS", "check_text", "decode", "document_from_bytes", "document_text",
           "documents_from_files", "max_chars", "read_bytes", "read_document", "sample_documents", "text_of",
           "unique_ids"]

def _check_binary_size(size: int, name: str) -> None:
    if size > MAX_BINARY_BYTES:
        raise InputError(f"{name}: the file has {size:,} bytes, more than the {MAX_BINARY_BYTES >> 20:,} MB "
                         "a PDF or Word document is read up to")


def document_text(data: bytes, name: str) -> tuple[str, str | None]:
    """The text to analyse in a file's bytes, by its suffix, and an optional decoding notice."""
    suffix = Path(name).suffix.lower()
    if suffix in BINARY_READERS:
        _check_binary_size(len(data), name)
        return read_isolated(BINARY_READERS[suffix], data, name), None
    check_size(len(data), name)  # before decoding or parsing: no text under the limit is this large
    text, notice = decode(data, name)
    if suffix in MARKUP_READERS:
        text = read_isolated(MARKUP_READERS[suffix], text.encode("utf-8"), name)
    return text, notice


def text_of(data: bytes, name: str) -> tuple[str, str | None]:
    """(text, notice) of a file's bytes, refused if it cannot be analysed (empty, over the limit)."""
    text, notice = document_text(data, name)
    return check_text(text, name), notice


def document_from_bytes(data: bytes, name: str) -> tuple[Document, str | None]:
    """A file's bytes to a Document (id = the file's stem) and an optional decoding notice."""
    text, notice = text_of(data, name)
    return Document(id=Path(name).stem, text=text), notice


def unique_ids(stems: Sequence[str]) -> list[str]:
    """The stems made unique, in order: "report", "report-2", "report-3"...

    Compared without case, so that files named by them do not overwrite each
    other on a file system that ignores case either.
    """
    taken: set[str] = set()
    out = []
    for stem in stems:
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def documents_from_files(files: Iterable[tuple[str, bytes]]) -> tuple[list[Document], list[str], list[str]]:
    """Several files' (name, bytes) to (documents, notices, errors): a bad file is reported, the others read.

    Ids are the files' stems, made unique ("report", "report-2") so that every
    mention still says which document it came from.
    """
    documents, notices, errors = [], [], []
    for name, data in files:
        try:
            doc, notice = document_from_bytes(data, name)
        except InputError as err:
            errors.append(str(err))
            continue
        documents.append(doc)
        if notice:
            notices.append(notice)
    ids = unique_ids([d.id for d in documents])
    return [Document(i, d.text) for i, d in zip(ids, documents)], notices, errors


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """A file's bytes, refused from its size alone when no text under the limit could be that large."""
    name = str(path) if name is None else name
    try:
        size = Path(path).stat().st_size
        if Path(name).suffix.lower() in BINARY_READERS:
            _check_binary_size(size, name)
        else:
            check_size(size, name)  # a file of gigabytes never reaches memory
        return Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror or err})") from err


def read_document(path: Path, name: str | None = None) -> tuple[Document, str | None]:
    """A file to a Document (id = the file's stem) and an optional decoding notice.

    ``name`` is how messages call the file (its path by default).
    """
    name = str(path) if name is None else name
    return document_from_bytes(read_bytes(path, name), name)


def sample_documents() -> list[Document]:
    """The sample article, as the dashboard shows it first."""
    return [Document(config.SAMPLE_PATH.stem, config.SAMPLE_PATH.read_text(encoding="utf-8"))]
