"""Role × route: what every route answers to every role, pages and API alike.

One small partnership holds something for every route's URL arguments. Each role (and a member of another
partnership, and anonymous) asks for every route; ROUTES holds an entry for each, and a route without one fails.
What a role should get is derived from this test's own copy of the role table (HOLDS, REGISTER), written out here
and not read from core.permissions, so changing a role class, or a view's check, fails this test.

- a page: GET. A role that holds the permission gets the entry's `ok` (200 unless said); one of the partnership
  that lacks it 403; a member of another partnership 404 (its existence is not revealed); anonymous is sent to
  log in. The API answers anonymous 401.
- a POST-only route: a role that holds the permission GETs it (405: nothing is changed); one that lacks it POSTs
  and is refused (403/404), so nothing is changed either. An API path whose only writes are PATCH, PUT or DELETE
  names its `method`, which the refused roles send instead of POST.
- an API path with a read and writes (GET and POST on `/memberships`) is asked with GET, as the read's entry
  says; `writes` names what each other operation on it declares (checked against the URL sweep), and the
  writes' own refusals are tested in each app's API tests.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from joinedup.agreements import services as agreement_services
from joinedup.agreements.choices import AgreementKind
from joinedup.assessments.services import RESULTS_JOB
from joinedup.core import permissions as core_permissions
from joinedup.core.jobs import job_enqueue, job_run_here
from joinedup.core.permissions import Access, Permission
from joinedup.networks import services as network_services
from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.outcomes import services as outcome_services
from joinedup.register.jobs import organisations_import_later
from joinedup.register.models import Partnership
from joinedup.reports.services import pack_request
from joinedup.surveys import services as survey_services
from tests.agreements.helpers import make_place, proposed_version, sign_all
from tests.assessments.helpers import add_answers, make_wave
from tests.conftest import grant
from tests.core.routes import routes
from tests.factories import (
    AffiliationFactory,
    PartnershipFactory,
    PersonFactory,
    RoleInvitationFactory,
    UserFactory,
)
from tests.governance.helpers import matrix_records
from tests.networks.test_command import NODES, TIES
from tests.register.test_imports import ods_row
from tests.register.test_imports_views import ods_bytes

P = Permission

# ---- this test's own copy of the role table (ADR 2) -----------------------------------------------------

ROLES = [
    "site_admin",
    "coordinator",
    "representative",
    "signatory",
    "member",
    "evaluator",
    "observer",
    "system_leader",  # the place role, held on the partnership above this one
    "parent_coordinator",  # the coordinator of the partnership above this one
    "outsider",  # a member of another partnership
    "anonymous",
]
_REP = {
    P.PARTNERSHIP_VIEW,
    P.EVENT_RECORD,
    P.LANDSCAPE_VIEW,
    P.NETWORK_VIEW,
    P.AGREEMENT_PROPOSE,
    P.INDICATOR_RECORD,
    P.MEETING_PRIVATE_VIEW,
}
_REP_FOR_ORG = {P.ORGANISATION_REPRESENT}
_PLACE = {
    P.PARTNERSHIP_VIEW,
    P.LANDSCAPE_VIEW,
    P.NETWORK_VIEW,
}  # read-only, in every partnership of the place  # for the organisation they represent (ORG below)
HOLDS: dict[str, set[Permission]] = {  # in the partnership
    "site_admin": {
        P.PARTNERSHIP_VIEW,
        P.PARTNERSHIP_EDIT,
        P.MEMBERSHIP_MANAGE,
        P.ROLE_MANAGE,
        P.EVENT_RECORD,
        P.LANDSCAPE_VIEW,
        P.NETWORK_VIEW,
        P.EXPORT,
        P.AGREEMENT_PROPOSE,
        P.PERSON_CONTACT_VIEW,
        P.HISTORY_VIEW,
        P.INDICATOR_RECORD,
        P.FEEDBACK_MODERATE,
        P.GOVERNANCE_RECORD,
        P.MEETING_PRIVATE_VIEW,
    },
    "coordinator": {
        P.PARTNERSHIP_VIEW,
        P.PARTNERSHIP_EDIT,
        P.MEMBERSHIP_MANAGE,
        P.ROLE_MANAGE,
        P.EVENT_RECORD,
        P.LANDSCAPE_VIEW,
        P.NETWORK_VIEW,
        P.EXPORT,
        P.AGREEMENT_PROPOSE,
        P.PERSON_CONTACT_VIEW,
        P.HISTORY_VIEW,
        P.INDICATOR_RECORD,
        P.FEEDBACK_MODERATE,
        P.GOVERNANCE_RECORD,
        P.MEETING_PRIVATE_VIEW,
    },
    "representative": _REP | _REP_FOR_ORG,
    "signatory": _REP | _REP_FOR_ORG | {P.AGREEMENT_SIGN},
    "member": {P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.MEETING_PRIVATE_VIEW},
    "evaluator": {P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.EXPORT, P.HISTORY_VIEW},
    "observer": {P.PARTNERSHIP_VIEW},
    "system_leader": _PLACE,
    "parent_coordinator": _PLACE,
    "outsider": set(),
    "anonymous": set(),
}
_REGISTER_ALL = {P.REGISTER_VIEW, P.REGISTER_EDIT, P.REGISTER_IMPORT, P.PARTNERSHIP_CREATE}
REGISTER: dict[str, set[Permission]] = {  # register-wide
    **{role: {P.REGISTER_VIEW} for role in ROLES},
    "site_admin": _REGISTER_ALL,
    "coordinator": _REGISTER_ALL,
    "parent_coordinator": _REGISTER_ALL,  # a coordinator (of the parent)
    "anonymous": set(),
}
REGISTER_WIDE = _REGISTER_ALL
ORGANISATION_SCOPED = {P.ORGANISATION_REPRESENT, P.AGREEMENT_SIGN}


# ---- the partnership every route is asked about ----------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    partnership: Any
    org: Any  # represented by "representative" and "signatory"
    membership: Any
    person: Any
    affiliation: Any
    agreement: Any  # version 1 in force, version 2 proposed
    draft_agreement: Any  # version 1 a draft
    assessment: Any  # an open assessment wave with answers and a rescore queued
    assessment_token: str
    relationship: Any
    relationship_later: Any
    relationship_token: str
    import_job: Any  # the coordinator's
    file_job: Any  # the evaluator's own network file
    invitation: Any  # a pending invitation to a role
    spare_role: Any  # an observer's role nobody else needs
    indicator: Any  # with one measurement
    governance: Any = None  # a held meeting with a paper, a decision, an action; a dispute
    pack_job: Any = None  # the evaluator's own review pack, made


def _build() -> World:
    place = make_place(members=2)
    partnership, org = place.partnership, place.orgs[0]
    users: dict[str, Any] = {
        "site_admin": UserFactory(is_superuser=True, is_staff=True),
        "coordinator": place.coordinator,
        "representative": place.reps[org.pk],
        "signatory": place.signatories[org.pk],
    }
    for role in ("member", "evaluator", "observer"):
        users[role] = UserFactory()
        grant(users[role], partnership, role)
    parent = PartnershipFactory(name="The place above")
    Partnership.objects.filter(pk=partnership.pk).update(parent=parent)
    for role, held in (("system_leader", "system_leader"), ("parent_coordinator", "coordinator")):
        users[role] = UserFactory()
        grant(users[role], parent, held)
    users["outsider"] = UserFactory()
    grant(users["outsider"], PartnershipFactory(), "member")

    in_force = proposed_version(place)
    sign_all(place, in_force)
    agreement = in_force.agreement
    proposed_version(place, agreement=agreement)
    draft_agreement = agreement_services.agreement_create(
        by=place.coordinator, partnership=partnership, kind=AgreementKind.MEMORANDUM, title="Data sharing"
    )
    agreement_services.draft_start(by=place.coordinator, agreement=draft_agreement)

    assessment = make_wave(partnership, min_group_size=3)
    assessment_token = survey_services.wave_open(by=None, wave=assessment, open_link=True)
    add_answers(assessment, org, 3)
    job_enqueue(
        kind=RESULTS_JOB, key=f"wave:{assessment.pk}", title="Rescore", by=None, partnership=partnership
    )

    waves = []
    for title in ("Relationships 2025", "Relationships 2026"):
        wave = survey_services.wave_create(
            by=None,
            partnership=partnership,
            kind=RELATIONSHIP_KIND,
            title=title,
            opens=datetime.date(2026, 1, 1),
            closes=datetime.date(2099, 2, 1),
        )
        waves.append((wave, survey_services.wave_open(by=None, wave=wave, open_link=True)))

    import_job = organisations_import_later(
        by=place.coordinator,
        data=ods_bytes([ods_row("R0001", "Northshire Trust")]),
        fmt="ods",
        dry_run=True,
        filename="etr.csv",
    )
    file_job = network_services.network_file_analyse(
        by=users["evaluator"],
        ties=SimpleUploadedFile("ties.csv", TIES.encode(), content_type="text/csv"),
        nodes=SimpleUploadedFile("nodes.csv", NODES.encode(), content_type="text/csv"),
    )
    pack_job = pack_request(by=users["evaluator"], partnership=partnership, kind="html")
    for job in (import_job, file_job, pack_job):
        job_run_here(str(job.pk))
        job.refresh_from_db()
        assert job.status == "done", job.error
    person = PersonFactory()
    return World(
        users=users,
        partnership=partnership,
        org=org,
        membership=place.memberships[0],
        person=person,
        affiliation=AffiliationFactory(person=person, organisation=org),
        agreement=agreement,
        draft_agreement=draft_agreement,
        assessment=assessment,
        assessment_token=assessment_token or "",
        relationship=waves[0][0],
        relationship_later=waves[1][0],
        relationship_token=waves[0][1] or "",
        import_job=import_job,
        file_job=file_job,
        invitation=RoleInvitationFactory(partnership=partnership),
        spare_role=grant(UserFactory(), partnership, "observer"),
        indicator=_indicator(place),
        governance=matrix_records(partnership, place.orgs, place.coordinator),
        pack_job=pack_job,
    )


def _indicator(place: Any) -> Any:
    indicator = outcome_services.indicator_create(
        by=place.coordinator,
        partnership=place.partnership,
        fields={
            "title": "Seen in two weeks",
            "kind": "process",
            "rba_question": "how_well",
            "frequency": "quarterly",
            "definition": "Seen within two weeks of referral.",
            "unit": "%",
            "direction": "increase",
            "owner": place.orgs[0],
        },
    )
    for month in (1, 4):
        outcome_services.measurement_record(
            by=place.coordinator,
            indicator=indicator,
            period=datetime.date(2025, month, 1),
            value=50.0 + month,
        )
    return indicator


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module, inside transactions rolled back at its end (as TestCase.setUpTestData)."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            yield _build()
        finally:
            TestCase._rollback_atomics(atomics)


# ---- one entry per route -----------------------------------------------------------------------------------

Args = Callable[[World], list[Any]]
LOGIN = "login"


def _none(w: World) -> list[Any]:
    return []


@dataclass(frozen=True)
class Entry:
    needs: Permission | Access  # what the route declares (checked against the URL sweep)
    args: Args = _none
    query: Callable[[World], dict[str, Any]] | None = None
    ok: int = 200  # what a role that may use it gets
    post_only: bool = False
    behaves_as: Permission | None = None  # outcomes follow this permission instead of `needs`
    owners: tuple[str, ...] = ()  # only these (and site admins) get `ok`; anyone else allowed gets 404
    per_role: dict[str, int | str] = field(default_factory=dict)  # a role whose answer differs (say why)
    writes: tuple[Permission | Access, ...] = ()  # the other operations on an API path, in their order
    method: str = "post"  # what a refused role sends to a write-only route


def _p(w: World) -> list[Any]:
    return [w.partnership.pk]


def _a(w: World) -> list[Any]:
    return [w.agreement.pk]


def _proposal(w: World) -> list[Any]:
    return [w.agreement.pk, 2]


def _aw(w: World) -> list[Any]:
    return [w.assessment.pk]


def _rw(w: World) -> list[Any]:
    return [w.relationship.pk]


def _gm(w: World) -> list[Any]:
    return [w.governance.meeting.pk]


def _file(w: World) -> list[Any]:
    return [w.file_job.pk]


def _i(w: World) -> list[Any]:
    return [w.indicator.pk]


def _voice(w: World) -> Any:
    """The partnership's feedback form with one comment flagged for its lead (the coordinator), made on first use
    inside the test's transaction."""
    from joinedup.voice import services as voice_services
    from joinedup.voice.models import FeedbackForm

    form = FeedbackForm.objects.filter(partnership=w.partnership).first()
    if form is None:
        coordinator = w.users["coordinator"]
        form = voice_services.form_create(
            by=coordinator, partnership=w.partnership, service="Day service", safeguarding_lead=coordinator
        )
        answer = voice_services.response_submit(
            form=form, overall="good", statements={}, comment="Kind staff"
        )
        voice_services.comment_flag_safeguarding(by=coordinator, comment=answer.comment, note="Check")
    return form


def _vf(w: World) -> list[Any]:
    return [_voice(w).pk]


def _vc(w: World) -> list[Any]:
    return [_voice(w).responses.get().comment.pk]


def _vcode(w: World) -> list[Any]:
    return [_voice(w).code]


ROUTES: dict[str, Entry] = {
    "home": Entry(Access.SIGNED_IN),
    "core:healthz": Entry(Access.PUBLIC),
    "core:glossary": Entry(Access.PUBLIC),
    "core:job_list": Entry(Access.SIGNED_IN),
    "core:job": Entry(Access.SIGNED_IN, lambda w: [w.import_job.pk], owners=("coordinator",)),
    # POST only; its requester only (job_for_user), and only a failed job whose work is safe to repeat
    "core:job_retry": Entry(Access.SIGNED_IN, lambda w: [w.import_job.pk], post_only=True),
    # signed in, the login page sends you home
    "accounts:login": Entry(Access.PUBLIC, ok=302, per_role={"anonymous": 200}),
    "accounts:logout": Entry(Access.PUBLIC, ok=405),  # POST only (Django's LogoutView); a GET changes nothing
    "accounts:password_reset": Entry(Access.PUBLIC),
    "accounts:password_change": Entry(Access.SIGNED_IN),
    # the second step of signing in: without a password accepted first, back to the login page
    "accounts:two_step_code": Entry(Access.PUBLIC, ok=LOGIN),
    "accounts:two_step_setup": Entry(Access.SIGNED_IN),
    "register:account": Entry(Access.SIGNED_IN),
    "register:token_list": Entry(Access.SIGNED_IN),  # only the user's own tokens
    # POST only; a token that is not the user's is not found
    "register:token_revoke": Entry(Access.SIGNED_IN, lambda w: [987654], post_only=True),
    # the link is for the account that asked: an unknown one says so (410 Gone)
    "register:account_email_confirm": Entry(Access.SIGNED_IN, lambda w: ["no-such-link"], ok=410),
    "accounts:password_reset_done": Entry(Access.PUBLIC),
    "accounts:password_reset_confirm": Entry(
        Access.PUBLIC, lambda w: ["MQ", "set-password"]
    ),  # "link invalid"
    "accounts:password_reset_complete": Entry(Access.PUBLIC),
    # single sign-on: not set up in this world (tests/accounts/test_sso.py runs it against a real provider)
    "accounts:sso_start": Entry(Access.PUBLIC, ok=404),
    "accounts:sso_callback": Entry(Access.PUBLIC, ok=404),
    # register
    "register:partnership_list": Entry(P.REGISTER_VIEW),
    "register:partnership_create": Entry(P.PARTNERSHIP_CREATE),
    "register:partnership_detail": Entry(P.PARTNERSHIP_VIEW, _p),
    "register:partnership_edit": Entry(P.PARTNERSHIP_EDIT, _p),
    "register:membership_add": Entry(P.MEMBERSHIP_MANAGE, _p),
    "register:membership_edit": Entry(P.MEMBERSHIP_MANAGE, lambda w: [w.partnership.pk, w.membership.pk]),
    "register:representative_picker": Entry(P.MEMBERSHIP_MANAGE, _p),
    "register:event_add": Entry(P.EVENT_RECORD, _p),
    "register:partnership_roles": Entry(P.ROLE_MANAGE, _p),
    "register:invitation_manage": Entry(
        P.ROLE_MANAGE, lambda w: [w.partnership.pk, w.invitation.pk], post_only=True
    ),
    "register:role_manage": Entry(
        P.ROLE_MANAGE, lambda w: [w.partnership.pk, w.spare_role.pk], post_only=True
    ),
    # the demo mailbox exists only in demo mode (not in the tests' settings): 404 to everyone
    "demo:mail_list": Entry(Access.PUBLIC, ok=404),
    "demo:mail_detail": Entry(Access.PUBLIC, lambda w: ["none.0"], ok=404),
    # the link is the key: an unknown one says so (410 Gone) to anyone
    "register:invitation_accept": Entry(Access.PUBLIC, lambda w: ["no-such-link"], ok=410),
    "register:invitation_sso": Entry(Access.PUBLIC, lambda w: ["no-such-link"], ok=404),  # SSO off here
    "register:invitation_sso_done": Entry(Access.PUBLIC, ok=302),  # no invitation in the session: home
    # only an invitation to your own address opens; anyone else's says there is none for you (410)
    "register:invitation_own": Entry(Access.SIGNED_IN, lambda w: [w.invitation.pk], ok=410),
    # the surveys you were invited to answer: your own invitations only
    "surveys:answer_list": Entry(Access.SIGNED_IN),
    "register:partnership_history": Entry(P.HISTORY_VIEW, _p),
    "register:organisation_list": Entry(P.REGISTER_VIEW),
    "register:organisation_create": Entry(P.REGISTER_EDIT),
    "register:organisation_import": Entry(P.REGISTER_IMPORT),
    "register:organisation_import_report": Entry(
        P.REGISTER_IMPORT, lambda w: [w.import_job.pk], owners=("coordinator",)
    ),
    "register:organisation_detail": Entry(P.REGISTER_VIEW, lambda w: [w.org.pk]),
    "register:organisation_edit": Entry(P.REGISTER_EDIT, lambda w: [w.org.pk]),
    "register:person_list": Entry(P.REGISTER_VIEW),
    "register:person_create": Entry(P.REGISTER_EDIT),
    "register:person_detail": Entry(P.REGISTER_VIEW, lambda w: [w.person.pk]),
    "register:person_edit": Entry(P.REGISTER_EDIT, lambda w: [w.person.pk]),
    "register:affiliation_add": Entry(P.REGISTER_EDIT, lambda w: [w.person.pk]),
    "register:affiliation_edit": Entry(P.REGISTER_EDIT, lambda w: [w.person.pk, w.affiliation.pk]),
    # any signed-in user gets the page; asked for one partnership, it needs LANDSCAPE_VIEW there
    "register:place": Entry(Access.SIGNED_IN),
    # the place page as a CSV: what the page shows that person (flag words and counts), no survey figure
    "register:place_csv": Entry(Access.SIGNED_IN),
    "register:landscape": Entry(
        Access.SIGNED_IN, query=lambda w: {"partnership": w.partnership.pk}, behaves_as=P.LANDSCAPE_VIEW
    ),
    # agreements
    "agreements:list": Entry(P.PARTNERSHIP_VIEW, _p),
    "agreements:create": Entry(P.AGREEMENT_PROPOSE, _p),
    "agreements:reviews_due": Entry(Access.SIGNED_IN),
    "agreements:detail": Entry(P.PARTNERSHIP_VIEW, _a),
    "agreements:diff": Entry(P.PARTNERSHIP_VIEW, _a),
    "agreements:review_add": Entry(P.PARTNERSHIP_EDIT, _a),
    "agreements:draft_start": Entry(P.AGREEMENT_PROPOSE, _a, ok=302),  # a GET goes back to the agreement
    "agreements:version": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.agreement.pk, 1]),
    "agreements:draft_edit": Entry(P.AGREEMENT_PROPOSE, lambda w: [w.draft_agreement.pk, 1]),
    "agreements:proposal": Entry(P.PARTNERSHIP_VIEW, _proposal),
    "agreements:comment_add": Entry(P.AGREEMENT_PROPOSE, _proposal, post_only=True),
    "agreements:position_record": Entry(
        P.ORGANISATION_REPRESENT, lambda w: [w.agreement.pk, 2, w.org.pk], post_only=True
    ),
    "agreements:withdraw": Entry(P.PARTNERSHIP_EDIT, _proposal, post_only=True),
    "agreements:revise": Entry(P.PARTNERSHIP_EDIT, _proposal, post_only=True),
    "agreements:sign": Entry(P.AGREEMENT_SIGN, _proposal, post_only=True),
    # networks
    "networks:partnership": Entry(P.NETWORK_VIEW, _p),
    "networks:compare": Entry(P.NETWORK_VIEW, _p),
    "networks:wave": Entry(P.NETWORK_VIEW, _rw),
    "networks:respond_direct": Entry(Access.PUBLIC, lambda w: [w.relationship_token]),
    "networks:analyse_file": Entry(Access.SIGNED_IN),
    # an evaluator's own file: its owner's alone (ADR 2), not a partnership's figures
    "networks:file_result": Entry(Access.SIGNED_IN, _file, owners=("evaluator",)),
    "networks:file_json": Entry(Access.SIGNED_IN, _file, owners=("evaluator",)),
    "networks:file_csv": Entry(Access.SIGNED_IN, _file, owners=("evaluator",)),
    # governance
    "governance:meetings": Entry(P.PARTNERSHIP_VIEW, _p),
    "governance:meeting_create": Entry(P.GOVERNANCE_RECORD, _p),
    "governance:quorum_rule": Entry(P.GOVERNANCE_RECORD, _p),
    "governance:decisions": Entry(P.PARTNERSHIP_VIEW, _p),
    "governance:actions": Entry(P.PARTNERSHIP_VIEW, _p),
    "governance:action_create": Entry(P.GOVERNANCE_RECORD, _p),
    "governance:disputes": Entry(P.PARTNERSHIP_VIEW, _p),
    "governance:dispute_create": Entry(P.GOVERNANCE_RECORD, _p),
    "governance:meeting": Entry(P.PARTNERSHIP_VIEW, _gm),
    "governance:minutes": Entry(P.PARTNERSHIP_VIEW, _gm),
    "governance:meeting_edit": Entry(P.GOVERNANCE_RECORD, _gm),
    "governance:item_add": Entry(P.GOVERNANCE_RECORD, _gm),
    "governance:paper_add": Entry(P.GOVERNANCE_RECORD, _gm),
    "governance:attendance": Entry(P.GOVERNANCE_RECORD, _gm),
    "governance:decision_create": Entry(P.GOVERNANCE_RECORD, _gm),
    "governance:paper": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.governance.paper.pk]),
    "governance:decision": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.governance.decision.pk]),
    "governance:decision_edit": Entry(P.GOVERNANCE_RECORD, lambda w: [w.governance.decision.pk]),
    "governance:action": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.governance.action.pk]),
    "governance:action_edit": Entry(P.GOVERNANCE_RECORD, lambda w: [w.governance.action.pk]),
    "governance:dispute": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.governance.dispute.pk]),
    "governance:dispute_edit": Entry(P.GOVERNANCE_RECORD, lambda w: [w.governance.dispute.pk]),
    # surveys
    "surveys:wave_list": Entry(P.PARTNERSHIP_VIEW, _p),
    "surveys:wave_create": Entry(P.PARTNERSHIP_EDIT, _p),
    "surveys:wave_detail": Entry(P.PARTNERSHIP_VIEW, _aw),
    "surveys:wave_open": Entry(P.PARTNERSHIP_EDIT, _aw, post_only=True),
    "surveys:wave_close": Entry(P.PARTNERSHIP_EDIT, _aw, post_only=True),
    "surveys:wave_invite": Entry(P.PARTNERSHIP_EDIT, _aw),
    "surveys:wave_remind": Entry(P.PARTNERSHIP_EDIT, _aw, post_only=True),
    "surveys:respond": Entry(Access.PUBLIC, lambda w: [w.assessment_token]),
    "surveys:respond_step": Entry(Access.PUBLIC, lambda w: [w.assessment_token, "about-you"]),
    # assessments
    "assessments:results": Entry(P.PARTNERSHIP_VIEW, _aw),
    "assessments:results_csv": Entry(P.EXPORT, _aw),
    "assessments:results_progress": Entry(P.PARTNERSHIP_VIEW, _aw),
    "assessments:comments": Entry(P.PARTNERSHIP_EDIT, _aw),
    # outcomes
    "outcomes:partnership": Entry(P.PARTNERSHIP_VIEW, _p),
    "outcomes:catalogue": Entry(P.INDICATOR_RECORD, _p),
    "outcomes:indicator_create": Entry(P.INDICATOR_RECORD, _p),
    "outcomes:indicator": Entry(P.PARTNERSHIP_VIEW, _i),
    "outcomes:indicator_edit": Entry(P.INDICATOR_RECORD, _i),
    "outcomes:measurement_add": Entry(P.INDICATOR_RECORD, _i),
    "outcomes:measurement_import": Entry(P.INDICATOR_RECORD, _i),
    "outcomes:rebase": Entry(P.INDICATOR_RECORD, _i),
    # voice (service-user feedback)
    "voice:partnership": Entry(P.PARTNERSHIP_VIEW, _p),
    "voice:form_create": Entry(P.FEEDBACK_MODERATE, _p),
    "voice:results": Entry(P.PARTNERSHIP_VIEW, _p),
    "voice:results_csv": Entry(P.EXPORT, _p),
    "voice:moderation": Entry(P.FEEDBACK_MODERATE, _p),
    "voice:themes": Entry(P.FEEDBACK_MODERATE, _p),
    "voice:log": Entry(P.FEEDBACK_MODERATE, _p),
    "voice:form_detail": Entry(P.PARTNERSHIP_VIEW, _vf),
    "voice:form_edit": Entry(P.FEEDBACK_MODERATE, _vf),
    # the poster holds the public link only, no figures: anyone who sees the partnership may print it
    "voice:poster_pdf": Entry(P.PARTNERSHIP_VIEW, _vf),
    "voice:comment": Entry(P.FEEDBACK_MODERATE, _vc),
    # the form's safeguarding lead (the coordinator here) and moderators; anyone else: no such concern
    "voice:safeguarding": Entry(
        Access.SIGNED_IN, _vc, owners=("coordinator",), per_role={"anonymous": LOGIN, "outsider": 404}
    ),
    # the public "you said, we did" page and the form's short link: anyone, no account
    "voice:public_log": Entry(Access.PUBLIC, _p),
    "feedback:answer": Entry(Access.PUBLIC, _vcode),
    "feedback:thanks": Entry(Access.PUBLIC, _vcode),
    # insight: the health page (read from the stored flags; none yet says so) and the thresholds
    "insight:guide": Entry(Access.SIGNED_IN),
    "insight:health": Entry(P.PARTNERSHIP_VIEW, _p),
    "insight:thresholds": Entry(P.PARTNERSHIP_EDIT, _p),
    # reports: the pack form, its download (the requester's own pack, while they hold EXPORT), minutes as PDF
    "reports:pack": Entry(P.EXPORT, _p),
    "reports:download": Entry(P.EXPORT, lambda w: [w.pack_job.pk], owners=("evaluator",)),
    "reports:minutes_pdf": Entry(P.EXPORT, _gm, post_only=True),
    # the reports API: asking for a pack (202, its job to poll) and fetching the requester's own file
    "api:request_pack": Entry(P.EXPORT, _p, post_only=True, ok=202),
    "api:report_file": Entry(P.EXPORT, lambda w: [w.pack_job.pk], owners=("evaluator",)),
    # the API
    "api:openapi-json": Entry(Access.PUBLIC),
    "api:openapi-view": Entry(Access.PUBLIC),
    "api:api-root": Entry(Access.PUBLIC, ok=404),  # ninja's root answers 404 to everyone
    "api:list_partnerships": Entry(P.REGISTER_VIEW),
    "api:get_partnership": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:list_organisations": Entry(P.REGISTER_VIEW),
    "api:get_organisation": Entry(P.REGISTER_VIEW, lambda w: [w.org.pk]),
    "api:list_people": Entry(P.REGISTER_VIEW),
    "api:list_agreements": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:get_agreement": Entry(P.PARTNERSHIP_VIEW, _a),
    "api:list_meetings": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:get_meeting": Entry(P.PARTNERSHIP_VIEW, _gm),
    "api:list_decisions": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:list_actions": Entry(P.PARTNERSHIP_VIEW, _p, writes=(P.GOVERNANCE_RECORD,)),
    "api:wave_results": Entry(P.EXPORT, _aw),
    "api:wave_network": Entry(P.EXPORT, _rw),
    "api:list_indicators": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:indicator_series": Entry(P.PARTNERSHIP_VIEW, _i),
    "api:list_measurements": Entry(P.PARTNERSHIP_VIEW, _i, writes=(P.INDICATOR_RECORD,)),
    "api:get_indicator": Entry(P.PARTNERSHIP_VIEW, _i),
    "api:list_memberships": Entry(P.PARTNERSHIP_VIEW, _p, writes=(P.MEMBERSHIP_MANAGE,)),
    "api:end_membership": Entry(
        P.MEMBERSHIP_MANAGE, lambda w: [w.partnership.pk, w.membership.pk], post_only=True
    ),
    "api:list_roles": Entry(P.ROLE_MANAGE, _p),
    "api:change_role": Entry(
        P.ROLE_MANAGE,
        lambda w: [w.partnership.pk, w.spare_role.pk],
        post_only=True,
        method="patch",
        writes=(P.ROLE_MANAGE,),
    ),
    "api:list_invitations": Entry(P.ROLE_MANAGE, _p, writes=(P.ROLE_MANAGE,)),
    "api:withdraw_invitation": Entry(
        P.ROLE_MANAGE, lambda w: [w.partnership.pk, w.invitation.pk], post_only=True, method="delete"
    ),
    "api:list_timeline": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:list_versions": Entry(P.PARTNERSHIP_VIEW, _a),
    "api:get_version": Entry(P.PARTNERSHIP_VIEW, _proposal),
    "api:list_comments": Entry(P.PARTNERSHIP_VIEW, _proposal, writes=(P.AGREEMENT_PROPOSE,)),
    "api:list_positions": Entry(P.PARTNERSHIP_VIEW, _proposal, writes=(P.ORGANISATION_REPRESENT,)),
    "api:list_signatures": Entry(P.PARTNERSHIP_VIEW, _proposal, writes=(P.AGREEMENT_SIGN,)),
    "api:list_waves": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:get_wave": Entry(P.PARTNERSHIP_VIEW, _aw),
    "api:list_wave_invitations": Entry(P.PARTNERSHIP_EDIT, _aw),
    # the survey link is the key (the Survey-Link header): GET answers 405 to everyone; anonymous POSTs (as
    # this test does for those it expects to be refused) without a link, and gets 401
    "api:submit_response": Entry(Access.PUBLIC, post_only=True, per_role={"anonymous": 401}),
    "api:submit_relationships": Entry(Access.PUBLIC, post_only=True, per_role={"anonymous": 401}),
    "api:list_attendance": Entry(P.PARTNERSHIP_VIEW, _gm, writes=(P.GOVERNANCE_RECORD,)),
    "api:record_decision": Entry(P.GOVERNANCE_RECORD, _gm, post_only=True),
    "api:get_decision": Entry(P.PARTNERSHIP_VIEW, lambda w: [w.governance.decision.pk]),
    "api:get_action": Entry(
        P.PARTNERSHIP_VIEW, lambda w: [w.governance.action.pk], writes=(P.GOVERNANCE_RECORD,)
    ),
    "api:list_disputes": Entry(P.PARTNERSHIP_VIEW, _p, writes=(P.GOVERNANCE_RECORD,)),
    "api:get_dispute": Entry(
        P.PARTNERSHIP_VIEW, lambda w: [w.governance.dispute.pk], writes=(P.GOVERNANCE_RECORD,)
    ),
    "api:you_said_we_did": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:partnership_flags": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:get_job": Entry(Access.SIGNED_IN, lambda w: [w.import_job.pk], owners=("coordinator",)),
    "api:feedback_results": Entry(P.PARTNERSHIP_VIEW, _p),
    "api:compare": Entry(
        P.EXPORT, query=lambda w: {"from": w.relationship.pk, "to": w.relationship_later.pk}
    ),
}

# django-ninja names an API path's URL once per operation: these are other operations' names for a path above
# (the same URL, so the same entry)
SAME_PATH = {
    "api:add_membership": "api:list_memberships",
    "api:end_role": "api:change_role",
    "api:send_invitation": "api:list_invitations",
    "api:add_comment": "api:list_comments",
    "api:record_position": "api:list_positions",
    "api:sign_version": "api:list_signatures",
    "api:record_measurement": "api:list_measurements",
    "api:record_attendance": "api:list_attendance",
    "api:add_action": "api:list_actions",
    "api:change_action": "api:get_action",
    "api:log_dispute": "api:list_disputes",
    "api:change_dispute": "api:get_dispute",
}
ROUTES.update({name: ROUTES[same] for name, same in SAME_PATH.items()})

# ---- what a role should get -----------------------------------------------------------------------------


def allowed(role: str, entry: Entry) -> bool | None:
    """True if the role may use the route, False if refused (403), None if it cannot know it exists (404)."""
    needs = entry.behaves_as or entry.needs
    if needs is Access.PUBLIC:
        return True
    if needs is Access.SIGNED_IN:
        return role != "anonymous"
    if needs in REGISTER_WIDE:
        return needs in REGISTER[role]
    if not HOLDS[role]:  # nothing in this partnership: its pages do not exist for them
        return None
    return needs in HOLDS[role]


def expected(role: str, entry: Entry, is_api: bool) -> int | str:
    if role in entry.per_role:
        return entry.per_role[role]
    may = allowed(role, entry)
    if role == "anonymous" and not may:
        return 401 if is_api else LOGIN
    if may is None:
        return 404
    if not may:
        return 403
    if entry.owners and role not in (*entry.owners, "site_admin"):
        return 404  # someone else's job: ids reveal nothing
    return 405 if entry.post_only else entry.ok


def _ask(client: Client, url: str, entry: Entry, role: str) -> Any:
    if entry.post_only and not (allowed(role, entry) and role != "anonymous"):
        return getattr(client, entry.method)(url)  # refused before anything is changed
    return client.get(url)


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    return int(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_role_table_says(world: World, role: str) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    wrong = []
    for route in routes():
        entry = ROUTES.get(route.name)
        if entry is None:
            wrong.append(f"{route.name}: no entry in ROUTES")
            continue
        url = reverse(route.name, args=entry.args(world))
        if entry.query is not None:
            url += "?" + urlencode(entry.query(world))
        want = expected(role, entry, route.is_api)
        got = _answer(_ask(client, url, entry, role))
        if got != want:
            wrong.append(f"{route.name} {url}: expected {want}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_every_entry_is_a_route_and_names_what_it_declares() -> None:
    found = {r.name: r for r in routes()}
    assert set(ROUTES) == set(found), set(ROUTES) ^ set(found)
    mismatched = [name for name, e in ROUTES.items() if found[name].needs != (e.needs, *e.writes)]
    assert not mismatched, [(n, found[n].needs, ROUTES[n].needs) for n in mismatched]


def test_the_role_classes_grant_what_the_table_here_says() -> None:
    classes = {
        "coordinator": core_permissions.Coordinator,
        "representative": core_permissions.Representative,
        "signatory": core_permissions.Signatory,
        "member": core_permissions.Member,
        "evaluator": core_permissions.Evaluator,
        "observer": core_permissions.Observer,
        "system_leader": core_permissions.SystemLeader,
    }
    for role, cls in classes.items():
        assert set(cls.permissions) == HOLDS[role], role
    site_admin, table = (
        set(core_permissions.SiteAdmin.permissions),
        HOLDS["site_admin"] | REGISTER["site_admin"],
    )
    assert site_admin == table, site_admin ^ table
    assert set(core_permissions.ORGANISATION_SCOPED) == ORGANISATION_SCOPED
