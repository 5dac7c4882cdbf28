"""python -m geo keep: texts analysed into the dashboard's analysis cache, under the key the dashboard finds."""

from __future__ import annotations

import pytest

from geo import service
from geo.cli.main import main
from geo.corpus.cache import AnalysisCache, text_key
from geo.pipeline import pipeline_version
from geo.text.documents import documents_from_files, sample_documents

TRIP = "Omar Haddad flew from Cairo to Tunis in 2017.\n"
VISIT = "In 2019 Lina Saleh drove from Amman to Damascus.\n"


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The service's cache in a folder of its own, no job in memory (a process just started)."""
    store = AnalysisCache(tmp_path / "analyses")
    monkeypatch.setattr(service, "cache", lambda: store)
    monkeypatch.setattr(service, "_jobs", type(service._jobs)())
    return store


def uploaded(*paths):
    """The documents the dashboard reads from these files uploaded together."""
    documents, _, errors = documents_from_files([(p.name, p.read_bytes()) for p in paths])
    assert not errors
    return documents


def test_a_kept_file_is_what_the_dashboard_finds_for_its_upload_and_its_link(kept, tmp_path, capsys):
    trip = tmp_path / "trip.txt"
    trip.write_text(TRIP)
    assert main(["keep", str(trip)]) == 0
    key = text_key(uploaded(trip))
    analysis = kept.get(key, pipeline_version())
    assert analysis is not None and [p.mention.text for p in analysis.places] == ["Cairo", "Tunis"]
    assert [d.text for d in kept.documents(key)] == [TRIP], "the link's key gives the text back"
    assert f"/?src=upload&text={key}" in capsys.readouterr().err


def test_a_text_kept_before_is_not_analysed_again(kept, tmp_path, monkeypatch, capsys):
    trip = tmp_path / "trip.txt"
    trip.write_text(TRIP)
    main(["keep", str(trip)])
    monkeypatch.setattr(service, "_jobs", type(service._jobs)())  # another process
    capsys.readouterr()
    assert main(["keep", str(trip)]) == 0
    assert "trip: kept already" in capsys.readouterr().err


def test_files_kept_together_are_one_text_and_each_alone_by_default(kept, tmp_path):
    trip, visit = tmp_path / "trip.txt", tmp_path / "visit.txt"
    trip.write_text(TRIP)
    visit.write_text(VISIT)
    assert main(["keep", "--together", str(trip), str(visit)]) == 0
    assert kept.get(text_key(uploaded(trip, visit)), pipeline_version()) is not None
    assert kept.get(text_key(uploaded(trip)), pipeline_version()) is None
    assert main(["keep", str(trip), str(visit)]) == 0
    assert all(kept.get(text_key(uploaded(p)), pipeline_version()) for p in (trip, visit))


def test_the_sample_is_kept_under_the_dashboards_key(kept, capsys):
    assert main(["keep", "--sample"]) == 0
    assert kept.get(text_key(sample_documents()), pipeline_version()) is not None
    assert "the dashboard opens it at /\n" in capsys.readouterr().err


def test_a_bad_file_is_said_and_the_others_are_still_kept(kept, tmp_path, capsys):
    trip, empty, missing = tmp_path / "trip.txt", tmp_path / "empty.txt", tmp_path / "missing.txt"
    trip.write_text(TRIP)
    empty.write_bytes(b"")
    assert main(["keep", str(missing), str(empty), str(trip)]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 2 and "missing.txt" in err and "empty" in err
    assert kept.get(text_key(uploaded(trip)), pipeline_version()) is not None


def test_nothing_to_keep_is_refused(kept, capsys):
    assert main(["keep"]) == 2
    assert "nothing to keep" in capsys.readouterr().err
