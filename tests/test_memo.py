"""What is made from a whole analysis is made once for that very object, and can be carried to another."""

from __future__ import annotations

from geo import memo
from geo.model import Analysis, Document


def test_made_once_for_the_same_object_and_again_for_an_equal_one():
    made = []
    one = Analysis((Document("d", "x"),), (), (), (), ())
    equal = Analysis((Document("d", "x"),), (), (), (), ())

    def make(a):
        made.append(a)
        return object()

    first = memo.once("thing", one, make)
    assert memo.once("thing", one, make) is first and made == [one]
    assert memo.once("thing", equal, make) is not first and len(made) == 2  # equal is not the same
    assert memo.made_from(one) == {"thing": first}


def test_what_is_seeded_is_what_once_gives():
    one = Analysis((Document("e", "y"),), (), (), (), ())
    memo.seed(one, {"reader": "<p>kept</p>"})
    assert memo.once("reader", one, lambda a: "made again") == "<p>kept</p>"


def test_only_the_last_few_are_kept():
    many = [Analysis((Document(str(n), "z"),), (), (), (), ()) for n in range(memo.KEPT_MOST + 5)]
    for a in many:
        memo.once("n", a, lambda a: a.documents[0].id)
    assert memo.made_from(many[0]) == {} and memo.made_from(many[-1]) == {"n": many[-1].documents[0].id}
