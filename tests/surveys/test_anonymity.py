"""Anonymous means unlinkable: tried as someone who can read every row of the database would.

A person is invited (with their register entry and organisation), answers through the pages, sends. Then the
rows are read with raw SQL, every column: the response has no path to the invitation, the person, a user or
an e-mail address, and no time; the invitation only gained `answered`; no other table holds the link's hash;
the audit events and jobs written while answering name neither. Confidential and named waves keep the link.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from joinedup.core.tokens import token_hash
from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.surveys import selectors, services
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import Invitation, Response
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # invitations are e-mailed on commit

TIME = re.compile(r"\d{1,2}:\d{2}")


def rows(table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Every column of the table's rows, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} {where}", params)  # table names are ours
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def row(table: str, pk: int) -> dict[str, Any]:
    (found,) = rows(table, "WHERE id = %s", (pk,))
    return found


def is_time(value: Any) -> bool:
    if isinstance(value, datetime.datetime | datetime.time):
        return True
    return isinstance(value, str) and bool(TIME.search(value))


def answer_by_link(client: Any, link: str, wave: Any, organisation: Any) -> None:
    """Answer every section through the pages and send, as the respondent would."""
    about = {"organisation": organisation.pk, "profession": "nurse", "role_level": "frontline"}
    client.post(link, {**about, "respondent_name": "Dana Example"})
    for dimension in wave.instrument["dimensions"]:
        client.post(f"{link}{dimension['key']}/", {item["key"]: "4" for item in dimension["items"]})
    sent = client.post(f"{link}check/")
    assert sent.status_code == 302 and sent.url.endswith("/sent/"), sent


def invite_person(client: Any, wave: Any, organisation: Any) -> tuple[Any, str, str]:
    """A coordinator invites a person of the register; returns (person, link path, token)."""
    person = PersonFactory(name="Dana Example", email="dana.example@nhs.example")
    services.invitations_send(
        by=None,
        wave=wave,
        recipients=[services.Recipient(person.email, organisation=organisation, person=person)],
        link_for=lambda token: f"http://testserver/s/{token}/",
    )
    body = [m for m in mail.outbox if m.to == [person.email]][-1].body
    link = re.search(r"http://testserver(/s/([\w-]+)/)", body)
    assert link is not None
    return person, link.group(1), link.group(2)


@pytest.fixture
def anonymous_wave() -> tuple[Any, Any, Any]:
    partnership, orgs = partnership_with_members()
    coordinator = UserFactory(email="coordinator@example.org")
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership, anonymity=Anonymity.ANONYMOUS, min_group_size=3)
    services.wave_open(by=coordinator, wave=wave)
    return wave, orgs, coordinator


def test_a_sent_anonymous_response_has_no_path_to_the_person_and_no_time(client, anonymous_wave, caplog):
    wave, orgs, _coordinator = anonymous_wave
    person, link, token = invite_person(client, wave, orgs["charity"])
    invitation = Invitation.objects.get(wave=wave)
    before = row("surveys_invitation", invitation.pk)
    audit_before = {r["id"] for r in rows("core_auditevent")}
    jobs_before = {r["id"] for r in rows("core_job")}

    caplog.set_level(logging.DEBUG)
    answer_by_link(client, link, wave, orgs["charity"])
    draft_check = Response.objects.get(wave=wave)
    assert draft_check.is_submitted

    stored = row("surveys_response", draft_check.pk)
    # No path to the invitation, the person or a user: the only references left are the wave and organisation.
    references = {name for name, value in stored.items() if name.endswith("_id") and value is not None}
    assert references == {"wave_id", "organisation_id"}
    assert stored["invitation_id"] is None and stored["resume_hash"] is None
    assert stored["respondent_name"] == ""
    # No time: the day it was sent, nothing else.
    assert [name for name, value in stored.items() if is_time(value)] == []
    assert stored["started_at"] is None and stored["updated_at"] is None and stored["submitted_at"] is None
    assert str(stored["submitted_on"]) == datetime.date.today().isoformat()
    # No text that names the person or carries the link.
    text = json.dumps(stored, default=str).lower()
    for secret in (person.email, person.name.lower(), token, token_hash(token), invitation.token_hash):
        assert secret.lower() not in text

    # The invitation only learnt that it was answered: no link to the response, no time.
    after = row("surveys_invitation", invitation.pk)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"answered"} and after["answered"] in (True, 1)
    assert not any("response" in name for name in after)

    # Nowhere else in the database holds the link's hash, or a reference to this response by invitation.
    digest = token_hash(token)
    for table in connection.introspection.table_names():
        if table == "surveys_invitation":
            continue
        assert digest not in json.dumps(rows(table), default=str), table

    # Audit events and jobs written while answering name neither the person nor the invitation.
    for table, seen in (("core_auditevent", audit_before), ("core_job", jobs_before)):
        for written in rows(table):
            if written["id"] in seen:
                continue
            dumped = json.dumps(written, default=str)
            assert person.email not in dumped and token not in dumped and digest not in dumped
            assert '"invitation' not in dumped and '"response' not in dumped

    # Nothing logged while answering carries the link's token.
    assert all(token not in record.getMessage() for record in caplog.records)


def test_the_link_of_a_sent_anonymous_response_says_sent_and_cannot_start_again(client, anonymous_wave):
    wave, orgs, _coordinator = anonymous_wave
    _person, link, token = invite_person(client, wave, orgs["trust"])
    answer_by_link(client, link, wave, orgs["trust"])
    page = client.get(link)
    assert page.status_code == 200 and "Your answers have already been sent" in page.content.decode()
    about = client.post(
        f"{link}about-you/",
        {"organisation": orgs["trust"].pk, "profession": "nurse", "role_level": "frontline"},
    )
    assert "Your answers have already been sent" in about.content.decode()
    assert Response.objects.filter(wave=wave).count() == 1
    target = services.link_resolve(token)
    assert target is not None and target.answered and target.response is None
    with pytest.raises(Exception, match="sent already"):
        services.response_start(wave=wave, invitation=target.invitation, token=token)


def test_counts_and_reminders_work_from_the_invitation_record(client, anonymous_wave):
    wave, orgs, coordinator = anonymous_wave
    _person, link, _token = invite_person(client, wave, orgs["charity"])
    services.invitations_send(
        by=None,
        wave=wave,
        recipients=[services.Recipient("late@example.org", organisation=orgs["charity"])],
        link_for=lambda token: f"http://testserver/s/{token}/",
    )
    answer_by_link(client, link, wave, orgs["charity"])
    (rate,) = selectors.response_rates(wave=wave)
    assert (rate.organisation, rate.invited, rate.submitted) == (orgs["charity"].name, 2, 1)
    listed = selectors.wave_list(user=coordinator, partnership=wave.partnership).get(pk=wave.pk)
    assert (listed.submitted, listed.invited) == (1, 2)
    mail.outbox.clear()
    assert (
        services.reminders_send(by=coordinator, wave=wave, link_for=lambda t: f"http://testserver/s/{t}/")
        == 1
    )
    assert [m.to for m in mail.outbox] == [["late@example.org"]]
    client.force_login(coordinator)
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "1 answer sent; 2 people invited" in page


def test_a_draft_stays_linked_so_it_can_be_carried_on(client, anonymous_wave):
    wave, orgs, _coordinator = anonymous_wave
    _person, link, token = invite_person(client, wave, orgs["council"])
    client.post(link, {"organisation": orgs["council"].pk, "profession": "nurse", "role_level": "frontline"})
    draft = Response.objects.get(wave=wave)
    assert draft.invitation is not None and draft.resume_hash == token_hash(token)
    assert draft.started_at is not None and not draft.is_submitted
    assert services.link_resolve(token).response == draft


@pytest.mark.parametrize("anonymity", [Anonymity.CONFIDENTIAL, Anonymity.NAMED])
def test_confidential_and_named_waves_keep_the_link_and_the_time(client, anonymity):
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership, anonymity=anonymity, min_group_size=3)
    services.wave_open(by=None, wave=wave)
    _person, link, token = invite_person(client, wave, orgs["trust"])
    answer_by_link(client, link, wave, orgs["trust"])
    response = Response.objects.get(wave=wave)
    invitation = Invitation.objects.get(wave=wave)
    assert response.invitation == invitation and invitation.answered
    assert response.resume_hash == token_hash(token)
    assert response.submitted_at is not None and response.started_at is not None
    assert response.submitted_on == response.submitted_at.date()
    assert "Your answers have already been sent" in client.get(link).content.decode()


def test_an_anonymous_open_link_response_keeps_no_resume_link_or_time():
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership, anonymity=Anonymity.ANONYMOUS, min_group_size=3)
    services.wave_open(by=None, wave=wave, open_link=True)
    response, resume = services.response_start(wave=wave, organisation=orgs["trust"], respondent_name="Sam")
    services.response_submit(response=response)
    stored = row("surveys_response", response.pk)
    assert stored["resume_hash"] is None and not any(is_time(v) for v in stored.values())
    assert services.link_resolve(resume) is None  # the page says the link stops working once answers are sent


def test_the_migration_cuts_existing_anonymous_responses_loose():
    """Rows written before the change (times to the microsecond, linked) are brought into line."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("surveys", "0001_initial"), ("networks", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    partnership, orgs = partnership_with_members()
    wave_model = old.get_model("surveys", "Wave")
    invitation_model = old.get_model("surveys", "Invitation")
    response_model = old.get_model("surveys", "Response")
    when = datetime.datetime(2026, 1, 10, 14, 37, 12, 123456, tzinfo=datetime.UTC)
    made = {}
    for anonymity in ("anonymous", "confidential"):
        wave = wave_model.objects.create(
            partnership_id=partnership.pk,
            kind="assessment",
            title=anonymity,
            instrument_key="partnership-health",
            anonymity=anonymity,
            opens=datetime.date(2026, 1, 1),
            closes=datetime.date(2026, 2, 1),
        )
        invitation = invitation_model.objects.create(
            wave=wave, email=f"{anonymity}@example.org", token_hash=anonymity
        )
        made[anonymity] = response_model.objects.create(
            wave=wave,
            invitation=invitation,
            resume_hash=anonymity,
            organisation_id=orgs["trust"].pk,
            submitted_at=when,
        )
        if anonymity == "anonymous":
            draft_invitation = invitation_model.objects.create(
                wave=wave, email="draft@example.org", token_hash="d"
            )
            draft = response_model.objects.create(wave=wave, invitation=draft_invitation, resume_hash="d")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    cut = row("surveys_response", made["anonymous"].pk)
    assert cut["invitation_id"] is None and cut["resume_hash"] is None
    assert not any(is_time(v) for v in cut.values()) and str(cut["submitted_on"]) == "2026-01-10"
    kept = Response.objects.get(pk=made["confidential"].pk)
    assert kept.invitation_id is not None and kept.submitted_at == when
    assert kept.submitted_on == datetime.date(2026, 1, 10)
    answered = set(Invitation.objects.filter(answered=True).values_list("email", flat=True))
    assert answered == {"anonymous@example.org", "confidential@example.org"}
    still = Response.objects.get(pk=draft.pk)
    assert still.invitation_id is not None and still.started_at is not None and not still.is_submitted


def test_an_anonymous_relationship_survey_keeps_no_times_on_its_ratings():
    from joinedup.networks import services as network_services
    from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

    partnership = PartnershipFactory()
    a, b = (
        MembershipFactory(partnership=partnership, organisation=OrganisationFactory()).organisation
        for _ in "ab"
    )
    wave = services.wave_create(
        by=None,
        partnership=partnership,
        kind=RELATIONSHIP_KIND,
        title="Anonymous relationships",
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 2, 1),
        anonymity=Anonymity.ANONYMOUS,
    )
    services.wave_open(by=None, wave=wave, open_link=True)
    response, _ = services.response_start(wave=wave, organisation=a)
    network_services.ties_choose(response=response, organisations=[b])
    answers = network_services.TieAnswers(
        frequency=4,
        exchanges=["referrals"],
        level=3,
        trust_reliability=4,
        trust_mission=3,
        trust_openness=2,
        value_power=1,
        value_involvement=2,
        value_resources=3,
    )
    network_services.tie_rate(response=response, organisation=b, answers=answers)
    network_services.relationship_submit(response=response)
    (tie,) = rows("networks_tierating", "WHERE response_id = %s", (response.pk,))
    assert tie["updated_at"] is None and tie["trust_openness"] == 2
    assert not any(is_time(v) for v in row("surveys_response", response.pk).values())


def test_link_tokens_are_taken_out_of_log_lines(client, caplog):
    from joinedup.core.logging import redact_links

    assert redact_links("Not Found: /s/abcDEF123_-x/check/") == "Not Found: /s/[link]/check/"
    assert (
        redact_links("GET /networks/respond/tok-en_1/?step=rate") == "GET /networks/respond/[link]/?step=rate"
    )
    caplog.set_level(logging.INFO)
    secret = "Zq9" * 10
    assert client.get(f"/s/{secret}/").status_code == 404
    assert client.get(f"/networks/respond/{secret}/").status_code == 404
    logged = [record.getMessage() for record in caplog.records]
    assert any("/s/[link]/" in line for line in logged)  # Django logged the 404, without the token
    assert all(secret not in line for line in logged)


def test_nothing_reads_the_submit_time_to_find_sent_answers():
    """`submitted_at` is empty for anonymous answers: code that asks "was this sent?" must use `submitted_on`."""
    from pathlib import Path

    import joinedup

    offenders = []
    for path in Path(joinedup.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts or (path.name == "models.py" and path.parent.name == "surveys"):
            continue  # the model's own constraint pairs the two fields
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "submitted_at__" in line or 'Max("submitted_at")' in line or 'order_by("submitted_at' in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
