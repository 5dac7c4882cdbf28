"""What is and is not a place name, on hand-built Docs (fixed entity labels) with the real gazetteer."""

from __future__ import annotations

from handdoc import flat

from geo.extraction.mentions import Recogniser, sentence_finder, sentences_of

LONG = "the scorching heat of a tropical sun has in most places rendered the soil unfit near"  # > 40 characters


def _places(gazetteer, doc):
    return Recogniser(gazetteer).places(doc, "t", sentence_finder(sentences_of(doc, "t")))[0]


def found(gazetteer, doc) -> list[str]:
    return [p.text for p in _places(gazetteer, doc)]


def found_spans(gazetteer, doc) -> list[int]:
    return [p.start for p in _places(gazetteer, doc)]


def test_a_heading_place_does_not_take_the_blank_line_after_it(gazetteer):
    doc = flat("Crossing of Greenland ⏎⏎ Planning ⏎⏎ The idea grew .", {"Greenland ⏎⏎": "ORG"})
    assert found(gazetteer, doc) == ["Greenland"]


def test_a_name_wrapped_over_two_lines_is_one_name_or_none(gazetteer):
    # the model labels the first line's part only ("Porto"), or nothing
    labelled = flat(f"{LONG} Porto ⏎ Praya was clothed with trees .", {"Porto": "GPE"})
    assert found(gazetteer, labelled) == ["Porto\nPraya"]
    unlabelled = flat(f"{LONG} Porto ⏎ Praya was clothed with trees .")
    assert "Porto" not in found(gazetteer, unlabelled)


def test_a_preposition_at_the_end_of_a_hard_wrapped_line_still_says_place(gazetteer):
    # A journal wrapped at 70 columns puts the line break between "at" and the name the model took for a
    # person's: the preposition before the break is the cue, as it is on one line.
    wrapped = flat(f"{LONG} , we anchored at ⏎ Puerto Plata , in the north .", {"Puerto Plata": "PERSON"})
    assert found(gazetteer, wrapped) == ["Puerto Plata"]
    uncued = flat(f"{LONG} , we met ⏎ Puerto Plata , in the north .", {"Puerto Plata": "PERSON"})
    assert found(gazetteer, uncued) == []


def test_a_feature_named_x_of_y_is_one_name_where_the_model_saw_none(gazetteer):
    doc = flat("Rounding the Cape of Good Hope , the ship sailed on to the Bay of Biscay .")
    assert found(gazetteer, doc) == ["Cape of Good Hope", "Bay of Biscay"]


def test_short_lines_are_a_list_not_a_wrapped_name(gazetteer):
    doc = flat("We saw : ⏎ Lima ⏎ Cusco ⏎ and more .", {"Lima": "GPE", "Cusco": "GPE"})
    assert found(gazetteer, doc) == ["Lima", "Cusco"]


def test_a_word_for_a_kind_of_place_alone_is_no_name(gazetteer):
    doc = flat("They were so near the Shore , upon the Sea beach , by Burnished Rocks , and sailed to Cape Town .",
               {"Shore": "ORG", "Sea": "LOC", "Cape Town": "GPE"})
    assert found(gazetteer, doc) == ["Cape Town"]


def test_a_possessive_name_is_kept_whole_unless_its_rest_is_a_place(gazetteer):
    doc = flat("We passed St. Paul 's Rocks and Erdoğan 's Turkey .",
               {"St. Paul 's Rocks": "GPE", "Erdoğan 's Turkey": "GPE"})
    assert found(gazetteer, doc) == ["St. Paul's Rocks", "Turkey"]


def test_planets_and_virtues_that_name_towns_are_no_places(gazetteer):
    doc = flat("They observed the transit of Venus , sang of Freedom and read Libertad in Lima .",
               {"Venus": "LOC", "Freedom": "GPE", "Libertad": "GPE", "Lima": "GPE"})
    assert found(gazetteer, doc) == ["Lima"]


def test_a_persons_name_labelled_a_place_is_theirs_unless_the_place_is_prominent(gazetteer):
    doc = flat("Robert Shufeldt met Grace Hopper and Paris Hilton . "
               "From Liberia , Shufeldt sailed with Grace to Paris .",
               {"Robert Shufeldt": "PERSON", "Grace Hopper": "PERSON", "Paris Hilton": "PERSON", "Liberia": "GPE",
                "Shufeldt#2": "GPE", "Grace#2": "GPE", "Paris#2": "GPE"})
    assert found(gazetteer, doc) == ["Liberia", "Paris"]


def test_an_acronym_is_no_place(gazetteer):
    # defined for an agency in the text, or matched only by a town's alternate name
    doc = flat("Homeland Security Investigations ( HSI ) agents went to HSI in Miami ; the United Arab Emirates "
               "( UAE ) sent agents to the UAE .",
               {"Homeland Security Investigations": "ORG", "Miami": "GPE", "United Arab Emirates": "GPE"})
    got = found(gazetteer, doc)
    assert "HSI" not in got
    assert "UAE" in got and "Miami" in got


def test_a_law_report_or_code_citation_is_no_place(gazetteer):
    doc = flat("Edwards v. California , 314 U.S. 160 , and 42 U.S.C. § 1983 apply in the U.S. today .",
               {"California": "GPE", "U.S.": "GPE", "U.S.C.": "GPE", "U.S.#2": "GPE"})
    assert found(gazetteer, doc) == ["California", "U.S."]
    assert doc.text.index("U.S.") < found_spans(gazetteer, doc)[-1]


def test_a_photo_credit_names_no_place_but_a_caption_does(gazetteer):
    doc = flat("Troops left . ⏎ Photo : Kenya Wildlife Service / Jane Doe ⏎ Photo : Troops march in Cairo . ⏎ "
               "( Photograph by Nairobi Times ) ⏎ Image : the harbour of Valletta",
               {"Kenya Wildlife Service": "ORG", "Cairo": "GPE", "Nairobi Times": "ORG", "Valletta": "GPE"},
               verbs=("left", "march"))
    assert found(gazetteer, doc) == ["Cairo", "Valletta"]


def test_an_unknown_building_gives_the_place_in_its_name(gazetteer):
    doc = flat("Upon arrival at the San Pedro Sula International Airport he was met .",
               {"the San Pedro Sula International Airport": "FAC"})
    assert found(gazetteer, doc) == ["San Pedro Sula"]


def test_a_bay_or_a_fjord_the_model_calls_a_building_is_a_place(gazetteer):
    # a natural feature's name (its last word says so), unknown to the gazetteer: a place to place, not a
    # building to look inside
    doc = flat("Both had set out from Umivik Bay and then from Kangerlu Fjord .",
               {"Umivik Bay": "FAC", "Kangerlu Fjord": "FAC"})
    assert found(gazetteer, doc) == ["Umivik Bay", "Kangerlu Fjord"]
    # a building's name keeps giving only the place inside it
    doc = flat("He waited at the Ankara Grand Hotel .", {"the Ankara Grand Hotel": "FAC"})
    assert found(gazetteer, doc) == ["Ankara"]


def test_a_word_taken_for_a_person_is_a_place_only_by_its_own_name(gazetteer):
    # "Venda" is only an alternate name of Venda Nova do Imigrante; Sabha is a town's own name
    doc = flat("We returned to the Venda and then to Sabha .", {"Venda": "PERSON", "Sabha": "PERSON"})
    assert found(gazetteer, doc) == ["Sabha"]


def test_the_body_of_an_itinerary_line_is_a_place_context(gazetteer):
    # "Darwin" taken for a person and "Kupang" run into a date by the model: both are places there
    doc = flat("* June 3 : Darwin to Ende . ⏎ * June 5 - Kupang to Ende",
               {"Darwin": "PERSON", "June 5 - Kupang": "DATE"})
    assert found(gazetteer, doc) == ["Darwin", "Ende", "Kupang", "Ende"]
    prose = flat("We met Darwin there .", {"Darwin": "PERSON"})
    assert found(gazetteer, prose) == []


def test_verbs_of_touring_are_place_cues(gazetteer):
    assert found(gazetteer, flat("After lunch she explored Kendal and skirted Penrith .")) == ["Kendal", "Penrith"]


def test_a_saints_day_is_no_place(resources):
    from geo.pipeline import analyse_text

    a = analyse_text("In Venice he watched the ceremonies of St. Mark's day and left for Jaffa.", resources)
    assert "St. Mark" not in {p.mention.text for p in a.places}
    assert "Venice" in {p.mention.text for p in a.places}


def test_a_name_the_model_cut_in_pieces_is_one_place(gazetteer):
    # The model labels a part, or two parts differently; the gazetteer knows the whole.
    doc = flat("Delegates from Trinidad and Tobago , the U.S. Virgin Islands and Boa Vista met in Baja California .",
               {"Trinidad": "GPE", "Tobago": "ORG", "U.S.": "GPE", "Boa": "GPE", "Vista": "ORG",
                "Baja": "GPE", "California": "GPE"})
    assert found(gazetteer, doc) == ["Trinidad and Tobago", "U.S. Virgin Islands", "Boa Vista", "Baja California"]
    # Two names side by side stay two names: no place is called "France and Germany".
    doc = flat("Talks between France and Germany stalled .", {"France": "GPE", "Germany": "GPE"})
    assert found(gazetteer, doc) == ["France", "Germany"]
    doc = flat("The U.S. said so .", {"The U.S.": "GPE"})
    assert found(gazetteer, doc) == ["U.S."]


def test_a_number_sign_is_no_town(gazetteer):
    # GeoNames gives a Ghanaian town "No" among its other names.
    doc = flat('They marched to the " No . 2 Detention Centre " in Tianjin .', {"Tianjin": "GPE"})
    assert found(gazetteer, doc) == ["Tianjin"]


def test_a_continent_in_the_name_of_a_building_places_it_nowhere(gazetteer):
    doc = flat("The concert was held at the SM Mall of Asia near Manila .",
               {"the SM Mall of Asia": "ORG", "Manila": "GPE"})
    assert found(gazetteer, doc) == ["Manila"]
    doc = flat("She joined the University of Toronto .", {"the University of Toronto": "ORG"})
    assert found(gazetteer, doc) == ["Toronto"]


def test_a_town_a_college_is_called_after_needs_to_be_prominent(gazetteer):
    # "from" is a cue for the college, not for Robinson, Illinois
    assert found(gazetteer, flat("He holds a degree from Robinson College Cambridge .")) == []
    assert found(gazetteer, flat("He moved from Robinson to Chicago .")) == ["Robinson", "Chicago"]


def test_an_item_of_a_list_of_places_is_a_place(gazetteer):
    # The model calls a city in the middle of a list a person
    doc = flat("The band will play Lima , Quito , Bogotá and Caracas .",
               {"Lima": "GPE", "Quito": "GPE", "Bogotá": "PERSON", "Caracas": "GPE"})
    assert found(gazetteer, doc) == ["Lima", "Quito", "Bogotá", "Caracas"]
    doc = flat("I would like to see Cork , Bergen and Kazan .", {"Cork": "PERSON", "Bergen": "GPE", "Kazan": "GPE"})
    assert found(gazetteer, doc) == ["Cork", "Bergen", "Kazan"]
    # A name after a place and a comma that goes on as a sentence is no list item.
    doc = flat("Leaving the Moluccas , Cook turned west .", {"the Moluccas": "LOC", "Cook": "PERSON"})
    assert "Cook" not in found(gazetteer, doc)


def test_the_preposition_before_a_list_says_place_for_every_item(gazetteer):
    # the first item is unknown to the gazetteer and the model calls the second a person: the cue before
    # the list holds for both
    doc = flat("We went on to Hawkshead and Coniston , and rested .", {"Hawkshead": "ORG", "Coniston": "PERSON"})
    assert found(gazetteer, doc) == ["Coniston"]
    doc = flat("We went to Rydal , Hawkshead and Coniston .", {"Hawkshead": "ORG", "Coniston": "PERSON"})
    assert found(gazetteer, doc) == ["Rydal", "Coniston"]
    # no cue before the list: a name the model calls a person stays one
    assert found(gazetteer, flat("We met Hawkshead and Coniston .", {"Hawkshead": "ORG", "Coniston": "PERSON"})) == []


def test_a_name_that_ends_with_its_kind_of_place_is_a_place_whatever_the_model_called_it(gazetteer):
    doc = flat("We rowed on Coniston Water and crossed Kirkstone Pass .",
               {"Coniston Water": "PERSON", "Kirkstone Pass": "ORG"})
    assert found(gazetteer, doc) == ["Coniston Water", "Kirkstone Pass"]
    # a common noun is no name: "the water" is nothing
    assert found(gazetteer, flat("We rowed on the Still water .", {"Still water": "PERSON"})) == []


def test_a_town_before_its_country_or_state_code_is_a_place(gazetteer):
    assert found(gazetteer, flat("Tromsø Norway")) == ["Tromsø", "Norway"]
    doc = flat("Houston TX USA", {"Houston TX USA": "GPE"})
    assert found(gazetteer, doc) == ["Houston", "USA"]
    doc = flat("Police in London , ON said so .", {"London": "GPE", "ON": "ORG"})
    assert found(gazetteer, doc) == ["London"]
    assert found(gazetteer, flat("From Liberia , they sailed .", {"Liberia": "GPE"})) == ["Liberia"]


def test_a_span_the_gazetteer_does_not_know_whole_gives_its_places(gazetteer):
    doc = flat("The fleet sailed from the Cape of Good Hope to Botany Bay .",
               {"the Cape of Good Hope to Botany Bay": "LOC"})
    assert found(gazetteer, doc) == ["Cape of Good Hope", "Botany Bay"]
    doc = flat("Near Bangor , Maine , a bridge fell .", {"Near Bangor": "PERSON", "Maine": "GPE"})
    assert found(gazetteer, doc) == ["Bangor", "Maine"]


def test_a_big_city_the_model_takes_for_a_person_is_a_place(gazetteer):
    doc = flat("Belo Horizonte hosted the final .", {"Belo Horizonte": "PERSON"})
    assert found(gazetteer, doc) == ["Belo Horizonte"]
    doc = flat("Georgia O'Keeffe painted flowers .", {"Georgia O'Keeffe": "PERSON"})
    assert found(gazetteer, doc) == []


def test_a_link_inside_a_name_is_no_place_alone(gazetteer):
    # "Of" is a town in Turkey; "of" between the words of a name the gazetteer does not know names nothing
    doc = flat("The case was heard at the District of Massachusetts , then in Izmir .", {"Izmir": "GPE"})
    assert found(gazetteer, doc) == ["Massachusetts", "Izmir"]


def test_a_town_in_capitals_that_opens_a_line_before_a_dash_is_a_dateline(gazetteer):
    # The shape of a news dateline: the town in capitals at the head of a line, a dash or an agency after it,
    # maybe its state between. Immokalee is no town known well enough to be a place without a cue.
    assert found(gazetteer, flat("IMMOKALEE – The congressman spoke at the school .")) == ["IMMOKALEE"]
    assert found(gazetteer, flat("Grant event ⏎ IMMOKALEE ( AP ) — The congressman spoke .")) == ["IMMOKALEE"]
    # in ordinary case, or inside a line, it is no dateline
    assert found(gazetteer, flat("Immokalee – The congressman spoke at the school .")) == []
    assert found(gazetteer, flat("He said IMMOKALEE – and more .")) == []


def test_a_place_name_the_gazetteer_lacks_gives_the_prominent_place_it_is_called_after(gazetteer):
    # The model's place, unknown whole: a team, a college, a party named after a place names that place.
    assert found(gazetteer, flat("He scored for Birmingham City on Sunday .", {"Birmingham City": "GPE"})) == [
        "Birmingham"]
    assert found(gazetteer, flat("Fans of Mississippi State cheered .", {"Mississippi State": "GPE"})) == [
        "Mississippi"]
    # a part of a place, or a feature, stays whole for the resolver
    assert found(gazetteer, flat("They flew over the South Atlantic .", {"South Atlantic": "LOC"})) == [
        "South Atlantic"]
    assert found(gazetteer, flat("We rowed on Coniston Water .", {"Coniston Water": "LOC"})) == ["Coniston Water"]


def test_a_town_that_owns_a_building_by_name_is_a_place(gazetteer):
    # "X's <name> Hospital": the town of some size that owns it is named; a saint's or a founder's is not.
    assert found(gazetteer, flat("The campus opened at Derry 's Altnagelvin Hospital .",
                                 {"Derry 's Altnagelvin Hospital": "ORG"})) == ["Derry"]
    assert "St." not in " ".join(found(gazetteer, flat("She was treated at St. Mary 's Hospital .",
                                                       {"St. Mary 's Hospital": "ORG"})))


def test_part_of_a_double_name_cut_at_its_hyphen_is_no_place(gazetteer):
    # The model labels "Cardona" of "Cardona-Ruiz" a place; the parts of "the London-Paris train" are places.
    from spacy.tokens import Doc

    from handdoc import _iob, _vocab

    words = ["Agents", "searched", "a", "house", "rented", "by", "Cardona", "-", "Ruiz", "after", "the", "London",
             "-", "Paris", "train", "."]
    joined = {6, 7, 11, 12}  # no space after these
    labels = [None] * len(words)
    labels[6] = labels[11] = labels[13] = "GPE"
    doc = Doc(_vocab(), words=words, spaces=[i not in joined and i + 1 < len(words) and words[i + 1] != "."
                                             for i in range(len(words))],
              pos=["PROPN" if w[:1].isupper() else "NOUN" for w in words], heads=[0] * len(words),
              deps=["ROOT"] + ["dep"] * (len(words) - 1), ents=_iob(labels))
    assert "Cardona-Ruiz" in doc.text and "London-Paris" in doc.text
    assert found(gazetteer, doc) == ["London", "Paris"]


def test_a_one_word_building_the_words_call_a_place_is_a_town_unless_it_names_a_site(gazetteer):
    # the model calls "Óbidos" a building; after "passed" (a verb that takes a place) it is the town, while
    # "flew to Heathrow" is still the airport
    doc = flat("The schooner passed Óbidos in April and the crew flew to Heathrow .",
               {"Óbidos": "FAC", "Heathrow": "FAC"})
    labels = {p.text: p.label for p in _places(gazetteer, doc)}
    assert labels == {"Óbidos": "GAZ", "Heathrow": "FAC"}


def test_passing_a_place_says_place(gazetteer):
    doc = flat("The convoy passed Osmaniye by noon .", {"Osmaniye": "PERSON"})
    assert found(gazetteer, doc) == ["Osmaniye"]


def test_a_word_the_model_calls_a_place_elsewhere_is_a_place_where_it_calls_it_a_person(gazetteer):
    # one sense per document: "Austria registered ..." (labelled a person) after "Austria's government"
    doc = flat("Austria 's government spoke . Austria registered many applications .",
               {"Austria": "GPE", "Austria#2": "PERSON"})
    assert found(gazetteer, doc) == ["Austria", "Austria"]
    alone = flat("Austria registered many applications .", {"Austria": "PERSON"})
    assert found(gazetteer, alone) == []


def test_a_small_town_found_as_a_place_is_one_again_where_it_does_not_act(gazetteer):
    # one sense per document: "set out at ten for Grassington" after "walked to Grassington", whatever the model
    # called the second; not where the name acts ("Grassington said"), and not without the first
    doc = flat("We walked to Grassington . Next day we saw Grassington again .",
               {"Grassington#1": "PERSON", "Grassington#2": "PERSON"})
    assert found(gazetteer, doc) == ["Grassington", "Grassington"]
    alone = flat("Next day we saw Grassington again .", {"Grassington": "PERSON"})
    assert found(gazetteer, alone) == []


def test_a_town_and_its_country_in_one_entity_are_two_names_without_the_comma(gazetteer):
    doc = flat("She was born in Enugu , Nigeria .", {"Enugu , Nigeria": "GPE"})
    assert found(gazetteer, doc) == ["Enugu", "Nigeria"]
    doc = flat("The Canada - Mexico trade deal was signed .", {"Canada - Mexico": "GPE"})
    assert found(gazetteer, doc) == ["Canada", "Mexico"]
