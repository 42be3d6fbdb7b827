"""Signed means unchangeable: a proposed or signed version's clauses, contributions and terms cannot be changed
through the models, a queryset, raw SQL or the admin; and when the database's triggers are gone (someone with
the owner's rights dropped them) every page that shows the version says it no longer matches what was signed.

Runs on SQLite, and on PostgreSQL too with DATABASE_URL set (the triggers are each database's own)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse

from joinedup.agreements import services
from joinedup.agreements.choices import ContributionKind, Term, VersionStatus
from joinedup.agreements.integrity import FROZEN_MESSAGE, FrozenVersionError
from joinedup.agreements.models import Agreement, AgreementVersion, Clause, Contribution
from tests.agreements.helpers import make_place, proposed_version, sign_all, triggers_dropped
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = VersionStatus
REFUSED = "a proposed or signed agreement version cannot be changed"
ALTERED = "has been changed since it was signed"


@pytest.fixture
def place() -> Any:
    return make_place(2)


@pytest.fixture
def signed(place: Any) -> AgreementVersion:
    version = proposed_version(place, review_interval_months=12)
    sign_all(place, version)
    version.refresh_from_db()
    assert version.status == S.IN_FORCE
    return version


def refused_by_database(action: Any) -> None:
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        action()


def raw(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# ---- refused ------------------------------------------------------------------------------------------


def test_the_models_refuse_with_a_plain_message(signed: AgreementVersion, place: Any) -> None:
    clause = signed.clauses.first()
    assert clause is not None
    clause.text = "Something nobody agreed."
    with pytest.raises(FrozenVersionError, match="can no longer be changed"):
        clause.save()
    with pytest.raises(FrozenVersionError):
        clause.delete()
    with pytest.raises(FrozenVersionError):
        Clause.objects.create(version=signed, kind=clause.kind, order=99, text="An extra clause.")
    with pytest.raises(FrozenVersionError):
        Contribution.objects.create(version=signed, organisation=place.orgs[0], kind=ContributionKind.MONEY)
    signed.term = Term.FIXED_END
    with pytest.raises(FrozenVersionError):
        signed.save()
    signed.refresh_from_db()
    with pytest.raises(FrozenVersionError):
        signed.delete()
    assert FROZEN_MESSAGE.startswith("This version has been proposed for signing")


def test_querysets_and_bulk_writes_meet_the_triggers(signed: AgreementVersion, place: Any) -> None:
    clause = signed.clauses.first()
    assert clause is not None
    refused_by_database(lambda: Clause.objects.filter(version=signed).update(text="Changed."))
    refused_by_database(lambda: Clause.objects.filter(version=signed).delete())
    refused_by_database(
        lambda: Clause.objects.bulk_create([Clause(version=signed, kind=clause.kind, order=50, text="x")])
    )
    refused_by_database(
        lambda: Contribution.objects.bulk_create(
            [Contribution(version=signed, organisation=place.orgs[0], kind=ContributionKind.MONEY)]
        )
    )
    versions = AgreementVersion.objects.filter(pk=signed.pk)
    refused_by_database(lambda: versions.update(review_interval_months=1))
    refused_by_database(lambda: versions.update(content_hash="0" * 64))
    refused_by_database(lambda: versions.update(number=77))
    refused_by_database(
        lambda: versions.update(status=S.DRAFT, content_hash="", proposed_at=None, in_force_at=None)
    )
    refused_by_database(lambda: Clause.objects.filter(pk=clause.pk).update(version=proposed_draft(place)))
    signed.refresh_from_db()
    assert signed.review_interval_months == 12 and signed.clauses.count() == 3


def proposed_draft(place: Any) -> AgreementVersion:
    """A draft of the next version (so a clause could be moved onto it)."""
    agreement = Agreement.objects.get(partnership=place.partnership)
    return services.draft_start(by=place.coordinator, agreement=agreement)


def test_raw_sql_meets_the_triggers(signed: AgreementVersion) -> None:
    clause = signed.clauses.first()
    assert clause is not None
    refused_by_database(lambda: raw("UPDATE agreements_clause SET text = %s WHERE id = %s", ["x", clause.pk]))
    refused_by_database(lambda: raw("DELETE FROM agreements_clause WHERE id = %s", [clause.pk]))
    refused_by_database(
        lambda: raw(
            "UPDATE agreements_agreementversion SET risk_share = %s WHERE id = %s", ["pooled", signed.pk]
        )
    )
    refused_by_database(lambda: raw("DELETE FROM agreements_agreementversion WHERE id = %s", [signed.pk]))
    clause.refresh_from_db()
    assert clause.text != "x"


def test_deleting_an_agreement_with_a_signed_version_is_refused(signed: AgreementVersion) -> None:
    with pytest.raises(models.ProtectedError, match="protected foreign keys"):
        signed.agreement.delete()
    with pytest.raises(models.ProtectedError):
        signed.agreement.partnership.delete()
    assert AgreementVersion.objects.filter(pk=signed.pk).exists()


def test_status_changes_still_work_and_drafts_stay_editable(signed: AgreementVersion, place: Any) -> None:
    draft = proposed_draft(place)
    Clause.objects.filter(version=draft).update(text="Drafts can change.")
    assert set(draft.clauses.values_list("text", flat=True)) == {"Drafts can change."}
    Clause.objects.filter(version=draft).delete()
    assert not draft.clauses.exists()
    # proposed -> withdrawn, and in force -> superseded, through the services
    draft.delete()  # a draft can be deleted
    new = proposed_version(place, agreement=signed.agreement, review_interval_months=6)
    services.proposal_withdraw(by=place.coordinator, version=new, reason="Not yet.")
    new.refresh_from_db()
    assert new.status == S.WITHDRAWN
    newer = proposed_version(place, agreement=signed.agreement, review_interval_months=3)
    sign_all(place, newer)
    signed.refresh_from_db()
    newer.refresh_from_db()
    assert (signed.status, newer.status) == (S.SUPERSEDED, S.IN_FORCE)


# ---- the admin ----------------------------------------------------------------------------------------


def test_the_admin_shows_a_signed_version_read_only_and_refuses_a_post(
    client: Any, signed: AgreementVersion
) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    clause = signed.clauses.first()
    assert clause is not None
    url = reverse("admin:agreements_agreementversion_change", args=[signed.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="clauses-0-text"' not in html and 'name="term"' not in html
    assert clause.text in html  # shown, to read
    post = {
        "term": Term.FIXED_END,
        "clauses-TOTAL_FORMS": "1",
        "clauses-INITIAL_FORMS": "1",
        "clauses-0-id": str(clause.pk),
        "clauses-0-version": str(signed.pk),
        "clauses-0-kind": clause.kind,
        "clauses-0-order": str(clause.order),
        "clauses-0-text": "Something nobody agreed.",
        "contributions-TOTAL_FORMS": "0",
        "contributions-INITIAL_FORMS": "0",
    }
    assert client.post(url, post).status_code == 403
    delete = reverse("admin:agreements_agreementversion_delete", args=[signed.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    agreement_delete = reverse("admin:agreements_agreement_delete", args=[signed.agreement_id])
    answer = client.post(agreement_delete, {"post": "yes"})
    assert answer.status_code == 200 and "Cannot delete agreement" in answer.content.decode()
    clause.refresh_from_db()
    signed.refresh_from_db()
    assert clause.text != "Something nobody agreed." and signed.term == ""
    assert Agreement.objects.filter(pk=signed.agreement_id).exists()


# ---- detected when the triggers are gone ----------------------------------------------------------------


def pages(version: AgreementVersion) -> list[str]:
    a = version.agreement_id
    urls = [
        reverse("agreements:detail", args=[a]),
        reverse("agreements:diff", args=[a]) + f"?to={version.number}",
    ]
    if version.status == S.PROPOSED:
        urls.append(reverse("agreements:proposal", args=[a, version.number]))
    else:
        urls.append(reverse("agreements:version", args=[a, version.number]))
    return urls


def test_pages_do_not_warn_about_an_untouched_version(
    client: Any, signed: AgreementVersion, place: Any
) -> None:
    client.force_login(place.coordinator)
    for url in pages(signed):
        html = client.get(url).content.decode()
        assert ALTERED not in html and 'role="alert"' not in html, url
    assert client.get(f"/api/v1/agreements/{signed.agreement_id}").json()["in_force"]["content_matches_hash"]


@pytest.mark.parametrize("tamper", ["clause", "contribution", "field"])
def test_every_page_warns_when_the_stored_text_no_longer_matches_its_hash(
    client: Any, signed: AgreementVersion, place: Any, tamper: str
) -> None:
    client.force_login(place.signatories[place.orgs[0].pk])
    with triggers_dropped():
        if tamper == "clause":
            raw(
                "UPDATE agreements_clause SET text = %s WHERE version_id = %s",
                ["Nobody agreed this.", signed.pk],
            )
        elif tamper == "contribution":
            raw(
                "INSERT INTO agreements_contribution (version_id, organisation_id, kind, amount, unit, period,"
                " description) VALUES (%s, %s, 'money', %s, 'GBP', '', '')",
                [signed.pk, place.orgs[0].pk, Decimal("1000000.00")],
            )
        else:
            AgreementVersion.objects.filter(pk=signed.pk).update(review_interval_months=60)
        for url in pages(signed):
            html = client.get(url).content.decode()
            assert 'role="alert"' in html and f"Version {signed.number} {ALTERED}" in html, url
            assert "Someone has changed them outside JoinedUp" in html
        api = client.get(f"/api/v1/agreements/{signed.agreement_id}").json()
        assert api["in_force"]["content_matches_hash"] is False, api
        # and nobody is offered the altered text to sign (the service refuses it too)
        assert "Sign this version" not in client.get(pages(signed)[0]).content.decode()


def test_a_proposal_page_warns_too(client: Any, place: Any) -> None:
    version = proposed_version(place)
    client.force_login(place.signatories[place.orgs[0].pk])
    with triggers_dropped():
        Clause.objects.filter(version=version, order=1).update(text="Changed after proposing.")
        html = client.get(reverse("agreements:proposal", args=[version.agreement_id, version.number])).content
        page = html.decode()
    assert "has been changed since it was proposed" in page and 'role="alert"' in page
    assert "You are signing exactly the text on this page" not in page


@pytest.mark.postgres
def test_postgresql_has_its_own_triggers(signed: AgreementVersion) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'agreements_frozen_%%' ORDER BY tgname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "agreements_frozen_clause",
        "agreements_frozen_contribution",
        "agreements_frozen_version",
    ]
    refused_by_database(
        lambda: raw("UPDATE agreements_clause SET text = 'x' WHERE version_id = %s", [signed.pk])
    )
