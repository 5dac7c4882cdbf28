"""Shared fixtures: the real gazetteer and spaCy model, loaded once per test session.

`make test` builds the gazetteer before running the suite; a missing one is a
failure with the reason, never a skip.
"""

from __future__ import annotations

import pytest

from geo import config


def pytest_configure(config):
    # Registered here so that `-m "not slow"` works without a settings file.
    config.addinivalue_line("markers", "slow: long fuzzing and hostile-corpus runs (minutes)")


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer.core import Gazetteer

    path = config.gazetteer_path()
    assert path.exists(), f"{path} is missing: run `make setup` (or `python -m geo build-gazetteer`) first"
    g = Gazetteer(path)
    yield g
    g.close()


@pytest.fixture(scope="session")
def nlp():
    from geo.extraction.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def resources(nlp, gazetteer):
    from geo.geocoding.core import OfflineGeocoder
    from geo.pipeline import Resources

    return Resources(nlp, gazetteer, OfflineGeocoder(gazetteer))


@pytest.fixture(scope="session")
def sample_text():
    return config.SAMPLE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def upload_app(monkeypatch):
    """The dashboard, headless, on its upload control, with a character limit of 400."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GEO_MAX_CHARS", "400")
    at = AppTest.from_file(str(config.REPO_ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["src"] = "upload"  # straight to the upload control, without analysing the sample
    at.run()
    if not at.get("file_uploader"):  # a dashboard that does not read its source from the URL
        (source,) = [r for r in at.radio if any("upload" in str(o).lower() for o in r.options)]
        source.set_value("upload").run()
    assert not at.exception, [e.message for e in at.exception]
    return at
