import csv
import io
import re

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.assessments.models import WaveResult
from joinedup.surveys import services as survey_services
from joinedup.surveys.models import Response, Wave
from tests.api_helpers import unfigure
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    partnership, orgs = partnership_with_members()
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    return partnership, orgs, coordinator


def test_member_of_another_partnership_gets_404(client, setup):
    partnership, _orgs, _coordinator = setup
    wave = make_wave(partnership)
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(), "coordinator")
    client.force_login(outsider)
    for url in (
        reverse("surveys:wave_list", args=[partnership.pk]),
        reverse("surveys:wave_detail", args=[wave.pk]),
        reverse("assessments:results", args=[wave.pk]),
        reverse("assessments:results_csv", args=[wave.pk]),
        f"/api/v1/waves/{wave.pk}/results",
    ):
        assert client.get(url).status_code == 404, url


def test_member_sees_waves_but_cannot_create_or_run_them(client, setup):
    partnership, _orgs, _coordinator = setup
    wave = make_wave(partnership)
    member = UserFactory()
    grant(member, partnership, "member")
    client.force_login(member)
    assert client.get(reverse("surveys:wave_list", args=[partnership.pk])).status_code == 200
    assert client.get(reverse("assessments:results", args=[wave.pk])).status_code == 200
    assert client.get(reverse("surveys:wave_create", args=[partnership.pk])).status_code == 403
    assert client.post(reverse("surveys:wave_open", args=[wave.pk])).status_code == 403
    assert client.get(reverse("surveys:wave_invite", args=[wave.pk])).status_code == 403
    wave.refresh_from_db()
    assert wave.status == "draft"


def test_coordinator_creates_a_wave_from_a_shipped_instrument(client, setup):
    partnership, _orgs, coordinator = setup
    client.force_login(coordinator)
    url = reverse("surveys:wave_create", args=[partnership.pk])
    data = {
        "title": "Spring check",
        "kind": "assessment",
        "instrument_key": "partnership-health",
        "anonymity": "anonymous",
        "min_group_size": "2",
        "opens": "2026-03-01",
        "closes": "2026-02-01",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "greater than or equal to 3" in text and "on or after the opening date" in text
    page = client.post(url, {**data, "min_group_size": "4", "closes": "2026-04-01"})
    wave = Wave.objects.get(title="Spring check")
    assert page.status_code == 302 and wave.instrument["key"] == "partnership-health"
    assert wave.min_group_size == 4


def test_uploaded_instrument_errors_name_line_and_field(client, setup):
    partnership, _orgs, coordinator = setup
    client.force_login(coordinator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"key: mine\ntitle: Mine\nversion: one\n"
    page = client.post(
        reverse("surveys:wave_create", args=[partnership.pk]),
        {
            "title": "Own",
            "kind": "assessment",
            "instrument_key": "__upload__",
            "instrument_file": SimpleUploadedFile("mine.yaml", bad),
            "anonymity": "confidential",
            "min_group_size": "5",
            "opens": "2026-03-01",
            "closes": "2026-04-01",
        },
    )
    assert page.status_code == 200
    assert re.search(r"line 3, version", page.content.decode())
    assert not Wave.objects.filter(title="Own").exists()


def test_invite_lists_bad_addresses_by_line(client, setup):
    partnership, _orgs, coordinator = setup
    wave = make_wave(partnership)
    client.force_login(coordinator)
    page = client.post(
        reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "a@example.org\n\nnot-an-address\n"}
    )
    assert "Line 3: &#x27;not-an-address&#x27; is not an e-mail address." in page.content.decode()
    assert wave.invitations.count() == 0


@pytest.mark.django_db(transaction=True)
def test_invitation_link_to_answers_to_results(client, setup):
    partnership, orgs, coordinator = setup
    wave = make_wave(partnership, min_group_size=3)
    client.force_login(coordinator)
    client.post(reverse("surveys:wave_open", args=[wave.pk]))
    client.post(reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "nurse@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/s/[\w-]+/)", mail.outbox[0].body).group(1)
    client.logout()

    about = client.get(link)
    assert about.status_code == 200 and "About you" in about.content.decode()
    step = client.post(
        link, {"organisation": orgs["charity"].pk, "profession": "peer_worker", "role_level": "frontline"}
    )
    first = wave.instrument["dimensions"][0]
    assert step.status_code == 302 and step.url.endswith(f"/{first['key']}/")
    # an answer off the scale is refused, nothing saved
    bad = client.post(step.url, {first["items"][0]["key"]: "9"})
    assert bad.status_code == 200 and "nhsuk-error-summary" in bad.content.decode()
    assert Response.objects.get(wave=wave).answers == {}
    # save and come back later: the saved page gives the link back
    later = client.post(step.url, {first["items"][0]["key"]: "4", "later": "1"})
    assert later.url.endswith("/saved/")
    saved = client.get(later.url).content.decode()
    assert link in saved and "use the link in the newest e-mail" in saved
    # a reminder brings a new link that opens the same saved answers; the old one says why it stopped
    client.force_login(coordinator)
    client.post(reverse("surveys:wave_remind", args=[wave.pk]))
    client.logout()
    assert len(mail.outbox) == 2 and "replaces the one in" in mail.outbox[1].body
    old, link = link, re.search(r"http://testserver(/s/[\w-]+/)", mail.outbox[1].body).group(1)
    assert old != link and "replaced by a newer one" in client.get(old).content.decode()
    assert Response.objects.get(wave=wave).answers == {first["items"][0]["key"]: 4}
    # resuming carries on at the first section with nothing answered
    resumed = client.get(link)
    assert resumed.url.endswith(f"/{wave.instrument['dimensions'][1]['key']}/")
    for dimension in wave.instrument["dimensions"]:
        answers = {item["key"]: "dk" if item["key"].endswith("_2") else "5" for item in dimension["items"]}
        client.post(f"{link}{dimension['key']}/", {**answers, "comment": "Going well"})
    check = client.get(f"{link}check/")
    assert "Check your answers" in check.content.decode() and "Don&#x27;t know" in check.content.decode()
    sent = client.post(f"{link}check/")
    assert sent.url.endswith("/sent/")
    assert "Your answers have been sent" in client.get(sent.url).content.decode()
    # single use: the link now only says the answers have gone
    again = client.get(f"{link}{first['key']}/")
    assert "already been sent" in again.content.decode()
    response = Response.objects.get(wave=wave)
    assert response.submitted_at is not None and response.sector == "voluntary"
    assert response.answers[first["items"][1]["key"]] == "dk"
    # One person's answers are never shown: nothing of a wave is released until k people have answered.
    client.force_login(coordinator)
    page = client.get(reverse("assessments:results", args=[wave.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Nothing of this wave is shown until at least 3 people" in text
    result = WaveResult.objects.get(wave=wave)
    assert result.release == 0 and result.items == {} and result.comments == []
    assert all(d["n"] is None and d["mean"] is None for d in result.report["dimensions"])
    assert "Going well" not in text and "(2 more needed)" in text


def test_unknown_link_is_plain_english(client):
    page = client.get("/s/not-a-real-token/")
    assert page.status_code == 404 and "This link does not work" in page.content.decode()


def test_open_link_respondent_is_shown_their_own_resume_link(client, setup):
    partnership, orgs, _coordinator = setup
    wave = make_wave(partnership)
    token = survey_services.wave_open(by=None, wave=wave, open_link=True)
    first = client.post(f"/s/{token}/", {"organisation": orgs["trust"].pk})
    resume_path = re.match(r"(/s/[\w-]+/)", first.url).group(1)
    assert resume_path != f"/s/{token}/"
    page = client.get(first.url)
    assert f"http://testserver{resume_path}" in page.content.decode()


def suppressed_groups_in_page(html):
    return re.findall(
        r'<th scope="row" class="nhsuk-table__header">([^<(]+?)</th>\s*<td class="nhsuk-table__cell app-suppressed"',
        html,
    )


def test_suppression_is_identical_in_page_and_csv(client, setup):
    partnership, orgs, coordinator = setup
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 12, level=4, seed=1, compute=False)
    add_answers(wave, orgs["council"], 6, level=3, seed=2, compute=False)
    add_answers(wave, orgs["charity"], 2, level=2, seed=3, comment="Only two of us")
    client.force_login(coordinator)
    html = client.get(reverse("assessments:results", args=[wave.pk]) + "?by=organisation").content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("assessments:results_csv", args=[wave.pk])).content.decode())
        )
    )
    csv_hidden = {r["group"] for r in rows if r["by"] == "organisation" and r["suppressed"] == "true"}
    # the group of 2 and, so it cannot be worked out from the total, the next smallest (6)
    assert csv_hidden == {"Mind Northshire", "County Council"}
    assert set(suppressed_groups_in_page(html)) == csv_hidden
    api = unfigure(client.get(f"/api/v1/waves/{wave.pk}/results").json())
    api_groups = api["groups"]["organisation"]
    assert {g["group"] for g in api_groups if g["suppressed"]} == csv_hidden
    assert all(g["n"] is None and g["dimensions"] == [] for g in api_groups if g["suppressed"])
    for r in rows:
        if r["suppressed"] == "true":
            assert r["mean"] == r["n"] == r["group_n"] == ""
    assert "fewer than 5 responses – hidden" in html
    assert "Only two of us" not in html  # comments of hidden groups are not shown


def test_no_comments_from_a_wave_smaller_than_the_smallest_group(setup):
    partnership, orgs, _coordinator = setup
    wave = make_wave(partnership, anonymity="anonymous", min_group_size=5)
    add_answers(wave, orgs["trust"], 4, comment="Four of us only")
    assert WaveResult.objects.get(wave=wave).comments == []
    add_answers(wave, orgs["trust"], 1, comment="Now five")
    comments = WaveResult.objects.get(wave=wave).comments
    assert len(comments) == 5 and all("name" not in c for c in comments)


def test_comments_are_shown_a_page_at_a_time(client, setup):
    partnership, orgs, coordinator = setup
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 60, comment="Useful meetings")
    client.force_login(coordinator)
    url = reverse("assessments:results", args=[wave.pk])
    first = client.get(url + "?by=sector").content.decode()
    assert first.count("Useful meetings") == 50
    assert "60 comments, showing 1 to 50" in first
    assert "by=sector&amp;page=2" in first  # the next page keeps the chosen breakdown
    second = client.get(url + "?by=sector&page=2").content.decode()
    assert second.count("Useful meetings") == 10


@pytest.mark.parametrize(
    ("role", "may_export"), [("observer", False), ("member", False), ("evaluator", True)]
)
def test_only_roles_that_may_export_download_the_results_or_see_the_link(client, setup, role, may_export):
    partnership, orgs, _coordinator = setup
    wave = make_wave(partnership, min_group_size=3)
    add_answers(wave, orgs["trust"], 3)
    user = UserFactory()
    grant(user, partnership, role)
    client.force_login(user)
    csv_url = reverse("assessments:results_csv", args=[wave.pk])
    page = client.get(reverse("assessments:results", args=[wave.pk]))
    assert page.status_code == 200
    assert (csv_url in page.content.decode()) is may_export
    assert client.get(csv_url).status_code == (200 if may_export else 403)
    assert client.get(f"/api/v1/waves/{wave.pk}/results").status_code == (200 if may_export else 403)
