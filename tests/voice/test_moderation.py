"""Moderation: only moderators see a comment until it is published; publish, edit (audited, original kept),
withhold, themes, a safeguarding flag to the named lead (e-mail and "needs you"), and the "you said, we did" log
whose every "we did" points at a record (a throwaway record kind stands in for governance's decisions)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from joinedup.core.models import AuditEvent
from joinedup.core.registry import RecordKind, RecordRef, needs_for, record_kinds
from joinedup.voice import selectors, services
from joinedup.voice.models import FeedbackComment
from tests.conftest import grant
from tests.factories import UserFactory
from tests.query_counts import assert_num_queries_stable
from tests.voice.helpers import answers_in, feedback_setup

pytestmark = pytest.mark.django_db


def send(form: Any, text: str, day: datetime.date = datetime.date(2026, 3, 3)) -> FeedbackComment:
    response = services.response_submit(form=form, overall="good", statements={}, comment=text, today=day)
    return FeedbackComment.objects.get(response=response)


def test_only_moderators_see_comments_and_they_publish_edit_and_withhold(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    member = UserFactory()
    grant(member, partnership, "member")
    kind = send(form, "The nurse was kind and the wait was short.")
    rude = send(form, "Something I would rather nobody read.")
    client.force_login(member)
    assert client.get(f"/voice/partnerships/{partnership.pk}/moderation/").status_code == 403
    assert client.get(f"/voice/comments/{kind.pk}/").status_code == 403
    client.force_login(coordinator)
    queue = client.get(f"/voice/partnerships/{partnership.pk}/moderation/").content.decode()
    assert "Waiting for a moderator: 2" in queue and "The nurse was kind" in queue
    published = client.post(
        f"/voice/comments/{kind.pk}/", {"action": "publish", "text": "The nurse was kind."}
    )
    assert published.status_code == 302
    kind.refresh_from_db()
    assert (kind.status, kind.text, kind.edited) == ("published", "The nurse was kind.", True)
    assert kind.original == "The nurse was kind and the wait was short."
    verbs = list(AuditEvent.objects.filter(target_id=str(kind.pk)).values_list("verb", flat=True))
    assert "feedback.comment_edited" in verbs and "feedback.comment_published" in verbs
    edited = AuditEvent.objects.get(verb="feedback.comment_edited")
    assert "wait was short" not in str(edited.data)  # the audit keeps no text
    client.post(f"/voice/comments/{rude.pk}/", {"action": "withhold", "text": rude.text})
    rude.refresh_from_db()
    assert rude.status == "withheld"
    counts = client.get(f"/voice/partnerships/{partnership.pk}/moderation/").content.decode()
    assert "Published: 1" in counts and "Withheld: 1" in counts


def test_a_published_comment_is_public_only_in_a_month_that_is_released(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    answers_in(form, 3, 12)
    shown = send(form, "Shown: March has enough answers.")
    small = send(form, "Hidden: April is too small.", day=datetime.date(2026, 4, 5))
    for c in (shown, small):
        services.comment_publish(by=coordinator, comment=c)
    page = client.get(f"/voice/public/{partnership.pk}/").content.decode()
    assert "Shown: March has enough answers." in page
    assert "Hidden: April is too small." not in page


def test_themes_are_per_partnership_and_tagged_on_comments(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    client.force_login(coordinator)
    client.post(f"/voice/partnerships/{partnership.pk}/themes/", {"name": "Waiting times"})
    again = client.post(f"/voice/partnerships/{partnership.pk}/themes/", {"name": "waiting  times"})
    assert "There is already a theme with that name." in again.content.decode()
    (theme,) = selectors.themes_for(partnership=partnership)
    comment = send(form, "The wait was long.")
    client.post(
        f"/voice/comments/{comment.pk}/", {"action": "themes", "text": comment.text, "themes": [theme.pk]}
    )
    assert list(comment.themes.all()) == [theme]


def test_a_safeguarding_flag_e_mails_the_named_lead_and_waits_on_their_home(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    lead = UserFactory(email="lead@example.org")
    grant(lead, partnership, "member")
    comment = send(form, "I am frightened to go home.")
    with pytest.raises(ValidationError, match="no safeguarding lead"):
        services.comment_flag_safeguarding(by=coordinator, comment=comment, note="Risk at home")
    services.form_update(by=coordinator, form=form, fields={"safeguarding_lead": lead})
    client.force_login(coordinator)
    with django_capture_commit():
        client.post(f"/voice/comments/{comment.pk}/", {"action": "safeguarding", "note": "Risk at home"})
    comment.refresh_from_db()
    assert comment.safeguarding and comment.safeguarding_note == "Risk at home"
    (message,) = [m for m in mail.outbox if m.to == ["lead@example.org"]]
    assert "frightened" not in message.body  # the e-mail carries a link, not the comment
    needs = needs_for(user=lead, today=datetime.date(2026, 12, 7))
    assert [n.title for n in needs] == [
        "A safeguarding concern in feedback about Community mental health team"
    ]
    client.force_login(lead)
    page = client.get(needs[0].url)
    assert page.status_code == 200 and "frightened" in page.content.decode()
    client.post(needs[0].url)
    assert needs_for(user=lead, today=datetime.date(2026, 12, 7)) == []
    other = UserFactory()
    grant(other, partnership, "member")
    client.force_login(other)
    assert client.get(needs[0].url).status_code == 404


def django_capture_commit() -> Any:
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_moderators_have_comments_waiting_on_their_home() -> None:
    _partnership, coordinator, form = feedback_setup()
    send(form, "One.")
    send(form, "Two.")
    needs = needs_for(user=coordinator, today=datetime.date(2026, 12, 7))
    assert [n.title for n in needs] == ["Moderate 2 feedback comments"]


@pytest.fixture
def decisions() -> Iterator[list[RecordRef]]:
    """A throwaway record kind standing in for governance's decisions (removed afterwards, and governance's own
    put back if it was there)."""
    refs: list[RecordRef] = []

    def options(*, partnership: Any) -> list[RecordRef]:
        return [r for r in refs if r.partnership_id == partnership.pk]

    def resolve(*, ids: list[int]) -> list[RecordRef]:
        return [r for r in refs if r.id in ids]

    real = record_kinds.get("governance.decision")  # governance's own, once it is installed: put back after
    record_kinds.remove("governance.decision")
    record_kinds.add(
        RecordKind(key="governance.decision", label="Decision", options=options, resolve=resolve)
    )
    try:
        yield refs
    finally:
        record_kinds.remove("governance.decision")
        if real is not None:
            record_kinds.add(real)


def test_every_we_did_points_at_a_decision_of_the_partnership(
    client: Any, decisions: list[RecordRef]
) -> None:
    partnership, coordinator, _form = feedback_setup()
    theme = services.theme_save(by=coordinator, partnership=partnership, name="Waiting times")
    decisions.append(
        RecordRef("governance.decision", 7, "Fund two more care coordinators", "/g/7/", partnership.pk)
    )
    decisions.append(RecordRef("governance.decision", 8, "Another partnership's decision", "/g/8/", 99999))
    entry = dict(
        by=coordinator, partnership=partnership, theme=theme, you_said="Waits are long.", we_did="More staff."
    )
    with pytest.raises(ValidationError) as refused:
        services.you_said_we_did_save(**entry, record_kind="governance.decision", record_id=8)
    assert "record" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.you_said_we_did_save(**entry, record_kind="outcomes.indicator", record_id=7)
    client.force_login(coordinator)
    page = client.get(f"/voice/partnerships/{partnership.pk}/you-said-we-did/").content.decode()
    assert "Decision: Fund two more care coordinators" in page
    assert "Another partnership" not in page
    saved = client.post(
        f"/voice/partnerships/{partnership.pk}/you-said-we-did/",
        {
            "theme": theme.pk,
            "you_said": "Waits are long.",
            "we_did": "More staff.",
            "record": "governance.decision:7",
        },
    )
    assert saved.status_code == 302
    client.logout()
    public = client.get(f"/voice/public/{partnership.pk}/").content.decode()
    assert "Fund two more care coordinators" in public and "Waits are long." in public
    assert 'href="/g/7/"' not in public  # the public page names the record; the link needs an account


def test_the_moderation_queue_costs_the_same_for_5_or_50_comments(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    theme = services.theme_save(by=coordinator, partnership=partnership, name="Staff")
    client.force_login(coordinator)

    def add(n: int) -> None:
        for i in range(n):
            comment = send(form, f"Comment {i}")
            comment.themes.add(theme)

    assert_num_queries_stable(client, f"/voice/partnerships/{partnership.pk}/moderation/", setup=add)
