import codecs

import pytest

from geo.errors import GeoError, InputError
from geo.names import fold
from geo.text.documents import check_text, decode, read_document


def test_fold_ignores_case_accents_dotless_i_and_punctuation():
    assert fold("İzmir") == fold("Izmir") == fold("izmir")
    assert fold("Şanlıurfa") == "sanliurfa"
    assert fold("St. Petersburg") == fold("St Petersburg")
    assert fold("Tal-Abyad") == fold("Tal Abyad")


def test_utf8_is_read_exactly(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Hayat went to Şanlıurfa.", encoding="utf-8")
    doc, notice = read_document(p)
    assert doc.id == "a" and doc.text == "Hayat went to Şanlıurfa." and notice is None


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + "He flew to İzmir.".encode("utf-16-le"))
    assert read_document(p)[0].text == "He flew to İzmir."


def test_invalid_utf8_falls_back_with_a_notice():
    text, notice = decode(b"caf\xe9 in Paris", "x.txt")
    assert text == "café in Paris" and "Windows-1252" in notice


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\x89PNG\r\n\x1a\n\x00\x00", b"abc\x00def"])
def test_unusable_files_are_refused_with_the_name(tmp_path, data):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError, match="bad.txt"):
        read_document(p)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        read_document(tmp_path / "nope.txt")


def test_size_limit_can_be_raised(monkeypatch):
    monkeypatch.setenv("GEO_MAX_CHARS", "10")
    with pytest.raises(InputError, match="GEO_MAX_CHARS"):
        check_text("x" * 11)
    monkeypatch.setenv("GEO_MAX_CHARS", "100")
    assert check_text("x" * 11)


def test_input_error_is_part_of_the_tree():
    assert issubclass(InputError, GeoError) and issubclass(InputError, ValueError)


def test_random_bytes_without_a_nul_are_refused_as_binary():
    import random

    data = random.Random(3).randbytes(50_000).replace(b"\x00", b"\x01")
    with pytest.raises(InputError, match="noise.txt: looks like a binary file"):
        decode(data, "noise.txt")


def test_utf16_without_a_bom_is_refused_with_what_to_do():
    data = ("巴黎是法国的首都。安娜从慕尼黑飞往里斯本。" * 50).encode("utf-16-le")
    assert b"\x00" not in data  # nothing for the cheap test of binary to see
    with pytest.raises(InputError, match="zh.txt: looks like UTF-16 text without a byte-order mark.*UTF-8"):
        decode(data, "zh.txt")


@pytest.mark.parametrize("text", ["Hayat went to Şanlıurfa.\f Page two.\v", "Zürich – 3 km\r\n\tnext",
                                  "巴黎是法国的首都。" * 30, "Form feed\x0c and a DOS end\x1a" + " word" * 40])
def test_real_text_with_a_few_odd_characters_is_still_text(text):
    assert decode(text.encode("utf-8"), "ok.txt") == (text, None)
