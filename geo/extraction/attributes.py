"""The model's attribute ruler, matched a token at a time by its tag.

en_core_web_sm's `attribute_ruler` maps the tagger's fine tags to parts of speech and morphology, with
about 180 one-token patterns. spaCy's Matcher tries every pattern at every token, which is a seventh of
the whole parse (`bench/bench.py`, "parse time by component"). Almost every pattern names the tag it
needs, so the patterns a token can match are found by its tag (else its word, else its dependency) in a
dict, and only those are tested; the few patterns of more than one token are indexed by their first.

The matches are exactly those spaCy's Matcher finds, in the same order, and the ruler still sets the
attributes itself; a ruler with a pattern this module cannot read is left as it is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The token attributes the patterns test, in the column order of `Doc.to_array`, and the order in which a
# pattern is indexed by them: by its tag if it names one, else by its word, else by its dependency.
_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_TL, _T, _L, _D = ("TAG", "LOWER"), ("TAG",), ("LOWER",), ("DEP",)
_INDEXED = (_TL, _T, _L, _D)


def fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Give the pipeline's attribute ruler the tag-indexed matching; False when it has none or a pattern
    this module cannot read (it then matches as before)."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    match = _compile(ruler)
    if match is None:
        return False
    # the ruler's __call__ asks self.match for its matches; set_annotations is its own
    ruler.match = _TagIndexed(ruler, match)
    return True


class _TagIndexed:
    """The ruler's match(), compiled from its patterns. It pickles as the ruler it belongs to, and compiles
    again when first called where it is unpickled (spaCy's children, started by "spawn", are sent the
    pipeline pickled)."""

    def __init__(self, ruler, match=None):
        self._ruler = ruler
        self._match = match

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._match is None:
            self._match = _compile(self._ruler) or type(self._ruler).match.__get__(self._ruler)
        return self._match(doc)

    def __getstate__(self) -> dict:
        return {"_ruler": self._ruler, "_match": None}


def _test(column: int, value, strings) -> Callable[[list[int]], bool] | None:
    """The Matcher's test of one attribute value on a row of `Doc.to_array` (string attributes as their
    hashes), or None for a predicate this module does not know."""
    if isinstance(value, bool):
        return lambda row, c=column, want=int(value): row[c] == want
    if isinstance(value, str):
        return lambda row, c=column, want=strings.add(value): row[c] == want
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            hashes = frozenset(strings.add(a) for a in arg)
            if op == "IN":
                return lambda row, c=column, s=hashes: row[c] in s
            return lambda row, c=column, s=hashes: row[c] not in s
        if op == "REGEX" and isinstance(arg, str) and _COLUMNS[column] != "IS_SPACE":
            # the Matcher searches the attribute's string, not matches it
            rx, seen = re.compile(arg), {}  # (a word's hash -> whether it matches: words repeat)

            def search(row, c=column):
                h = row[c]
                hit = seen.get(h)
                if hit is None:
                    hit = seen[h] = bool(rx.search(strings[h]))
                return hit
            return search
    return None


def _index_values(value, strings) -> list[int] | None:
    """The hashes a pattern's attribute can only match, or None when it is no plain value or list."""
    if isinstance(value, str):
        return [strings.add(value)]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(a, str) for a in value["IN"]):
        return [strings.add(a) for a in value["IN"]]
    return None


def _compile(ruler):
    """The ruler's patterns as a match function, or None."""
    from spacy.attrs import IDS

    strings = ruler.vocab.strings
    # (the columns, their hashes) -> the patterns whose first token needs those values
    index: dict[tuple, list[tuple[int, int, tuple[tuple[Callable, ...], ...]]]] = {}
    always = []  # patterns whose first token is indexed by none of these
    # The ruler numbers its entries in the order they were added, and matches each under the string of its
    # number; its own match() sorts on that number, so that later entries win.
    for attr_id, entry in enumerate(ruler.patterns):
        key = strings.add(str(attr_id))
        for pattern in entry["patterns"]:
            specs = _specs(pattern, strings)
            if specs is None:
                return None
            first = pattern[0]
            # indexed by the most it names of tag and word together, tag, word, dependency, in that order;
            # what the index holds to, the first token need not be tested for
            for keys in _INDEXED:
                values = [_index_values(first[k], strings) if k in first else None for k in keys]
                if all(v is not None for v in values):
                    rest = ({k: t for k, t in specs[0].items() if k not in keys}, *specs[1:])
                    compiled = (attr_id, key, tuple(tuple(tests.values()) for tests in rest))
                    for combo in itertools.product(*values):
                        index.setdefault((keys, *combo), []).append(compiled)
                    break
            else:
                always.append((attr_id, key, tuple(tuple(tests.values()) for tests in specs)))
    columns = [IDS[c] for c in _COLUMNS]

    def match(doc: Doc) -> list[tuple[int, int, int, int]]:
        found = []
        get = index.get
        rows = doc.to_array(columns).tolist()
        n = len(rows)
        for i, row in enumerate(rows):
            tag, lower, dep, _ = row
            for attr_id, key, specs in (*get((_TL, tag, lower), ()), *get((_T, tag), ()), *get((_L, lower), ()),
                                        *get((_D, dep), ()), *always):
                if len(specs) == 1:  # (most patterns: one token)
                    first = specs[0]
                    if not first or all(test(row) for test in first):
                        found.append((attr_id, key, i, i + 1))
                    continue
                end = i + len(specs)
                if end <= n and all(test(rows[j]) for j, tests in enumerate(specs, i) for test in tests):
                    found.append((attr_id, key, i, end))
        found.sort()
        return found

    return match


def _specs(pattern, strings) -> tuple[dict[str, Callable], ...] | None:
    """A Matcher pattern of fixed length as the tests of each token by attribute, or None for any other."""
    if not isinstance(pattern, list) or not pattern:
        return None
    out = []
    for spec in pattern:
        if not isinstance(spec, dict) or not spec or any(k not in _COLUMNS for k in spec):
            return None  # (an "OP", or an attribute not read here)
        tests = {k: _test(_COLUMNS.index(k), v, strings) for k, v in spec.items()}
        if any(t is None for t in tests.values()):
            return None
        out.append(tests)
    return tuple(out)
