"""Where things live on disk, and the settings a user can change by environment.

Read at call time, not import time, so tests and the dashboard can point the
program elsewhere without reloading modules.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = REPO_ROOT / "examples" / "seed_isis_turkey.txt"

# Nominatim's usage policy asks for a user agent that names the application.
DEFAULT_USER_AGENT = "geo-dashboard/0.1 (text-to-map geoparser; set GEO_USER_AGENT to your contact)"


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR", REPO_ROOT / "cache"))


def gazetteer_path() -> Path:
    return cache_dir() / "gazetteer.sqlite"


def geocode_cache_path() -> Path:
    return cache_dir() / "geocode.sqlite"


def stores_dir() -> Path:
    """Where large batch stores' analyses are kept for the dashboard (geo.corpus.kept_store)."""
    return cache_dir() / "stores"


def corrections_path() -> Path:
    return cache_dir() / "corrections.json"


def user_agent() -> str:
    return os.environ.get("GEO_USER_AGENT", DEFAULT_USER_AGENT)
