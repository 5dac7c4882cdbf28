"""Building each mover's route from their facts: made-up texts in the shapes real writing uses."""

from __future__ import annotations

from geo.pipeline import analyse_text


def route(resources, text: str, person: str) -> list[tuple[str, str | None]]:
    a = analyse_text(text, resources)
    ties = sorted((t for t in a.ties if t.person == person and t.order is not None), key=lambda t: t.order)
    return [(a.places[t.place].mention.text, t.date) for t in ties]


def test_the_date_of_leaving_for_a_place_is_not_the_date_of_arriving_there(resources):
    text = ("In December 1939 Tom Reyes left his home in Fresno for Tulsa, Oklahoma. "
            "He left Tulsa on January 4, 1940 and reached Fresno on January 9, 1940.")
    assert route(resources, text, "Tom Reyes") == [("Fresno", "1939-12"), ("Tulsa", "1940-01-04"),
                                                   ("Fresno", "1940-01-09")]


def test_arriving_in_the_area_one_is_already_in_is_no_new_stop(resources):
    text = "Lena Moss flew to Austin on May 2, 2011. When she arrived in Texas, she called her brother."
    assert [p for p, _ in route(resources, text, "Lena Moss")] == ["Austin"]


def test_a_return_to_the_country_on_another_date_is_a_new_stop(resources):
    text = "Peter Holm flew to Tokyo in July 2019. He was extradited to Japan in March 2021."
    assert [p for p, _ in route(resources, text, "Peter Holm")] == ["Tokyo", "Japan"]


def test_an_itinerary_list_is_the_route_of_the_texts_traveller(resources):
    text = "Timor notes\nby Ada Lowe\n\n* June 3, 2019: Darwin to Kupang.\n* June 5: Kupang to Dili.\n"
    assert route(resources, text, "Ada Lowe") == [("Darwin", "2019-06-03"), ("Kupang", "2019-06-03"),
                                                  ("Dili", "2019-06-05")]
    unsigned = "Timor notes\n\n* June 3, 2019: Darwin to Kupang.\n* June 5: Kupang to Dili.\n"
    a = analyse_text(unsigned, resources)
    assert "the narrator" in {p.name for p in a.people}
    assert [p for p, _ in route(resources, unsigned, "the narrator")] == ["Darwin", "Kupang", "Dili"]


def test_people_taken_along_share_the_move(resources):
    text = ("In 1990 Anna Berg travelled to Rome with her husband Karl Berg. "
            "In 1991 Omar Said sailed to Lisbon, taking with him Tupac Amaru, a Peruvian priest.")
    assert route(resources, text, "Karl Berg") == [("Rome", "1990")]
    assert [p for p, _ in route(resources, text, "Tupac Amaru")] == ["Lisbon"]


def test_meeting_someone_somewhere_is_no_journey_with_them(resources):
    text = ("On March 10, 2019, Marco Ruiz met with a courier, Ana Torres, in Medellin. "
            "In May 2019, Ana Torres traveled from Medellin to Madrid.")
    assert route(resources, text, "Ana Torres")[:1] in ([("Medellin", "2019-05")], [("Madrid", "2019-05")])


def test_a_news_reports_undated_news_comes_after_its_dated_past(resources):
    text = ("March 3, 2012\n\nMIAMI - Mario Perez was flown from Miami to Managua on a federal flight. "
            "He had been removed from the United States to Nicaragua on May 2, 2008.")
    assert [p for p, _ in route(resources, text, "Mario Perez")][-2:] == ["Miami", "Managua"]
    assert route(resources, text, "Mario Perez")[0][1] == "2008-05-02"


def test_dates_on_one_verb_pair_with_its_places_in_text_order(resources):
    text = "In 1458 Tom Wey left Venice on 18 May, reached Jaffa on 18 and Jerusalem on 24 June."
    got = dict(route(resources, text, "Tom Wey"))
    assert got.get("Jaffa") == "1458-06-18" and got.get("Jerusalem") == "1458-06-24", got


def test_a_journeys_end_comes_after_the_stops_told_on_the_way(resources):
    # "returned to X via A and B, arriving at C on <date>": C is on the way; X, undated, is reached last.
    text = ("In 1801 Anna Vogel sailed from Lisbon to Alexandria. She returned to Germany via Malta and then "
            "Sicily, arriving at Venice on 3 May 1802.")
    assert [p for p, _ in route(resources, text, "Anna Vogel")] == ["Lisbon", "Alexandria", "Malta", "Sicily",
                                                                    "Venice", "Germany"]


def test_a_news_reports_undated_news_is_of_its_date(resources):
    text = ("March 3, 2012\n\nMIAMI - Mario Perez was flown from Miami to Managua on a federal flight. "
            "He had been removed from the United States to Nicaragua on May 2, 2008.")
    assert route(resources, text, "Mario Perez")[-2:] == [("Miami", "2012-03-03"), ("Managua", "2012-03-03")]
    undated = ("Mario Perez was flown from Miami to Managua on a federal flight. "
               "He had been removed from the United States to Nicaragua on May 2, 2008.")  # no date of its own
    assert route(resources, undated, "Mario Perez")[:2] == [("Miami", None), ("Managua", None)]


def test_a_move_a_time_clause_tells_again_is_no_new_stop(resources):
    # "when he left Texas", "by the time he reached Fresno": the journey just told, seen from its end
    text = ("Luis Ortega left Abilene on June 1, 1950, entered California by way of Arizona on June 3, and reached "
            "Fresno on June 5. When he left Texas, Ortega had ten dollars. It had all been spent by the time he "
            "reached Fresno.")
    assert [p for p, _ in route(resources, text, "Luis Ortega")] == ["Abilene", "Arizona", "California", "Fresno"]
    back = ("On March 2, 1950, Luis Ortega left Abilene and reached Fresno on March 6. He then drove to Reno. "
            "In May he went back to Fresno.")  # a return told as a move is a stop
    assert [p for p, _ in route(resources, back, "Luis Ortega")] == ["Abilene", "Fresno", "Reno", "Fresno"]


def test_an_undated_leaving_of_a_place_left_before_is_no_new_stop(resources):
    text = ("Maria Lopez left Porto on 3 May 1990 and reached Lisbon on 5 May. She then went to Seville. "
            "Her diary is detailed after her departure from Porto.")
    assert [p for p, _ in route(resources, text, "Maria Lopez")] == ["Porto", "Lisbon", "Seville"]


def test_leaving_a_place_come_back_to_for_a_new_place_is_a_new_leg(resources):
    # a tour from a base: an excursion out and back, then "From X I proceeded to Y" sets out from X again
    text = ("A Northern Ramble, by Ann Price\n\nIn June we left Leeds and came to Durham, where we stayed two "
            "days. On Monday we went to Hexham, and returned by Corbridge. From Durham I proceeded to Carlisle.")
    assert [p for p, _ in route(resources, text, "Ann Price")] == ["Leeds", "Durham", "Hexham", "Corbridge",
                                                                   "Durham", "Carlisle"]


def test_an_undated_stop_between_two_dated_ones_was_made_between_their_dates(resources):
    # "left X for Y" dates the leaving, not the arrival; the next dated move bounds when Y was reached
    text = ("On 3 March 1921 the geologist Ruth Dale left Cairo for Luxor. On 9 March she sailed from Aswan "
            "to Wadi Halfa.")
    a = analyse_text(text, resources)
    ties = {a.places[t.place].mention.text: t for t in a.ties if t.person == "Ruth Dale" and t.order}
    assert (ties["Luxor"].date, ties["Luxor"].date_end) == ("1921-03-03", "1921-03-09")
    assert ties["Cairo"].date == "1921-03-03" and ties["Aswan"].date == "1921-03-09"
    # with nothing dated after it, the arrival stays undated
    alone = analyse_text("On 3 March 1921 the geologist Ruth Dale left Cairo for Luxor.", resources)
    assert [t.date for t in alone.ties if t.person == "Ruth Dale" and t.order and
            alone.places[t.place].mention.text == "Luxor"] == [None]


def test_what_would_be_tomorrow_is_no_time_of_the_story(resources):
    # a blog posted in July tells of June; "I would do it again tomorrow" counts from the posting day, and the
    # next morning of the story is still the day after the one it told
    text = ("Posted 16 July 2024\n\nOn 4 June 2024 Ada Lowe reached Salamanca. It was a long day, and she would do "
            "it again tomorrow. The next morning she took the train to Madrid.")
    assert route(resources, text, "Ada Lowe") == [("Salamanca", "2024-06-04"), ("Madrid", "2024-06-05")]
