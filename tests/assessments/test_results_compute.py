"""wave_results_compute (polars over the answers as JSON text) against a plain row-by-row computation
written here: the same frame built value by value, answers counted with a Counter, comments in a loop."""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter
from typing import Any

import polars as pl
import pytest

from joinedup.analysis.scoring import score
from joinedup.assessments.models import WaveResult
from joinedup.assessments.services import BREAKDOWNS, wave_instrument, wave_results_compute
from joinedup.core.tokens import new_token, token_hash
from joinedup.register.choices import Profession, Sector
from joinedup.surveys.choices import Anonymity, RoleLevel
from joinedup.surveys.models import Response, Wave
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def reference(wave: Wave) -> dict[str, Any]:
    """What the stored result should hold, computed one response and one answer at a time."""
    instrument = wave_instrument(wave)
    responses = list(
        Response.objects.filter(wave=wave, submitted_on__isnull=False)
        .select_related("organisation")
        .order_by("pk")
    )
    sectors, professions, roles = dict(Sector.choices), dict(Profession.choices), dict(RoleLevel.choices)
    columns: dict[str, list[Any]] = {"organisation": [], "sector": [], "profession": [], "role_level": []}
    columns.update({key: [] for key in instrument.item_keys})
    for r in responses:
        columns["organisation"].append(r.organisation.name if r.organisation else None)
        columns["sector"].append(sectors.get(r.sector))
        columns["profession"].append(professions.get(r.profession))
        columns["role_level"].append(roles.get(r.role_level))
        for key in instrument.item_keys:
            value = r.answers.get(key)
            columns[key].append(value if type(value) is int else None)
    frame = pl.DataFrame(
        {
            name: pl.Series(values, dtype=pl.Int32 if name in instrument.item_keys else pl.String)
            for name, values in columns.items()
        }
    )
    k = wave.min_group_size
    answered = {key: [key in r.answers for r in responses] for key in instrument.item_keys}
    report = score(
        frame, instrument, by=list(BREAKDOWNS), min_group=k, validate=False, answered=answered, release=True
    )
    assert report.shown is not None
    shown = report.shown
    items = {
        key: dict(Counter(str(r.answers[key]) for r in responses if key in r.answers))
        for key in instrument.item_keys
        if key in shown.items
    }
    comments = []
    if shown.whole:
        for r in responses:
            if ("organisation", r.organisation.name if r.organisation else None) not in shown.groups:
                continue
            for dimension in sorted(r.comments):
                comment = {"dimension": dimension, "text": r.comments[dimension]}
                if wave.anonymity == Anonymity.NAMED and r.respondent_name:
                    comment["name"] = r.respondent_name
                comments.append(comment)
    stored_report = report.to_dict()
    if not shown.whole:  # nothing, not even the count of answers, before the first release
        stored_report["respondents"] = 0
    # Through JSON, as the stored WaveResult is.
    return json.loads(
        json.dumps(
            {
                "respondents": len(responses) if shown.whole else 0,
                "report": stored_report,
                "items": items,
                "comments": sorted(comments, key=_canonical),
            }
        )
    )


def _canonical(comment: dict[str, Any]) -> str:
    """A comment as sortable text whatever the order of its keys (PostgreSQL's jsonb stores keys reordered)."""
    return json.dumps(comment, sort_keys=True)


def assert_same(got: Any, expected: Any, path: str = "result") -> None:
    """Equal in every key, value and order; floats to 1e-12, since polars' parallel group-by sums in no fixed
    order (scoring the same frame twice can differ in the last bit)."""
    if isinstance(expected, float):
        assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-12, abs=1e-12), path
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), path
        for key in expected:
            assert_same(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert_same(g, e, f"{path}[{i}]")
    else:
        assert type(got) is type(expected) and got == expected, f"{path}: {got!r} != {expected!r}"


def stored(wave: Wave) -> dict[str, Any]:
    result = WaveResult.objects.get(wave=wave)
    return {
        "respondents": result.respondents,
        "report": result.report,
        "items": result.items,
        "comments": sorted(result.comments, key=_canonical),  # released in a random order
    }


def add_mixed_responses(wave: Wave, organisations: list[Any], count: int, seed: int = 7) -> None:
    """Responses with every kind of answer: values, "dk", blanks (missing keys), whole dimensions left blank,
    comments on some dimensions, names, blank and unknown attributes, and a few unsubmitted drafts."""
    rng = random.Random(seed)
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    dimensions = [d["key"] for d in wave.instrument["dimensions"]]
    rows = []
    for i in range(count):
        answers: dict[str, Any] = {}
        skipped = rng.choice(dimensions) if rng.random() < 0.2 else None
        for d in wave.instrument["dimensions"]:
            for item in d["items"]:
                roll = rng.random()
                if d["key"] == skipped or roll < 0.1:
                    continue  # blank
                answers[item["key"]] = "dk" if roll < 0.2 else rng.randint(1, 5)
        comments = {}
        if rng.random() < 0.4:
            for dimension in rng.sample(dimensions, rng.randint(1, 3)):
                comments[dimension] = f"Comment {i} on {dimension}\nsecond line, with “quotes” and ünïcode"
        organisation = organisations[i % len(organisations)]
        rows.append(
            Response(
                wave=wave,
                resume_hash=token_hash(new_token()),
                organisation=organisation,
                sector=organisation.sector if organisation else rng.choice(["", "nhs", "not-a-sector"]),
                profession=rng.choice(["nurse", "social_worker", "gp", "", "unknown-profession"]),
                role_level=rng.choice(["frontline", "manager", ""]),
                respondent_name=rng.choice(["", f"Person {i}"]),
                answers=answers,
                comments=comments,
                submitted_at=(None if i % 17 == 5 else datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC)),
                submitted_on=(None if i % 17 == 5 else datetime.date(2026, 1, 10)),
            )
        )
    assert set(keys) >= {k for r in rows for k in r.answers}
    Response.objects.bulk_create(rows)


@pytest.mark.parametrize("anonymity", [Anonymity.NAMED, Anonymity.CONFIDENTIAL])
def test_stored_result_matches_a_plain_row_by_row_computation(anonymity: str) -> None:
    partnership, orgs = partnership_with_members()
    small = OrganisationFactory(name="Tiny Practice", sector="independent")
    wave = make_wave(partnership, anonymity=anonymity, min_group_size=5)
    # 14 each from the three members, 3 from a small organisation (suppressed), 3 with no organisation.
    members = [orgs["trust"], orgs["council"], orgs["charity"]]
    add_mixed_responses(wave, members, 42, seed=3)
    add_mixed_responses(wave, [small], 3, seed=4)
    add_mixed_responses(wave, [None], 3, seed=5)

    wave_results_compute(wave=wave)

    expected = reference(wave)
    got = stored(wave)
    assert_same(got, expected)
    # The wave really has what the comparison is meant to cover.
    assert got["respondents"] == Response.objects.filter(wave=wave, submitted_on__isnull=False).count() < 48
    assert sum(counts.get("dk", 0) for counts in got["items"].values()) > 0
    assert any(sum(counts.values()) < got["respondents"] for counts in got["items"].values())
    assert "Tiny Practice" in {g["group"] for g in got["report"]["groups"]["organisation"] if g["suppressed"]}
    assert got["comments"] and not any("Tiny Practice" in c["text"] for c in got["comments"])
    assert any("name" in c for c in got["comments"]) == (anonymity == Anonymity.NAMED)


def test_an_answer_given_as_dk_or_left_blank_is_counted_apart_and_not_scored() -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    key = wave_instrument(wave).item_keys[0]
    answers = [{key: 5}, {key: 5}, {key: "dk"}, {}, {key: 1}]
    Response.objects.bulk_create(
        Response(
            wave=wave,
            resume_hash=token_hash(new_token()),
            organisation=orgs["trust"],
            sector="nhs",
            answers=a,
            submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
            submitted_on=datetime.date(2026, 1, 10),
        )
        for a in answers
    )
    result = wave_results_compute(wave=wave)
    assert result.items[key] == {"5": 2, "1": 1, "dk": 1}
    assert result.respondents == 5
    assert_same(stored(wave), reference(wave))


def test_a_wave_without_answers_and_a_wave_smaller_than_k() -> None:
    partnership, orgs = partnership_with_members()
    empty = make_wave(partnership)
    result = wave_results_compute(wave=empty)
    assert result.respondents == 0 and result.release == 0
    assert result.items == {}
    assert_same(stored(empty), reference(empty))

    small = make_wave(partnership, title="Small", min_group_size=5)
    add_mixed_responses(small, [orgs["trust"]], 4, seed=9)
    Response.objects.filter(wave=small).update(
        comments={"trust": "said"},
        submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
        submitted_on=datetime.date(2026, 1, 10),
    )
    result = wave_results_compute(wave=small)
    # Nothing of a wave below k is shown: not its scores, statements, comments, nor how many answered.
    assert result.respondents == 0 and result.comments == [] and result.items == {} and result.release == 0
    assert all(d["n"] is None for d in result.report["dimensions"])
    assert_same(stored(small), reference(small))
