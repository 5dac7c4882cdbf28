"""The map's boundaries: only geo/map imports folium and branca, and no one imports the map's private names."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from geo import config

GEO = config.REPO_ROOT / "geo"
MAP_LIBRARIES = {"folium", "branca"}


def imports(path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import statement of a file, however deep."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def sources():
    return sorted([*GEO.rglob("*.py"), config.REPO_ROOT / "dashboard.py"])


def test_only_the_map_package_imports_folium_or_branca():
    outside = [p for p in sources() if GEO / "map" not in p.parents]
    offenders = [(str(p.relative_to(config.REPO_ROOT)), module) for p in outside for module, _ in imports(p)
                 if module.split(".")[0] in MAP_LIBRARIES]
    assert offenders == []


def test_tables_exports_and_routes_load_no_map_library():
    code = ("import sys, geo.tables, geo.export, geo.routes, geo.filters; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(MAP_LIBRARIES)!r})))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_no_one_imports_a_private_name_of_the_map_or_the_routes():
    offenders = [(str(p.relative_to(config.REPO_ROOT)), module, name) for p in sources()
                 for module, names in imports(p) if module.startswith(("geo.map", "geo.routes"))
                 for name in names if name.startswith("_")]
    assert offenders == []


@pytest.mark.parametrize("name", __import__("geo.map", fromlist=["__all__"]).__all__)
def test_the_map_api_is_what_it_says(name):
    import geo.map

    assert getattr(geo.map, name) is not None
