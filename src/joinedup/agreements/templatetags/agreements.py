"""Template filters for agreements' pages."""

from __future__ import annotations

from typing import Any

from django import template

from joinedup.agreements.presenters import amount_text

register = template.Library()


@register.filter
def amount(value: Any, unit: str = "") -> str:
    """`{{ c.amount|amount:c.unit }}`: £4,000,000, or 1.5 WTE."""
    return amount_text(value, unit or "")
