"""The text of a Word document (.docx), by python-docx. Run in a child process (``geo.text.isolation``).

python-docx inflates and parses every part of the package, and trusts the
zip's headers; the limits are ours, checked first, in one pass that inflates
each part in pieces and counts the bytes that actually come out (a header may
under-state them), refuses encryption and compression methods the zip
module cannot undo (deflate64) with the reason, finds a corrupt stream, and
counts the characters of the body's text without building its tree.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from geo.errors import InputError
from geo.text.limits import max_chars, over_limit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PART_BYTES = 100_000_000  # one part, unpacked: past this a .docx is a zip bomb, not a report
MAX_TOTAL_BYTES = 300_000_000  # all parts, unpacked (images included)
MAX_PARTS = 10_000
_CHUNK = 1 << 20
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_METHOD_NAMES = {9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstandard", 98: "ppmd", 99: "AES encryption"}


# The text of a run (<w:t>...</w:t>), as Word writes it; counted on the raw bytes, in C, without a
# tree: an early refusal of a body far over the limit. (A body written otherwise is still bounded:
# python-docx reads it in a process with a memory limit, and its text is measured after.)
_RUN_TEXT = re.compile(rb"<w:t(?:\s[^<>]*)?>([^<]*)")


def _count_text(data: bytes) -> int:
    return sum(len(m.group(1).decode("utf-8", "replace")) for m in _RUN_TEXT.finditer(data))


def check_package(data: bytes) -> None:
    """Refuse, with the reason, a .docx that python-docx must not be given."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        raise InputError(f"not a readable .docx (not a zip archive: {err})") from err
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise InputError(f"not a readable .docx ({len(infos):,} parts in the archive)")
        if "word/document.xml" not in archive.NameToInfo:
            raise InputError("not a readable .docx (no word/document.xml in the archive)")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise InputError("the document is encrypted (password-protected); save an unprotected copy")
            if info.compress_type not in _METHODS:
                method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
                raise InputError(f"the archive is compressed with {method}, which cannot be read; "
                                 "open it in Word and save it again")
            body = info.filename == "word/document.xml"
            size = chars = 0
            tail = b""
            try:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                            limit = MAX_PART_BYTES if size > MAX_PART_BYTES else MAX_TOTAL_BYTES
                            raise InputError(f"the document is too large to read: it unpacks to more than "
                                             f"{limit:,} bytes ({info.filename}; a zip bomb?)")
                        if body:
                            data = tail + chunk
                            cut = data.rfind(b"<")  # a run may go on in the next chunk: count it there
                            chars += _count_text(data[:cut] if cut > 0 else data)
                            tail = data[cut:] if cut > 0 else b""
                            if chars > max_chars():
                                raise InputError(over_limit(chars) + " (counted before reading it whole)")
            except InputError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as err:
                raise InputError(f"not a readable .docx ({info.filename} is damaged: {err})") from err


def _block_text(element, parent, out: list[str]) -> None:
    """Paragraphs and tables in reading order, into ``out``; content controls (w:sdt) opened."""
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{{{W}}}p":
            text = Paragraph(child, parent).text.strip()
            if text:
                out.append(text)
        elif tag == f"{{{W}}}tbl":  # each cell once, as the XML holds it (a merged cell is one w:tc)
            for row in child.iterchildren(f"{{{W}}}tr"):
                for cell in row.iterchildren(f"{{{W}}}tc"):
                    _block_text(cell, parent, out)
        elif tag == f"{{{W}}}sdt":
            content = child.find(f"{{{W}}}sdtContent")
            if content is not None:
                _block_text(content, parent, out)


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document (body text, tables included), separated by blank lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as err:
        raise InputError(f"not a readable .docx ({err})") from err
    out: list[str] = []
    _block_text(document.element.body, document, out)
    return "\n\n".join(out)
