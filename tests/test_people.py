from geo.model import PersonMention, Sentence
from geo.people import group_people

S = Sentence("d", 0, 0, "")


def mentions(*names):
    out, pos = [], 0
    for n in names:
        out.append(PersonMention("d", n, pos, pos + len(n), S))
        pos += len(n) + 10
    return out


def test_surname_joins_the_full_name():
    people = group_people(mentions("Abdullah Bozkurt", "Bozkurt", "Brett McGurk"))
    assert [p.name for p in people] == ["Abdullah Bozkurt", "Brett McGurk"]
    assert people[0].aliases == ("Bozkurt",) and len(people[0].mentions) == 2


def test_fullest_name_wins_even_when_it_comes_later():
    people = group_people(mentions("Jalilov", "Akbarzhon Jalilov"))
    assert [p.name for p in people] == ["Akbarzhon Jalilov"]


def test_brothers_with_one_surname_stay_apart():
    people = group_people(mentions("Ibrahim El Bakraoui", "Khalid el-Bakraoui", "Ibrahim El Bakraoui"))
    assert [p.name for p in people] == ["Ibrahim El Bakraoui", "Khalid el-Bakraoui"]
    assert len(people[0].mentions) == 2


def test_names_with_initials():
    people = group_people(mentions("Muhammed Ali K.", "Yusuf D.", "Bilal Yosef M."))
    assert len(people) == 3


def test_a_bare_shared_surname_goes_to_the_one_named_last():
    people = group_people(mentions("Ibrahim El Bakraoui", "Khalid el-Bakraoui", "Bakraoui"))
    assert len(people[1].mentions) == 2 and len(people[0].mentions) == 1
