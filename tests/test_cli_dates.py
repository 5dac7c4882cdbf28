"""python -m geo dates: one JSON of time expressions per file, offsets into the text as the product reads it."""

from __future__ import annotations

import json

from geo.cli.main import main


def test_dates_command_writes_one_file_per_input(tmp_path):
    news = tmp_path / "release.txt"
    news.write_text("Man removed to Honduras\nFebruary 7, 2011\nHe was handed over on Monday. He had been "
                    "removed on Jan. 23, 2006, and re-entered one month later.", encoding="utf-8")
    story = tmp_path / "voyage.md"
    story.write_text("# A voyage\n\nThe Beagle sailed on the 27th of December, 1831. On the 6th of January we "
                     "reached Teneriffe and stayed four days.", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["dates", str(news), str(story), "--out", str(out)]) == 0
    first = json.loads((out / "release.dates.json").read_text(encoding="utf-8"))
    assert first["document_date"] == "2011-02-07"
    got = [(t["text"], t["type"], t["value"]) for t in first["timex"]]
    assert got == [("February 7, 2011", "DATE", "2011-02-07"), ("Monday", "DATE", "2011-02-07"),
                   ("Jan. 23, 2006", "DATE", "2006-01-23"), ("one month later", "DATE", "2006-02")]
    second = json.loads((out / "voyage.dates.json").read_text(encoding="utf-8"))
    assert second["document_date"] is None
    assert ("the 6th of January", "DATE", "1832-01-06") in [(t["text"], t["type"], t["value"])
                                                           for t in second["timex"]]
    assert ("four days", "DURATION", "P4D") in [(t["text"], t["type"], t["value"]) for t in second["timex"]]


def test_spans_point_into_the_text_the_product_reads(tmp_path):
    from pathlib import Path

    from geo.text.documents import read_document

    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Menu</nav><article><h1>Floods</h1><p>Rain fell on 3 May 2021 and again "
                    "two days later.</p></article></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["dates", str(page), "--out", str(out)]) == 0
    text = read_document(Path(page))[0].text
    record = json.loads((out / "page.dates.json").read_text(encoding="utf-8"))
    assert record["timex"], record
    for t in record["timex"]:
        assert text[t["start"]:t["end"]] == t["text"]
        assert set(t) == {"start", "end", "text", "type", "value"}


def test_the_given_date_wins_over_the_one_in_the_text(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Markets fall\nMarch 01, 2008\nShares fell yesterday.", encoding="utf-8")
    assert main(["dates", str(f), "--out", str(tmp_path), "--date", "2009-06-10"]) == 0
    record = json.loads((tmp_path / "a.dates.json").read_text(encoding="utf-8"))
    assert record["document_date"] == "2009-06-10"
    assert ("yesterday", "2009-06-09") in [(t["text"], t["value"]) for t in record["timex"]]


def test_a_bad_date_is_refused_and_an_unreadable_file_reported(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("It rained on 3 May 2021.", encoding="utf-8")
    try:
        main(["dates", str(f), "--out", str(tmp_path), "--date", "2021-13-40"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("a bad --date was accepted")
    assert main(["dates", str(f), str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 1
    assert "missing.txt" in capsys.readouterr().err
    assert (tmp_path / "o" / "a.dates.json").exists()
