from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html

from joinedup.core.glossary import BY_KEY

register = template.Library()


@register.simple_tag
def vega_chart(spec: dict[str, Any], element_id: str, label: str) -> str:
    """A Vega-Lite chart, drawn by static/joinedup/joinedup.js from a JSON data block (no inline script).

    Always pair it with a data table for screen-reader users; the chart itself is marked as an image
    with `label` as its accessible name.
    """
    return format_html(
        '<div class="app-chart" id="{}" role="img" aria-label="{}" data-vega-spec="{}"></div>',
        element_id,
        label,
        json.dumps(spec, separators=(",", ":")),
    )


@register.inclusion_tag("core/_explain.html")
def explain(*keys: str, summary: str = "What these figures mean") -> dict[str, Any]:
    """`{% explain "sd" "ci" %}`: a details box with each figure's one-sentence meaning (core.glossary), where the
    figures are shown, each linked to its fuller entry on the glossary page. An unknown key is an error."""
    return {"terms": [BY_KEY[key] for key in keys], "summary": summary}


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


_WIDGET_CLASSES = {
    "select": "nhsuk-select",
    "selectmultiple": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "checkbox": "nhsuk-checkboxes__input",
    "clearablefile": "nhsuk-file-upload",
    "file": "nhsuk-file-upload",
}


@register.filter
def nhsuk(field: Any) -> str:
    """Render a bound field's widget with NHS.UK classes and the hint/error ids it is described by."""
    widget_type = field.widget_type
    css = _WIDGET_CLASSES.get(widget_type, "nhsuk-input")
    if field.errors:
        css += {"select": " nhsuk-select--error", "textarea": " nhsuk-textarea--error"}.get(
            widget_type, " nhsuk-input--error"
        )
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def job_result_label(job: Any) -> str:
    """The words of the link to a finished job's result, as its runner names them."""
    from joinedup.core.jobs import job_result_label as label

    return label(job)


@register.simple_tag(takes_context=True)
def job_retry_allowed(context: template.Context, job: Any) -> bool:
    """Whether the signed-in user may try a failed job again, so every page that shows a job's progress offers
    the Try again button, not only the job's own page."""
    from django.http import Http404

    from joinedup.core.choices import JobStatus
    from joinedup.core.jobs import job_can_retry
    from joinedup.core.selectors import job_for_user

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if job.status != JobStatus.FAILED:
        return False
    try:  # the same rule as the job's own page: its requester (or a site admin) who still sees the partnership
        job_for_user(user=user, pk=str(job.pk))
    except Http404:
        return False
    return job_can_retry(job, user)
