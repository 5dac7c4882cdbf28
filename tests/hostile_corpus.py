"""A corpus of hostile files, and the builders of the files the tests read.

    python tests/hostile_corpus.py OUT_DIR        # writes every file of the corpus into OUT_DIR

Bombs (deflate in a .docx, Flate in a PDF), zip headers that lie, an
encrypted or deflate64 .docx, truncated and corrupt PDFs and DOCX, 2,000
pages sharing one content stream, quadratic HTML and Markdown, floods of
punctuation, binary that is not text, and a few good files to show that
they still come through. ``bench/hostile.py`` exports each one under
``/usr/bin/time`` and prints a table. Everything is built here, byte by byte,
from the standard library and python-docx: nothing is downloaded.
"""

from __future__ import annotations

import codecs
import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD_TEXT = "Anna Schmidt flew from Munich to Lisbon in May 2019. She then drove to Porto."

# --- PDF --------------------------------------------------------------------------------


def pdf_from_objects(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of these objects (numbered from 1), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def stream(body: bytes, flate: bool = False) -> bytes:
    data = zlib.compress(body, 9) if flate else body
    return (b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
            + data + b"\nendstream")


def text_ops(*lines: str) -> bytes:
    return ("BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET").encode("latin-1")


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_pages(n_pages: int, content: bytes, *, shared: bool = True, flate: bool = False) -> bytes:
    """A PDF of ``n_pages`` pages; ``shared``: every page draws the same content stream object."""
    # 1 catalog, 2 pages, 3 font, 4 resources, 5.. contents (one, or one per page), then the pages
    n_streams = 1 if shared else n_pages
    first_page = 5 + n_streams
    kids = " ".join(f"{first_page + i} 0 R" for i in range(n_pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode(), FONT, b"<< /Font << /F1 3 0 R >> >>"]
    objects += [stream(content, flate)] * n_streams
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 4 0 R "
                f"/Contents {5 + (0 if shared else i)} 0 R >>".encode() for i in range(n_pages)]
    return pdf_from_objects(objects)


def minimal_pdf(*lines: str, padding: int = 0) -> bytes:
    """A one-page PDF whose text layer holds ``lines``, one per line, and ``padding`` bytes
    of something that is not text (an image, say)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>", stream(text_ops(*lines)), FONT]
    if padding:
        objects.append(stream(b"0" * padding))
    return pdf_from_objects(objects)


def flate_bomb_pdf(megabytes: int = 1024) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of spaces (about 1 MB on disk)."""
    z = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(z.compress(block) for _ in range(megabytes)) + z.flush()
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                             b"/Resources << /Font << /F1 5 0 R >> >> >>", bomb, FONT])


# --- DOCX -------------------------------------------------------------------------------


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    """A real Word document (written by python-docx) with these paragraphs, and a table if given."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


minimal_docx = docx_bytes


def replace_part(package: bytes, name: str, chunks: Callable[[], Iterable[bytes]],
                 method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The package with part ``name`` written from ``chunks`` (streamed, so a bomb is cheap to make)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", method, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == name:
                new = zipfile.ZipInfo(name, date_time=info.date_time)
                new.compress_type = method
                with dst.open(new, "w", force_zip64=True) as part:
                    for chunk in chunks():
                        part.write(chunk)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def body_xml(paragraph: bytes, repeats: int, block: int = 10_000) -> Callable[[], Iterable[bytes]]:
    """document.xml made of ``paragraph`` repeated ``repeats`` times, yielded in blocks."""
    def chunks():
        yield f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W}'><w:body>".encode()
        left = repeats
        while left:
            n = min(block, left)
            yield paragraph * n
            left -= n
        yield b"</w:body></w:document>"
    return chunks


def _headers(data: bytes, name: str) -> list[int]:
    """Offsets of the local and central headers of member ``name``."""
    encoded = name.encode()
    found = []
    for signature, name_at in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            n = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            if data[at + name_at: at + name_at + n] == encoded:
                found.append(at)
            start = at + 4
    return found


def patch_member(data: bytes, name: str, *, method: int | None = None, flags: int | None = None,
                 size: int | None = None) -> bytes:
    """The zip with member ``name``'s compression method, flags or stated size changed in its headers."""
    out = bytearray(data)
    for at in _headers(data, name):
        central = out[at:at + 4] == b"PK\x01\x02"
        base = at + (2 if central else 0)  # the central header has one more field first
        if flags is not None:
            struct.pack_into("<H", out, base + 6, struct.unpack_from("<H", out, base + 6)[0] | flags)
        if method is not None:
            struct.pack_into("<H", out, base + 8, method)
        if size is not None:
            struct.pack_into("<I", out, base + 22, size)
    return bytes(out)


def corrupt_member(data: bytes, name: str) -> bytes:
    """The zip with the middle of member ``name``'s compressed stream overwritten."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    name_len, extra_len = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_len + extra_len
    middle = start + info.compress_size // 3
    out = bytearray(data)
    out[middle:middle + 16] = b"\xff\x00" * 8
    return bytes(out)


# --- the corpus -------------------------------------------------------------------------

NEWS_PAGE = (
    "<!doctype html><html><head><title>The Daily Site</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/berlin'>Berlin</a></nav><main><article>"
    f"<h1>A trip to Lisbon</h1><p>{GOOD_TEXT}</p></article></main><footer>Oslo office</footer></body></html>"
)


def _random_text_bytes(n: int, seed: int = 7) -> bytes:
    data = random.Random(seed).randbytes(n)
    return data.replace(b"\x00", b"\x01")  # no NUL byte: the cheap test for binary does not see it


def corpus() -> dict[str, bytes | Callable[[Path], None]]:
    """File name -> its bytes, or a function that writes it at a path (for a sparse file)."""
    good_docx = docx_bytes("Trip report", GOOD_TEXT)
    with zipfile.ZipFile(io.BytesIO(good_docx)) as z:
        body = z.read("word/document.xml")
    run = b"<w:p><w:r><w:t>Paris Lisbon Rome Berlin </w:t></w:r></w:p>"
    pdf_good = minimal_pdf("Anna Schmidt flew from Munich", "to Lisbon in May 2019.")
    heavy_page = b"BT /F1 9 Tf " + b" ".join(b"1 0 0 1 %d %d Tm (word%d) Tj" % (i % 500, i % 700, i) for i in range(12_000)) + b" ET"

    def sparse(size: int, head: bytes) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            with path.open("wb") as f:
                f.write(head)
                f.truncate(size)
        return write

    return {
        # good files: each must come through whatever else is on the command line
        "good_txt.txt": GOOD_TEXT.encode(),
        "good_html.html": NEWS_PAGE.encode(),
        "good_md.md": f"# A trip\n\n{GOOD_TEXT}\n".encode(),
        "good_pdf.pdf": pdf_good,
        "good_docx.docx": good_docx,
        # DOCX
        "docx_deflate64.docx": patch_member(good_docx, "word/document.xml", method=9),
        "docx_encrypted.docx": patch_member(good_docx, "word/document.xml", flags=0x1),
        "docx_corrupt_deflate.docx": corrupt_member(good_docx, "word/document.xml"),
        "docx_truncated.docx": good_docx[: len(good_docx) // 2],
        "docx_bomb.docx": replace_part(good_docx, "word/document.xml", body_xml(b"<w:p/>", 40_000_000)),
        "docx_text_bomb.docx": replace_part(good_docx, "word/document.xml", body_xml(run, 1_500_000)),
        "docx_lying_header.docx": patch_member(
            replace_part(good_docx, "word/document.xml", body_xml(b"<w:p/>", 40_000_000)), "word/document.xml",
            size=len(body)),
        "docx_not_a_zip.docx": b"PK\x03\x04" + _random_text_bytes(4000),
        "docx_billion_laughs.docx": replace_part(good_docx, "word/document.xml", lambda: [
            b"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'>"
            + b"".join(b"<!ENTITY %s '%s'>" % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
                       for i in range(9))
            + f"]><w:document xmlns:w='{W}'><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>".encode()]),
        # PDF
        "pdf_flate_bomb.pdf": flate_bomb_pdf(1024),
        "pdf_shared_stream_2000_pages.pdf": pdf_pages(2000, heavy_page, flate=True),
        "pdf_2000_small_pages.pdf": pdf_pages(2000, text_ops("Page text."), shared=False),
        "pdf_truncated.pdf": pdf_good[: len(pdf_good) // 2],
        "pdf_corrupt_xref.pdf": pdf_good.replace(b"xref", b"xre\xff"),
        "pdf_nested_arrays.pdf": pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 200_000
                                                   + b"]" * 200_000 + b" >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "pdf_page_tree_loop.pdf": pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                    b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        "pdf_garbage.pdf": b"%PDF-1.7\n" + _random_text_bytes(100_000),
        # HTML and Markdown
        "html_a_a_a.html": b"<a" * 100_000,
        "html_a_a_a_1m.html": b"<a" * 1_000_000,
        "html_deep.html": b"<div>" * 200_000 + GOOD_TEXT.encode() + b"</div>" * 200_000,
        "html_stray_end_tags.html": b"<b>" * 100_000 + b"Paris" + b"</i>" * 100_000,
        "html_comment_open.html": b"<!--" * 200_000 + b"<p>Paris</p>",
        "html_too_large.html": sparse(30_000_000, b"<p>Paris</p>"),
        "md_brackets.md": b"[" * 200_000 + b"Paris" + b"]" * 200_000,
        "md_emphasis.md": b"*a **a " * 50_000,
        "md_nested_quotes.md": b"> " * 50_000 + b"Paris",
        "md_backticks.md": b"`a``" * 100_000,
        # text
        "punct_flood_300k.txt": b"!?." * 100_000,
        "punct_flood_1m.txt": b"!?." * 350_000,
        "punct_spaced_300k.txt": b"! ? . " * 50_000,
        "tiny_words_300k.txt": b"a, " * 100_000,  # prose to the tokenizer, but a token every 1.5 characters
        "possessives_glued.txt": b"x's" * 100_000,
        "one_long_word.txt": b"a" * 1_000_000,
        "random_binary_no_nul.txt": _random_text_bytes(200_000),
        "utf16_chinese_no_bom.txt": ("巴黎是法国的首都。安娜从慕尼黑飞往里斯本。" * 2000).encode("utf-16-le"),
        "utf16_with_bom.txt": codecs.BOM_UTF16_LE + GOOD_TEXT.encode("utf-16-le"),
        "huge_403mb.txt": sparse(403_000_000, b"Paris is a city. "),
        "escape_\x1b]0;pwned\x07_\x1b[2J.txt": GOOD_TEXT.encode(),
    }


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in corpus().items():
        path = folder / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile_corpus.py OUT_DIR")
    for written in write_corpus(Path(sys.argv[1])):
        print(written.name.encode("unicode_escape").decode("ascii"), written.stat().st_size)
