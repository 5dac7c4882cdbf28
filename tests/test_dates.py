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
