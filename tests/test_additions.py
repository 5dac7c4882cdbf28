"""Places the parse missed, added by the user: found as whole words, case as written, placed with their sentence."""

from __future__ import annotations

import json

import pytest
from test_filters import TEXT, analysis

from geo.additions import LABEL, Addition, addition_for, apply_additions, counted, occurrences, sentence_at
from geo.corpus import access
from geo.errors import InputError
from geo.export import to_geojson
from geo.geocoding import corrections
from geo.model import Analysis, Candidate, Document, Sentence
from geo.tables import place_rows

NICE = Candidate("Nice", 43.70, 7.27, "city", "FR", id="g:9")
SHAM = Candidate("Damascus", 33.51, 36.29, "city", "SY", id="g:10")
TWO = ("Abu went to the Sham in May. He left the Sham for Shamrock, then the sham ended.\n\n"
       "Later the Sham again.")


def test_occurrences_are_whole_words_and_case_as_written():
    assert [TWO[s:e] for s, e in occurrences(TWO, "the Sham")] == ["the Sham"] * 3
    assert len(occurrences(TWO, "Sham")) == 3  # not "Shamrock", not "sham"
    assert occurrences(TWO, "sham") == [(TWO.index("sham ended"), TWO.index("sham ended") + 4)]
    assert occurrences(TWO, "  ") == [] and occurrences(TWO, "Sha") == []


def test_words_not_in_the_text_are_refused_quoting_them():
    docs = [Document("doc", TWO)]
    with pytest.raises(InputError, match="'the shaM' is not in the text"):
        addition_for(docs, "the shaM", SHAM)
    with pytest.raises(InputError, match="Choose the place"):
        addition_for(docs, "the Sham", None)
    assert addition_for(docs, " the Sham ", SHAM) == Addition("the Sham", SHAM)


def two() -> Analysis:
    return Analysis((Document("two", TWO),))


def test_an_addition_places_each_occurrence_with_its_sentence():
    fixed = apply_additions(two(), [Addition("the Sham", SHAM)], {})
    assert [(p.mention.start, p.mention.text, p.chosen, p.mention.label) for p in fixed.places] == [
        (s, "the Sham", SHAM, LABEL) for s, _ in occurrences(TWO, "the Sham")]
    assert [p.mention.sentence.text for p in fixed.places] == [
        "Abu went to the Sham in May.", "He left the Sham for Shamrock, then the sham ended.", "Later the Sham again."]
    assert {(r["place"], r["mentions"], r["geocoder"]) for r in place_rows(fixed)} == {("Damascus", 3, "correction")}
    points = [f for f in to_geojson(fixed)["features"] if f["geometry"]["type"] == "Point"]
    assert [f["properties"]["sentence"] for f in points][0] == "Abu went to the Sham in May."


def test_where_the_parse_found_a_place_the_addition_adds_nothing_and_longer_words_win():
    a = analysis()  # Rome and nice are places of the parse already
    assert counted(a, "Rome") == (1, 1)
    assert apply_additions(a, [Addition("Rome", NICE)], {}) == a
    fixed = apply_additions(two(), [Addition("Sham", NICE), Addition("the Sham", SHAM)], {})
    assert {p.chosen for p in fixed.places} == {SHAM} and len(fixed.places) == 3


def test_a_document_s_own_addition_wins_and_others_are_for_their_document_only():
    docs = (Document("two", TWO), Document("other", "Nothing of the Sham here? the Sham."))
    a = Analysis(docs)
    fixed = apply_additions(a, [Addition("the Sham", SHAM)], {"other": [Addition("the Sham", NICE)]})
    assert {(p.mention.doc_id, p.chosen.id) for p in fixed.places} == {("two", "g:10"), ("other", "g:9")}
    only = apply_additions(a, [], {"other": [Addition("the Sham", NICE)]})
    assert {p.mention.doc_id for p in only.places} == {"other"}


def test_the_sentence_comes_from_the_parse_when_a_mention_has_it():
    a = analysis()
    start = TEXT.index("June")
    assert sentence_at(a, a.documents[0], start, start + 4) == Sentence("doc", 0, len(TEXT), TEXT)


def test_additions_are_kept_listed_exported_and_undone_like_the_others(tmp_path):
    path = tmp_path / "corrections.json"
    stored = corrections.put(corrections.choose({}, "Rome", None), Addition("the Sham", SHAM))
    corrections.save(stored, path)
    assert corrections.load(path) == stored
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["added"]["the Sham"]["choice"]["name"] == "Damascus"
    kept = access.Kept({access.EVERY: stored})
    fixed = access.apply(Analysis((Document("two", TWO),)), kept)
    assert len(fixed.places) == 3
    assert [access.said(c) for _, _, c in access.listed(kept, fixed.documents)] == [
        "Rome → Not a place", "the Sham (added) → Damascus (SY, city, 33.51, 36.29)"]
    assert access.export(kept, fixed.documents)["added"]["the Sham"]["written"] == "the Sham"
    undone = corrections.drop(stored, corrections.key_of(Addition("the Sham", SHAM)))
    assert list(undone) == ["rome"]


def test_an_added_place_without_a_place_is_a_bad_entry(tmp_path):
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps({"version": 2, "places": {}, "added": {"x": {"written": "x", "choice": None}}}))
    told = []
    assert corrections.load(path, notify=told.append) == {}
    assert "an added place is a place" in told[0]
