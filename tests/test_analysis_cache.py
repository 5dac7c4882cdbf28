"""The persistent analysis cache: an analysis comes back exactly, by its text's key and the pipeline's version."""

from __future__ import annotations

import os

import pytest

from geo import config, pipeline
from geo.corpus.cache import AnalysisCache, in_order, text_key
from geo.errors import CacheError
from geo.model import Document
from geo.pipeline import analyse, pipeline_version

TWO = [Document("b", "Anna Schmidt flew from Munich to Lisbon in May 2019. We went to Rome."),
       Document("a", "Ahmet Yilmaz flew from Istanbul to Berlin on 3 March 2015.")]


@pytest.fixture(scope="module")
def analysed(resources, sample_text):
    return {
        "sample": analyse([Document("sample", sample_text)], resources),
        "two": analyse(list(in_order(TWO)), resources),
    }


@pytest.mark.parametrize("name", ["sample", "two"])
def test_an_analysis_comes_back_exactly(tmp_path, analysed, name):
    cache = AnalysisCache(tmp_path)
    analysis = analysed[name]
    key = text_key(analysis.documents)
    cache.put(key, "v1", analysis)
    again = AnalysisCache(tmp_path).get(key, "v1")  # another process, after a restart
    assert again == analysis
    assert [p.name for p in again.people] == [p.name for p in analysis.people]  # colours follow this order


def test_a_text_has_one_key_whatever_the_order_of_its_files():
    assert text_key(TWO) == text_key(list(reversed(TWO)))
    assert text_key(TWO) != text_key([TWO[0], Document("a", TWO[1].text + " ")])
    assert text_key(TWO) != text_key([Document("c", TWO[0].text), TWO[1]])
    assert len(text_key(TWO)) == 32


def test_another_version_is_not_served_but_the_text_is_kept(tmp_path, analysed):
    cache = AnalysisCache(tmp_path)
    analysis = analysed["two"]
    key = text_key(analysis.documents)
    cache.put(key, "v1", analysis)
    assert cache.get(key, "v2") is None  # the extraction changed: analyse again
    assert cache.documents(key) == analysis.documents  # ... the text a link names is still there
    assert cache.documents("f" * 32) is None


@pytest.mark.parametrize("key", ["../../etc", "ABCDEF0123456789ABCDEF0123456789", "0" * 31, ""])
def test_a_key_that_is_not_one_touches_no_file(tmp_path, key):
    with pytest.raises(ValueError, match="not a text key"):
        AnalysisCache(tmp_path).documents(key)


def test_an_analysis_is_kept_in_natural_order_only(tmp_path, resources):
    unordered = analyse(TWO, resources)
    with pytest.raises(ValueError, match="natural order"):
        AnalysisCache(tmp_path).put(text_key(TWO), "v1", unordered)


def test_the_least_recently_used_texts_go_first(tmp_path, analysed):
    cache = AnalysisCache(tmp_path)
    old, new = analysed["two"], analysed["sample"]
    cache.put(text_key(old.documents), "v1", old)
    os.utime(tmp_path / text_key(old.documents), (1, 1))  # used long ago
    cache.put(text_key(new.documents), "v1", new)
    size = sum(f.stat().st_size for f in (tmp_path / text_key(new.documents)).rglob("*") if f.is_file())
    cache.budget = size + 10
    assert cache.prune() == [text_key(old.documents)]
    assert cache.get(text_key(new.documents), "v1") == new and cache.documents(text_key(old.documents)) is None


def test_a_damaged_file_is_an_error_with_the_fix(tmp_path, analysed):
    cache = AnalysisCache(tmp_path)
    analysis = analysed["two"]
    key = text_key(analysis.documents)
    cache.put(key, "v1", analysis)
    (tmp_path / key / "v1" / "places.parquet").write_bytes(b"not parquet")
    with pytest.raises(CacheError, match="remove it"):
        cache.get(key, "v1")


def test_the_version_follows_the_gazetteer_and_the_settings(tmp_path, monkeypatch):
    gazetteer = tmp_path / "gazetteer.sqlite"
    gazetteer.write_bytes(b"one")
    monkeypatch.setattr(config, "gazetteer_path", lambda: gazetteer)
    first = pipeline_version()
    assert pipeline_version() == first
    assert pipeline_version(geocoder="nominatim") != first and pipeline_version(demonyms=True) != first
    gazetteer.write_bytes(b"rebuilt")  # another build of the gazetteer
    assert pipeline_version() != first
    monkeypatch.setattr(pipeline, "SECTION_CHARS", 1000)
    assert pipeline_version() not in (first,)
