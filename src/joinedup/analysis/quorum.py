"""Is a meeting quorate? A pure reading of a quorum rule against who attended (plain Python, no Django).

    rule = Rule(min_count=4, min_share_percent=50, constituencies=(Constituency("nhs", "NHS", 1),))
    members = [Member("trust", "nhs"), Member("council", "local_authority"), ...]   # the voting members
    seen = [Attendance("trust", "present"), Attendance("council", "substitute"), ...]
    result = quorum(rule=rule, members=members, attendance=seen)
    result.quorate, result.reasons

Who counts: a voting member is counted once when anyone attends for it as `present`, `present_online`, or as a
`substitute` standing in for its member (the substitute counts for the member they stand in for). Someone
`in_attendance` (there, but not a member) never counts, nor do apologies or absence, nor anyone attending for an
organisation that is not a voting member. The rule asks for up to three things, all of which must hold:

- `min_count`: at least this many voting members counted;
- `min_share_percent`: counted × 100 ≥ percent × voting members (integers, so 50% of 7 needs 4); with no voting
  members at all a share cannot be met;
- `constituencies`: for each, at least `minimum` counted voting members whose constituency (the register's
  organisation sector, say "nhs") is the one named.

A rule that asks for nothing is met by any meeting. Each check says in words what it found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

COUNTING = frozenset({"present", "present_online", "substitute"})


@dataclass(frozen=True)
class Constituency:
    key: str  # a constituency of the members (the organisation's sector)
    label: str  # its name in words ("NHS")
    minimum: int = 1


@dataclass(frozen=True)
class Rule:
    min_count: int | None = None
    min_share_percent: int | None = None
    constituencies: tuple[Constituency, ...] = ()

    def problems(self) -> list[str]:
        """What is wrong with the rule itself (empty when it can be applied)."""
        found = []
        if self.min_count is not None and self.min_count < 0:
            found.append("The minimum number of voting members cannot be negative.")
        if self.min_share_percent is not None and not 0 <= self.min_share_percent <= 100:
            found.append("The minimum share of voting members must be between 0 and 100 per cent.")
        for c in self.constituencies:
            if c.minimum < 1:
                found.append(f"The minimum for {c.label} must be at least 1.")
        keys = [c.key for c in self.constituencies]
        if len(set(keys)) != len(keys):
            found.append("Name each constituency once.")
        return found


@dataclass(frozen=True)
class Member:
    key: object  # the voting member (an organisation id)
    constituency: str


@dataclass(frozen=True)
class Attendance:
    member: object  # whom the person attended for (an organisation id)
    status: str


@dataclass(frozen=True)
class Check:
    met: bool
    reason: str


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    counted: tuple[object, ...]  # the voting members counted, in the order given
    voting: int
    checks: tuple[Check, ...]

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.checks]

    @property
    def summary(self) -> str:
        head = "Quorate" if self.quorate else "Not quorate"
        return f"{head}: " + "; ".join(self.reasons) + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def counted_members(members: Sequence[Member], attendance: Iterable[Attendance]) -> list[Member]:
    """The voting members someone attended for in a way that counts, each once, in the order given."""
    there = {a.member for a in attendance if a.status in COUNTING}
    return [m for m in members if m.key in there]


def needed_for_share(percent: int, voting: int) -> int:
    """The smallest count whose share of `voting` is at least `percent` per cent."""
    return -(-percent * voting // 100)  # ceiling of percent × voting / 100, in integers


def quorum(*, rule: Rule, members: Sequence[Member], attendance: Iterable[Attendance]) -> QuorumResult:
    problems = rule.problems()
    if problems:
        raise ValueError(" ".join(problems))
    keys = [m.key for m in members]
    if len(set(keys)) != len(keys):
        raise ValueError("Each voting member must be listed once.")
    counted = counted_members(members, attendance)
    n, voting = len(counted), len(members)
    checks: list[Check] = []
    if rule.min_count is not None:
        checks.append(
            Check(
                n >= rule.min_count,
                f"{n} of {voting} voting members were there and the rule asks for at least {rule.min_count}",
            )
        )
    if rule.min_share_percent is not None:
        need = needed_for_share(rule.min_share_percent, voting)
        met = voting > 0 and n >= need
        reason = (
            f"{n} of {voting} voting members were there and the rule asks for at least "
            f"{rule.min_share_percent}% of them ({need})"
            if voting
            else "there are no voting members, so no share of them can be there"
        )
        checks.append(Check(met, reason))
    for c in rule.constituencies:
        found = sum(1 for m in counted if m.constituency == c.key)
        checks.append(
            Check(
                found >= c.minimum,
                f"{_plural(found, c.label + ' voting member')} there and the rule asks for at least {c.minimum}",
            )
        )
    if not checks:
        checks.append(
            Check(True, f"{n} of {voting} voting members were there and the rule asks for nothing more")
        )
    return QuorumResult(
        quorate=all(c.met for c in checks),
        counted=tuple(m.key for m in counted),
        voting=voting,
        checks=tuple(checks),
    )
