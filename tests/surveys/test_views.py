import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.surveys import services
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import PersonFactory, UserFactory, WaveFactory

pytestmark = pytest.mark.django_db(transaction=True)  # invitations go out on commit


@pytest.fixture
def setup():
    partnership, orgs = partnership_with_members()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    return partnership, orgs, coordinator


def test_open_link_is_shown_once_after_opening(client, setup):
    partnership, _orgs, coordinator = setup
    wave = make_wave(partnership)
    client.force_login(coordinator)
    page = client.post(reverse("surveys:wave_open", args=[wave.pk]), {"open_link": "1"})
    token = re.search(r'value="http://testserver/s/([\w-]+)/"', page.content.decode()).group(1)
    assert services.link_resolve(token).wave == wave
    again = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert token not in again and "The open link" not in again


def test_invite_representatives_by_ticking_them_and_remind_non_responders(client, setup):
    partnership, orgs, coordinator = setup
    wave = make_wave(partnership)
    services.wave_open(by=None, wave=wave)
    membership = partnership.memberships.get(organisation=orgs["charity"])
    rep = PersonFactory(email="rep@charity.example")
    membership.representatives.add(rep)
    client.force_login(coordinator)
    form = client.get(reverse("surveys:wave_invite", args=[wave.pk])).content.decode()
    assert "rep@charity.example" in form
    client.post(reverse("surveys:wave_invite", args=[wave.pk]), {"representatives": [rep.pk]})
    invitation = wave.invitations.get()
    assert invitation.organisation == orgs["charity"] and invitation.person == rep
    assert mail.outbox[-1].to == ["rep@charity.example"]
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "Response rate by organisation" in page and "Mind Northshire" in page
    client.post(reverse("surveys:wave_remind", args=[wave.pk]))
    assert len(mail.outbox) == 2 and mail.outbox[-1].subject.startswith("Reminder")
    client.post(reverse("surveys:wave_close", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == "closed"
    token = re.search(r"/s/([\w-]+)/", mail.outbox[-1].body).group(1)
    closed = client.get(f"/s/{token}/")
    assert closed.status_code == 410 and "This survey has closed" in closed.content.decode()


def test_rates_partial_for_htmx_polling(client, setup):
    partnership, orgs, coordinator = setup
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 3)
    client.force_login(coordinator)
    part = client.get(reverse("surveys:wave_detail", args=[wave.pk]) + "?part=rates", HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert html.startswith('<div id="rates"') and "<h1>" not in html and "Northshire Trust" in html


def test_relationship_links_go_to_the_networks_survey(client, setup):
    partnership, _orgs, _coordinator = setup
    wave = services.wave_create(
        by=None,
        partnership=partnership,
        kind=RELATIONSHIP_KIND,
        title="Who works with whom",
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 2, 1),
    )
    token = services.wave_open(by=None, wave=wave, open_link=True)
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200 and "Who works with whom" in page.content.decode()


@pytest.mark.parametrize(
    ("relationship", "role", "linked"),
    [
        (False, "observer", True),  # an assessment's results need PARTNERSHIP_VIEW
        (True, "observer", False),  # a relationship survey's need NETWORK_VIEW, which observers lack
        (True, "member", True),
    ],
)
def test_the_wave_page_links_to_results_only_for_those_who_may_see_them(client, relationship, role, linked):
    wave = WaveFactory(relationship=relationship)
    user = UserFactory()
    grant(user, wave.partnership, role)
    client.force_login(user)
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk]))
    assert page.status_code == 200
    results = reverse("networks:wave" if relationship else "assessments:results", args=[wave.pk])
    assert (f'href="{results}"' in page.content.decode()) is linked
    assert client.get(results).status_code in ((200, 202) if linked else (403,))


def test_a_closed_wave_has_no_empty_run_this_wave_heading(client, setup):
    partnership, _orgs, coordinator = setup
    wave = make_wave(partnership)
    services.wave_open(by=None, wave=wave)
    client.force_login(coordinator)
    assert "Run this wave" in client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    services.wave_close(by=coordinator, wave=wave)
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "Run this wave" not in page and "Close the wave" not in page


def test_the_invite_form_promises_what_the_links_do(client, setup):
    partnership, _orgs, coordinator = setup
    wave = make_wave(partnership)
    client.force_login(coordinator)
    page = client.get(reverse("surveys:wave_invite", args=[wave.pk])).content.decode()
    assert "only works once" not in page and "come back to them with it until they send them" in page
