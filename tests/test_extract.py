"""Recognition on short texts written for the purpose, with the real model and gazetteer."""

from geo.extraction.mentions import extract


def places(nlp, gazetteer, text):
    return [p.text for p in extract(nlp(text), "t", gazetteer).places]


def test_model_labels_are_kept(nlp, gazetteer):
    found = places(nlp, gazetteer, "The delegation flew from Berlin to Nairobi and then to Kenya's coast.")
    assert "Berlin" in found and "Nairobi" in found and "Kenya" in found


def test_a_place_the_model_mislabels_is_recovered_by_gazetteer_and_cue(nlp, gazetteer):
    text = "She went to the border province of Şanlıurfa, where she spent four days."
    assert "Şanlıurfa" in places(nlp, gazetteer, text)


def test_an_appositive_place_noun_is_a_cue(nlp, gazetteer):
    text = "McGurk said, “Tal Abyad, a Syrian border town, was the main supply route.”"
    assert "Tal Abyad" in places(nlp, gazetteer, text)


def test_a_surname_that_is_also_a_town_is_not_a_place(nlp, gazetteer):
    text = "According to Abdullah Bozkurt, an expert, the office moved. Bozkurt said it grew."
    assert "Bozkurt" not in places(nlp, gazetteer, text)


def test_months_and_common_words_are_not_places(nlp, gazetteer):
    found = places(nlp, gazetteer, "They were arrested in March. Click to comment. He said May was hard.")
    assert "March" not in found and "May" not in found and "Click" not in found


def test_offsets_point_into_the_text(nlp, gazetteer):
    text = "Protesters marched in Kraków and then in Gdańsk on 3 May 2019."
    ex = extract(nlp(text), "t", gazetteer)
    for p in ex.places:
        assert text[p.start:p.end] == p.text
        assert p.sentence.text in text
    assert [d.iso for d, _ in ex.dates] == ["2019-05-03"]


def test_people_and_dates_are_extracted(nlp, gazetteer):
    text = "Ibrahim El Bakraoui flew to Antalya on June 11, 2015 and moved on to Gaziantep on June 14."
    ex = extract(nlp(text), "t", gazetteer)
    assert [p.text for p in ex.people] == ["Ibrahim El Bakraoui"]
    assert [d.iso for d, _ in ex.dates] == ["2015-06-11", "2015-06-14"]
