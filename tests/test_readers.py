"""Reading the main text of HTML, Markdown, PDF and DOCX files, built here byte by byte."""

from __future__ import annotations

import io
import zipfile

import pytest

from geo.errors import InputError
from geo.text.readers import docx_text, html_text, markdown_text, pdf_text
from geo.text.documents import document_from_bytes, documents_from_files, read_document

NEWS_PAGE = """<!doctype html><html><head><title>The Daily Site</title>
<script>var tracking = "Moscow";</script><style>.x { color: red }</style></head>
<body>
<header class="site-header"><a href="/">Home</a> <a href="/world">World</a> <a href="/berlin">Berlin</a></header>
<nav><ul><li><a href="/a">Politics</a></li><li><a href="/b">Madrid news</a></li></ul></nav>
<div class="cookie-banner">We use cookies in London. <button>OK</button></div>
<main>
<article>
  <header><h1>Hayat went to Istanbul</h1></header>
  <p>Hayat Boumeddiene flew from Madrid to Istanbul on 2 January 2015 &amp; stayed two days.</p>
  <div class="share-tools"><a href="#">Share from Paris</a></div>
  <p>She then crossed into Syria.<br>No one saw her again.</p>
  <aside>Read more: <a href="/x">Rome story</a></aside>
  <ul class="related-links"><li><a href="/r1">Related: Vienna</a></li></ul>
</article>
</main>
<footer>© 2024 · <a href="/privacy">Privacy</a> · Oslo office</footer>
</body></html>"""


def test_html_keeps_the_article_and_drops_the_furniture():
    text = html_text(NEWS_PAGE)
    assert text == ("Hayat went to Istanbul\n\n"
                    "Hayat Boumeddiene flew from Madrid to Istanbul on 2 January 2015 & stayed two days.\n\n"
                    "She then crossed into Syria.\nNo one saw her again.")
    for furniture in ("Moscow", "Berlin", "London", "Paris", "Rome", "Vienna", "Oslo", "Politics", "Daily Site"):
        assert furniture not in text


def test_html_without_an_article_drops_menus_by_link_density():
    page = ("<body><ul><li><a href=1>Home</a></li><li><a href=2>Sports in Lyon</a></li></ul>"
            "<div><p>Ali flew from <a href=/p>Paris</a> to Istanbul in 2015.</p></div></body>")
    assert html_text(page) == "Ali flew from Paris to Istanbul in 2015."


def test_malformed_html_still_reads():
    assert html_text("<p>Unclosed <b>bold in Rome<p>Next</i> paragraph</div>") == "Unclosed bold in Rome\n\nNext paragraph"


def test_markdown_to_plain_text():
    md = "# Title\n\nAli flew from **Paris** to [Istanbul](http://example.org) in 2015.\n\n- one\n- two\n"
    assert markdown_text(md) == "Title\n\nAli flew from Paris to Istanbul in 2015.\n\none\n\ntwo"


def minimal_pdf(*lines: str, padding: int = 0) -> bytes:
    """A one-page PDF whose text layer holds `lines`, one per line, and `padding` bytes
    of something that is not text (an image, say)."""
    body = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    blob = "0" * padding
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *([f"<< /Length {len(blob)} >>\nstream\n{blob}\nendstream"] if padding else []),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_text_layer_with_lines_joined():
    text = pdf_text(minimal_pdf("Anna Schmidt flew from Munich", "to Lisbon in May 2019."), "trip.pdf")
    assert text == "Anna Schmidt flew from Munich to Lisbon in May 2019."


@pytest.mark.parametrize("data,message", [
    (b"%PDF-1.4\nnot really", "not a readable PDF"),
    (minimal_pdf(), "no text layer"),
])
def test_unreadable_pdfs_are_refused_with_the_reason(data, message):
    with pytest.raises(InputError, match=message):
        pdf_text(data, "scan.pdf")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx(*paragraphs: str) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W}'><w:body>{runs}</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        z.writestr("word/document.xml", document)
    return out.getvalue()


def test_docx_paragraphs():
    data = minimal_docx("Report", "Ali travelled from Ankara to Gaziantep in 2015.", "")
    assert docx_text(data, "r.docx") == "Report\n\nAli travelled from Ankara to Gaziantep in 2015."


def test_docx_tabs_and_breaks():
    document = (f"<w:document xmlns:w='{W}'><w:body><w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/>"
                "<w:t>C</w:t></w:r></w:p></w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", document)
    assert docx_text(out.getvalue(), "t.docx") == "A\tB\nC"


def test_a_zip_that_is_not_a_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable .docx"):
        docx_text(out.getvalue(), "x.docx")


@pytest.mark.parametrize("name,data,expected", [
    ("page.html", NEWS_PAGE.encode("utf-8"), "Hayat went to Istanbul"),
    ("notes.md", b"# Trip\n\nFrom *Ankara*.", "Trip\n\nFrom Ankara."),
    ("trip.pdf", minimal_pdf("From Ankara."), "From Ankara."),
    ("trip.docx", minimal_docx("From Ankara."), "From Ankara."),
    ("plain.txt", b"  From <b>Ankara</b>.  ", "  From <b>Ankara</b>.  "),  # plain text is kept exactly
])
def test_files_are_read_by_suffix(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    doc, notice = read_document(path)
    assert doc.text.startswith(expected) and doc.id == path.stem and notice is None


def test_several_files_get_unique_ids_and_a_bad_one_is_reported():
    files = [("report.txt", b"From Ankara."), ("report.md", b"To Rome."), ("bad.pdf", b"%PDF-junk"),
             ("empty.html", b"<nav>menu</nav>")]
    docs, notices, errors = documents_from_files(files)
    assert [d.id for d in docs] == ["report", "report-2"]
    assert notices == [] and len(errors) == 2
    assert "bad.pdf" in errors[0] and "empty.html: the text is empty" in errors[1]


def test_uploaded_bytes_become_a_document():
    doc, _ = document_from_bytes("Hayat went to Şanlıurfa.".encode("utf-8"), "up.txt")
    assert doc.id == "up" and doc.text == "Hayat went to Şanlıurfa."
