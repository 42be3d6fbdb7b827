"""The voice app's share of the JSON export (core.exchange_spec): feedback forms, themes, "you said, we did"
entries and the monthly releases (what disclosure control let through, as stored).

Not exported: the feedback itself (`FeedbackResponse`, `FeedbackComment`). Service users gave it through a
form that promises that only figures of at least k people, and only screened and published comments, are ever
shown; a comment's original text may hold names, telephone numbers and safeguarding concerns seen only by
moderators and the form's lead. An export file is read outside those controls, so raw feedback stays in the
database it was given to (`joinedup backup` copies it whole); the releases, which are what was shown, travel."""

from __future__ import annotations

from typing import Any

from joinedup.core.exchange_spec import KEY_SCHEMA, RecordProblem, Table
from joinedup.voice.choices import INDICATOR_KIND
from joinedup.voice.models import FeedbackForm, FeedbackRelease, Theme, YouSaidWeDid


def _indicator_key(row: YouSaidWeDid, record: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_export import current

    record["indicator"] = current().key_of(INDICATOR_KIND, row.indicator_id)
    return record


def _indicator_id(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_import import current

    key = record["indicator"]
    pk = None if key is None else current().pk_of(INDICATOR_KIND, key)
    if key is not None and pk is None:
        raise RecordProblem(f"indicator: no indicator with the key {key!r} in this file")
    return {**values, "indicator_id": pk}


forms = Table(
    name="feedback_forms",
    model=FeedbackForm,
    fields=(
        "service",
        "code",
        "instrument_key",
        "instrument_version",
        "min_group_size",
        "is_open",
        "created_on",
    ),
    refs={"safeguarding_lead": "user"},
)
themes = Table(name="themes", model=Theme, key="voice.theme", fields=("name",))
you_said_we_did = Table(
    name="you_said_we_did",
    model=YouSaidWeDid,
    fields=("you_said", "we_did", "recorded_on"),
    refs={"theme": "voice.theme"},
    generic={"record": ("record_kind", "record_id")},
    dump=_indicator_key,
    prepare=_indicator_id,
    extra={"indicator": {"anyOf": [KEY_SCHEMA, {"type": "null"}]}},
    left_out=("indicator_id",),  # written as indicator, by key
)
releases = Table(
    name="feedback_releases",
    model=FeedbackRelease,
    fields=("month", "min_group_size", "shown", "made_on"),
)

TABLES = (forms, themes, you_said_we_did, releases)
