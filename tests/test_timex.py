"""The date reader: each shape of time expression on a made-up sentence, and the narrative clock.

The rules read text, so most tests tokenise with a blank English pipeline (no model: no parse, no
entities); what needs the parse (the tense of a verb) is tested on hand-built Docs.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from geo.extraction.clock import Clock, is_news
from geo.extraction.timefind import find
from geo.extraction.timewords import Reading
from geo.extraction.timevalue import Point
from geo.extraction.timex import read_timexes, tense


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def read(nlp, text: str, dct: str | None = None) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in read_timexes(nlp(text), dct)]


def values(nlp, text: str, dct: str | None = None) -> dict[str, str]:
    return {t: v for t, _, v in read(nlp, text, dct)}


# --- shapes: calendar dates ------------------------------------------------------------------------

@pytest.mark.parametrize("text,span,value", [
    ("She landed on 3 May 1921 at dawn.", "3 May 1921", "1921-05-03"),  # day month year
    ("They sailed on the 27th of December, 1831.", "the 27th of December, 1831", "1831-12-27"),
    ("On the 3d of June 1769 we left.", "the 3d of June 1769", "1769-06-03"),  # older English: 2d, 3d
    ("Dated June 22d, 1790, at the inn.", "June 22d, 1790", "1790-06-22"),
    ("Filed March 01 , 2008 in Ohio .", "March 01 , 2008", "2008-03-01"),  # month day year, tokenised
    ("It opened on Monday, June 3, 2013.", "Monday, June 3, 2013", "2013-06-03"),
    ("He was removed on Jan. 23, 2006.", "Jan. 23, 2006", "2006-01-23"),
    ("He moved there in August 1326.", "August 1326", "1326-08"),  # month year
    ("The letter is dated 11 Aug. [1457].", "11 Aug. [1457]", "1457-08-11"),
    ("The log says 2015-01-02 for the start.", "2015-01-02", "2015-01-02"),  # ISO date
    ("Written in the American format, 7/8/07, it reads well.", "7/8/07", "2007-07-08"),  # numeric date
    ("Signed on 14.03.2015 in Bern.", "14.03.2015", "2015-03-14"),
    ("Prices rose in the 1990s.", "the 1990s", "199"),  # decade
    ("Tombs of the sixteenth century stand there.", "the sixteenth century", "15"),  # century
    ("Mills were built in the 1800s.", "the 1800s", "18"),
    ("He graduated before the autumn of 1430.", "autumn of 1430", "1430-FA"),  # season
    ("Profits fell in the third quarter of 2009.", "the third quarter of 2009", "2009-Q3"),  # quarter
    ("Sales rose in Q4 2011.", "Q4 2011", "2011-Q4"),
    ("Output grew in the first half of 2016.", "the first half of 2016", "2016-H1"),  # half year
    ("The deal closed in fiscal 2009.", "fiscal 2009", "FY2009"),
    ("The crash of '82 is remembered.", "'82", "1982"),  # year in short
    ("Rome was sacked in AD 410.", "AD 410", "0410"),  # year of the era
    ("They met in the year 1345 at the port.", "the year 1345", "1345"),
    ("The shops close at Christmas 2004.", "Christmas 2004", "2004-12-25"),  # holiday
    ("They met at Easter 2015.", "Easter 2015", "2015-04-05"),
    ("The 1991 settlement still holds.", "1991", "1991"),  # an adjectival year
    ("Keynote at Conference 2010 | June 8", "2010", "2010"),  # a year after a name
])
def test_calendar_shapes(blank, text, span, value):
    assert (span, value) in {(s, v) for s, _, v in read(blank, text)}


def test_a_name_before_a_year_with_a_capital_after_it_is_a_name(blank):
    assert read(blank, "The Russell 2000 Index fell.") == []


def test_lists_and_ranges_give_one_expression_per_date(blank):
    got = read(blank, "They met on 18 and 24 June 1458. Deliveries run from 2009 to 2011, then 1878–1880.")
    assert [(s, v) for s, _, v in got] == [("18", "1458-06-18"), ("24 June 1458", "1458-06-24"), ("2009", "2009"),
                                          ("2011", "2011"), ("1878", "1878"), ("1880", "1880")]


def test_a_bare_day_takes_the_month_named_after_it_in_its_sentence(blank):
    got = values(blank, "He left Venice on 18 May 1458, reached Jaffa on 18 and Jerusalem on 24 June.")
    assert got["18"] == "1458-06-18" and got["24 June"] == "1458-06-24"


def test_a_bare_day_without_a_month_in_its_sentence_is_no_date(blank):
    assert read(blank, "The vote was carried on 18, and the house rose.") == []


def test_the_decades_of_a_list(blank):
    assert [(s, v) for s, _, v in read(blank, "the boxy cars of the 70s and 80s")] == [("the 70s", "197"),
                                                                                    ("80s", "198")]


# --- shapes: lengths, recurrences, references, times of day -------------------------------------

@pytest.mark.parametrize("text,span,value", [
    ("He stayed four days in Rome.", "four days", "P4D"),  # N units
    ("He stayed for about ten days.", "about ten days", "P10D"),
    ("A fifty-year service life.", "fifty-year", "P50Y"),
    ("It is almost two and a half years late.", "almost two and a half years", "P2.5Y"),
    ("It was pushed back several years.", "several years", "PXY"),
    ("The system failed after thirty minutes.", "thirty minutes", "PT30M"),  # after N units
    ("After a 12-hour flight they landed.", "12-hour", "PT12H"),
    ("They have argued for years.", "years", "PXY"),  # units
    ("He spent the next 12 days at sea.", "the next 12 days", "P12D"),
    ("Over the past decade it grew.", "the past decade", "P10Y"),
    ("Half an hour passed.", "Half an hour", "PT30M"),
])
def test_lengths(blank, text, span, value):
    assert (span, "DURATION", value) in read(blank, text)


def test_two_lengths_of_one_unit(blank):
    assert read(blank, "It would take between 60 and 90 days.") == [("60", "DURATION", "P60D"),
                                                                    ("90 days", "DURATION", "P90D")]


def test_ordinals_and_shares_are_not_lengths(blank):
    assert read(blank, "He made a second visit and cut about a quarter of the dealers.") == []


@pytest.mark.parametrize("text,span,value", [
    ("They meet every Monday.", "every Monday", "XXXX-WXX-1"),  # every unit
    ("Claims for weekly benefits rose.", "weekly", "P1W"),  # daily, weekly
    ("Tankers at a rate of 15 a year.", "a year", "P1Y"),  # N times a unit
    ("They sail twice a week.", "a week", "P1W"),
])
def test_recurrences(blank, text, span, value):
    assert (span, "SET", value) in read(blank, text)


@pytest.mark.parametrize("text,span,value", [
    ("The nano is now smaller.", "now", "PRESENT_REF"),
    ("The store currently sells films.", "currently", "PRESENT_REF"),
    ("The shop has recently opened.", "recently", "PAST_REF"),
    ("It will grow in the near future.", "the near future", "FUTURE_REF"),
    ("Mistakes of the past were made.", "the past", "PAST_REF"),
    ("It was Persia (present-day Iran).", "present-day", "PRESENT_REF"),
])
def test_references_to_the_present_past_and_future(blank, text, span, value):
    assert (span, "DATE", value) in read(blank, text)


def test_now_inside_a_compound_is_no_time(blank):
    assert read(blank, "A speech against the now-cancelled deal.") == []


def test_clock_times_and_parts_of_the_day_take_their_day(blank):
    dct = "2009-12-16"
    got = read(blank, "It made its first flight Tuesday in Everett at 18:00 UTC. It landed at 6:40 p.m. that day.", dct)
    assert ("18:00 UTC", "TIME", "2009-12-15T18:00Z") in got
    assert ("6:40 p.m. that day", "TIME", "2009-12-15T18:40") in got
    got = read(blank, "GM admitted Thursday night that the loss could grow; it filed at 12:00 UTC Wednesday.",
               "2006-01-27")
    assert ("Thursday night", "TIME", "2006-01-26TNI") in got
    assert ("12:00 UTC Wednesday", "TIME", "2006-01-25T12:00Z") in got


def test_a_bare_clock_time_needs_a_word_that_makes_it_one(blank):
    assert read(blank, "Read John 3:16 aloud.") == []
    assert values(blank, "They left on 4 May 1901 at 3:15.")["3:15"] == "1901-05-04T03:15"


def test_a_time_of_day_before_its_date_takes_that_date(blank):
    got = values(blank, "On 18 June 1770 they stopped. The voyage went on and at about midday on 22 August 1770, "
                        "they reached the tip.")
    assert got["about midday on 22 August 1770"] == "1770-08-22T12:00"


def test_the_part_of_the_day_of_a_date(blank):
    assert values(blank, "They set out on the evening of 15 August 1888.")["evening of 15 August 1888"] == \
        "1888-08-15TEV"


# --- modifiers and hedges ----------------------------------------------------------------------

def test_modifiers_join_the_date_they_modify(blank):
    got = read(blank, "He took leave in early 2009, came back by the end of October 1999, and left late in the "
                      "autumn of 1458. Prices peaked in mid-2011.")
    spans = {s: v for s, _, v in got}
    assert spans == {"early 2009": "2009", "the end of October 1999": "1999-10",
                     "late in the autumn of 1458": "1458-FA", "mid-2011": "2011"}


def test_a_hedge_is_part_of_the_date_it_hedges(blank):
    assert read(blank, "On or about March 3, 2019, he traveled.") == [("On or about March 3, 2019", "DATE",
                                                                       "2019-03-03")]


def test_x_of_y_is_one_expression(blank):
    got = read(blank, "Letters go out after October of next year, as in the first quarter of last year.",
               "2009-05-15")
    assert ("October of next year", "DATE", "2010-10") in got
    assert ("the first quarter of last year", "DATE", "2008-Q1") in got


# --- the document's date: deictic expressions --------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("today", "2011-02-07"), ("yesterday", "2011-02-06"), ("earlier today", "2011-02-07"),
    ("tomorrow morning", "2011-02-08TMO"),
    ("last night", "2011-02-06TNI"), ("this morning", "2011-02-07TMO"), ("last week", "2011-W05"),
    ("this week", "2011-W06"), ("next month", "2011-03"), ("this year", "2011"), ("last year", "2010"),
    ("two years ago", "2009"), ("a week ago", "2011-01-31"), ("three days from now", "2011-02-10"),
    ("last June", "2010-06"), ("next Friday", "2011-02-11"), ("last Monday", "2011-01-31"),
])
def test_deictic_expressions_count_from_the_document_date(blank, text, value):
    got = read(blank, f"It was said {text}.", "2011-02-07")
    assert len(got) == 1 and got[0][0] == text and got[0][2] == value


def test_deictic_expressions_without_a_document_date_count_from_the_narrative(blank):
    assert values(blank, "On 3 June 1888 they left. The ship was late today.")["today"] == "1888-06-03"
    assert values(blank, "The ship was late yesterday.")["yesterday"] == "XXXX-XX-XX"


# --- the narrative's time: anaphoric expressions -----------------------------------------------

def test_a_step_back_to_a_coarser_time_is_a_comparison(blank):
    got = values(blank, "They landed on 3 June 1888. The previous year had been dry, and later that month it rained.")
    assert got["later that month"] == "1888-06"


def test_relative_dates_count_from_the_last_time_the_text_set(blank):
    got = values(blank, "The ship picked them up on 3 June 1888. They sighted the coast a week later. "
                        "Three days later they landed; the next morning they set out. The previous year had been "
                        "dry.")
    assert got["a week later"] == "1888-06-10"
    assert got["Three days later"] == "1888-06-13"
    assert got["the next morning"] == "1888-06-14TMO"
    assert got["The previous year"] == "1887"


def test_that_month_takes_the_narratives_year(blank):
    got = values(blank, "They reached the cape on 22 August 1770. No ceremony occurred that August; the previous "
                        "year they had been at Tahiti.")
    assert got["that August"] == "1770-08" and got["the previous year"] == "1769"


def test_the_same_period_a_year_before(blank):
    assert values(blank, "Sales rose 43% in February 2010 compared to the same period last year.")[
        "the same period last year"] == "2009-02"


def test_the_day_after_a_coarser_mention_is_the_last_day_the_text_set(blank):
    got = values(blank, "Stocks rose on 3 April 2009. The economy shed jobs in March, and the index was higher at "
                        "the end of the day.")
    assert got["the end of the day"] == "2009-04-03"


# --- the narrative's time: incomplete dates -----------------------------------------------------

def test_a_date_without_a_year_keeps_the_story_moving_forward(blank):
    got = values(blank, "The Beagle sailed on the 27th of December, 1831. On the 6th of January we reached "
                        "the island.")
    assert got["the 6th of January"] == "1832-01-06"


def test_a_small_step_back_stays_in_the_year(blank):
    got = values(blank, "She arrived on 24 June 1456. She had left Coruna on 18 June.")
    assert got["18 June"] == "1456-06-18"


def test_a_day_of_the_month_alone_is_in_the_narratives_month(blank):
    got = values(blank, "He left it on 5 June 1456, arriving at Plymouth on the 9th. He came back on 16 July; he "
                        "started back on the 25th.")
    assert got["the 9th"] == "1456-06-09" and got["the 25th"] == "1456-07-25"
    # a day alone before a new clause's subject: "On the 5th we ..." (but not "the 5th floor")
    got = values(blank, "We left on 3 June 1769. On the 5th we dined at the inn; on the 9th the party rested.")
    assert got["the 5th"] == "1769-06-05" and got["the 9th"] == "1769-06-09"
    assert "the 5th" not in values(blank, "We met on 3 June 1769 on the 5th floor.")


def test_a_day_before_the_narratives_day_of_the_month_is_next_month(blank):
    assert values(blank, "He arrived on 28 May 1456 and left on the 3rd.")["the 3rd"] == "1456-06-03"


def test_a_date_with_no_year_to_take_is_written_with_x(blank):
    assert read(blank, "The office on June 18 called for a re-run.") == [("June 18", "DATE", "XXXX-06-18")]


def test_dates_in_a_list_of_clauses_take_the_first_ones_year(blank):
    got = values(blank, "They left Spur on January 1, 1940, entered California on January 3, and reached "
                        "Marysville on January 5.")
    assert got["January 3"] == "1940-01-03" and got["January 5"] == "1940-01-05"


def test_a_bound_does_not_move_the_narrative(blank):
    got = values(blank, "The index fell to its lowest level since 1989 on 18 September 2008. The next day it rose.")
    assert got["The next day"] == "2008-09-19"


def test_an_aside_in_brackets_does_not_move_the_narrative(blank):
    got = values(blank, "The ship left on 7 December 1878 under Shufeldt (1822–1895). On 15 January it arrived.")
    assert got["15 January"] == "1879-01-15"


def test_an_earlier_bare_year_is_an_aside(blank):
    got = values(blank, "We sailed on the 27th of December, 1831, to end the survey begun in 1826 to 1830. On the "
                        "6th of January we reached Teneriffe.")
    assert got["the 6th of January"] == "1832-01-06"


def test_a_later_bare_year_moves_the_narrative(blank):
    got = values(blank, "They landed on 3 October 1888. In 1889 they sailed home, and on 21 May they reached "
                        "Oslo.")
    assert got["21 May"] == "1889-05-21"


def test_an_incomplete_season_follows_the_narrative(blank):
    got = values(blank, "He left Venice on 18 May 1458 and returned late in the autumn.")
    assert got["late in the autumn"] == "1458-FA"


def test_a_movable_feast_is_reckoned_in_the_narratives_year(blank):
    assert values(blank, "They landed on 2 March 2024 and rested until Good Friday.")["Good Friday"] == "2024-03-29"


# --- news: the tense says on which side of the document date -----------------------------------

def _doc(nlp, words, heads, deps, tags, pos):
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos,
               sent_starts=[True] + [False] * (len(words) - 1))


def test_a_past_verb_puts_a_weekday_before_the_document_date(blank):
    # "Apple announced it on Wednesday ." with the document dated Tuesday 28 March 2006
    doc = _doc(blank, ["Apple", "announced", "it", "on", "Wednesday", "."], [1, 1, 1, 1, 3, 1],
               ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"], ["NNP", "VBD", "PRP", "IN", "NNP", "."],
               ["PROPN", "VERB", "PRON", "ADP", "PROPN", "PUNCT"])
    assert tense(doc, doc[4].idx, doc[4].idx + 9) == "past"
    assert [(t.text, t.value) for t in read_timexes(doc, "2006-03-28")] == [("Wednesday", "2006-03-22")]


def test_a_future_verb_puts_a_weekday_after_the_document_date(blank):
    # "The trial will begin on Wednesday ."
    doc = _doc(blank, ["The", "trial", "will", "begin", "on", "Wednesday", "."], [1, 3, 3, 3, 3, 4, 3],
               ["det", "nsubj", "aux", "ROOT", "prep", "pobj", "punct"], ["DT", "NN", "MD", "VB", "IN", "NNP", "."],
               ["DET", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"])
    assert tense(doc, doc[5].idx, doc[5].idx + 9) == "future"
    assert [(t.text, t.value) for t in read_timexes(doc, "2006-03-28")] == [("Wednesday", "2006-03-29")]


def test_a_past_verb_puts_a_month_before_the_document_date(blank):
    # "The Shuffle was introduced in January ." dated 7 September 2005: that January, not the next
    doc = _doc(blank, ["The", "Shuffle", "was", "introduced", "in", "January", "."], [1, 3, 3, 3, 3, 4, 3],
               ["det", "nsubjpass", "auxpass", "ROOT", "prep", "pobj", "punct"],
               ["DT", "NNP", "VBD", "VBN", "IN", "NNP", "."], ["DET", "PROPN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"])
    assert [(t.text, t.value) for t in read_timexes(doc, "2005-09-07")] == [("January", "2005-01")]


def test_without_a_tense_news_takes_the_nearest(blank):
    assert values(blank, "The plane arrives on November 11 .", "2005-11-05")["November 11"] == "2005-11-11"


def test_a_pluperfect_goes_back_in_a_narrative(blank):
    # "He had left Rome on 2 June ." after 10 June 1800 (no document date)
    doc = Doc(blank.vocab, words=["He", "arrived", "on", "10", "June", "1800", ".", "He", "had", "left", "Rome", "on",
                                  "2", "June", "."],
              heads=[1, 1, 1, 4, 2, 4, 1, 9, 9, 9, 9, 9, 13, 11, 9],
              deps=["nsubj", "ROOT", "prep", "nummod", "pobj", "nummod", "punct", "nsubj", "aux", "ROOT", "dobj",
                    "prep", "nummod", "pobj", "punct"],
              tags=["PRP", "VBD", "IN", "CD", "NNP", "CD", ".", "PRP", "VBD", "VBN", "NNP", "IN", "CD", "NNP", "."],
              pos=["PRON", "VERB", "ADP", "NUM", "PROPN", "NUM", "PUNCT", "PRON", "AUX", "VERB", "PROPN", "ADP", "NUM",
                   "PROPN", "PUNCT"],
              sent_starts=[True] + [False] * 6 + [True] + [False] * 7)
    assert [(t.text, t.value) for t in read_timexes(doc)] == [("10 June 1800", "1800-06-10"), ("2 June", "1800-06-02")]


def test_news_is_a_known_document_date_and_a_text_about_its_present():
    dct = Point("day", 2011, 2, 7)
    monday = Reading("point", Point("day", weekday=0))
    old = Reading("point", Point("year", 1955))
    recent = Reading("point", Point("year", 2010))
    assert is_news(dct, [old, Reading("point", Point("year", 2004)), monday])  # a weekday counts from the DCT
    assert is_news(dct, [recent, old])  # the document date and 2010 are near, 1955 is far
    assert not is_news(dct, [old, Reading("point", Point("year", 2004))])
    assert not is_news(None, [monday])


def test_in_news_an_incomplete_date_is_placed_around_the_document_date():
    clock = Clock(Point("day", 2008, 7, 2), news=True, ref=Point("year", 1998))
    assert clock.resolve(Reading("point", Point("day", month=6, day=18)), "past").value == "2008-06-18"
    narrative = Clock(None, ref=Point("day", 1998, 7, 2))
    assert narrative.resolve(Reading("point", Point("day", month=6, day=18))).value == "1998-06-18"


def test_in_news_a_day_the_story_has_reached_anchors_the_next_incomplete_one():
    # A blog posted on 16 July tells of early June: once the story is at 3 June, "4 June" (in a line whose tense
    # reads as future) is the next day, not next year's; far from the story's day the document date decides.
    clock = Clock(Point("day", 2024, 7, 16), news=True)
    clock.saw(Point("day", 2024, 6, 3))
    assert clock.resolve(Reading("point", Point("day", month=6, day=4)), "future").value == "2024-06-04"
    assert clock.resolve(Reading("point", Point("day", month=12, day=4)), "future").value == "2024-12-04"
    fresh = Clock(Point("day", 2024, 7, 16), news=True)  # nothing told yet: the tense and the DCT decide
    assert fresh.resolve(Reading("point", Point("day", month=6, day=4)), "future").value == "2025-06-04"


# --- what the routes read of the same objects ---------------------------------------------------

def test_each_expression_carries_its_route_date(blank):
    got = {t.text: t.date for t in read_timexes(blank("He came in the summer of 2018, arrived on 1 June, stayed for "
                                                       "two days and left a week later. The 1990s were calm."))}
    assert (got["summer of 2018"].iso, got["summer of 2018"].iso_end) == ("2018-06", "2018-08")
    assert got["two days"].duration_days == 2 and not got["two days"].is_date
    assert got["a week later"].relative and got["a week later"].iso == "2018-06-08"
    assert (got["The 1990s"].iso, got["The 1990s"].iso_end, got["The 1990s"].precision) == ("1990", "1999", "year")


def test_the_finder_reads_text_without_a_parse():
    found = find("Deliveries begin on 4 March 2015 and end three weeks later.")
    assert [f.rule for f in found] == ["day month year", "N units later"]


def test_the_start_of_a_range_takes_the_year_of_its_end(blank):
    got = values(blank, "The siege lasted from 2 June to 4 July 1900, and the thaw from 20 December – 3 January "
                        "1901.")
    assert got["2 June"] == "1900-06-02" and got["20 December"] == "1900-12-20"


def test_late_and_early_join_a_day_but_not_an_adjective(blank):
    assert read(blank, "The company said late yesterday that it would sell.", "2011-02-07") == [
        ("late yesterday", "DATE", "2011-02-06")]
    assert read(blank, "The train was late today.", "2011-02-07") == [("today", "DATE", "2011-02-07")]


def test_recent_is_a_time_as_an_adjective_but_not_in_a_comparison(blank):
    def doc(words):
        n = len(words)
        return Doc(blank.vocab, words=words, heads=[n - 1] * (n - 1) + [n - 1],
                   deps=["det"] * (n - 2) + ["amod", "ROOT"], pos=["DET"] * (n - 2) + ["ADJ", "NOUN"],
                   sent_starts=[True] + [False] * (n - 1))

    assert [(t.text, t.value) for t in read_timexes(doc(["the", "recent", "losses"]))] == [("recent", "PAST_REF")]
    assert [(t.text, t.value) for t in read_timexes(doc(["their", "most", "recent", "model"]))] == []


def test_hours_later_move_a_clock_time_and_keep_a_day(blank):
    got = values(blank, "They left at 6:40 p.m. on 4 May 1901. Two hours later they camped; on 9 May 1901, three "
                        "hours later, it rained.")
    assert got["Two hours later"] == "1901-05-04T20:40"
    assert got["three hours later"] == "1901-05-09"


def test_the_first_half_alone_is_the_years_after_a_preposition(blank):
    got = values(blank, "Sales rose in 2016; profits doubled in the first half.")
    assert got["the first half"] == "2016-H1"
    assert read(blank, "He scored twice in the first half of the match.") == []


def test_year_end_and_late_last_year(blank):
    got = values(blank, "The plant closed late last year and the deal will close by year-end.", "2011-02-07")
    assert got["late last year"] == "2010" and got["year-end"] == "2011"


def test_the_line_of_the_document_date_does_not_make_a_history_news(blank):
    text = ("Edwards v. California\nArgued: Oct. 21, 1941. Decided: Nov 24, 1941\nIn December, 1939, he left "
            "Texas. They left Spur on January 1, 1940, and entered California on January 3.")
    assert values(blank, text, "1941-11-24")["January 3"] == "1940-01-03"


@pytest.mark.parametrize("text,span,kind,value", [
    ("They met on June 18 and 24, 1458.", "June 18", "DATE", "1458-06-18"),  # month of several days
    ("Caesar crossed in 49 BC.", "49 BC", "DATE", "BC0049"),  # year before the era
    ("Losses grew in the last week of March 2009.", "the last week of March 2009", "DATE", "2009-W13"),
    ("Troops moved at 0800 GMT.", "0800 GMT", "TIME", "XXXX-XX-XXT08:00Z"),  # military time
    ("The shop opens at 9 a.m. sharp.", "9 a.m.", "TIME", "XXXX-XX-XXT09:00"),  # hour a.m.
    ("We left at ten o'clock.", "ten o'clock", "TIME", "XXXX-XX-XXT10:00"),
    ("The market is closed on Sundays.", "Sundays", "SET", "XXXX-WXX-7"),  # weekdays
    ("One day, two of the officers rode out.", "One day", "DATE", "XXXX-XX-XX"),  # one day
    ("It froze at night.", "night", "TIME", "XXXX-XX-XXTNI"),  # part of the day
])
def test_more_shapes(blank, text, span, kind, value):
    assert (span, kind, value) in read(blank, text)


def test_a_year_or_a_season_read_alone():
    from geo.extraction.dates import parse_date
    from geo.extraction.timevalue import ParsedDate

    assert parse_date("1998").iso == "1998"
    assert (parse_date("spring", ParsedDate("1326-01-02", precision="day")).iso, "spring") == ("1326-03", "spring")


def test_an_older_journals_month_with_a_colon(blank):
    got = values(blank, "Journal continued. 1 Oct: 1769. The next entry: Oct: 2. rain.")
    assert got["1 Oct: 1769"] == "1769-10-01" and got["Oct: 2"] == "1769-10-02"
    assert "Dec" not in " ".join(values(blank, "Dec: the last month.", "1769-10-01"))


def test_a_day_alone_as_its_sentences_subject(blank):
    got = values(blank, "We left Lima on 2 June 2019. The 4th was the day I had dreaded. The 4th floor was shut.")
    assert got["The 4th"] == "2019-06-04"
    assert list(got) == ["2 June 2019", "The 4th"]  # a noun after it is no day ("The 4th floor")


def test_a_look_back_does_not_move_the_storys_day(blank):
    got = values(blank, "On 4 June 2019 we left Porto. We had packed the night before. The next morning we "
                        "reached Madrid.")
    assert got["the night before"] == "2019-06-03TNI"
    assert got["The next morning"] == "2019-06-05TMO"  # after the story's day, not after the look back


def test_a_journals_weekday_and_day_alone(blank):
    got = values(blank, "Aug. 3, 1798. Walked to the lake. Saturday, 4th. Through the pass. Monday the 6th we left.")
    assert got["Saturday, 4th"] == "1798-08-04" and got["Monday the 6th"] == "1798-08-06"
