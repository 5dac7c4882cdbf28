"""The model's rule lemmatizer, each word in each part of speech and morphology lemmatized once.

spaCy's English lemmatizer works a token at a time in Python: it makes the Token, reads its part of speech
and morphology as strings, and remembers only the words that went through its rules; a singular noun or an
infinitive is asked again, every time, whether it is a base form. That was a tenth of the parse
(`bench/bench.py`, "parse time by component"). Its answer depends on nothing but the word, its part of
speech and its morphology (its tables are fixed once the model is loaded), so here each such triple is
lemmatized once, by the lemmatizer's own code, and a document's lemmas are written in one go. The lemmas
are exactly its own, and a token that has one already (the attribute ruler sets some) keeps it, as there.

A lemmatizer of another kind or mode is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_COLUMNS = [ORTH, POS, MORPH, LEMMA]


def lemmatize_once(nlp: Language, name: str = "lemmatizer") -> bool:
    """Give the pipeline's English rule lemmatizer the lemmatizing once per word, part of speech and
    morphology; False when it has none, or one of another kind or mode (it then works as before)."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if type(lemmatizer) is not EnglishLemmatizer or lemmatizer.mode != "rule":
        return False
    # Its own object, tables and settings, only its __call__ other (Python looks that up on the class).
    lemmatizer.__class__ = OnceLemmatizer
    return True


class OnceLemmatizer(EnglishLemmatizer):
    """EnglishLemmatizer whose ``__call__`` lemmatizes each (word, part of speech, morphology) once."""

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            rows = doc.to_array(_COLUMNS)
            if not len(rows):
                return doc
            known = self.__dict__.setdefault("_once", {})  # (orth, pos, morph) -> the lemma's hash
            strings = doc.vocab.strings
            lemmas = rows[:, 3].copy()
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma and not self.overwrite:
                    continue
                found = known.get((orth, pos, morph))
                if found is None:
                    found = known[(orth, pos, morph)] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i] = found
            doc.from_array([LEMMA], lemmas.astype(np.uint64).reshape(-1, 1))
            return doc
        except Exception as e:  # noqa: BLE001  as the lemmatizer itself hands errors on
            error_handler(self.name, self, [doc], e)
