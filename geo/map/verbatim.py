"""Text put into a folium page as it is, never read as a template.

branca renders each element's script and then compiles that output again as
a Jinja template when the page is assembled. Our elements carry the
document's own words (sentences in popups, names in tooltips and the
legend), so that second pass would run "{{ ... }}" or "{% ... %}" written in
a document as template code on this machine. Elements built on
``VerbatimMacro`` hand their output to the page as ``Verbatim`` text
instead; it is also faster, the megabyte of a basemap or of 5,000 popups no
longer being parsed as a template.
"""

from __future__ import annotations

from branca.element import Element, Figure, MacroElement


class Verbatim(Element):
    """Text put into the page as is (branca's Element would compile it as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class VerbatimMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page verbatim.

    Use it as a base after JSCSSMixin (whose render adds the script links and
    then comes here): ``class _Points(JSCSSMixin, VerbatimMacro)``.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("an element is rendered inside a Figure (add it to a map first)")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
