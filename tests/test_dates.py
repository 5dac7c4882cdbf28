import pytest

from geo.extraction.dates import ParsedDate, parse_date, parse_in_order


@pytest.mark.parametrize("text,iso,precision", [
    ("January 2, 2015", "2015-01-02", "day"),
    ("14 May 2019", "2019-05-14", "day"),
    ("March 2016", "2016-03", "month"),
    ("in 2017", "2017", "year"),
    ("late 2015", "2015", "year"),
    ("the end of 2013", "2013", "year"),
    ("early March 2020", "2020-03", "month"),
    ("mid-April 2011", "2011-04", "month"),
])
def test_absolute_and_vague(text, iso, precision):
    d = parse_date(text)
    assert (d.iso, d.precision) == (iso, precision)


def test_partial_date_takes_its_year_from_the_anchor():
    anchor = parse_date("June 11, 2015")
    assert parse_date("June 14", anchor).iso == "2015-06-14"
    assert parse_date("June 14").iso is None  # no year anywhere: not a guess


@pytest.mark.parametrize("text,iso", [
    ("three days later", "2015-06-17"),
    ("10 days later", "2015-06-24"),
    ("a week later", "2015-06-21"),
    ("two days before", "2015-06-12"),
    ("the next day", "2015-06-15"),
    ("the same day", "2015-06-14"),
])
def test_relative_dates_move_from_the_anchor(text, iso):
    anchor = ParsedDate("2015-06-14", precision="day")
    d = parse_date(text, anchor)
    assert d.iso == iso and d.relative


def test_relative_date_without_anchor_is_undated():
    assert not parse_date("three days later").is_date


def test_relative_date_keeps_a_coarse_anchor_coarse():
    assert parse_date("two days later", ParsedDate("2015-06", precision="month")).iso == "2015-06"


def test_durations_are_not_dates_but_carry_days():
    assert parse_date("four days").duration_days == 4
    assert parse_date("a year").duration_days == 365
    assert not parse_date("two weeks").is_date


def test_spans():
    d = parse_date("6/14-6/15")
    assert (d.iso, d.iso_end) == ("2014-06", "2015-06")
    d = parse_date("between 2014 and 2016")
    assert (d.iso, d.iso_end, d.precision) == ("2014", "2016", "year")


def test_words_without_a_calendar_date_are_undated():
    for text in ("Christmas", "today", "", "   ", "the past"):
        assert not parse_date(text).is_date


def test_in_order_anchors_each_relative_to_the_last_absolute():
    out = parse_in_order(["November 4, 2014", "10 days later", "December 12, 2015", "the same day"])
    assert [d.iso for d in out] == ["2014-11-04", "2014-11-14", "2015-12-12", "2015-12-12"]


@pytest.mark.parametrize("text,iso,iso_end,precision", [
    ("the summer of 2018", "2018-06", "2018-08", "month"),
    ("spring 1326", "1326-03", "1326-05", "month"),
    ("the first half of 2016", "2016-01", "2016-06", "month"),
    ("the 1990s", "1990", "1999", "year"),
    ("the late 1990s", "1996", "1999", "year"),
])
def test_seasons_halves_and_decades_are_spans(text, iso, iso_end, precision):
    d = parse_date(text)
    assert (d.iso, d.iso_end, d.precision) == (iso, iso_end, precision)


@pytest.mark.parametrize("text,iso", [
    ("on or about March 3, 2019", "2019-03-03"),
    ("in or around May 2017", "2017-05"),
    ("approximately June 2016", "2016-06"),
    ("August 1326", "1326-08"),
])
def test_hedges_are_dropped_and_old_years_read(text, iso):
    assert parse_date(text).iso == iso


@pytest.mark.parametrize("text,anchor,iso", [
    ("a month later", "July 1952", "1952-08"),  # a calendar month, not 30 days from the 1st
    ("a month later", "January 31, 2015", "2015-02"),
    ("a year later", "June 14, 2015", "2016"),  # no more precise than its unit
    ("the following year", "June 14, 2015", "2016"),
    ("after four days", "June 14, 2015", "2015-06-18"),
    ("the day after", "June 14, 2015", "2015-06-15"),
    ("the next morning", "June 14, 2015", "2015-06-15"),
    ("later that month", "June 14, 2015", "2015-06"),
])
def test_relative_steps_follow_the_calendar_and_their_unit(text, anchor, iso):
    d = parse_date(text, parse_date(anchor))
    assert d.iso == iso and d.relative


# --- the narrative clock, as parse_date and dates_of read it ------------------------------------

def test_a_date_without_a_year_moves_forward_from_the_anchor():
    assert parse_date("the 6th of January", parse_date("the 27th of December, 1831")).iso == "1832-01-06"
    assert parse_date("on the 9th", ParsedDate("1456-06-05", precision="day")).iso == "1456-06-09"
    assert parse_date("18 June", ParsedDate("1456-06-24", precision="day")).iso == "1456-06-18"


def _dates(nlp, text, **kw):
    from geo.extraction.dates import dates_of

    return [(m.text, d.iso, d.iso_end) for m, d in dates_of(nlp(text), "d", lambda offset: None, **kw)]


def test_dates_of_anchors_weekdays_on_the_dateline(nlp):
    got = _dates(nlp, "LONDON, March 3, 2011 (Reuters) - The minister flew to Paris on Monday.")
    assert ("Monday", "2011-02-28", None) in got


def test_dates_of_takes_the_given_document_date(nlp):
    got = _dates(nlp, "The minister flew to Paris on Monday.", document_date="2015-06-10")
    assert got == [("Monday", "2015-06-08", None)]


def test_dates_of_gives_a_range_as_one_span(nlp):
    got = _dates(nlp, "Between 2014 and 2016 it took delivery of six jets, and from 6/14-6/15 of four more.")
    assert ("2014 and 2016", "2014", "2016") in got
    assert ("6/14-6/15", "2014-06", "2015-06") in got


def test_dates_of_reads_the_days_of_a_narrative(nlp):
    got = _dates(nlp, "He reached Coruna on 21 May 1456, and left it on 5 June, arriving at Plymouth on the 9th. "
                      "Two years later he left Venice on 18 May, reached Jaffa on 18 and Jerusalem on 24 June.")
    assert [(t, iso) for t, iso, _ in got] == [
        ("21 May 1456", "1456-05-21"), ("5 June", "1456-06-05"), ("the 9th", "1456-06-09"),
        ("Two years later", "1458"), ("18 May", "1458-05-18"), ("18", "1458-06-18"), ("24 June", "1458-06-24")]


def test_dates_of_keeps_no_date_that_the_parser_cut_in_two():
    import spacy
    from spacy.tokens import Doc

    from geo.extraction.dates import dates_of
    from geo.extraction.mentions import sentence_finder, sentences_of

    doc = Doc(spacy.blank("en").vocab, words=["Paris", "2", "May", "2015", ".", "He", "left", "on", "3", "June",
                                              "2016", "."],
              sent_starts=[True, False, True, False, False, True, False, False, False, False, False, False])
    sentence_of = sentence_finder(sentences_of(doc, "d"))
    got = dates_of(doc, "d", sentence_of)
    assert [m.text for m, _ in got] == ["3 June 2016"]
    assert all(m.sentence.start <= m.start and m.end <= m.sentence.end for m, _ in got)
