import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.surveys import selectors, services
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out on commit

INSTRUMENT = {"key": "mini", "dimensions": []}


def make_wave(**kwargs):
    return services.wave_create(
        by=UserFactory(),
        partnership=PartnershipFactory(),
        kind=ASSESSMENT_KIND,
        title="Health check",
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 2, 1),
        instrument_key="mini",
        instrument=INSTRUMENT,
        **kwargs,
    )


def link_for(token):
    return f"https://joinedup.example/s/{token}/"


def token_in(message):
    return re.search(r"/s/([\w-]+)/", message.body).group(1)


def test_minimum_group_size_cannot_go_below_three():
    with pytest.raises(ValidationError, match="below 3"):
        make_wave(min_group_size=2)


def test_invited_person_answers_by_link_once():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    org = OrganisationFactory(sector="voluntary")
    services.invitations_send(
        by=None,
        wave=wave,
        recipients=[services.Recipient("A@Example.org", organisation=org)],
        link_for=link_for,
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
    token = token_in(mail.outbox[0])
    target = services.link_resolve(token)
    assert target is not None and target.wave == wave and target.response is None
    response, resume = services.response_start(wave=wave, invitation=target.invitation, token=token)
    assert resume == token and response.sector == "voluntary"
    services.response_save(response=response, answers={"q1": 4, "q2": "dk"}, comments={"trust": " Good "})
    again = services.link_resolve(token)
    assert again.response == response and again.response.answers == {"q1": 4, "q2": "dk"}
    services.response_submit(response=response)
    with pytest.raises(ValidationError, match="sent already"):
        services.response_save(response=response, answers={"q1": 1})
    assert [r.submitted for r in selectors.response_rates(wave=wave)] == [1]


def test_a_second_invitation_to_the_same_address_is_skipped():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    first = services.invitations_send(
        by=None, wave=wave, recipients=[services.Recipient("a@example.org")], link_for=link_for
    )
    second = services.invitations_send(
        by=None, wave=wave, recipients=[services.Recipient("a@example.org")], link_for=link_for
    )
    assert len(first) == 1 and second == []


def test_reminders_go_only_to_people_who_have_not_answered_and_keep_saved_answers():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.invitations_send(
        by=None,
        wave=wave,
        recipients=[services.Recipient("done@example.org"), services.Recipient("late@example.org")],
        link_for=link_for,
    )
    tokens = {m.to[0]: token_in(m) for m in mail.outbox}
    done = services.link_resolve(tokens["done@example.org"])
    response, _ = services.response_start(
        wave=wave, invitation=done.invitation, token=tokens["done@example.org"]
    )
    services.response_submit(response=response)
    late = services.link_resolve(tokens["late@example.org"])
    partial, _ = services.response_start(
        wave=wave, invitation=late.invitation, token=tokens["late@example.org"]
    )
    services.response_save(response=partial, answers={"q1": 2})
    mail.outbox.clear()
    assert services.reminders_send(by=None, wave=wave, link_for=link_for) == 1
    assert mail.outbox[0].to == ["late@example.org"] and "reminder" in mail.outbox[0].body.lower()
    # the e-mail says what happens to the old link and the saved answers, as it does happen (below)
    assert (
        "replaces the one in\nearlier e-mails" in mail.outbox[0].body
        and "anything you saved" in mail.outbox[0].body
    )
    new_token = token_in(mail.outbox[0])
    assert services.link_resolve(tokens["late@example.org"]) is None  # the old link was replaced
    assert services.link_resolve(new_token).response.answers == {"q1": 2}


def test_open_link_gives_each_visitor_their_own_resume_link():
    wave = make_wave()
    token = services.wave_open(by=None, wave=wave, open_link=True)
    target = services.link_resolve(token)
    assert target.wave == wave and target.invitation is None
    one, resume_one = services.response_start(wave=wave)
    _two, resume_two = services.response_start(wave=wave)
    assert resume_one != resume_two
    assert services.link_resolve(resume_one).response == one


def test_closed_wave_takes_no_answers():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    response, _ = services.response_start(wave=wave)
    services.wave_close(by=None, wave=wave)
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(response=response)
    with pytest.raises(ValidationError, match="has closed"):
        services.response_start(wave=wave)
