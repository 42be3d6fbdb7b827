"""Figures that disclosure control may hide, as the API gives them (docs/api.md, "Hidden figures").

Every such number is a `Figure`: `{"value": 4.2, "suppressed": null}` when it is shown, and
`{"value": null, "suppressed": "<reason>"}` when it is not, the reason one of `Suppressed`. A `value` of null
with `suppressed` null means there is no figure (nobody answered that statement), not that one was hidden.
The API never decides what to hide: it reads what the release (analysis/disclosure.py, rating_disclosure.py,
voice releases) already hid and says why with one of these codes.
"""

from __future__ import annotations

import enum

from ninja import Field, Schema


class Suppressed(enum.StrEnum):
    """Why a figure is null."""

    # Disclosure control hid it: fewer than the wave's (or form's) smallest group answered, or showing it would
    # let a group of fewer than that be worked out from the other figures. The API does not say which of the two:
    # telling them apart would say the group had at least that many people.
    FEWER_THAN_K = "fewer_than_k"
    # Trust or value received, rated by fewer organisations than a rating needs (3 or more).
    TOO_FEW_RATERS = "too_few_raters"
    # Not released yet: a relationship survey's ratings while it is open, figures before the first release.
    NOT_RELEASED = "not_released"


class Figure(Schema):
    value: float | None = Field(description="The figure; null when there is none, or when it is hidden.")
    suppressed: Suppressed | None = Field(
        None,
        description="Why the figure is hidden (fewer_than_k, too_few_raters, not_released); null if shown.",
    )


def figure(value: float | None, hidden: Suppressed | None = None) -> Figure:
    """A shown figure, or (with `hidden`) a null with its reason; a hidden figure never carries its value."""
    if hidden is not None:
        return Figure(value=None, suppressed=hidden)
    return Figure(value=value, suppressed=None)
