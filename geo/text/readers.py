"""The main text of documents that are not plain text: HTML, Markdown, PDF, DOCX.

Each reader returns the text to analyse and nothing else: for a web page,
the article without its menus, banners, share buttons and footers. Offsets in
an analysis are offsets into this text.

- HTML: the standard library's parser, with two rules that hold on news
  pages: when the page marks its article (``<article>``, ``<main>``,
  ``role="main"``) only that is kept; page furniture (``nav``, ``aside``,
  ``footer``, forms, scripts, elements whose class or id says menu, share,
  cookie, related...) and blocks that are mostly links are dropped.
- Markdown: rendered by markdown-it-py, then read as HTML (every block kept).
- PDF: pypdf's text layer; a scan without one is refused with the reason.
- DOCX: the paragraphs of ``word/document.xml``, read with the standard library.
"""

from __future__ import annotations

from collections import Counter

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from geo.errors import InputError

# Elements whose content is never article text.
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "nav", "aside", "form", "button", "select", "textarea", "label", "head", "title", "menu", "dialog",
})
# Page furniture outside the article; inside it, <header> holds the headline.
_OUTER_FURNITURE_TAGS = frozenset({"header", "footer"})
_SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
                         "dialog", "alert"})
_MAIN_TAGS = frozenset({"article", "main"})
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure",
    "figcaption", "address", "hr", "body", "html",
})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col",
                        "embed", "param", "track"})
# A class or id token that starts or ends with one of these words marks furniture ("site-nav", "share-bar").
_FURNITURE_WORDS = (
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "share", "sharing", "social",
    "cookie", "cookies", "consent", "advert", "advertisement", "ad", "ads", "promo", "newsletter", "subscribe",
    "related", "recommended", "comments", "comment", "popup", "modal", "masthead", "toolbar", "skip", "footer",
    "tags", "byline-social", "paywall", "signup",
)
_FURNITURE = re.compile(rf"^(?:{'|'.join(_FURNITURE_WORDS)})(?:[-_].*)?$|^.*[-_](?:{'|'.join(_FURNITURE_WORDS)})$",
                        re.I)
MAX_LINK_SHARE = 0.6  # a block with more of its text in links than this is a menu or a list of links
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_DOCX_XML = 200_000_000  # bytes of document.xml, unpacked: past this a .docx is a zip bomb, not a report


@dataclass
class _Block:
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    main: bool = False

    @property
    def text(self) -> str:
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


class _MainText(HTMLParser):
    """Text blocks of a page, each knowing whether it is inside the article and how much of it is links."""

    def __init__(self, keep_everything: bool):
        super().__init__(convert_charrefs=True)
        self.keep_everything = keep_everything
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, in main)
        self.open: Counter = Counter()  # tag -> how many are on the stack: a stray end tag is found in O(1)
        self.blocks: list[_Block] = []
        self.block = _Block()
        self.links = 0

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_main(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _VOID_TAGS:
            if tag == "br":
                self.block.parts.append("\n")
            return
        attrs = dict(attrs)
        main = self.in_main or tag in _MAIN_TAGS or attrs.get("role") == "main"
        skipped = self.skipping or (not self.keep_everything and self._furniture(tag, attrs, main))
        self.stack.append((tag, skipped, main))
        self.open[tag] += 1
        if tag == "a":
            self.links += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self.open[tag]:
            return  # a stray end tag: ignore it, as browsers do
        while self.stack:
            top, _, _ = self.stack.pop()
            self.open[top] -= 1
            if top == "a":
                self.links -= 1
            if top == tag:
                break
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if self.skipping:
            return
        self.block.parts.append(data)
        self.block.main |= self.in_main
        if self.links:
            self.block.link_chars += len(data.strip())

    def close(self):
        super().close()
        self._flush()

    def _flush(self):
        if self.block.text:
            self.blocks.append(self.block)
        self.block = _Block()

    @staticmethod
    def _furniture(tag: str, attrs: dict, main: bool) -> bool:
        if tag in _SKIP_TAGS or (tag in _OUTER_FURNITURE_TAGS and not main):
            return True
        if attrs.get("role") in _SKIP_ROLES or attrs.get("aria-hidden") == "true" or "hidden" in attrs:
            return True
        tokens = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".split()
        return any(_FURNITURE.match(token) for token in tokens)


def html_text(html: str, *, keep_everything: bool = False) -> str:
    """The main text of an HTML page, one paragraph per block, separated by blank lines.

    ``keep_everything`` keeps every block (for HTML we wrote ourselves, from Markdown).
    """
    parser = _MainText(keep_everything)
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    if not keep_everything:
        if any(b.main for b in blocks):
            blocks = [b for b in blocks if b.main]
        blocks = [b for b in blocks if b.link_chars <= MAX_LINK_SHARE * len(b.text)]
    return "\n\n".join(b.text for b in blocks)


def markdown_text(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return html_text(MarkdownIt("commonmark").render(markdown), keep_everything=True)


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, page after page; lines within a paragraph joined."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(f"{name}: the PDF is encrypted; save an unprotected copy and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise InputError(f"{name}: not a readable PDF ({err})") from err
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(f"{name}: the PDF has no text layer (a scan?); run it through OCR first")
    # A line break inside a paragraph is layout, not a sentence boundary.
    return re.sub(r"(?<=\S)[ \t]*\n(?=[^\n])", " ", text)


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a Word document (body text, tables included), separated by blank lines."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML:
                raise InputError(f"{name}: the document is too large to read ({info.file_size:,} bytes unpacked)")
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as err:
        raise InputError(f"{name}: not a readable .docx ({err})") from err
    paragraphs = []
    for p in root.iter(f"{{{_WORD}}}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{{{_WORD}}}t":
                parts.append(node.text or "")
            elif node.tag == f"{{{_WORD}}}tab":
                parts.append("\t")
            elif node.tag in (f"{{{_WORD}}}br", f"{{{_WORD}}}cr"):
                parts.append("\n")
        text = "".join(parts).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# By file suffix: readers of text markup (given the decoded text), and of binary formats (given the bytes).
MARKUP_READERS: dict[str, Callable[[str], str]] = {
    ".html": html_text, ".htm": html_text, ".xhtml": html_text, ".md": markdown_text, ".markdown": markdown_text,
}
BINARY_READERS: dict[str, Callable[[bytes, str], str]] = {".pdf": pdf_text, ".docx": docx_text}
SUFFIXES = (".txt", *MARKUP_READERS, *BINARY_READERS)
