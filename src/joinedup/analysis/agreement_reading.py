""" "Contract or partnership?" — a reading of one agreement version's structured terms.

Crawford & Peck (2002): a contract is necessary but not sufficient for a partnership, because partnerships
have no fixed end, produce outcomes (and joint work) nobody anticipated, and imply equality between the
partners. Tennyson (1998): partners share risks and benefits and review the relationship regularly,
revising their agreement as necessary. Five criteria follow, each reported as met / not met / unknown
with its reason and source:

1. no fixed end date (term open-ended);
2. provision for new joint work as it arises (a clause of that kind is present);
3. equality: the decision rule is not "the lead partner decides", no partner holds a majority of the
   vote weight, and the chair is not fixed to one partner;
4. risks and benefits shared (risk share is not "each bears its own");
5. regular review (review interval of 24 months or less).

Verdict (one rule, documented so that it can be argued with):

* **partnership** — all five criteria met;
* **contract-like** — three or more criteria not met, or both "no fixed end" and "equality" not met
  (the two features Crawford & Peck name as what a contract lacks);
* **partly** — anything else, including readings where some criteria cannot be judged (unknown).

Plain Python; no Django. Field values are the strings of joinedup.agreements.choices.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Status = Literal["met", "not_met", "unknown"]
Verdict = Literal["partnership", "partly", "contract_like"]

CRAWFORD_PECK = "Crawford & Peck (2002)"
TENNYSON = "Tennyson (1998)"
MAX_REVIEW_MONTHS = 24
VERDICT_LABELS = {
    "partnership": "Partnership",
    "partly": "Partly a partnership",
    "contract_like": "Contract-like",
}
STATUS_LABELS = {"met": "Met", "not_met": "Not met", "unknown": "Unknown"}


@dataclass(frozen=True)
class ContributionInput:
    partner: Hashable
    kind: str  # money / staff / premises / data / other
    amount: Decimal | float | None = None


@dataclass(frozen=True)
class ReadingInput:
    """What the reading needs from a version. `partners` are the parties (current members) by key;
    `names` gives each a display name for the reasons."""

    term: str = ""  # open_ended / fixed_end / "" (not stated)
    review_interval_months: int | None = None
    decision_rule: str = (
        ""  # consensus / one_partner_one_vote / weighted_by_contribution / lead_partner_decides
    )
    chairing: str = ""  # rotating / jointly_chosen / fixed_partner
    risk_share: str = ""  # each_own / proportional / fixed_shares
    clause_kinds: frozenset[str] = frozenset()
    contributions: Sequence[ContributionInput] = ()
    partners: Sequence[Hashable] = ()
    names: Mapping[Hashable, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    status: Status
    reason: str
    source: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Reading:
    verdict: Verdict
    criteria: tuple[Criterion, ...]
    rule: str

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def count(self, status: Status) -> int:
        return sum(1 for c in self.criteria if c.status == status)

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)


VERDICT_RULE = (
    "Partnership: all five criteria met. Contract-like: three or more not met, or both 'no fixed end' and "
    "'equality' not met. Partly: anything else, including criteria that could not be judged."
)


def _no_fixed_end(x: ReadingInput) -> Criterion:
    title, src = "No fixed end date", CRAWFORD_PECK
    if x.term == "open_ended":
        return Criterion("no_fixed_end", title, "met", "The agreement is open-ended.", src)
    if x.term == "fixed_end":
        return Criterion("no_fixed_end", title, "not_met", "The agreement ends on a fixed date.", src)
    return Criterion("no_fixed_end", title, "unknown", "The agreement does not say how long it runs.", src)


def _new_joint_work(x: ReadingInput) -> Criterion:
    title, src = "Provision for new joint work nobody anticipated", CRAWFORD_PECK
    if "new_joint_work" in x.clause_kinds:
        return Criterion(
            "new_joint_work", title, "met", "A clause provides for new joint work as it arises.", src
        )
    return Criterion(
        "new_joint_work", title, "not_met", "No clause provides for new joint work as it arises.", src
    )


def vote_weights(x: ReadingInput) -> dict[Hashable, float] | None:
    """Each partner's share of the vote under a contribution-weighted rule, from money contributions;
    None when it cannot be worked out (no money contributions, or an amount missing)."""
    money = [c for c in x.contributions if c.kind == "money"]
    if not money or any(c.amount is None for c in money):
        return None
    totals: dict[Hashable, float] = {p: 0.0 for p in x.partners}
    for c in money:
        totals[c.partner] = totals.get(c.partner, 0.0) + float(c.amount or 0)
    grand = sum(totals.values())
    if grand <= 0:
        return None
    return {p: v / grand for p, v in totals.items()}


def _majority(x: ReadingInput) -> tuple[Status, str]:
    rule = x.decision_rule
    if rule == "lead_partner_decides":
        return "not_met", "the lead partner decides"
    if rule == "consensus":
        return "met", "decisions are by consensus, so no partner can outvote the others"
    if rule == "one_partner_one_vote":
        if not x.partners:
            return "unknown", "one partner one vote, but the partners are not known"
        if len(x.partners) == 1:
            return "not_met", "one partner one vote, but there is only one partner, which holds every vote"
        return "met", f"one partner one vote among {len(x.partners)} partners, so none holds a majority"
    if rule == "weighted_by_contribution":
        weights = vote_weights(x)
        if weights is None:
            money = [c for c in x.contributions if c.kind == "money"]
            if money and all(c.amount is not None for c in money):
                return "unknown", "votes are weighted by contribution, but no partner contributes any money"
            return (
                "unknown",
                "votes are weighted by contribution, but the money contributions are not all known",
            )
        top, share = max(weights.items(), key=lambda kv: kv[1])
        name = x.names.get(top, str(top))
        if share > 0.5:
            return "not_met", f"votes are weighted by contribution and {name} holds {share:.0%} of the vote"
        return "met", f"votes are weighted by contribution and the largest share is {name}'s {share:.0%}"
    return "unknown", "the agreement does not say how decisions are made"


def _chair(x: ReadingInput) -> tuple[Status, str]:
    if x.chairing == "fixed_partner":
        return "not_met", "the chair is always the same partner"
    if x.chairing == "rotating":
        return "met", "the chair rotates between partners"
    if x.chairing == "jointly_chosen":
        return "met", "the partners choose the chair jointly"
    return "unknown", "the agreement does not say who chairs"


def _equality(x: ReadingInput) -> Criterion:
    parts = [_majority(x), _chair(x)]
    statuses = {s for s, _ in parts}
    status: Status = "not_met" if "not_met" in statuses else "met" if statuses == {"met"} else "unknown"
    reason = "; ".join(r for _, r in parts)
    return Criterion(
        "equality", "Equality between partners", status, reason[0].upper() + reason[1:] + ".", CRAWFORD_PECK
    )


def _risks_shared(x: ReadingInput) -> Criterion:
    title, src = "Risks and benefits shared", TENNYSON
    if x.risk_share == "each_own":
        return Criterion("risks_shared", title, "not_met", "Each partner bears its own risks.", src)
    if x.risk_share == "proportional":
        return Criterion(
            "risks_shared", title, "met", "Risks are shared in proportion to contributions.", src
        )
    if x.risk_share == "fixed_shares":
        return Criterion("risks_shared", title, "met", "Risks are shared in fixed shares.", src)
    return Criterion(
        "risks_shared", title, "unknown", "The agreement does not say how risks are shared.", src
    )


def _regular_review(x: ReadingInput) -> Criterion:
    title, src = "Regular review", TENNYSON
    months = x.review_interval_months
    if months is None:
        return Criterion("regular_review", title, "unknown", "The agreement sets no review interval.", src)
    if months <= MAX_REVIEW_MONTHS:
        return Criterion("regular_review", title, "met", f"Reviewed every {months} months.", src)
    return Criterion(
        "regular_review",
        title,
        "not_met",
        f"Reviewed only every {months} months (more than {MAX_REVIEW_MONTHS}).",
        src,
    )


def verdict_of(criteria: Sequence[Criterion]) -> Verdict:
    status = {c.key: c.status for c in criteria}
    not_met = sum(1 for c in criteria if c.status == "not_met")
    if all(c.status == "met" for c in criteria):
        return "partnership"
    if not_met >= 3 or (status.get("no_fixed_end") == "not_met" and status.get("equality") == "not_met"):
        return "contract_like"
    return "partly"


def read_agreement(x: ReadingInput) -> Reading:
    criteria = (_no_fixed_end(x), _new_joint_work(x), _equality(x), _risks_shared(x), _regular_review(x))
    return Reading(verdict=verdict_of(criteria), criteria=criteria, rule=VERDICT_RULE)
