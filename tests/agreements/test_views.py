"""Agreement pages: what each user may see and do, signing by hash, draft conflicts, diff, reviews."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from joinedup.agreements import services
from joinedup.agreements.choices import ClauseKind, VersionStatus
from joinedup.agreements.models import Agreement, AgreementReview, AgreementVersion, Clause, Signature
from tests.agreements.helpers import CLAUSES, Place, make_place, proposed_version, sign_all
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = VersionStatus


@pytest.fixture
def place() -> Place:
    return make_place(members=2)


def url(name: str, *args: Any) -> str:
    return reverse(f"agreements:{name}", args=args)


def in_force(place: Place) -> AgreementVersion:
    version = proposed_version(place, review_interval_months=12, term="open_ended")
    sign_all(place, version)
    version.refresh_from_db()
    assert version.status == S.IN_FORCE
    return version


def editor_data(
    version: AgreementVersion, clauses: list[tuple[str, str]], **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lock_version": version.lock_version,
        "term": "open_ended",
        "end_date": "",
        "review_interval_months": "12",
        "decision_rule": "consensus",
        "chairing": "rotating",
        "chair_organisation": "",
        "host_organisation": "",
        "risk_share": "proportional",
        "clauses-TOTAL_FORMS": len(clauses),
        "clauses-INITIAL_FORMS": 0,
        "contributions-TOTAL_FORMS": 0,
        "contributions-INITIAL_FORMS": 0,
    }
    for i, (kind, text) in enumerate(clauses):
        data.update({f"clauses-{i}-kind": kind, f"clauses-{i}-text": text, f"clauses-{i}-order": i + 1})
    data.update(overrides)
    return data


# ---- who may see what --------------------------------------------------------------------------------------


def test_member_of_another_partnership_gets_404_everywhere(client: Any, place: Place) -> None:
    version = in_force(place)
    agreement = version.agreement
    other = make_place(members=1)
    client.force_login(other.signatories[other.orgs[0].pk])
    pages = [
        url("list", place.partnership.pk),
        url("create", place.partnership.pk),
        url("detail", agreement.pk),
        url("version", agreement.pk, version.number),
        url("diff", agreement.pk),
        url("review_add", agreement.pk),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    response = client.post(url("sign", agreement.pk, version.number), {"content_hash": version.content_hash})
    assert response.status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.pk}").status_code == 404


def test_list_shows_kind_version_and_status(client: Any, place: Place) -> None:
    version = in_force(place)
    place.add_member()  # joins after the version came into force
    client.force_login(place.coordinator)
    response = client.get(url("list", place.partnership.pk))
    html = response.content.decode()
    assert "Memorandum of understanding" in html
    assert f"Version {version.number}" in html
    assert "not signed by all current members" in html
    assert "New agreement" in html


def test_plain_member_cannot_create_an_agreement(client: Any, place: Place) -> None:
    member = UserFactory()
    grant(member, place.partnership, "member")
    client.force_login(member)
    assert client.get(url("create", place.partnership.pk)).status_code == 403
    assert "New agreement" not in client.get(url("list", place.partnership.pk)).content.decode()


def test_coordinator_creates_an_agreement_and_lands_in_its_draft(client: Any, place: Place) -> None:
    client.force_login(place.coordinator)
    response = client.post(
        url("create", place.partnership.pk),
        {"title": "Terms of reference", "kind": "terms_of_reference", "section75_kind": ""},
    )
    agreement = Agreement.objects.get(title="Terms of reference")
    assert response.status_code == 302
    assert response["Location"] == url("draft_edit", agreement.pk, 1)


def test_agreement_page_shows_clauses_reading_signatures_and_review(client: Any, place: Place) -> None:
    version = in_force(place)
    late = place.add_member()
    client.force_login(place.reps[place.orgs[0].pk])
    html = client.get(url("detail", version.agreement_id)).content.decode()
    for clause in CLAUSES:
        assert str(ClauseKind(clause["kind"]).label) in html
        assert clause["text"] in html
    assert "Contract or partnership?" in html
    assert "Crawford &amp; Peck (2002)" in html
    assert version.content_hash[:12] in html
    assert re.search(r'id="unsigned">\s*<li>' + re.escape(late.name), html)
    due = (version.in_force_at + datetime.timedelta(days=0)).date()
    assert str(due.year + 1) in html  # next review: a year after coming into force


# ---- signing ----------------------------------------------------------------------------------------------


def test_non_signatory_cannot_sign(client: Any, place: Place) -> None:
    version = proposed_version(place)
    client.force_login(place.reps[place.orgs[0].pk])  # a representative, not a signatory
    response = client.post(
        url("sign", version.agreement_id, version.number), {"content_hash": version.content_hash}
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_stale_hash_is_refused_with_the_services_message(client: Any, place: Place) -> None:
    version = proposed_version(place)
    client.force_login(place.signatories[place.orgs[0].pk])
    page = client.get(url("proposal", version.agreement_id, version.number)).content.decode()
    assert f'value="{version.content_hash}"' in page  # the form carries the hash the signer reads
    response = client.post(
        url("sign", version.agreement_id, version.number), {"content_hash": "0" * 64}, follow=True
    )
    assert services.STALE_HASH_MESSAGE in response.content.decode()
    assert not Signature.objects.exists()


def test_last_signature_brings_the_version_into_force(client: Any, place: Place) -> None:
    version = proposed_version(place)
    for org in place.orgs:
        client.force_login(place.signatories[org.pk])
        response = client.post(
            url("sign", version.agreement_id, version.number), {"content_hash": version.content_hash}
        )
        assert response.status_code == 302
        said = [m.message for m in get_messages(response.wsgi_request)]
        if org != place.orgs[-1]:
            assert not any("now in force" in m for m in said), said
    version.refresh_from_db()
    assert version.status == S.IN_FORCE
    assert response["Location"] == url("detail", version.agreement_id)
    assert f"Every member has signed: version {version.number} is now in force." in said


# ---- drafts -----------------------------------------------------------------------------------------------


def test_draft_conflict_shows_both_texts_and_saves_nothing(client: Any, place: Place) -> None:
    version = in_force(place)
    draft = services.draft_start(by=place.coordinator, agreement=version.agreement)
    stale = draft.lock_version
    # someone else saves first
    services.draft_save(
        by=place.coordinator,
        version=draft,
        expected_lock_version=stale,
        clauses=[{"kind": "aims", "text": "THEIR aims text."}],
    )
    draft.refresh_from_db()
    before = list(Clause.objects.filter(version=draft).values_list("text", flat=True))
    client.force_login(place.reps[place.orgs[0].pk])
    data = editor_data(draft, [("aims", "MY aims text.")], lock_version=stale)
    response = client.post(url("draft_edit", draft.agreement_id, draft.number), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this draft while you were editing it" in html
    assert "THEIR aims text." in html and "MY aims text." in html
    assert "Their terms" in html
    assert f'name="lock_version" value="{draft.lock_version}"' in html  # the next save can succeed
    assert list(Clause.objects.filter(version=draft).values_list("text", flat=True)) == before


def test_editor_saves_orders_removes_and_proposes(client: Any, place: Place) -> None:
    version = in_force(place)
    draft = services.draft_start(by=place.coordinator, agreement=version.agreement)
    client.force_login(place.reps[place.orgs[0].pk])
    page = client.get(url("draft_edit", draft.agreement_id, draft.number))
    assert page.status_code == 200
    data = editor_data(
        draft,
        [("aims", "Second by order."), ("governance", "First by order."), ("exit", "Removed.")],
        **{"clauses-0-order": 5, "clauses-1-order": 1, "clauses-2-remove": "on"},
    )
    data.update(
        {
            "contributions-TOTAL_FORMS": 1,
            "contributions-0-organisation": place.orgs[0].pk,
            "contributions-0-kind": "money",
            "contributions-0-amount": "1000",
            "contributions-0-unit": "GBP",
            "action": "propose",
        }
    )
    response = client.post(url("draft_edit", draft.agreement_id, draft.number), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.status == S.PROPOSED
    assert [c.text for c in draft.clauses.order_by("order")] == ["First by order.", "Second by order."]
    assert draft.contributions.get().amount == 1000


def test_editor_reports_service_errors(client: Any, place: Place) -> None:
    version = in_force(place)
    draft = services.draft_start(by=place.coordinator, agreement=version.agreement)
    client.force_login(place.coordinator)
    data = editor_data(draft, [("aims", "Text.")], term="fixed_end")
    response = client.post(url("draft_edit", draft.agreement_id, draft.number), data)
    assert response.status_code == 200
    assert "Give the date the agreement ends." in response.content.decode()


# ---- proposals -------------------------------------------------------------------------------------------


def test_comment_reply_and_objection(client: Any, place: Place) -> None:
    version = proposed_version(place)
    clause = version.clauses.first()
    assert clause is not None
    org = place.orgs[1]
    client.force_login(place.reps[org.pk])
    client.post(
        url("comment_add", version.agreement_id, version.number), {"clause": clause.pk, "text": "Why?"}
    )
    parent = version.comments.get()
    client.post(
        url("comment_add", version.agreement_id, version.number), {"parent": parent.pk, "text": "Because."}
    )
    reply = version.comments.get(parent=parent)
    assert reply.clause_id == clause.pk and reply.organisation_id == org.pk
    # an objection needs a reason
    response = client.post(
        url("position_record", version.agreement_id, version.number, org.pk),
        {f"org{org.pk}-position": "object", f"org{org.pk}-reason": ""},
        follow=True,
    )
    assert "Say why your organisation objects." in response.content.decode()
    client.post(
        url("position_record", version.agreement_id, version.number, org.pk),
        {f"org{org.pk}-position": "object", f"org{org.pk}-reason": "Too vague."},
    )
    html = client.get(url("proposal", version.agreement_id, version.number)).content.decode()
    assert "Why?" in html and "Because." in html and "Too vague." in html
    # nobody may record a position for an organisation they do not represent
    other = place.orgs[0]
    response = client.post(
        url("position_record", version.agreement_id, version.number, other.pk),
        {f"org{other.pk}-position": "support"},
    )
    assert response.status_code == 403


def test_only_proposer_or_coordinator_may_withdraw_or_revise(client: Any, place: Place) -> None:
    version = proposed_version(place)  # proposed by the coordinator
    client.force_login(place.reps[place.orgs[0].pk])
    assert client.post(url("withdraw", version.agreement_id, version.number)).status_code == 403
    client.force_login(place.coordinator)
    response = client.post(url("revise", version.agreement_id, version.number))
    version.refresh_from_db()
    assert version.status == S.WITHDRAWN
    assert response["Location"] == url("draft_edit", version.agreement_id, version.number + 1)


# ---- diff and reviews -------------------------------------------------------------------------------------


def test_diff_shows_exactly_the_changed_clauses(client: Any, place: Place) -> None:
    v1 = in_force(place)
    clauses = [dict(c) for c in CLAUSES]
    clauses[2]["text"] = "Overspends are shared equally."
    v2 = proposed_version(place, clauses=clauses, agreement=v1.agreement)
    client.force_login(place.coordinator)
    html = client.get(url("diff", v1.agreement_id) + f"?from={v1.number}&to={v2.number}").content.decode()
    assert "1 clause changed, 2 unchanged" in html
    assert "<del>in proportion to contributions.</del>" in html
    assert "<ins>equally.</ins>" in html


def test_review_revise_opens_a_draft(client: Any, place: Place) -> None:
    version = in_force(place)
    client.force_login(place.coordinator)
    response = client.post(
        url("review_add", version.agreement_id),
        {
            "date": "2026-01-10",
            "outcome": "revise",
            "notes": "Update the risk share.",
            "participants_text": "Board",
        },
    )
    review = AgreementReview.objects.get()
    assert review.draft is not None
    assert response["Location"] == url("draft_edit", version.agreement_id, review.draft.number)


def test_reviews_due_page_lists_overdue_agreements(client: Any, place: Place) -> None:
    version = in_force(place)
    AgreementVersion.objects.filter(pk=version.pk).update(
        in_force_at=version.in_force_at - datetime.timedelta(days=800)
    )
    client.force_login(place.coordinator)
    html = client.get(url("reviews_due")).content.decode()
    overdue = html.split('id="overdue"')[1].split('id="due"')[0]
    assert version.agreement.title in overdue


def test_member_that_joins_later_signs_the_version_in_force(client: Any, place: Place) -> None:
    version = in_force(place)
    late = place.add_member()
    client.force_login(place.signatories[late.pk])
    page = client.get(url("detail", version.agreement_id)).content.decode()
    assert "Sign the version in force" in page
    response = client.post(
        url("sign", version.agreement_id, version.number), {"content_hash": version.content_hash}
    )
    assert response["Location"] == url("detail", version.agreement_id)
    page = client.get(url("detail", version.agreement_id)).content.decode()
    assert "Every current member has signed." in page
    assert "Sign the version in force" not in page


def test_a_signatory_sees_everything_the_fingerprint_covers_where_they_sign(
    client: Any, place: Place
) -> None:
    """The proposal page with the Sign button shows the contributions too (the hash covers them), money as
    pounds, staff time as a person writes it, and says what the fingerprint is."""
    first, second = place.orgs[:2]
    version = proposed_version(
        place,
        contributions=[
            {
                "organisation_id": first.pk,
                "kind": "money",
                "amount": Decimal("250000.00"),
                "unit": "GBP",
                "period": "per year",
            },
            {
                "organisation_id": second.pk,
                "kind": "staff",
                "amount": Decimal("1.50"),
                "unit": "WTE",
                "period": "per year",
            },
        ],
    )
    client.force_login(place.signatories[first.pk])
    page = client.get(url("proposal", version.agreement.pk, version.number)).content.decode()
    assert "Sign this version" in page
    assert "£250,000" in page and "250000.00" not in page
    assert ">1.5 WTE<" in page and "1.50" not in page
    assert f"Fingerprint <code>{version.content_hash[:12]}</code>" in page
    assert "single word or figure changed, the fingerprint would change" in " ".join(page.split())
    assert version.content_hash in page  # in full, on request (inside the details)


@pytest.mark.parametrize(
    ("amount", "unit", "shown"),
    [
        ("4000000.00", "GBP", "£4,000,000"),
        ("1234.50", "gbp", "£1,234.50"),
        ("1.50", "WTE", "1.5 WTE"),
        ("12000", "square metres", "12,000 square metres"),
        ("0.25", "", "0.25"),
        (None, "GBP", "–"),
    ],
)
def test_amounts_read_as_a_person_writes_them(amount: Any, unit: str, shown: str) -> None:
    from joinedup.agreements.presenters import amount_text

    assert amount_text(amount, unit) == shown
