"""From a text to a map of who went where, and when.

The public API::

    import geo

    resources = geo.load_resources()                  # the spaCy model, the gazetteer, a geocoder
    analysis = geo.analyse_text(text, resources)      # an Analysis: places, people, dates, ties
    geo.write_geojson(analysis, "out.geojson")        # the export contract (see README)

The command line is ``python -m geo`` (geo.cli) and the dashboard is ``dashboard.py``; both are thin shells
around these functions. The stages behind them are packages named for what they do: text, extraction,
gazetteer, geocoding, geography, map, corpus, cli (README, "How it is built").
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# Loaded on first use: `import geo` stays cheap, and a command pays only for the stages it runs.
_EXPORTS = {
    "analyse": "geo.pipeline",
    "analyse_text": "geo.pipeline",
    "load_resources": "geo.pipeline",
    "Resources": "geo.pipeline",
    "Analysis": "geo.model",
    "Document": "geo.model",
    "Place": "geo.model",
    "Person": "geo.model",
    "Tie": "geo.model",
    "EXPORT_FORMATS": "geo.export",
    "export_view": "geo.export",
    "to_geojson": "geo.export",
    "to_kml": "geo.export",
    "write_geojson": "geo.export",
    "GeoError": "geo.errors",
    "InputError": "geo.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
