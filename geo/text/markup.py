"""The text of HTML and Markdown.

- HTML: the article, by trafilatura (main text without menus, banners, share
  buttons and footers). A page where it finds no article gives its whole
  visible text instead, so a short page is never refused for being short.
- Markdown: rendered by markdown-it-py, then its whole visible text.

Every path parses with lxml (libxml2), never with the standard library's
HTMLParser, which is quadratic in input such as ``<a<a<a…``. A page nested
deeper than libxml2 builds a tree for loses its structure, not its words.
One paragraph per block, blocks separated by a blank line (which the parser
takes as a sentence boundary: a headline is not glued to the first sentence),
a line break inside a block kept as one newline.

Both run in a child process (``geo.text.isolation``, by way of ``html_of`` and
``markdown_of``): trafilatura and markdown-it have paths that are slow on
hostile input, which a deadline bounds there.
"""

from __future__ import annotations

import functools
import html as html_entities
import logging
import re

from lxml import etree
from lxml import html as lxml_html

# HTML elements that start and end a block of text.
_HTML_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "caption",
    "figure", "figcaption", "address", "hr", "body", "html", "form", "fieldset", "details", "summary",
})
_HTML_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math", "object",
                           "embed", "iframe", "canvas", "select", "option", "button", "textarea"})
# Where trafilatura finds no article, what is still not one: menus, sidebars, footers, forms.
_FURNITURE = _HTML_SKIPPED | {"nav", "aside", "footer", "form", "menu", "dialog"}
# trafilatura's own elements for the text it keeps (TEI-like): blocks, and <lb/> for a line break.
_MAIN_BLOCKS = frozenset({"body", "p", "head", "list", "item", "quote", "code", "table", "row", "cell", "div"})
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
# A tag, closed or not ("<a<a<a" is three unclosed tags, which a browser shows nothing of); never
# spans a "<", so one pass, linear.
_TAG = re.compile(r"<[!/?a-zA-Z][^<>]*+(?:>|(?=<)|$)")
# libxml2 checks each attribute of a tag against the ones before it: 200,000 attributes on one tag
# took 508 s. No real tag is 4 KB long; such a tag keeps its name and loses its attributes.
_LONG_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*+)[^<>]{4000,}+>")


def _blocks(root, blocks: frozenset[str], breaks: frozenset[str], skipped: frozenset[str] = frozenset()) -> str:
    """The text of a tree, block by block; iterative, so no depth is too deep for it."""
    out: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
        parts.clear()

    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""  # comments: not text
        if event == "start":
            if tag in skipped or not tag:
                walk.skip_subtree()
                continue
            if tag in blocks:
                flush()
            if tag in breaks:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
        else:
            if tag in blocks:
                flush()
            if element.tail:
                parts.append(element.tail)
    flush()
    return "\n\n".join(out)


def _flat_text(markup: str) -> str:
    """The words of markup no tree could be built for: tags dropped, entities read."""
    text = html_entities.unescape(_TAG.sub(" ", markup))
    return "\n\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n") if line.strip())


def visible_text(markup: str, skipped: frozenset[str] = _HTML_SKIPPED) -> str:
    """All the text a browser would show of an HTML page, block by block, but for ``skipped`` elements."""
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):  # nothing that lxml calls a document
        root = None
    if root is None or not any(s.strip() for s in root.itertext()):
        return _flat_text(markup)  # no tree, or one cut short (too deep): the words alone
    return _blocks(root, _HTML_BLOCKS, frozenset({"br"}), skipped)


@functools.lru_cache(maxsize=1)
def _trafilatura_config():
    import trafilatura.settings

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs what it discards, as warnings
    config = trafilatura.settings.use_config()
    # Under 250 characters of article, trafilatura would take the whole page instead; a short
    # news brief is still an article, and a page with none gives its whole text here anyway.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal handlers in a library
    return config


def main_text(markup: str) -> str:
    """The article of a web page, by trafilatura; "" when it finds none."""
    import trafilatura

    found = trafilatura.bare_extraction(
        markup, include_comments=False, include_tables=True, include_images=False, include_links=False,
        deduplicate=False, with_metadata=False, as_dict=False, config=_trafilatura_config())
    if found is None or found.body is None:
        return ""
    return _blocks(found.body, _MAIN_BLOCKS, frozenset({"lb"}))


def html_text(markup: str) -> str:
    """The main text of an HTML page: its article, or else everything it shows."""
    markup = _LONG_TAG.sub(r"<\1>", markup)
    return main_text(markup) or visible_text(markup, _FURNITURE)


def markdown_text(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return visible_text(_LONG_TAG.sub(r"<\1>", MarkdownIt("commonmark").render(markdown)))


# Readers of UTF-8 bytes, as geo.text.isolation runs them (200,000 links in one paragraph: 36 s in
# trafilatura, stopped there at the deadline).
def html_of(data: bytes) -> str:
    return html_text(data.decode("utf-8"))


def markdown_of(data: bytes) -> str:
    return markdown_text(data.decode("utf-8"))

