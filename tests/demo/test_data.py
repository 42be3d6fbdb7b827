"""The Northshire demo data: the right size and shape, with history, seen by the right users.

The place is built once for the module (in a transaction rolled back at the end); each test runs in a
savepoint inside it, so tests may write without disturbing each other.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from joinedup.core.models import AuditEvent
from joinedup.core.permissions import Permission, has_permission
from joinedup.demo.northshire import PASSWORD, build_northshire, northshire_exists
from joinedup.register import selectors
from joinedup.register.choices import EventKind, MembershipRole, Sector
from joinedup.register.models import Membership, Organisation, Partnership, Person, TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_northshire()
        transaction.set_rollback(True)


def test_counts_are_the_size_of_a_small_place(demo):
    counts = demo["counts"]
    assert 35 <= counts["organisations"] <= 50
    assert 100 <= counts["people"] <= 140
    assert counts["partnerships"] == 6
    assert counts["organisations"] == Organisation.objects.count()
    assert northshire_exists()


def test_every_sector_and_the_kinds_of_organisation_asked_for_are_present(demo):
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)
    types = Counter(Organisation.objects.values_list("org_type", flat=True))
    for org_type in (
        "Integrated care board",
        "Acute trust",
        "Mental health trust",
        "Community trust",
        "County council",
        "Police force",
        "Probation delivery unit",
        "Housing association",
        "Service-user forum",
    ):
        assert types[org_type] == 1, org_type
    assert types["District council"] == 3
    assert types["Primary care network"] == 3
    assert sum(n for t, n in types.items() if t.startswith("GP practice")) == 10
    assert types["Care home provider"] >= 2
    assert Organisation.objects.filter(sector=Sector.VOLUNTARY).exclude(charity_number="").count() >= 6
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Healthwatch Northshire", "Northshire Carers' Centre", "Voluntary Action Northshire"} <= names


def test_identifiers_look_like_the_real_ones(demo):
    orgs = Organisation.objects.all()
    assert all(o.area for o in orgs)
    assert {"Northshire", "Kingsford", "Northshire Coast", "Upper Vale"} <= {o.area for o in orgs}
    for org in orgs:
        if org.ods_code:
            assert re.fullmatch(r"[A-Z0-9]{3,6}", org.ods_code)
            assert org.org_id == f"GB-NHS-{org.ods_code}"
        if org.charity_number:
            assert re.fullmatch(r"\d{7}", org.charity_number)
        if org.gss_code:
            assert re.fullmatch(r"E\d{8}", org.gss_code)
    assert orgs.filter(org_id__startswith="GB-NHS-").count() >= 17


def test_partnerships_have_the_shape_of_the_issue(demo):
    p = demo["partnerships"]
    assert p["mh"].name == "Northshire Community Mental Health Partnership"
    assert p["mh"].kind == "vertical" and "pooled budget" in p["mh"].purpose
    assert p["hwb"].kind == "horizontal"
    assert p["bcf"].parent == p["hwb"] and p["neighbourhood"].parent == p["hwb"]
    forensic = {m.organisation.org_type for m in p["forensic"].memberships.select_related("organisation")}
    assert {
        "Mental health trust",
        "Police force",
        "Probation delivery unit",
        "County council",
        "Housing association",
    } <= forensic
    ageing = p["ageing"].memberships.select_related("organisation")
    assert all(m.organisation.sector != Sector.NHS or m.role == MembershipRole.ASSOCIATE for m in ageing)


def test_memberships_have_every_role_named_representatives_and_leavers(demo):
    memberships = Membership.objects.prefetch_related("representatives")
    assert set(memberships.values_list("role", flat=True)) == set(MembershipRole.values)
    assert all(m.representatives.exists() for m in memberships)
    assert memberships.filter(left__isnull=False).count() >= 4
    # some named representatives have since left their organisation
    assert Person.objects.filter(representing__isnull=False, affiliations__ended__isnull=False).exists()


def test_three_years_of_history_with_every_kind_of_change(demo):
    events = TimelineEvent.objects.all()
    dates = sorted(events.values_list("date", flat=True))
    assert dates[0] >= datetime.date(2023, 1, 1) and dates[-1] <= datetime.date(2026, 12, 31)
    assert dates[-1].year == 2026 and dates[0].year == 2023
    kinds = set(events.values_list("kind", flat=True))
    assert {
        EventKind.REORGANISATION,
        EventKind.MERGER,
        EventKind.LEADER_CHANGE,
        EventKind.FUNDING_CHANGE,
        EventKind.POLICY_CHANGE,
        EventKind.FORMATION,
        EventKind.MEMBER_JOINED,
        EventKind.MEMBER_LEFT,
    } <= kinds
    assert events.filter(partnership__isnull=True, organisation__isnull=False).exists()
    assert events.filter(partnership__isnull=False, organisation__isnull=True).exists()
    merged = Organisation.objects.get(name="Riverside Medical Centre")
    assert merged.closed == datetime.date(2024, 9, 30)
    assert Organisation.objects.filter(name="Millbrook and Riverside Medical Group").exists()


def test_the_build_writes_the_audit_log(demo):
    verbs = Counter(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs["organisation.created"] == demo["counts"]["organisations"]
    assert verbs["membership.added"] >= 50
    assert verbs["role.granted"] >= 5


def test_each_demo_user_sees_what_their_role_allows(demo):
    users, p = demo["users"], demo["partnerships"]

    def visible(user: Any) -> set[str]:
        return set(selectors.partnership_list(user=user).values_list("name", flat=True))

    assert visible(users["member"]) == {"Ageing Well Northshire Alliance"}
    # the board's coordinator also reads the two partnerships under it (the place role)
    assert visible(users["coordinator"]) == {p[k].name for k in ("mh", "hwb", "bcf", "neighbourhood")}
    assert not has_permission(users["coordinator"], Permission.PARTNERSHIP_EDIT, p["bcf"])
    # the system leader reads every partnership of Northshire, and changes none
    assert visible(users["leader"]) == set(Partnership.objects.values_list("name", flat=True))
    assert all(has_permission(users["leader"], Permission.PARTNERSHIP_VIEW, x) for x in p.values())
    assert not any(
        has_permission(users["leader"], perm, x)
        for x in p.values()
        for perm in (Permission.PARTNERSHIP_EDIT, Permission.EXPORT, Permission.AGREEMENT_PROPOSE)
    )
    assert visible(users["admin"]) == set(Partnership.objects.values_list("name", flat=True))
    assert has_permission(users["coordinator"], Permission.MEMBERSHIP_MANAGE, p["mh"])
    trust, county = demo["organisations"]["mh_trust"], demo["organisations"]["county"]
    assert has_permission(users["trust_signatory"], Permission.AGREEMENT_SIGN, p["mh"], trust)
    assert has_permission(users["council_signatory"], Permission.AGREEMENT_SIGN, p["mh"], county)
    assert not has_permission(users["trust_signatory"], Permission.AGREEMENT_SIGN, p["mh"], county)
    assert not has_permission(users["trust_rep"], Permission.AGREEMENT_SIGN, p["mh"], trust)
    assert not has_permission(users["council_rep"], Permission.AGREEMENT_SIGN, p["mh"], county)
    assert has_permission(users["council_rep"], Permission.ORGANISATION_REPRESENT, p["mh"], county)
    assert has_permission(users["evaluator"], Permission.EXPORT, p["mh"])
    assert not has_permission(users["evaluator"], Permission.PARTNERSHIP_EDIT, p["mh"])
    assert visible(users["observer"]) == {p["mh"].name}
    assert not has_permission(users["observer"], Permission.EXPORT, p["mh"])
    assert not has_permission(users["observer"], Permission.NETWORK_VIEW, p["mh"])
    # the representatives are people of their organisations, named on its membership
    rep = users["trust_rep"].person
    assert rep in demo["memberships"][("mh", "mh_trust")].representatives.all()
    assert rep.affiliations.get().organisation == demo["organisations"]["mh_trust"]


def test_the_demo_login_works_and_shows_the_coordinators_partnerships(client, demo):
    response = client.post("/accounts/login/", {"username": demo["login"]["email"], "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Northshire Community Mental Health Partnership" in page
    assert "Ageing Well Northshire Alliance" not in page


def test_the_register_pages_show_the_demo(client, demo):
    """Every partnership page, the lists and a merged organisation render the demo data for the site admin."""
    client.post("/accounts/login/", {"username": "admin@northshire.example", "password": PASSWORD})
    for partnership in demo["partnerships"].values():
        page = client.get(partnership.get_absolute_url())
        assert page.status_code == 200
        assert partnership.name in page.content.decode()
    merged = Organisation.objects.get(name="Riverside Medical Centre")
    assert "Millbrook and Riverside Medical Group" in client.get(merged.get_absolute_url()).content.decode()
    for url in (
        "/register/organisations/",
        "/register/people/",
        "/register/partnerships/",
        "/register/landscape/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(demo["people"]["coordinator"].get_absolute_url()).status_code == 200


def test_the_readme_lists_every_demo_login_and_no_other() -> None:
    from pathlib import Path

    from joinedup.demo import data

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = readme.split("Demo logins (all with the same password)")[1].split("The demo keeps its data")[0]
    named = set(re.findall(r"`([a-z.]+@northshire\.example)`", listed))
    assert named == {email for _key, email, _person, _admin in data.USERS}


def test_the_system_leader_sees_the_whole_place_on_their_place_page(client, demo):
    client.post("/accounts/login/", {"username": "leader@northshire.example", "password": PASSWORD})
    home = client.get("/").content.decode()
    assert 'href="/register/place/"' in home and "the 6 partnerships you oversee" in home
    page = client.get("/register/place/").content.decode()
    for partnership in demo["partnerships"].values():
        assert html.escape(partnership.name) in page, partnership.name
    assert "/assessments/waves/" in page  # links to published results
    assert client.get(f"/register/partnerships/{demo['partnerships']['mh'].pk}/edit/").status_code == 403
