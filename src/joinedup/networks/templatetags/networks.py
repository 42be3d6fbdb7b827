"""Template filters for the network pages."""

from __future__ import annotations

from django import template

from joinedup.networks.words import betweenness_method_text

register = template.Library()


@register.filter
def method_words(value: object) -> str:
    """`{{ metrics.betweenness_method|method_words }}`: how betweenness was worked out, in words."""
    return betweenness_method_text(value)
