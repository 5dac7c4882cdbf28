"""The shape of the package, as DESIGN.md draws it: stages as packages, each heavy library behind one of them,
imports that only run down the layers, modules of one job.

Read from the source with ast, so a violation names the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo import config

GEO = config.REPO_ROOT / "geo"

# Lowest first. A module may import from its own layer or any layer below it, never above.
LAYERS = (
    ("geo.errors", "geo.config", "geo.names", "geo.model", "geo.fsutil", "geo.isodates", "geo.memo"),
    ("geo.text", "geo.geography"),
    ("geo.gazetteer",),
    ("geo.geocoding", "geo.extraction", "geo.additions", "geo.stopfix"),
    ("geo.routes", "geo.filters", "geo.reckoning", "geo.tables"),
    ("geo.pipeline",),
    ("geo.export", "geo.map"),
    ("geo.corpus",),
    ("geo.cli", "geo.__main__", "geo"),
)
# Which stage may import a library (the top-level module name): the one door it comes in by.
DOORS = {
    "geopy": ("geo.geocoding",),
    "folium": ("geo.map",),
    "branca": ("geo.map",),
    "streamlit": (),
    "streamlit_folium": (),
    "spacy": ("geo.extraction", "geo.pipeline"),
    "shapefile": ("geo.geography",),
    "pyarrow": ("geo.corpus",),
    "dask": ("geo.corpus",),
    "distributed": ("geo.corpus",),
}
MAX_LINES = 500


def _modules():
    for path in sorted(GEO.rglob("*.py")):
        rel = path.relative_to(config.REPO_ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


MODULES = dict(_modules())


def _imports(path: Path):
    """(line, module imported) of every import in a file, relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import; the package imports absolutely"
            if node.module == "geo":  # "from geo import config" imports the module geo.config
                for alias in node.names:
                    yield node.lineno, f"geo.{alias.name}", ()
            else:
                yield node.lineno, node.module or "", tuple(a.name for a in node.names)


def _stage(module: str, stages) -> str | None:
    """The longest stage name that `module` is, or is inside."""
    best = None
    for s in stages:
        if (module == s or module.startswith(s + ".")) and (best is None or len(s) > len(best)):
            best = s
    return best


def _layer(module: str) -> int:
    for n, names in enumerate(LAYERS):
        if _stage(module, names) is not None:
            return n
    raise AssertionError(f"{module} is in no layer of tests/test_layout.py: add it where it belongs")


def test_every_module_has_a_layer():
    for module in MODULES:
        _layer(module)


def test_imports_run_down_the_layers():
    wrong = []
    for module, path in MODULES.items():
        mine = _layer(module)
        for line, target, _ in _imports(path):
            if target == "geo" or target.startswith("geo."):
                theirs = _layer(target)
                if theirs > mine:
                    wrong.append(f"{path.relative_to(config.REPO_ROOT)}:{line}: {module} (layer {mine}) imports "
                                 f"{target} (layer {theirs})")
    assert not wrong, "imports up the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("library", sorted(DOORS))
def test_each_library_comes_in_by_its_one_door(library):
    wrong = []
    allowed = DOORS[library]
    for module, path in MODULES.items():
        for line, target, _ in _imports(path):
            if target.split(".")[0] == library and _stage(module, allowed) is None:
                wrong.append(f"{path.relative_to(config.REPO_ROOT)}:{line} imports {target}")
    assert not wrong, f"{library} may only be imported in {allowed or 'no module of geo/'}:\n" + "\n".join(wrong)


def test_no_private_name_is_imported_from_another_module():
    wrong = []
    for module, path in MODULES.items():
        for line, target, names in _imports(path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target.startswith("geo"):
                wrong.append(f"{path.relative_to(config.REPO_ROOT)}:{line}: {', '.join(private)} from {target}")
    assert not wrong, "private names used across modules:\n" + "\n".join(wrong)


def test_modules_stay_small():
    big = {str(p.relative_to(config.REPO_ROOT)): n for p in MODULES.values()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines (split them along their sections): {big}"


def test_the_public_api_is_what_geo_exports():
    import geo

    missing = [name for name in geo.__all__ if getattr(geo, name, None) is None]
    assert not missing, f"geo.__all__ names what geo does not have: {missing}"
    assert callable(geo.analyse_text) and callable(geo.load_resources) and callable(geo.write_geojson)
