"""`{{ value|figure }}`: a measurement as people write it, to 2 decimal places at most, without trailing zeros
(14.8, 1,234.5, 50), and "–" for none."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
