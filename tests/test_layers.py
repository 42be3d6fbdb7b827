"""The layers between apps, read from the source (CONVENTIONS.md 17).

Bottom up: analysis · core · accounts · register · surveys · the other capability apps · reports · demo · the project files
(settings, urls, api, cli, wsgi). A module may import its own app and the layers below it, never above; the
capability apps above surveys never import each other; nothing imports demo but the project files. Every import
counts: at the top, inside functions, under TYPE_CHECKING, and module names handed to importlib.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "joinedup"

LAYERS: dict[str, int] = {
    "analysis": 0,
    "core": 1,
    "accounts": 2,
    "register": 3,
    "surveys": 4,  # the shared wave machinery: it imports no app that defines a kind of wave
    "agreements": 5,
    "assessments": 5,
    "networks": 5,
    "outcomes": 5,
    "governance": 5,
    "voice": 5,
    "insight": 5,
    "reports": 6,  # the review packs: read what every capability app's pages show (and insight's health page)
    "demo": 7,
    "project": 8,
}
PROJECT_MODULES = {"settings", "urls", "api", "cli", "wsgi", "__init__"}
IMPORTERS = {"import_module", "find_spec", "import_string", "__import__"}


def app_of(module: str) -> str | None:
    """The app (or "project") a dotted module name inside joinedup belongs to; None outside joinedup."""
    parts = module.split(".")
    if parts[0] != "joinedup":
        return None
    if len(parts) == 1 or parts[1] in PROJECT_MODULES:
        return "project"
    return parts[1]


def imported_modules(source: str, package: str) -> list[str]:
    """Every module `source` imports, however: statements anywhere, and string names given to importlib."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module == "joinedup":  # from joinedup import register
                found += [f"joinedup.{alias.name}" for alias in node.names]
            else:
                found.append(module)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in IMPORTERS and node.args and isinstance(node.args[0], ast.Constant):
                value = node.args[0].value
                if isinstance(value, str):
                    found.append(value)
    return found


def violations(importer: str, imported: str) -> str | None:
    """Why `importer` (an app) may not import `imported` (an app), or None when it may."""
    if importer == imported:
        return None
    if importer not in LAYERS or imported not in LAYERS:
        return f"{importer if importer not in LAYERS else imported} has no layer in tests/test_layers.py"
    if imported == "demo" and importer != "project":
        return "nothing imports demo: the demo discovers each app's demo data"
    if LAYERS[imported] >= LAYERS[importer]:
        same = LAYERS[imported] == LAYERS[importer]
        return "apps of one layer never import each other" if same else "an import from a layer above"
    return None


def source_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def module_name(path: Path) -> tuple[str, str]:
    """(module, package) of a source file."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def layer_problems() -> list[str]:
    problems = []
    for path in source_files():
        module, package = module_name(path)
        importer = app_of(module)
        assert importer is not None
        for imported_module in imported_modules(path.read_text(encoding="utf-8"), package):
            imported = app_of(imported_module)
            if imported is None:
                continue
            why = violations(importer, imported)
            if why:
                problems.append(f"{path.relative_to(SRC)} imports {imported_module}: {why}")
    return problems


def test_every_app_has_a_layer() -> None:
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert apps - set(LAYERS) == set(), "give each new app its layer in LAYERS (docs/adding-a-capability.md)"


def test_no_import_crosses_the_layers() -> None:
    problems = layer_problems()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "source", "problem"),
    [
        ("core", "from joinedup.register.models import Partnership", "an import from a layer above"),
        ("core", "def f():\n    from joinedup.accounts.models import User", "an import from a layer above"),
        (
            "core",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from joinedup.register import models",
            "an import from a layer above",
        ),
        ("surveys", "import importlib\nimportlib.import_module('joinedup.networks.views')", "an import from"),
        ("networks", "from joinedup.assessments.models import WaveResult", "apps of one layer never import"),
        ("networks", "from joinedup import assessments", "apps of one layer never import"),
        ("agreements", "from joinedup.demo.data import PASSWORD", "nothing imports demo"),
        ("networks", "from joinedup.surveys.models import Wave", None),
        ("register", "from joinedup.core.permissions import has_permission", None),
        ("project", "from joinedup.demo.paths import demo_paths", None),
        ("analysis", "from joinedup.core import http", "an import from a layer above"),
    ],
)
def test_the_check_catches_each_kind_of_crossing(importer: str, source: str, problem: str | None) -> None:
    found = [
        why
        for module in imported_modules(source, f"joinedup.{importer}")
        if (imported := app_of(module)) is not None and (why := violations(importer, imported))
    ]
    if problem is None:
        assert found == []
    else:
        assert found and found[0].startswith(problem), found


def test_relative_imports_are_read_as_the_modules_they_name() -> None:
    assert imported_modules("from . import selectors", "joinedup.networks") == ["joinedup.networks"]
    assert imported_modules("from ..core import http", "joinedup.networks.views") == [
        "joinedup.networks.core"
    ]
    assert imported_modules("from ...register import models", "joinedup.networks.views") == [
        "joinedup.register"
    ]
