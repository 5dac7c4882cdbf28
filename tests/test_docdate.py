"""The document's own date, read from made-up texts of each shape."""

from __future__ import annotations

import pytest

from geo.extraction.docdate import document_date


@pytest.mark.parametrize("text,iso", [
    # a dateline: place, date, agency, dash
    ("LONDON, March 3, 2011 (Reuters) - Shares fell on Monday.", "2011-03-03"),
    ("GENEVA, 3 March 2011 (AFP) — Talks resumed.", "2011-03-03"),
    ("NEW YORK, Jan. 5, 2010 - The mayor spoke.", "2010-01-05"),
    # a date on its own line under a headline
    ("Airline orders new jets\nMarch 01 , 2008\nThe airline said on Friday...", "2008-03-01"),
    ("I.C.E. News Release\n\nFebruary 7, 2011\n\nMiami, FL\n\nA man was removed Monday.", "2011-02-07"),
    ("Storm hits coast\nMonday, 7 February 2011\nWinds rose.", "2011-02-07"),
    # a byline with a date
    ("Council votes on budget\nBy Jane Doe | March 3, 2011\nThe council met.", "2011-03-03"),
    ("Council votes on budget\nBy Jane Doe, 3 March 2011\nThe council met.", "2011-03-03"),
    # a stamp
    ("Our trip to the lakes\nPosted on June 14, 2019 by Tom\nWe drove north.", "2019-06-14"),
    ("Notes from the field\nPublished: 2019-06-14\nWe walked.", "2019-06-14"),
    ("Edwards v. California\nArgued: Oct. 21, 1941. --- Decided: Nov 24, 1941\nThe facts.", "1941-11-24"),
])
def test_document_dates_of_each_shape(text, iso):
    assert document_date(text) == iso


def test_a_dateline_without_a_year_takes_the_year_of_a_stamp():
    text = "LONDON, March 3 (Reuters) - Shares fell.\n\nUpdated 03/03/2011 10:32 GMT"
    assert document_date("Published March 3, 2011\n" + text) == "2011-03-03"
    assert document_date("LONDON, March 3 (Reuters) - Shares fell.\n© 2011 Reuters") == "2011-03-03"


def test_a_dateline_without_a_year_takes_the_year_of_a_timestamp_line():
    # a wire story's head: headline, byline, a timestamp on its own line, then the dateline without a year
    text = ("Family becomes Austrian\n\nBy Ann Roe\n\nMarch 3, 2023 1:42 PM UTC\n\n"
            "VIENNA, March 3 (Reuters) - The family collected its papers on Monday.")
    assert document_date(text) == "2023-03-03"


def test_a_dateline_without_a_year_anywhere_keeps_the_year_unknown():
    assert document_date("LONDON, March 3 (Reuters) - Shares fell on Monday.") == "XXXX-03-03"


def test_a_stamp_at_the_end_of_a_post_counts():
    text = "We drove north to Keswick.\n" + "It rained. " * 200 + "\nPosted on 2 May 2018"
    assert document_date(text) == "2018-05-02"


def test_a_date_inside_the_story_is_not_the_document_date():
    assert document_date("The war in Europe ended on 8 May 1945, and soldiers came home.") is None
    assert document_date("He was born in 1407 and died on 30 Nov. 1476.") is None
    assert document_date("") is None


def test_a_line_of_blanks_before_a_word_is_read_at_once():
    # The pattern of a date alone on its line once backtracked exponentially over leading blanks.
    assert document_date(" " * 64 + "x\n") is None
    assert document_date("\t" * 64 + "March 3, 2011\n") == "2011-03-03"


def test_a_stamp_word_inside_the_story_is_no_stamp():
    text = "Wey went on a pilgrimage.\n" * 13 + "He had a letter from the king dated 11 Aug. 1457, to go abroad."
    assert document_date(text) is None


def test_a_stamp_word_in_the_first_paragraph_is_no_stamp():
    text = ("William Wey, traveller, " + "went on pilgrimages to holy places, " * 6 + "with a letter dated 11 Aug. "
            "1457 from the king.\n\nHe left Venice on 18 May 1458.")
    assert document_date(text) is None


def test_datelines_are_found_where_they_open_a_line():
    from geo.extraction.docdate import datelines

    text = "Headline\nPARIS, March 3, 2024 (Reuters) - Ann Lee left Lyon.\nShe said LONDON, May 2 - no."
    spans = datelines(text)
    assert [text[s:e] for s, e in spans] == ["PARIS, March 3, 2024 (Reuters) - "]
