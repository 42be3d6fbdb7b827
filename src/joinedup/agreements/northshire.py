"""Demo agreements for Northshire (found by joinedup.demo.northshire.extensions()).

* The community mental health partnership's section 75 agreement has three versions: v1 superseded,
  v2 in force, v3 proposed after a review, with comments, positions and every partner signed but the
  county council (which objects), so the demo's council signatory can sign it live.
* The forensic partnership's terms of reference are long overdue for review and read "contract-like".
* The Health and Wellbeing Board's memorandum of understanding reads "partnership".

Everything goes through the services, then the timestamps are set to fixed dates so the demo is the same
on every build.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Unpack

from joinedup.accounts.models import User
from joinedup.agreements import services
from joinedup.agreements.choices import AgreementKind, ClauseKind, ReviewOutcome, Section75Kind
from joinedup.agreements.models import Agreement, AgreementVersion, Comment, Position, Signature
from joinedup.agreements.selectors import signing_parties
from joinedup.core.choices import RoleKind
from joinedup.core.permissions import Permission, has_permission
from joinedup.register import roles
from joinedup.register.models import Organisation

K = ClauseKind
UTC = datetime.UTC


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def extend_northshire(demo: Any) -> None:
    password = demo.password_hash  # the demo's password, hashed once, for every new signatory
    agreements = {
        "mh": _mental_health(demo, password),
        "forensic": _forensic(demo, password),
        "hwb": _health_and_wellbeing(demo, password),
    }
    demo.extra["agreements"] = agreements


# ---- helpers --------------------------------------------------------------------------------------------

Signers = dict[int, tuple[Organisation, User]]


def _signatories(demo: Any, partnership_key: str, password: str) -> Signers:
    """A signatory for every party: the organisation's existing signatory if it has one, else a new user."""
    partnership = demo.partnerships[partnership_key]
    keys = {org.pk: key for key, org in demo.organisations.items()}
    found: Signers = {}
    for membership in signing_parties(partnership=partnership):
        org = membership.organisation
        existing = sorted(roles.signatories_of(organisation=org), key=lambda u: u.pk)
        if existing:
            user = existing[0]
        else:
            user = User(
                email=f"{keys[org.pk].replace('_', '-')}.signatory@northshire.example",
                full_name=f"Authorised signatory, {org.name}",
                password=password,
            )
            user.save()
        if not has_permission(user, Permission.AGREEMENT_SIGN, partnership, org):
            roles.role_grant(
                by=demo.users["admin"],
                user=user,
                partnership=partnership,
                role=RoleKind.REPRESENTATIVE,
                organisation=org,
                is_signatory=True,
            )
        found[org.pk] = (org, user)
    return found


def _write(
    version: AgreementVersion,
    by: User,
    clauses: Sequence[tuple[str, str]],
    contributions: list[dict[str, Any]] | None = None,
    **fields: Unpack[services.DraftFields],
) -> AgreementVersion:
    return services.draft_save(
        by=by,
        version=version,
        expected_lock_version=version.lock_version,
        clauses=[{"kind": kind, "text": text} for kind, text in clauses],
        contributions=contributions,
        **fields,
    )


def _sign(version: AgreementVersion, signers: Signers, *, skip: frozenset[int] = frozenset()) -> None:
    for org_id, (org, user) in sorted(signers.items()):
        if org_id not in skip:
            services.version_sign(
                by=user, version=version, organisation=org, content_hash=version.content_hash
            )


def _backdate(
    version: AgreementVersion,
    *,
    proposed: datetime.datetime,
    in_force: datetime.datetime | None = None,
    superseded: datetime.datetime | None = None,
) -> None:
    """Fixed dates for a version built today: proposal, signatures (one a day, the last on the in-force
    date), in force and superseded."""
    version.refresh_from_db()
    fields: dict[str, Any] = {"proposed_at": proposed, "created_at": proposed - datetime.timedelta(days=21)}
    if version.in_force_at is not None:
        assert in_force is not None
        fields["in_force_at"] = in_force
    if version.superseded_at is not None:
        assert superseded is not None
        fields["superseded_at"] = superseded
    AgreementVersion.objects.filter(pk=version.pk).update(**fields)
    signatures = list(Signature.objects.filter(version=version).order_by("pk"))
    for i, sig in enumerate(signatures):
        day = (
            in_force - datetime.timedelta(days=len(signatures) - 1 - i)
            if in_force is not None
            else proposed + datetime.timedelta(days=i + 1)
        )
        Signature.objects.filter(pk=sig.pk).update(signed_at=day)
    version.refresh_from_db()


# ---- the community mental health partnership: section 75, three versions -------------------------------

MH_V1 = [
    (
        K.AIMS,
        "One community mental health service for adults in Northshire, so that people get the right "
        "help early, close to home, without being passed between organisations.",
    ),
    (
        K.FUNCTIONS,
        "Community mental health teams, crisis resolution and home treatment, and the social care "
        "functions of the council under the Care Act 2014 for adults of working age.",
    ),
    (K.PEOPLE, "Adults aged 18 to 64 registered with a Northshire GP who need secondary mental health care."),
    (
        K.CONTRIBUTIONS,
        "Each partner pays its annual contribution into the pooled fund in quarterly instalments.",
    ),
    (
        K.POOLED_FUND,
        "The county council hosts the pooled fund; its Director of Adult Social Services is the "
        "pooled fund manager and reports spending to the partnership board every quarter.",
    ),
    (
        K.GOVERNANCE,
        "The partnership board meets every two months. The trust's chief executive chairs it. "
        "Votes are weighted by each partner's money contribution.",
    ),
    (K.RISK_SHARE, "Overspends and underspends are shared in proportion to the partners' contributions."),
    (K.DURATION, "The agreement runs from 1 April 2023 to 31 March 2026 and is reviewed every year."),
    (K.DISPUTES, "Disputes go first to the directors, then to the chief executives, then to mediation."),
    (K.EXIT, "A partner may leave at the end of a financial year with twelve months' notice."),
]
MH_V2_CHANGES = {
    K.GOVERNANCE: "The partnership board meets every two months. The chair rotates each year between the "
    "trust, the council and the integrated care board. Votes are weighted by each partner's "
    "money contribution.",
    K.DURATION: "The agreement has no fixed end. It is reviewed every year and varied by agreement of all "
    "partners.",
}
MH_V2_NEW = [
    (
        K.INFORMATION_SHARING,
        "Partners share care records through the shared care record under the Northshire "
        "information-sharing agreement.",
    ),
    (K.BENEFIT_SHARE, "Savings are reinvested in the service as the board decides."),
    (
        K.NEW_JOINT_WORK,
        "The board may take on new joint work that the partners did not foresee, by agreement, "
        "without a new agreement.",
    ),
]
MH_V3_CHANGES = {
    K.GOVERNANCE: "The partnership board meets every two months. The chair rotates each year between the "
    "partners. Decisions are made by consensus; where none is reached the matter goes to the "
    "chief executives.",
    K.RISK_SHARE: "Overspends are shared in fixed shares: the trust 50%, the council 35% and the integrated care "
    "board 15%. Underspends stay in the pooled fund.",
}


def _money(org: Organisation, amount: str) -> dict[str, Any]:
    return {
        "organisation": org,
        "kind": "money",
        "amount": Decimal(amount),
        "unit": "GBP",
        "period": "per year",
    }


def _mental_health(demo: Any, password: str) -> Agreement:
    orgs, users = demo.organisations, demo.users
    coordinator, trust_rep, council_rep = users["coordinator"], users["trust_rep"], users["council_rep"]
    signers = _signatories(demo, "mh", password)
    agreement = services.agreement_create(
        by=coordinator,
        partnership=demo.partnerships["mh"],
        kind=AgreementKind.SECTION_75,
        section75_kind=Section75Kind.POOLED_FUND,
        title="Northshire community mental health section 75 agreement",
    )
    staff = {
        "organisation": orgs["mind"],
        "kind": "staff",
        "amount": Decimal("4"),
        "unit": "WTE",
        "description": "Peer support workers",
    }
    v1 = services.draft_start(by=coordinator, agreement=agreement)
    v1 = _write(
        v1,
        coordinator,
        MH_V1,
        [
            _money(orgs["mh_trust"], "6200000"),
            _money(orgs["county"], "3800000"),
            _money(orgs["icb"], "1500000"),
            staff,
        ],
        term="fixed_end",
        end_date=datetime.date(2026, 3, 31),
        review_interval_months=12,
        decision_rule="weighted_by_contribution",
        chairing="fixed_partner",
        chair_organisation=orgs["mh_trust"],
        host_organisation=orgs["county"],
        risk_share="proportional",
    )
    v1 = services.draft_propose(by=coordinator, version=v1)
    _sign(v1, signers)

    v2 = services.draft_start(by=coordinator, agreement=agreement)
    clauses = [(kind, MH_V2_CHANGES.get(kind, text)) for kind, text in MH_V1] + MH_V2_NEW
    v2 = _write(
        v2,
        coordinator,
        clauses,
        [
            _money(orgs["mh_trust"], "6400000"),
            _money(orgs["county"], "4000000"),
            _money(orgs["icb"], "1600000"),
            staff,
        ],
        term="open_ended",
        end_date=None,
        chairing="rotating",
        chair_organisation=None,
    )
    v2 = services.draft_propose(by=coordinator, version=v2)
    _sign(v2, signers)
    _backdate(v1, proposed=at(2023, 3, 1), in_force=at(2023, 4, 1), superseded=at(2024, 6, 1))
    _backdate(v2, proposed=at(2024, 5, 1), in_force=at(2024, 6, 1))

    review = services.review_record(
        by=coordinator,
        agreement=agreement,
        date=datetime.date(2025, 6, 20),
        outcome=ReviewOutcome.REVISE,
        notes="Weighted votes let the trust outvote everyone else; move to consensus and fix the risk shares.",
        participants=[demo.people[k] for k in ("trust_signatory", "council_signatory") if k in demo.people],
        participants_text="Service-user forum representatives",
    )
    v3 = review.draft
    assert v3 is not None
    clauses = [(kind, MH_V3_CHANGES.get(kind, text)) for kind, text in clauses]
    v3 = _write(v3, trust_rep, clauses, decision_rule="consensus", risk_share="fixed_shares")
    v3 = services.draft_propose(by=trust_rep, version=v3)
    risk = v3.clauses.get(kind=K.RISK_SHARE)
    first = services.comment_add(
        by=council_rep,
        version=v3,
        clause=risk,
        organisation=orgs["county"],
        text="A fixed 35% share of any overspend is more than our share of the fund. We need a cap.",
    )
    services.comment_add(
        by=trust_rep,
        version=v3,
        parent=first,
        organisation=orgs["mh_trust"],
        text="We could cap each partner's share at its contribution for the year. Would that work?",
    )
    services.comment_add(
        by=coordinator,
        version=v3,
        text="Please record your organisation's position before the July board.",
    )
    services.position_record(by=trust_rep, version=v3, organisation=orgs["mh_trust"], position="support")
    services.position_record(
        by=council_rep,
        version=v3,
        organisation=orgs["county"],
        position="object",
        reason="The fixed risk share exposes the council to overspends beyond its contribution.",
    )
    _sign(v3, signers, skip=frozenset({orgs["county"].pk}))  # the council has not signed
    _backdate(v3, proposed=at(2025, 7, 1))
    Comment.objects.filter(version=v3).update(created_at=at(2025, 7, 3))
    Position.objects.filter(version=v3).update(recorded_at=at(2025, 7, 8))
    return agreement


# ---- the forensic partnership: terms of reference, overdue, contract-like --------------------------------

FORENSIC = [
    (
        K.AIMS,
        "To divert people with mental illness away from custody and into care, and to discharge them "
        "safely to supported accommodation.",
    ),
    (
        K.FUNCTIONS,
        "Liaison and diversion at Northshire's custody suites and courts; forensic community "
        "mental health team; supported accommodation placements.",
    ),
    (
        K.GOVERNANCE,
        "The mental health trust chairs the steering group and decides after hearing the members' views.",
    ),
    (K.RISK_SHARE, "Each member remains responsible for its own services, staff and budget."),
    (K.DURATION, "These terms of reference run until 31 August 2027 and are reviewed every year."),
]


def _forensic(demo: Any, password: str) -> Agreement:
    orgs, by = demo.organisations, demo.users["trust_signatory"]
    signers = _signatories(demo, "forensic", password)
    agreement = services.agreement_create(
        by=by,
        partnership=demo.partnerships["forensic"],
        kind=AgreementKind.TERMS_OF_REFERENCE,
        title="Forensic mental health partnership terms of reference",
    )
    v1 = services.draft_start(by=by, agreement=agreement)
    v1 = _write(
        v1,
        by,
        FORENSIC,
        [
            {"organisation": orgs["mh_trust"], "kind": "staff", "amount": Decimal("12"), "unit": "WTE"},
            {"organisation": orgs["police"], "kind": "premises", "description": "Custody suite rooms"},
        ],
        term="fixed_end",
        end_date=datetime.date(2027, 8, 31),
        review_interval_months=12,
        decision_rule="lead_partner_decides",
        chairing="fixed_partner",
        chair_organisation=orgs["mh_trust"],
        risk_share="each_own",
    )
    v1 = services.draft_propose(by=by, version=v1)
    _sign(v1, signers)
    _backdate(v1, proposed=at(2023, 8, 1), in_force=at(2023, 9, 1))
    return agreement


# ---- the Health and Wellbeing Board: memorandum of understanding, reads as a partnership ----------------

HWB = [
    (
        K.AIMS,
        "To improve the health and wellbeing of the people of Northshire and reduce inequalities, through "
        "a joint strategy all partners own.",
    ),
    (
        K.GOVERNANCE,
        "The board meets quarterly in public. Members choose the chair together each year. "
        "Decisions are made by consensus.",
    ),
    (
        K.CONTRIBUTIONS,
        "Each partner gives officer time to the board's programmes; the council and the "
        "integrated care board fund the board's support team.",
    ),
    (K.RISK_SHARE, "Risks of joint programmes are shared in proportion to what each partner puts in."),
    (K.BENEFIT_SHARE, "Benefits and savings from joint programmes are shared in the same proportions."),
    (K.DURATION, "This memorandum has no end date. It is reviewed every two years."),
    (
        K.NEW_JOINT_WORK,
        "Any partner may bring new shared work to the board; the board takes it on by consensus.",
    ),
]


def _health_and_wellbeing(demo: Any, password: str) -> Agreement:
    orgs, by = demo.organisations, demo.users["coordinator"]
    signers = _signatories(demo, "hwb", password)
    agreement = services.agreement_create(
        by=by,
        partnership=demo.partnerships["hwb"],
        kind=AgreementKind.MEMORANDUM,
        title="Health and Wellbeing Board memorandum of understanding",
    )
    v1 = services.draft_start(by=by, agreement=agreement)
    v1 = _write(
        v1,
        by,
        HWB,
        [_money(orgs["county"], "180000"), _money(orgs["icb"], "150000")],
        term="open_ended",
        review_interval_months=24,
        decision_rule="consensus",
        chairing="jointly_chosen",
        host_organisation=orgs["county"],
        risk_share="proportional",
    )
    v1 = services.draft_propose(by=by, version=v1)
    _sign(v1, signers)
    _backdate(v1, proposed=at(2023, 3, 15), in_force=at(2023, 4, 1))
    services.review_record(
        by=by,
        agreement=agreement,
        date=datetime.date(2025, 3, 20),
        outcome=ReviewOutcome.CONTINUE,
        notes="The memorandum still reflects how the board works.",
    )
    return agreement
