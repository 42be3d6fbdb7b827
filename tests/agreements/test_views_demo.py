"""Every agreement page renders on the Northshire demo data (real clauses, reviews, comments, signatures)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import Agreement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_agreement_pages_render(client: Any) -> None:
    from joinedup.demo.northshire import build_northshire

    build_northshire(seed=2026)
    agreements = list(Agreement.objects.select_related("partnership"))
    assert agreements, "the demo has agreements"
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    verdicts = set()
    for agreement in agreements:
        pages = [
            reverse("agreements:list", args=[agreement.partnership_id]),
            reverse("agreements:detail", args=[agreement.pk]),
            reverse("agreements:diff", args=[agreement.pk]),
            reverse("register:partnership_detail", args=[agreement.partnership_id]),
        ]
        for version in agreement.versions.all():
            pages.append(reverse("agreements:version", args=[agreement.pk, version.number]))
            if version.status == VersionStatus.PROPOSED:
                pages.append(reverse("agreements:proposal", args=[agreement.pk, version.number]))
        for page in pages:
            response = client.get(page, follow=True)
            assert response.status_code == 200, page
        html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
        for label in ("Partnership", "Partly a partnership", "Contract-like"):
            if f">{label}</strong>" in html:
                verdicts.add(label)
    assert {"Partnership", "Contract-like"} <= verdicts
    overdue = client.get(reverse("agreements:reviews_due")).content.decode().split('id="overdue"')[1]
    assert "Forensic" in overdue.split('id="due"')[0] or "forensic" in overdue.split('id="due"')[0].lower()


def test_the_county_council_signatory_is_told_the_section_75_proposal_waits_for_them(client: Any) -> None:
    from joinedup.demo.northshire import PASSWORD, build_northshire

    build_northshire(seed=2026)
    client.post(
        "/accounts/login/", {"username": "council.signatory@northshire.example", "password": PASSWORD}
    )
    home = client.get("/").content.decode()
    assert "Sign Northshire community mental health section 75 agreement (version 3)" in home, home
    assert "Northshire County Council has not signed it yet" in home
