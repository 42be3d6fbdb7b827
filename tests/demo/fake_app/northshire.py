"""A capability's demo data hook, found by joinedup.demo.northshire.extensions()."""

from __future__ import annotations

from typing import Any


def extend_northshire(demo: Any) -> None:
    demo.extra["fake_app"] = True
