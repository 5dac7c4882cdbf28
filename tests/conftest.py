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
    from geo.gazetteer import Gazetteer

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
    from geo.geocoding import OfflineGeocoder
    from geo.pipeline import Resources

    return Resources(nlp, gazetteer, OfflineGeocoder(gazetteer))


@pytest.fixture(scope="session")
def sample_text():
    return config.SAMPLE_PATH.read_text(encoding="utf-8")


# --- tiers ---------------------------------------------------------------------------------------
# `make check` runs the fast tier: `-m "not browser and not subprocess and not dask and not slow"`.
# A test is put in a slow tier by an explicit marker, or, so that no test can forget it, by what it
# uses: a browser, another process, a Dask cluster. The markers are registered in pyproject.toml.
_TIER_SIGNS = {
    "browser": ("open_chromium", "png_snapshot", "chromium", "dashboard_server", "page.goto", "browser"),
    "subprocess": ("subprocess", "sys.executable", "Popen", "multiprocessing"),
    "dask": ("dask", "workers=2", "LocalCluster", "scheduler"),
}


def _source(obj) -> str:
    import inspect

    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def _helpers_using(module, signs) -> set[str]:
    """Names of the module's own helper functions that use one of the signs (one level deep)."""
    import inspect

    return {name for name, fn in vars(module).items()
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("test_")
            and any(s in _source(fn) for s in signs)}


def _uses(item, signs, helpers: set[str]) -> bool:
    import re

    names = set(getattr(item, "fixturenames", ()))
    if any(s in names for s in signs) or names & helpers:
        return True
    source = _source(item.function)
    return any(s in source for s in signs) or any(re.search(rf"\b{h}\(", source) for h in helpers)


def pytest_collection_modifyitems(config, items):
    helpers: dict[tuple[str, str], set[str]] = {}
    for item in items:
        module = getattr(item, "module", None)
        for tier, signs in _TIER_SIGNS.items():
            if item.get_closest_marker(tier) is not None or module is None:
                continue
            key = (module.__name__, tier)
            if key not in helpers:
                helpers[key] = _helpers_using(module, signs)
            if _uses(item, signs, helpers[key]):
                item.add_marker(getattr(pytest.mark, tier))


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
