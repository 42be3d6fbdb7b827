"""Demo feedback for Northshire (found by joinedup.demo.northshire.extensions()).

The community mental health partnership runs a feedback form about its community mental health team: twelve
months of answers (about 400, December 2025 to November 2026), two months with fewer than 10 answers (so the
results page shows a hidden month), views improving over the year while "not having to tell my story again"
stays low. About a third of the answers have a comment: most are published and tagged with themes, some withheld,
the last month's wait for a moderator, one is flagged as a safeguarding concern for the trust's representative.
The "you said, we did" log points at the partnership's decisions if governance has registered them
(core.registry.record_kinds); without them the log is left empty, because every "we did" must point at a record.

Answers go through the services with fixed dates and the extension's own random generator, so the demo is the
same on every build.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from joinedup.core.registry import record_kinds
from joinedup.voice import services
from joinedup.voice.instrument import shipped
from joinedup.voice.models import FeedbackComment, Theme

D = datetime.date
# answers in each month, December 2025 .. November 2026: February and July are too small to show
MONTHS = [(2025, 12, 36), (2026, 1, 41), (2026, 2, 6), (2026, 3, 35), (2026, 4, 44), (2026, 5, 39),
          (2026, 6, 37), (2026, 7, 8), (2026, 8, 42), (2026, 9, 37), (2026, 10, 45), (2026, 11, 33)]  # fmt: skip
OVERALL = ["very_good", "good", "neither", "poor", "very_poor", "dont_know"]
SCALE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know"]

# (theme, comment): original wording, some with names or contact details for screening to take out
COMMENTS = [
    (
        "Waiting times",
        "I waited eleven weeks for my first appointment. That is too long when you are struggling.",
    ),
    ("Waiting times", "The wait to be seen was long, but once I was seen things moved quickly."),
    (
        "Telling my story again",
        "I had to tell my story three times to three different people. It was tiring.",
    ),
    ("Telling my story again", "Every new worker asked me the same questions. Do you not share notes?"),
    ("Being listened to", "Dr Patel really listened and did not rush me."),
    ("Being listened to", "My care coordinator listened to what I wanted, not just what the forms said."),
    ("Being listened to", "I felt nobody listened when I said the medication was not working."),
    ("Working together", "The GP and the mental health team did not seem to talk to each other."),
    (
        "Working together",
        "The housing officer and my nurse met together with me. That made a big difference.",
    ),
    ("Dignity and choice", "I was given a choice of where to meet, which helped me feel safe."),
    ("Dignity and choice", "Staff were kind and treated me with respect."),
    (
        "Carers",
        "As a carer I was not told what was happening. Call me on 07700 900461 if you want to know more.",
    ),
    ("Carers", "The carers' group has been a lifeline for me."),
    ("Crisis support", "When I rang in a crisis I got through quickly and the person was calm."),
    (
        "Crisis support",
        "Out of hours there was nobody to ring. Please look at www.example.org for what others do.",
    ),
]
WITHHELD = [
    "The receptionist on Tuesday mornings is rude and everyone knows who I mean.",
    "I am writing about my neighbour who also uses your service and what she told me.",
]
SAFEGUARDING = "I do not feel safe at home at the moment and I do not know who to tell."


def extend_northshire(demo: Any) -> None:
    rng = demo.rng_for("voice")
    partnership = demo.partnerships["mh"]
    coordinator = demo.users["coordinator"]
    form = services.form_create(
        by=coordinator,
        partnership=partnership,
        service="Community mental health team",
        safeguarding_lead=demo.users["trust_rep"],
        today=D(2025, 11, 20),
    )
    themes = {
        name: services.theme_save(by=coordinator, partnership=partnership, name=name)
        for name in dict.fromkeys(theme for theme, _ in COMMENTS)
    }
    comments: list[tuple[FeedbackComment, str | None, datetime.date]] = []
    for index, (year, month, count) in enumerate(MONTHS):
        for i in range(count):
            day = D(year, month, 1 + (i * 7) % 28)
            text, theme = _comment(rng, index, i)
            response = services.response_submit(
                form=form,
                overall=_overall(rng, index),
                statements=_statements(rng, index),
                comment=text,
                today=day,
            )
            if text:
                comments.append((FeedbackComment.objects.get(response=response), theme, day))
    _moderate(demo, comments, themes)
    _log(demo, partnership, themes)
    services.releases_make(partnership=partnership, today=D(2026, 12, 1))  # the release of November
    demo.extra["voice"] = {"form": form, "answers": sum(n for _, _, n in MONTHS)}


def _overall(rng: random.Random, month_index: int) -> str:
    better = month_index / 11  # views improve over the year
    weights: list[float] = [30 + 20 * better, 35, 12, 10 - 5 * better, 6 - 3 * better, 4]
    return rng.choices(OVERALL, weights=weights)[0]


def _statements(rng: random.Random, month_index: int) -> dict[str, str]:
    out = {}
    for s in shipped().statements:
        if rng.random() < 0.08:
            continue  # left out
        if s.key == "story_once":
            weights: list[float] = [8, 15, 20, 30, 20, 7]  # stays low: people still tell their story again
        else:
            lift = month_index / 11
            weights = [25 + 15 * lift, 35, 15, 12 - 5 * lift, 6 - 3 * lift, 5]
        out[s.key] = rng.choices(SCALE, weights=weights)[0]
    return out


def _comment(rng: random.Random, month_index: int, i: int) -> tuple[str, str | None]:
    if month_index == 9 and i == 3:
        return SAFEGUARDING, None
    if i in (5, 17) and month_index in (4, 8):
        return WITHHELD[i % 2], None
    if rng.random() > 0.33:
        return "", None
    theme, text = rng.choice(COMMENTS)
    return text, theme


def _moderate(
    demo: Any, comments: list[tuple[FeedbackComment, str | None, datetime.date]], themes: dict[str, Theme]
) -> None:
    coordinator = demo.users["coordinator"]
    last_month = D(2026, 11, 1)
    for comment, theme, day in comments:
        if day >= last_month:
            continue  # waiting for a moderator
        moderated = day + datetime.timedelta(days=3)
        if comment.original == SAFEGUARDING:
            services.comment_flag_safeguarding(
                by=coordinator, comment=comment, note="Says they do not feel safe at home. Please follow up."
            )
            services.comment_withhold(by=coordinator, comment=comment, today=moderated)
            continue
        if theme is None:
            services.comment_withhold(by=coordinator, comment=comment, today=moderated)
            continue
        services.comment_themes_set(by=coordinator, comment=comment, themes=[themes[theme]])
        services.comment_publish(by=coordinator, comment=comment, today=moderated)


def _log(demo: Any, partnership: Any, themes: dict[str, Theme]) -> None:
    """ "You said, we did" entries tied to the partnership's decisions, when governance has registered them."""
    kind = record_kinds.get("governance.decision")
    decisions = kind.options(partnership=partnership) if kind is not None else []
    if not decisions:
        return
    indicators_kind = record_kinds.get("outcomes.indicator")
    indicators = indicators_kind.options(partnership=partnership) if indicators_kind is not None else []
    # (theme, you said, we did, words in the title of the decision that did it, of the indicator that watches it)
    entries = [
        ("Telling my story again", "You told us you had to tell your story again and again to new workers.",
         "The board set a target: by March 2027, 80% of people have one care plan shared by the trust, the "
         "council and GPs. We report how many have one every quarter.", "shared care plan", "shared care plan"),
        ("Waiting times", "You told us the wait for a first contact was too long, above all in winter.",
         "The board's winter plan paid for extra crisis-team cover from December to March, and we report the "
         "days from referral to first contact every quarter.", "winter plan", "referral to first contact"),
        ("Being listened to", "You told us you wanted to talk to someone who has been through it too.",
         "The board put a peer support worker in each of the six locality hubs.", "peer support", None),
    ]  # fmt: skip

    def titled(records: list[Any], words: str | None) -> Any:
        return next((r for r in records if words and words in r.title.lower()), None)

    for i, (theme, said, did, decision_words, indicator_words) in enumerate(entries):
        decision = titled(decisions, decision_words)
        if decision is None or theme not in themes:
            continue  # the governance demo has no such decision: no entry that points at the wrong one
        indicator = titled(indicators, indicator_words)
        services.you_said_we_did_save(
            by=demo.users["coordinator"],
            partnership=partnership,
            theme=themes[theme],
            you_said=said,
            we_did=did,
            record_kind=decision.kind,
            record_id=decision.id,
            indicator_id=indicator.id if indicator else None,
            today=D(2026, 9 + i, 15),
        )
