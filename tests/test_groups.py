"""Movers that are not one named person: parties, vessels, the narrator. Made-up texts in the shapes real writing
uses, through the real pipeline, and the pure helpers on their own."""

from __future__ import annotations

from geo.extraction.groups import byline, quoted_spans
from geo.pipeline import analyse_text


def routes(resources, text: str) -> dict[str, list[tuple[str, str | None]]]:
    """person -> [(place as written, date)] in route order."""
    a = analyse_text(text, resources)
    out: dict[str, list] = {}
    for t in sorted((t for t in a.ties if t.order is not None), key=lambda t: (t.person, t.order)):
        out.setdefault(t.person, []).append((a.places[t.place].mention.text, t.date))
    return out


def test_a_partys_members_are_its_leader_and_the_people_the_leader_recruited(resources):
    text = ("Maria Vogel planned her expedition for a small party. She recruited two guides, Tomas Ruiz and "
            "Ana Perez. The party left Quito on 3 May 2001 and reached Cuenca on 9 May 2001.")
    got = routes(resources, text)
    for person in ("Maria Vogel", "Tomas Ruiz", "Ana Perez"):
        assert [p for p, _ in got.get(person, [])] == ["Quito", "Cuenca"], (person, got)
    assert got["Ana Perez"][1][1] == "2001-05-09"


def test_a_ship_is_not_a_person_and_its_commander_moves_with_it(resources):
    text = ("The schooner Albatross, under the command of Captain John Hale, sailed from Halifax on 2 June 1850. "
            "The Albatross reached Bermuda on 9 June 1850.")
    got = routes(resources, text)
    assert "Albatross" not in got
    assert got["John Hale"] == [("Halifax", "1850-06-02"), ("Bermuda", "1850-06-09")]


def test_a_ship_with_no_one_named_aboard_moves_as_itself(resources):
    got = routes(resources, "The steamer Orion left Lisbon on 4 April 1901 and reached Madeira on 7 April 1901.")
    assert [p for p, _ in got["Orion"]] == ["Lisbon", "Madeira"]


def test_the_narrator_of_first_person_writing_is_a_person_named_by_the_byline(resources):
    text = "By Thomas West\n\nWe drove from Keswick to Penrith on 3 June 2019. I walked back to Keswick on 4 June."
    got = routes(resources, text)
    assert [p for p, _ in got["Thomas West"]] == ["Keswick", "Penrith", "Keswick"]
    unnamed = routes(resources, "We drove from Keswick to Penrith on 3 June 2019. I took a train to Carlisle.")
    assert [p for p, _ in unnamed["the narrator"]] == ["Keswick", "Penrith", "Carlisle"]


def test_first_person_words_inside_a_quotation_are_not_the_narrator(resources):
    text = 'Anna Berg flew to Oslo in May 2016. "We went to Bergen and we loved it," she said.'
    a = analyse_text(text, resources)
    assert "the narrator" not in {p.name for p in a.people}


def test_we_is_the_narrator_with_the_ship_the_story_travels_in(resources):
    text = ("The brig Petrel, commanded by Captain Anne Moss, sailed from Bristol on 2 March 1840. "
            "On 20 March 1840 we reached Madeira.")
    got = routes(resources, text)
    assert [p for p, _ in got["Anne Moss"]] == ["Bristol", "Madeira"]
    assert [p for p, _ in got["the narrator"]] == ["Madeira"]


def test_the_two_men_and_they_are_the_last_two_people_named(resources):
    text = ("Frank Ortiz drove to Dallas to collect his wife's brother, Luis Ortiz. The two men agreed to go north. "
            "They left Dallas on 2 March 2010 and reached Denver on 5 March 2010.")
    got = routes(resources, text)
    assert [p for p, _ in got["Luis Ortiz"]] == ["Dallas", "Denver"]
    assert [p for p, _ in got["Frank Ortiz"]][-2:] == ["Dallas", "Denver"]


def test_the_rest_of_the_team_is_those_who_did_not_go_ahead(resources):
    text = ("Karl Berg chose Jon Lund, Eva Holm and Ola Nyberg for his team. The team left Oslo on 1 May 2005. "
            "Karl Berg and Jon Lund went ahead and reached Bergen on 3 May 2005. "
            "The rest of the team arrived in Bergen on 9 May 2005.")
    got = routes(resources, text)
    assert got["Eva Holm"] == [("Oslo", "2005-05-01"), ("Bergen", "2005-05-09")]
    assert got["Karl Berg"] == [("Oslo", "2005-05-01"), ("Bergen", "2005-05-03")]


def test_a_roster_names_the_members_of_the_group_that_moves_later(resources):
    # a report's "The team: A (role), B (role) and C (role)." has no verb: it defines the group, and "the
    # team", "our convoy" and "we" are those people afterwards
    text = ("Field Report\n\nThe team: Dr. Rosa Lind (medical lead), Pavel Ek (logistics) and Omar Haidar "
            "(driver). The team flew from Izmir to Konya on 8 March 2021. On 10 March our convoy left Konya and "
            "reached Aksaray. We slept in the trucks.")
    got = routes(resources, text)
    for person in ("Rosa Lind", "Pavel Ek", "Omar Haidar"):
        assert got.get(person) == [("Izmir", "2021-03-08"), ("Konya", "2021-03-08"), ("Aksaray", "2021-03-10")], (
            person, got)
    # without the roster, "the team" is nobody named
    assert "Rosa Lind" not in routes(resources, text.replace(": Dr. Rosa Lind (medical lead), Pavel Ek (logistics) "
                                                               "and Omar Haidar (driver).", " was small."))


def test_his_brother_is_one_man_not_a_group(resources):
    text = "Omar Said flew to Rome in June 2015. His brother Ali Said flew to Athens in July 2015."
    got = routes(resources, text)
    assert [p for p, _ in got["Omar Said"]] == ["Rome"]
    assert [p for p, _ in got["Ali Said"]] == ["Athens"]


def test_byline_and_quotations():
    assert byline("Lakes walk\nby Thomas West\n\nWe set off.") == "Thomas West"
    assert byline("We set off by car.") is None
    # a title line that ends with its author
    assert byline("A Tour to the Lakes, by John Harden\n\nWe set off.") == "John Harden"
    # but not a hard-wrapped line further down that ends with a place
    assert byline("A Tour\n\nWe came back by Keswick\nand Penrith.") is None
    text = 'He said "we left" and then “we came”.\n\n"open quote\n\nnext'
    spans = quoted_spans(text)
    assert [text[a:b] for a, b in spans][:2] == ['"we left"', "“we came”"]
    assert all("\n\n" not in text[a:b] for a, b in spans)  # an unclosed quotation ends with its paragraph


def test_the_appellant_is_the_person_the_caption_names(resources):
    text = ("Ortega v. Nevada\n\nOpinion of the Court\n\nAppellant is a resident of Nevada. Appellant travelled from Reno "
            "to Fresno in March 1950, and he returned to Reno on April 2, 1950.")
    got = routes(resources, text)
    assert [p for p, _ in got["Ortega"]] == ["Reno", "Fresno", "Reno"], got


def test_case_roles_follow_the_side_of_the_caption():
    from geo.extraction.groups import caption, case_roles
    from geo.model import Person

    assert caption("United States v. John Doe\n\nThe defendant...") == ("United States", "John Doe")
    roles = case_roles("United States v. John Doe\n\n", [Person("John Doe")])
    assert roles["defendant"] == ("John Doe",) and roles["appellant"] == ("John Doe",)
    both = case_roles("Ann Lee v. Bo Park\n", [Person("Ann Lee"), Person("Bo Park")])
    assert both["plaintiff"] == ("Ann Lee",) and both["defendant"] == ("Bo Park",)
    assert case_roles("No caption here.", [Person("Ann Lee")]) == {}


def _ties(resources, text: str) -> dict[str, set[tuple[str, str]]]:
    a = analyse_text(text, resources)
    out: dict[str, set] = {}
    for t in a.ties:
        out.setdefault(t.person, set()).add((a.places[t.place].mention.text, t.role))
    return out


def test_people_met_somewhere_are_there_and_come_from_where_they_are_from(resources):
    text = ("In Lisbon, Marco Reyes met Luis Mota and the merchant Jorge Alves of Madrid. "
            "He then travelled to Seville, where he took up residence with his friend Ana Ruiz.")
    got = _ties(resources, text)
    assert ("Madrid", "origin") in got["Jorge Alves"] and ("Lisbon", "stop") in got["Jorge Alves"], got
    assert "Lisbon" in {place for place, _ in got["Luis Mota"]}
    assert ("Seville", "event") in got["Ana Ruiz"]
    assert all(place != "Madrid" for place, _ in got["Marco Reyes"])  # Madrid is Alves's, not the traveller's


def test_a_person_of_a_place_who_is_nowhere_else_belongs_there(resources):
    got = _ties(resources, "Senator Ruth Moss of Oregon hoped that the mission would succeed.")
    assert got.get("Ruth Moss") == {("Oregon", "event")}


def test_the_holder_of_an_office_of_a_place_is_tied_to_it(resources):
    text = ("Omar Haddad sailed to Zanzibar, where he negotiated a treaty with its ruler, Sultan Barghash. "
            "The governor of Mombasa was a merchant named Ali Karim.")
    got = _ties(resources, text)
    assert ("Zanzibar", "event") in got["Barghash"], got
    assert ("Mombasa", "event") in got["Ali Karim"], got


def test_someone_met_in_a_where_clause_is_there_at_the_date_of_the_visit(resources):
    text = ("Captain Hugh Lowe sailed to the island of Zanzibar in present-day Tanzania, where he negotiated a treaty "
            "with its ruler, Sultan Majid, on 4 May 1880.")
    a = analyse_text(text, resources)
    got = {(t.person, a.places[t.place].mention.text): (t.role, t.date) for t in a.ties}
    assert got[("Hugh Lowe", "Zanzibar")] == ("destination", "1880-05-04")
    assert got[("Majid", "Zanzibar")] == ("event", "1880-05-04")


def test_a_pronoun_before_its_sentences_subject_is_that_subject(resources):
    text = "Sultan Idris spoke of Malacca. Following his visit to Madeira, Captain Hugh Lowe sailed to Lisbon."
    got = _ties(resources, text)
    assert "Idris" not in {k for k, v in got.items() if ("Madeira", "destination") in v}
    assert ("Madeira", "destination") in got["Hugh Lowe"], got


def test_a_clause_on_todays_name_of_a_place_is_about_that_place(resources):
    text = "Lena Holt sailed to Zanzibar in present-day Tanzania, where she met its ruler, Sultan Majid."
    got = _ties(resources, text)
    assert ("Zanzibar", "event") in got["Majid"], got


def test_going_ashore_or_staying_there_is_a_stop_at_the_current_place(resources):
    text = ("Captain Ruth Ames reached Cadiz on 2 May 1801. On 3 May 1801, Ames and her mate Tom Bell went ashore. "
            "Tom Bell remained there for a week.")
    got = routes(resources, text)
    assert got["Tom Bell"] == [("Cadiz", "1801-05-03")], got


def test_a_pointer_does_not_reach_a_place_named_long_before(resources):
    text = ("Ruth Ames reached Cadiz on 2 May 1801. The weather was fine. The crew was tired. The food was poor. "
            "On 9 May 1801, her mate Tom Bell went ashore.")
    assert "Tom Bell" not in routes(resources, text)


def test_the_office_of_the_city_is_an_office_of_the_current_city(resources):
    text = ("Omar Haddad travelled to Fuzhou in 1340. He attended a banquet of the governor of the city "
            "named Lin Wei.")
    got = _ties(resources, text)
    assert ("Fuzhou", "event") in got["Lin Wei"], got


def test_the_person_whose_ceremony_the_traveller_saw_was_there(resources):
    text = ("William Fenn reached Venice on 22 April 1462. He remained there five weeks, witnessing the "
            "installation of Marco Dandolo as doge.")
    got = _ties(resources, text)
    assert ("Venice", "event") in got["Marco Dandolo"], got


def test_a_pointer_after_a_move_to_a_place_no_one_could_place_points_there_not_back(resources):
    # The shape: a stop at a name the gazetteer lacks, then a clause that only points at it ("went ashore").
    # The pointer means the unplaced stop (drawn between its neighbours, or listed as unplaced), never the
    # placed one before it.
    text = ("Captain Ruth Ames reached Cadiz on 2 May 1801. She stopped at Qwertyx Cove on 3 May 1801. "
            "On 4 May 1801, Ames and her mate Tom Bell went ashore.")
    a = analyse_text(text, resources)
    bell = [(a.places[t.place].mention.text, t.date) for t in a.ties if t.person == "Tom Bell"]
    assert bell == [("Qwertyx Cove", "1801-05-04")], bell


def test_only_a_move_to_a_name_that_is_no_place_mention_leaves_the_narrative_nowhere():
    from handdoc import parse, place

    from geo.extraction.deixis import unplaced_moves

    doc = parse("""
        Ames    Ames    PROPN NNP nsubj 1
        stopped stop    VERB  VBD ROOT  1
        at      at      ADP   IN  prep  1
        Qwertyx Qwertyx PROPN NNP pobj  2
        .       .       PUNCT .   punct 1
    """)
    assert unplaced_moves(doc, []) == [doc[3].idx], "a name the parse took for no place: nowhere known"
    assert unplaced_moves(doc, [place(doc, 3, resolved=False)]) == [], "a place not placed is still a place"
    assert unplaced_moves(doc, [place(doc, 3)]) == []


def test_a_resident_or_citizen_of_a_place_belongs_there(resources):
    text = ("In 1950 Tom Reyes drove to Reno with his cousin, Luis Ortega, a citizen of Mexico and a resident of "
            "Arizona. He is a resident of Oregon.")
    got = _ties(resources, text)
    assert {("Mexico", "event"), ("Arizona", "event")} <= got["Luis Ortega"], got
    assert ("Oregon", "event") in got["Tom Reyes"], got
    assert not {"Mexico", "Arizona"} & {place for place, _ in got["Tom Reyes"]}  # the cousin's homes, not his


def test_someone_met_at_a_stop_is_there_at_the_date_of_the_stop(resources):
    text = ("On 22 April 1462 Hugh Lowe arrived at Venice. He remained there five weeks, witnessing the "
            "installation of Marco Barbarigo as doge.")
    a = analyse_text(text, resources)
    got = {(t.person, a.places[t.place].mention.text, t.role): t.date for t in a.ties}
    assert got[("Hugh Lowe", "Venice", "destination")] == "1462-04-22"
    assert got.get(("Marco Barbarigo", "Venice", "event")) == "1462-04-22", got


def test_the_readmes_tour_of_the_lakes(resources):
    # the README's example of older travel writing, end to end with the real model and gazetteer
    text = ("A Tour to the Lakes, by John Harden\n\nOn the 3d of June 1769 we left Lancaster early, and dined at "
            "Kendal. On the 5th we went on by Ambleside to Keswick, and rowed on Coniston Water.\n")
    got = routes(resources, text)
    assert got["John Harden"] == [("Lancaster", "1769-06-03"), ("Kendal", "1769-06-03"), ("Ambleside", "1769-06-05"),
                                  ("Keswick", "1769-06-05"), ("Coniston Water", "1769-06-05")]
    a = analyse_text(text, resources)
    ambleside = next(p for p in a.places if p.mention.text == "Ambleside")
    assert ambleside.chosen.country == "GB"


def test_the_writer_is_a_byline_or_a_full_name_alone_under_the_title():
    from handdoc import flat

    from geo.extraction.groups import writer

    book = flat("Letters from the North ⏎ Mary Ellen Stone ⏎⏎ I left Leeds .", {"Mary Ellen Stone": "PERSON"})
    assert writer(book) == "Mary Ellen Stone"
    signed = flat("A Ramble , by John Harden ⏎⏎ I left Leeds .", {"John Harden": "PERSON"})
    assert writer(signed) == "John Harden"
    # an office, a name with more on its line, or a name further down is no author line
    office = flat("Field Report ⏎ Northbridge Relief ⏎⏎ We left Adana .", {"Northbridge Relief": "ORG"})
    assert writer(office) is None
    more = flat("Letters ⏎ Mary Stone and her sister ⏎⏎ I left Leeds .", {"Mary Stone": "PERSON"})
    assert writer(more) is None
    later = flat("Letters ⏎ Volume One ⏎ Part Two ⏎ Mary Stone ⏎⏎ I left Leeds .", {"Mary Stone": "PERSON"})
    assert writer(later) is None


def test_as_far_as_a_place_is_where_the_move_went(resources):
    text = "A Northern Ramble, by Ann Price\n\nIn June 1820 I rode along the coast from Whitby as far as Scarborough."
    got = routes(resources, text)
    assert [p for p, _ in got["Ann Price"]] == ["Whitby", "Scarborough"]


def test_the_narrator_and_the_people_named_with_i_are_we(resources):
    text = ("Notes from Portugal\nby Priya Raman\n\nMy sister Anjali and I had wanted this trip for years. "
            "We flew from Leeds to Lisbon on 31 May 2024, and we reached Porto on 2 June.")
    got = routes(resources, text)
    assert [p for p, _ in got["Anjali"]] == ["Leeds", "Lisbon", "Porto"]
    assert [p for p, _ in got["Priya Raman"]] == ["Leeds", "Lisbon", "Porto"]


def test_a_companion_who_leaves_the_expedition_no_longer_moves_with_it(resources):
    text = ("In May 1850 the naturalists Ruth Dale and Anna Holm sailed from Lisbon aboard the schooner Marisol. "
            "The Marisol reached Funchal on 9 May 1850. In June Holm left the expedition at Funchal and sailed "
            "for England. The Marisol reached Praia on 2 July 1850.")
    got = routes(resources, text)
    assert [p for p, _ in got["Ruth Dale"]] == ["Lisbon", "Funchal", "Praia"]
    assert "Praia" not in [p for p, _ in got["Anna Holm"]]
    assert [p for p, _ in got["Anna Holm"]][:2] == ["Lisbon", "Funchal"]


def test_a_group_except_someone_is_the_group_without_them(resources):
    text = ("Field Report\n\nThe team: Dr. Rosa Lind (medical lead), Pavel Ek (logistics) and Omar Haidar (driver). "
            "The team, except for the driver, flew from Izmir to Konya on 8 March 2021.")
    got = routes(resources, text)
    assert [p for p, _ in got["Rosa Lind"]] == ["Izmir", "Konya"]
    assert "Omar Haidar" not in got


def test_a_place_near_which_the_stop_is_only_says_where_it_is(resources):
    text = "On 9 May 2021 Rosa Lind drove from Konya to Eregli, near Karaman, and then turned south through Mut."
    got = routes(resources, text)
    assert [p for p, _ in got["Rosa Lind"]] == ["Konya", "Eregli", "Mut"]
    # without the comma, the place near which one crossed is where one was
    crossing = routes(resources, "In 2014 Jose Perez crossed the Rio Grande near Hidalgo, Texas.")
    assert "Hidalgo" in [p for p, _ in crossing["Jose Perez"]]


def test_the_narrator_alone_in_a_clause_that_tells_no_move_stays_with_the_group(resources):
    # "I had been dreading the day" does not part the narrator from the sister they travel with
    text = ("Notes from Portugal\nby Priya Raman\n\nMy sister Anjali and I had wanted this trip for years. "
            "We flew from Leeds to Lisbon on 31 May 2024. The 2nd was the day I had been dreading. "
            "We reached Porto on 2 June.")
    got = routes(resources, text)
    assert [p for p, _ in got["Anjali"]] == ["Leeds", "Lisbon", "Porto"]


def test_the_defendant_is_not_the_judge_who_sentenced_them_and_stays_the_same_person(resources):
    text = ("John Miller, 41, pleaded guilty in December. U.S. District Judge Ann Ross also ordered the defendant "
            "to serve five years. The defendant was removed to Colombia in 2016.")
    got = routes(resources, text)
    assert [p for p, _ in got.get("John Miller", [])] == ["Colombia"], got
    assert "Ann Ross" not in got


def test_a_role_with_its_prefix_split_off_is_another_role():
    from spacy.tokens import Doc

    from handdoc import _vocab

    from geo.extraction.references import _role_key

    words = ["his", "co", "-", "defendant", "and", "the", "defendant"]
    doc = Doc(_vocab(), words=words, spaces=[True, False, False, True, True, True, False],
              lemmas=["his", "co", "-", "defendant", "and", "the", "defendant"])
    assert doc.text == "his co-defendant and the defendant"
    assert _role_key(doc[3]) == "co-defendant" and _role_key(doc[6]) == "defendant"


def test_the_family_is_the_people_last_moved_together_when_no_party_is_named(resources):
    text = ("In May 2015 Khaled Saleh, his wife Rania and their son Omar left Aleppo for Gaziantep. "
            "In August 2015 the family reached Izmir.")
    got = routes(resources, text)
    for person in ("Khaled Saleh", "Rania", "Omar"):
        assert [p for p, _ in got.get(person, [])] == ["Aleppo", "Gaziantep", "Izmir"], (person, got)


def test_a_womans_title_is_no_ship_prefix(resources):
    # "MS Estonia" is a motor ship; "Ms. Ramírez" is a woman
    text = ("Ana Ramírez and her son Daniel left San Miguel in March 2022. Ms. Ramírez reached Tapachula in "
            "April 2022.")
    got = routes(resources, text)
    assert "Ramírez" not in got
    assert [p for p, _ in got["Ana Ramírez"]] == ["San Miguel", "Tapachula"]


BLOG = ("A Week in the Dolomites\nPosted 3 July 2022 by Sara Lind\n\nWhen my friend Jonas suggested the Dolomites, I "
        "said yes at once. We picked up a car in Verona on Saturday 18 June and rolled into Bolzano that evening. The "
        "next morning we were drinking coffee in Ortisei. Two days later we took the last stretch over the pass to "
        "Brunico.")


def test_a_blogs_writer_and_her_companion_go_everywhere_she_says_we_went(resources):
    # the writer from "Posted ... by"; "my friend Jonas" is in "we" before any move shows it; what the writer
    # did in a place puts her there ("we were drinking coffee in Ortisei"); "rolled into", "took the last
    # stretch to" are moves
    got = routes(resources, BLOG)
    want = [("Verona", "2022-06-18"), ("Bolzano", "2022-06-18"), ("Ortisei", "2022-06-19"), ("Brunico", "2022-06-21")]
    assert got["Sara Lind"] == want and got["Jonas"] == want
    assert "the narrator" not in got


def test_a_companion_is_only_the_writers_own_and_a_plan_is_no_stop(resources):
    text = ("Notes from the road\nby Sara Lind\n\nHer friend Jonas stayed at home. We had pencilled in a night in "
            "Verona, but we drove on to Bolzano on 18 June 2022.")
    got = routes(resources, text)
    assert "Jonas" not in got
    assert [p for p, _ in got["Sara Lind"]] == ["Bolzano"]


def test_a_journals_clauses_without_a_subject_are_the_writers_and_her_companions(resources):
    text = ("A Ride in the North\nby Anne Lister\n\nAug. 2, 1822. I left Halifax at seven with my friend Mary Fox. "
            "Dined at Keighley, and lay at Skipton.\n\nSaturday, 3d. To Settle, and thence to Ingleton.")
    got = routes(resources, text)
    want = ["Halifax", "Keighley", "Skipton", "Settle", "Ingleton"]
    assert [p for p, _ in got["Anne Lister"]] == want and [p for p, _ in got["Mary Fox"]] == want
    assert [d for _, d in got["Anne Lister"]] == ["1822-08-02"] * 3 + ["1822-08-03"] * 2


def test_what_the_writer_did_to_something_in_a_place_puts_her_there_and_a_suggestion_moves_no_one(resources):
    text = ("Notes from the road\nby Sara Lind\n\nWhen my friend Jonas suggested a trip through the Dolomites, I "
            "said yes. On 18 June 2022 we picked up the car at Verona, and an hour later we were drinking coffee "
            "by the river in Trento.")
    got = routes(resources, text)
    assert [p for p, _ in got["Sara Lind"]] == ["Verona", "Trento"] == [p for p, _ in got["Jonas"]]


def test_the_family_is_the_couple_and_the_children_named_as_theirs(resources):
    # children named with their ages are people, though one is called as a capital is ("Sofía")
    text = ("Luis Ramírez, 34, and his wife Ana Ramírez, 31, lived with their two children, Daniel, 9, and Sofía, 5, "
            "in San Miguel, El Salvador. In March 2022 the couple decided to leave. The family left San Miguel by bus "
            "and reached Guatemala City in April 2022.")
    got = routes(resources, text)
    for person in ("Luis Ramírez", "Ana Ramírez", "Daniel", "Sofía"):
        assert [p for p, _ in got.get(person, [])] == ["San Miguel", "Guatemala City"], (person, got)


def test_a_title_before_a_shared_surname_picks_the_person_it_fits(resources):
    text = ("Luis Ramírez and his wife Ana Ramírez left San Miguel in March 2022. In April 2022 Mr. Ramírez was "
            "detained in Tapachula. In June 2022 Ms. Ramírez reached Mexico City.")
    a = analyse_text(text, resources)
    ties = {(t.person, a.places[t.place].mention.text, t.role) for t in a.ties if t.person}
    assert ("Luis Ramírez", "Tapachula", "event") in ties and ("Ana Ramírez", "Tapachula", "event") not in ties
    assert ("Ana Ramírez", "Mexico City", "destination") in ties
    assert ("Luis Ramírez", "Mexico City", "destination") not in ties


def test_a_vessel_named_only_by_what_it_does_carries_the_person_the_text_is_about(resources):
    # a biography's ship, never introduced as one: only a vessel "runs aground", and "the Beagle" is no person
    text = ("Mary Kingsley sailed from Liverpool in 1893. Kingsley was thirty. On 11 June 1894 Lagos Star ran "
            "aground off Bonny. On 2 July 1894 the Fortune anchored at Calabar.")
    got = routes(resources, text)
    assert [p for p, _ in got["Mary Kingsley"]] == ["Liverpool", "Bonny", "Calabar"], got
    assert "Fortune" not in got and "Lagos Star" not in got
    # someone named once is not who the text is about: the ship moves as itself
    got = routes(resources, "On 2 July 1894 the Fortune anchored at Calabar.")
    assert [p for p, _ in got["Fortune"]] == ["Calabar"], got


def test_an_owned_vehicle_or_fleet_carries_its_owner(resources):
    got = routes(resources, "Amelia Earhart left Miami on 1 June 1937. On 20 June her plane landed at Karachi.")
    assert [p for p, _ in got["Amelia Earhart"]] == ["Miami", "Karachi"], got
    got = routes(resources, "In May 1497 John Cabot left Bristol. In June 1497 the fleet of John Cabot reached "
                            "Newfoundland.")
    assert [p for p, _ in got["John Cabot"]] == ["Bristol", "Newfoundland"], got


def test_where_a_person_described_in_apposition_comes_from_starts_their_route(resources):
    got = routes(resources, "Maria Santos, a nurse from Manila, arrived in Dubai in March 2015.")
    assert [p for p, _ in got["Maria Santos"]] == ["Manila", "Dubai"], got
    # the country one comes from yields to the town in it that the route leaves
    got = routes(resources, "Ana Ruiz, a young doctor from Peru, left her home town of Cusco in June 2001 for Lima.")
    assert [p for p, _ in got["Ana Ruiz"]] == ["Cusco", "Lima"], got
    # "a citizen of X" is where one belongs, not where one came from
    got = routes(resources, "Frank Duncan, a citizen of Canada, flew to Lima in June 2001.")
    assert [p for p, _ in got["Frank Duncan"]] == ["Lima"], got


def test_a_place_in_an_institutions_name_is_no_persons_home_town(resources):
    # "the University of Toronto" is no "Burhan al-Din of Kazerun": the student was in Toronto
    a = analyse_text("John Smith studied at the University of Toronto.", resources)
    assert [(a.places[t.place].mention.text, t.person) for t in a.ties] == [("Toronto", "John Smith")]


def test_the_ship_is_the_vessel_last_named(resources):
    text = ("In August 1914 Ernest Shackleton sailed from Plymouth aboard the Endurance. The ship called at Madeira "
            "and reached South Georgia on 5 November 1914.")
    got = routes(resources, text)
    assert [p for p, _ in got["Ernest Shackleton"]] == ["Plymouth", "Madeira", "South Georgia"], got


def test_a_first_name_the_model_cut_off_a_persons_name_is_no_place(resources):
    # the model labels only "Earhart"; "Amelia" (a town in Virginia) heads an itinerary line's body
    text = ("July 2, 1937 – 00:00 GMT: Amelia Earhart and navigator Fred Noonan take off from Lae, New Guinea.\n"
            "July 2, 1937 – 19:30 GMT: Last transmission heard near Howland Island.\n")
    a = analyse_text(text, resources)
    assert "Amelia" not in {p.mention.text for p in a.places}
    assert any(t.person == "Amelia Earhart" and a.places[t.place].mention.text == "Lae" for t in a.ties)


def test_the_family_named_by_its_surname_is_the_people_named_so_and_those_named_with_them(resources):
    text = ("The Hassan family fled Aleppo in 2013. Father Karim Hassan, mother Layla and their three children "
            "crossed into Lebanon and spent two years in Beirut.")
    got = routes(resources, text)
    for person in ("Karim Hassan", "Layla"):
        assert [p for p, _ in got[person]] == ["Aleppo", "Lebanon", "Beirut"], got


def test_who_does_fieldwork_with_no_place_of_its_own_is_at_the_current_place(resources):
    # The shape: a move sets the narrative's place and date; a later clause of work that is done where it is
    # done (collecting, digging, surveying) names its doers, by "by" or as subject, and no place.
    text = ("On 3 May 1801, Captain Ruth Ames landed at Cadiz. She named the cove Gull Cove after the birds "
            "collected by the naturalists Tom Bell and Ann Reed.")
    got = routes(resources, text)
    assert got["Tom Bell"] == [("Cadiz", "1801-05-03")], got
    assert got["Ann Reed"] == [("Cadiz", "1801-05-03")], got


def test_fieldwork_with_a_place_of_its_own_or_far_from_any_move_is_not_at_the_current_place(resources):
    text = ("On 3 May 1801, Captain Ruth Ames landed at Cadiz. Tom Bell collected plants in Lisbon. "
            "The weather was fine. The crew was tired. The food was poor. Ann Reed collected shells.")
    got = routes(resources, text)
    assert ("Cadiz", "1801-05-03") not in got.get("Tom Bell", []), got
    assert "Ann Reed" not in got, got


def test_the_doers_of_a_participle_are_its_by_phrase_not_the_noun_it_describes():
    from handdoc import parse

    from geo.extraction.deixis import _doers

    doc = parse("""
        the        the        DET   DT  det   1
        specimens  specimen   NOUN  NNS ROOT  1
        retrieved  retrieve   VERB  VBN acl   1
        by         by         ADP   IN  agent 2
        Banks      Banks      PROPN NNP pobj  3  PERSON
        and        and        CCONJ CC  cc    4
        Solander   Solander   PROPN NNP conj  4  PERSON
    """)
    refs = {4: ("Joseph Banks",), 6: ("Daniel Solander",)}
    assert _doers(doc[2], refs) == ("Joseph Banks", "Daniel Solander")
    # without "by", a participle on a thing has no doer (not the specimens, not the sentence's subject)
    bare = parse("""
        Cook       Cook       PROPN NNP nsubj 1  PERSON
        named      name       VERB  VBD ROOT  1
        the        the        DET   DT  det   3
        specimens  specimen   NOUN  NNS dobj  1
        collected  collect    VERB  VBN acl   3
    """)
    assert _doers(bare[4], {0: ("James Cook",)}) == ()
