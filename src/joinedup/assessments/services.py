"""Writes for assessments: release a wave's results (WaveRelease, WaveResult), submit answers, import answers
from a file, redact a name from a comment."""

from __future__ import annotations

import datetime
import io
import json
import random
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.analysis.disclosure import Release, Shown
from joinedup.analysis.instruments import Instrument, parse_instrument
from joinedup.analysis.scoring import ScoreReport, score
from joinedup.assessments import selectors
from joinedup.assessments.choices import RESULTS_JOB
from joinedup.assessments.models import WaveRelease, WaveResult
from joinedup.core.choices import AuditVerb
from joinedup.core.jobs import Report, job_enqueue
from joinedup.core.models import Job
from joinedup.core.services import audit_record, fields_allowed
from joinedup.register.choices import Profession, Sector
from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity, RoleLevel, WaveStatus
from joinedup.surveys.models import Response, Wave

IMPORT_ROW_FIELDS = frozenset({"answers", "organisation", "sector", "profession", "role_level"})
_CHUNK = 10_000
BREAKDOWNS = {
    "organisation": "Organisation",
    "sector": "Sector",
    "profession": "Profession",
    "role_level": "Role level",
}
_LABELS = {
    "sector": dict(Sector.choices),
    "profession": dict(Profession.choices),
    "role_level": dict(RoleLevel.choices),
}


def wave_instrument(wave: Wave) -> Instrument:
    """The instrument kept with the wave (JSON is YAML, so the same validation applies)."""
    return parse_instrument(json.dumps(wave.instrument), source=f"wave {wave.pk}")


def _answer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _labelled(column: str, values: pl.Series) -> pl.Series:
    labels = _LABELS[column]
    return values.replace_strict(labels, default=None, return_dtype=pl.String).alias(column)


def responses_frame(rows: list[dict[str, Any]], instrument: Instrument) -> pl.DataFrame:
    """One row per response: the item answers as numbers (null for blank or don't know) and the attributes
    organisation, sector, profession and role level as the labels people read."""
    columns: dict[str, Any] = {
        "organisation": pl.Series([r["organisation__name"] for r in rows], dtype=pl.String),
    }
    for attribute, labels in _LABELS.items():
        columns[attribute] = pl.Series([labels.get(r[attribute]) for r in rows], dtype=pl.String)
    for key in instrument.item_keys:
        columns[key] = pl.Series([_answer(r["answers"].get(key)) for r in rows], dtype=pl.Int32)
    return pl.DataFrame(columns)


def answers_frame(
    answers_json: Sequence[str], attributes: dict[str, pl.Series], instrument: Instrument
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same frame as `responses_frame`, built by polars from the stored answers as JSON text.

    Returns (frame, raw): `raw` has one string column per item, as answered ("4", "dk"; null when blank),
    for counting answers. Answers are written as integers or "dk" (see surveys.services.response_save and
    imports), so decoding every value as a string and casting loses nothing."""
    keys = instrument.item_keys
    schema = {key: pl.String for key in keys}
    if len(answers_json):
        # One JSON object a line (the stored JSON never holds a raw newline): polars' NDJSON reader parses
        # them in parallel, several times faster than Series.str.json_decode or json.loads row by row.
        lines = "\n".join(answers_json).encode()
        raw = pl.read_ndjson(io.BytesIO(lines), schema=schema)
    else:
        raw = pl.DataFrame(schema=schema)
    frame = pl.DataFrame(
        [
            attributes["organisation"].cast(pl.String).alias("organisation"),
            *(_labelled(column, attributes[column]) for column in _LABELS),
        ]
    ).with_columns(raw.select(pl.col(keys).cast(pl.Int32, strict=False)))
    return frame, raw


def item_counts(raw: pl.DataFrame, instrument: Instrument) -> dict[str, dict[str, int]]:
    """Item key -> {answer as stored ("1".."5", "dk"): number of people}; blanks are not counted."""
    items: dict[str, dict[str, int]] = {}
    for key in instrument.item_keys:
        counts = raw.get_column(key).drop_nulls().value_counts(sort=True)
        items[key] = dict(zip(counts[key].to_list(), counts["count"].to_list(), strict=True))
    return items


def wave_results_compute(*, wave: Wave, report: Report | None = None) -> WaveResult:
    """Release the wave's results now: score every submitted answer with every breakdown, apply disclosure
    control to this release together with all the wave's earlier ones, and store it (a `WaveRelease` and the
    `WaveResult` every page reads). Nothing new since the last release: the last release stands. Fewer than k
    answers: nothing of the wave is shown. When releases are due is `selectors.release_due`'s to say.

    `report(done, total, message)` hears how far it has got (in per cent), when run as a background job.
    """
    progress = report or _no_progress
    instrument = wave_instrument(wave)
    submitted = Response.objects.filter(wave=wave, submitted_on__isnull=False).order_by("pk")
    earlier = list(WaveRelease.objects.filter(wave=wave).order_by("number"))
    current = selectors.result_get(wave=wave)
    expected = submitted.count()
    unchanged = earlier and current is not None and expected == earlier[-1].respondents
    if unchanged and not submitted.exclude(pk__in=earlier[-1].response_ids).exists():
        assert current is not None
        return _mark_final(wave, current)
    # The answers come as JSON text and are decoded by polars, not json.loads row by row.
    fetched = submitted.annotate(answers_text=Cast("answers", output_field=TextField())).values_list(
        "pk", "answers_text", "organisation__name", "sector", "profession", "role_level"
    )
    rows: list[tuple[Any, ...]] = []
    for row in fetched.iterator(chunk_size=_CHUNK):
        rows.append(row)
        if len(rows) % _CHUNK == 0:
            total = max(expected, len(rows))  # answers may arrive while this reads
            progress(int(60 * len(rows) / total), 100, f"Reading answers: {len(rows):,} of {total:,}")
    progress(60, 100, "Scoring")
    ids, answers, *columns = zip(*rows, strict=True) if rows else [()] * 6
    del rows
    attributes = {
        name: pl.Series(name, values, dtype=pl.String)
        for name, values in zip(["organisation", *_LABELS], columns, strict=True)
    }
    frame, raw = answers_frame(answers, attributes, instrument)
    k = wave.min_group_size
    row_of = {pk: i for i, pk in enumerate(ids)}
    releases = [
        Release(
            members=frozenset(row_of[pk] for pk in release.response_ids if pk in row_of),
            shown=Shown.from_dict(release.shown),
        )
        for release in earlier
    ]
    answered = {key: raw.get_column(key).is_not_null().to_list() for key in instrument.item_keys}
    scores = score(
        frame,
        instrument,
        by=list(BREAKDOWNS),
        min_group=k,
        validate=False,
        earlier=releases,
        answered=answered,
        release=True,
    )
    shown = scores.shown or Shown()
    progress(80, 100, "Counting the answers to each question")
    items = {key: counts for key, counts in item_counts(raw, instrument).items() if key in shown.items}
    del frame, raw, answers, attributes
    progress(90, 100, "Gathering comments")
    comments = _released_comments(wave, submitted, shown) if shown.whole else []
    result = _store_release(wave, list(ids), scores, items, comments, number=len(earlier) + 1)
    progress(100, 100, "Saved")
    return result


def _released_comments(wave: Wave, submitted: QuerySet[Response], shown: Shown) -> list[dict[str, str]]:
    """The comments of the responses whose organisation is shown, in a random order and without times."""
    comments = []
    # Only the responses that have any comment are read here.
    with_comments = submitted.exclude(comments={}).values_list(
        "comments", "respondent_name", "organisation__name"
    )
    for texts, respondent_name, organisation in with_comments:
        if ("organisation", organisation) not in shown.groups:
            continue
        for dimension, text in sorted(texts.items()):
            comment = {"dimension": dimension, "text": text}
            if wave.anonymity == Anonymity.NAMED and respondent_name:
                comment["name"] = respondent_name
            comments.append(comment)
    random.SystemRandom().shuffle(comments)
    return comments


def _store_release(
    wave: Wave,
    ids: list[int],
    scores: ScoreReport,
    items: dict[str, dict[str, int]],
    comments: list[dict[str, str]],
    *,
    number: int,
) -> WaveResult:
    """Store a release, or, when nothing of the wave may be shown yet (fewer than k answers), results that show
    nothing (and no release, so the first real release is checked against nothing)."""
    shown = scores.shown or Shown()
    now = timezone.now()
    closed = wave.status == WaveStatus.CLOSED
    with transaction.atomic():
        if shown.whole:
            WaveRelease.objects.create(
                wave=wave,
                number=number,
                released_at=now,
                respondents=len(ids),
                response_ids=sorted(ids),
                shown=shown.to_dict(),
            )
        elif number > 1:  # nothing new may be shown yet: the last release stands
            current = WaveResult.objects.get(wave=wave)
            return _mark_final(wave, current)
        else:
            number, items, comments = 0, {}, []
        report = scores.to_dict()
        if not shown.whole:  # not even how many have answered: each new answer would show as one more
            report["respondents"] = 0
        result, _ = WaveResult.objects.update_or_create(
            wave=wave,
            defaults={
                "respondents": report["respondents"],
                "report": report,
                "items": items,
                "comments": comments,
                "release": number,
                "released_at": now if shown.whole else None,
                "final": closed,
            },
        )
    return result


def _mark_final(wave: Wave, result: WaveResult) -> WaveResult:
    if wave.status == WaveStatus.CLOSED and not result.final:
        result.final = True
        result.save(update_fields=["final"])
    return result


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def wave_results_schedule(wave: Wave) -> Job:
    """Queue a rescore of the wave as a background job (one waiting job per wave: later changes join it)."""
    return job_enqueue(
        kind=RESULTS_JOB,
        key=f"wave:{wave.pk}",
        title=f"Update the results of {wave.title}",
        by=None,
        partnership=wave.partnership,
        params={"wave": wave.pk},
    )


def wave_results_release_if_due(wave: Wave) -> None:
    """Queue the next release of the wave's results if one is due (see `selectors.release_due`)."""
    if selectors.release_due(wave=wave) and selectors.results_update(wave=wave) is None:
        wave_results_schedule(wave)


def wave_results_closed(wave: Wave) -> None:
    """A wave has closed (the wave kind's `on_close`, after the closing is committed): queue its last release if
    one is due, or else mark the last release final. Only queries here: any scoring is the background job's."""
    if selectors.release_due(wave=wave):
        if selectors.results_update(wave=wave) is None:
            wave_results_schedule(wave)
        return
    result = selectors.result_get(wave=wave)
    if result is not None:
        _mark_final(wave, result)


def wave_results_ensure(*, wave: Wave) -> WaveResult | None:
    """The wave's latest release for a page to show; None while the first scoring of its answers is to come.

    A wave with fewer than k answers is "scored" at once (nothing of it is shown); otherwise a release that is
    due is made by a background job (the page shows the last release meanwhile, or its progress when there is
    none), so no page waits for a big wave's scoring and no page view recomputes anything.
    """
    result = selectors.result_get(wave=wave)
    if result is None and selectors.answers_waiting(wave=wave) < wave.min_group_size:
        return wave_results_compute(wave=wave)
    if (
        result is None
    ):  # never scored (answers loaded in bulk): the first release is due whatever the interval
        if selectors.results_update(wave=wave) is None:
            wave_results_schedule(wave)
        return selectors.result_get(wave=wave)
    wave_results_release_if_due(wave)
    closing = result is not None and wave.status == WaveStatus.CLOSED and not result.final
    if closing and result is not None and not selectors.release_due(wave=wave):
        return _mark_final(wave, result)
    return selectors.result_get(wave=wave)  # there already, if the job ran at once


def response_submit(*, response: Response) -> Response:
    """Send a respondent's answers in; the results are released again only when a release is due (at least k
    new answers since the last one, at most once a day), never for one submission."""
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        response = survey_services.response_submit(response=response)
        wave_results_release_if_due(response.wave)
    return response


def responses_import(
    *, by: User | None, wave: Wave, rows: list[dict[str, Any]], source: str = ""
) -> list[Response]:
    """Add answers gathered elsewhere, all at once, as submitted responses (all or nothing).

    Each row: answers (item key -> value or "dk"), and optionally organisation (an Organisation),
    sector, profession and role_level (stored keys). Rows are checked by the caller (see `imports.py`);
    a row with any other key raises TypeError naming it, and nothing is written. No rows is refused
    (ValidationError): an empty import would change nothing, so it writes no audit event and queues no rescore.
    """
    if not rows:
        raise ValidationError(
            "The file has no answers in it (only a header, or nothing), so nothing was imported."
        )
    fields_allowed("responses_import", {key for row in rows for key in row}, IMPORT_ROW_FIELDS)
    now = timezone.now()
    with transaction.atomic(durable=True):
        created = Response.objects.bulk_create(
            [
                Response(
                    wave=wave,
                    resume_hash=None,  # answers gathered elsewhere are never carried on here
                    organisation=row.get("organisation"),
                    sector=_sector(row),
                    profession=row.get("profession", ""),
                    role_level=row.get("role_level", ""),
                    answers=row["answers"],
                    **_submitted_fields(wave, now),
                )
                for row in rows
            ]
        )
        audit_record(
            by=by,
            verb=AuditVerb.WAVE_RESPONSES_IMPORTED,
            target=wave,
            data={"rows": len(rows), "source": source},
        )
        wave_results_release_if_due(wave)
    return created


def _submitted_fields(wave: Wave, now: datetime.datetime) -> dict[str, Any]:
    """When an imported response was sent: the day only, and no times at all, in an anonymous wave."""
    if wave.anonymity == Anonymity.ANONYMOUS:
        return {"submitted_on": timezone.localdate(now), "started_at": None, "updated_at": None}
    return {
        "submitted_on": timezone.localdate(now),
        "submitted_at": now,
        "started_at": now,
        "updated_at": now,
    }


def _sector(row: dict[str, Any]) -> str:
    organisation: Organisation | None = row.get("organisation")
    if organisation is not None:
        return organisation.sector
    return str(row.get("sector", ""))
