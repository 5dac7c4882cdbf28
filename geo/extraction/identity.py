"""People across documents, or the sections of a long one: one person when their full names agree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from geo.extraction.people import name_words
from geo.fsutil import natural_key


def person_keys(name: str, aliases: Iterable[str] = ()) -> set[str]:
    """What a document's person is recognised by in other documents.

    Their full name, folded without titles ("President Recep Tayyip Erdoğan"
    -> "recep tayyip erdogan"), and each alias of two words or more. A
    one-word alias ("Erdoğan", "Smith") names different people in different
    texts, so it never joins documents; a person known by one word only is
    joined only to people known by that same word alone.
    """
    keys = {" ".join(name_words(name))}
    keys |= {" ".join(w) for a in aliases if len(w := name_words(a)) >= 2}
    return {k for k in keys if k}


def merge_people(people: Sequence[Mapping]) -> list[dict]:
    """Each document's person -> a corpus person: those sharing a key are one.

    ``people`` rows have doc_id, seq, name, aliases, mentions. The corpus
    person's name is the name most mentioned among them, then the longest,
    then the first in order; the result is the same whatever order the rows
    come in.
    """
    rows = sorted(people, key=lambda r: (natural_key(r["doc_id"]), r["seq"]))
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, r in enumerate(rows):
        for key in sorted(person_keys(r["name"], r["aliases"] or ())):
            if key in owner:
                a, b = find(owner[key]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        counts: dict[str, int] = {}
        for i in members:
            counts[rows[i]["name"]] = counts.get(rows[i]["name"], 0) + int(rows[i]["mentions"] or 0)
        first = {rows[i]["name"]: n for n, i in reversed(list(enumerate(members)))}
        best = min(counts, key=lambda n: (-counts[n], -len(name_words(n)), -len(n), first[n]))
        out += [{"doc_id": rows[i]["doc_id"], "seq": rows[i]["seq"], "name": rows[i]["name"], "person": best}
                for i in members]
    out.sort(key=lambda r: (natural_key(r["doc_id"]), r["seq"]))
    return out
