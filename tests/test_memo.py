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


def test_each_kind_has_its_own_room_and_the_most_recently_used_stay():
    corpus = Analysis((Document("corpus", "w"),), (), (), (), ())
    memo.once("reader", corpus, lambda a: "the corpus's reading view")
    shapes = [object() for _ in range(300)]
    for shape in shapes:
        memo.once("shape", shape, id, most=100)
    assert memo.made_from(corpus) == {"reader": "the corpus's reading view"}, "many shapes pushed out nothing else"
    assert memo.made_from(shapes[0]) == {} and memo.made_from(shapes[-1]) == {"shape": id(shapes[-1])}
    used = [Analysis((Document(f"u{n}", "v"),), (), (), (), ()) for n in range(memo.KEPT_MOST)]
    for a in used:
        memo.once("u", a, lambda a: a.documents[0].id)
    memo.once("u", used[0], lambda a: "made again")  # used again: now the most recent
    memo.once("u", Analysis((Document("new", "v"),), (), (), (), ()), lambda a: "new")
    assert memo.made_from(used[0]) == {"u": "u0"} and memo.made_from(used[1]) == {}


def test_only_the_last_few_are_kept():
    many = [Analysis((Document(str(n), "z"),), (), (), (), ()) for n in range(memo.KEPT_MOST + 5)]
    for a in many:
        memo.once("n", a, lambda a: a.documents[0].id)
    assert memo.made_from(many[0]) == {} and memo.made_from(many[-1]) == {"n": many[-1].documents[0].id}
