"""The package tree is the architecture: each layer imports only the layers below it.

core     exact numbers and the Indonesian words for them; imports no other layer
model    the SPBE rules (frameworks, predikat, scoring, pathways, cohorts)
data     files, DuckDB store, imports and versions
build    writes the prepared data (official results, simulation, registry)
present  figures, tables, maps and exports, for the screen and for the press kit alike
ui       Streamlit widgets and page state: the only package that imports streamlit

cli, auth and settings sit on top. These tests read the source, so they also catch an import
hidden inside a function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "spbe"
MAY_IMPORT = {
    "core": {"core"},
    "model": {"core", "model"},
    "data": {"core", "model", "data"},
    "build": {"core", "model", "data", "build"},
    "present": {"core", "model", "data", "present"},
    "ui": {"core", "model", "data", "present", "ui", "auth", "settings"},
    "auth": {"core"},
    "settings": set(),
    "cli": {"core", "model", "data", "build", "present", "auth", "settings", "cli"},
    "__main__": {"cli"},
    "__init__": set(),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    """spbe/model/scoring.py -> "model"; spbe/cli.py -> "cli"."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_names(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "spbe":  # from spbe import ui -> spbe.ui
                names += [f"spbe.{alias.name}" for alias in node.names]
    return names


def imported_layers(path: Path) -> set[str]:
    return {name.split(".")[1] for name in imported_names(path) if name.startswith("spbe.")}


def test_every_module_belongs_to_a_known_layer():
    assert {layer_of(path) for path in modules()} <= set(MAY_IMPORT)
    assert len(modules()) > 30  # the walk found the package, not an empty folder


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_layers_below_it(path):
    layer = layer_of(path)
    assert imported_layers(path) <= MAY_IMPORT[layer], f"{layer} may import only {sorted(MAY_IMPORT[layer])}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_ui_package_imports_streamlit(path):
    uses_streamlit = any(name.split(".")[0] == "streamlit" for name in imported_names(path))
    assert not uses_streamlit or layer_of(path) == "ui"


def test_the_checks_see_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def draw():\n    import streamlit as st\n    from spbe.present import charts\n")
    assert imported_names(module) == ["streamlit", "spbe.present"]
