"""Reading the main text of HTML, Markdown, PDF and DOCX files, built here byte by byte
(tests/hostile_corpus.py), by the one reader that export, batch and the dashboard share."""

from __future__ import annotations

import io
import zipfile

import pytest
from hostile_corpus import docx_bytes, minimal_docx, minimal_pdf

from geo.errors import InputError
from geo.text.documents import document_from_bytes, document_text, documents_from_files, read_document
from geo.text.markup import html_text, markdown_text
from geo.text.pdf import pdf_text
from geo.text.word import docx_text

__all__ = ["NEWS_PAGE", "minimal_docx", "minimal_pdf"]  # builders other test modules take from here

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


def test_pdf_text_layer_with_lines_joined():
    text = pdf_text(minimal_pdf("Anna Schmidt flew from Munich", "to Lisbon in May 2019."))
    assert text == "Anna Schmidt flew from Munich to Lisbon in May 2019."


@pytest.mark.parametrize("data,message", [
    (b"%PDF-1.4\nnot really", "not a readable PDF"),
    (minimal_pdf(), "no text layer"),
])
def test_unreadable_pdfs_are_refused_with_the_reason(data, message):
    with pytest.raises(InputError, match=f"scan.pdf: .*{message}"):
        document_text(data, "scan.pdf")  # in its child process, as every PDF is read


def test_docx_paragraphs():
    data = docx_bytes("Report", "Ali travelled from Ankara to Gaziantep in 2015.", "")
    assert docx_text(data) == "Report\n\nAli travelled from Ankara to Gaziantep in 2015."


def test_docx_tables_are_read_cell_by_cell_in_order():
    data = docx_bytes("Before", table=[["Paris", "Rome"], ["Lyon", ""]])
    assert docx_text(data) == "Before\n\nParis\n\nRome\n\nLyon"


def test_docx_tabs_breaks_and_content_controls():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (f"<w:document xmlns:w='{w}'><w:body><w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/>"
            "<w:t>C</w:t></w:r></w:p><w:sdt><w:sdtContent><w:p><w:r><w:t>In a control</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt></w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes("x"))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, body if info.filename == "word/document.xml" else src.read(info))
    assert docx_text(out.getvalue()) == "A\tB\nC\n\nIn a control"


def test_a_zip_that_is_not_a_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable .docx"):
        docx_text(out.getvalue())
    with pytest.raises(InputError, match="x.docx: not a readable .docx"):
        document_text(out.getvalue(), "x.docx")


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
