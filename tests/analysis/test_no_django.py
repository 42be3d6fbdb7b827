"""analysis/ is plain Python: no module in it may import Django or the rest of JoinedUp."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parents[2] / "src" / "joinedup" / "analysis"


def forbidden_imports(source: str) -> list[str]:
    """Names of modules imported by `source` that analysis code must not use."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports stay inside joinedup.analysis
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "django" or (top == "joinedup" and not (name + ".").startswith("joinedup.analysis.")):
                found.append(name)
    return found


def analysis_modules() -> list[Path]:
    return sorted(ANALYSIS.rglob("*.py"))


def test_there_is_analysis_code_to_check() -> None:
    assert any(p.name != "__init__.py" for p in analysis_modules())


@pytest.mark.parametrize("path", analysis_modules(), ids=lambda p: str(p.relative_to(ANALYSIS)))
def test_analysis_module_imports_no_django(path: Path) -> None:
    assert forbidden_imports(path.read_text()) == [], f"{path} imports Django or JoinedUp outside analysis"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import django", ["django"]),
        ("from django.db import models", ["django.db"]),
        ("import numpy, django.conf as c", ["django.conf"]),
        ("from joinedup.register.models import Partnership", ["joinedup.register.models"]),
        ("import joinedup", ["joinedup"]),
        ("def f():\n    from django.db import connection", ["django.db"]),
        ("from joinedup.analysis.stats import mean", []),
        ("from joinedup.analysis import stats", []),
        ("from joinedup.analysisextra import x", ["joinedup.analysisextra"]),
        ("from . import stats\nimport polars, numpy", []),
    ],
)
def test_the_check_catches_django_imports(source: str, expected: list[str]) -> None:
    assert forbidden_imports(source) == expected
