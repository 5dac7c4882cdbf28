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
