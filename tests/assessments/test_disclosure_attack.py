"""An adversary attacks every release of a wave from the JSON the API serves (issue 10).

Hypothesis makes waves of random organisations, sectors, professions and role levels, some statements left
unanswered, and two or three releases while the wave is open. The attacker knows which group each respondent
belongs to (the worst case: colleagues know each other's organisation and profession) and reads only the API's
JSON: every group shown in any breakdown (organisation, sector, profession, role level) of any release, every
dimension shown within it, the whole wave, and the per-statement answer counts. A set of people is derivable
when its indicator is a linear combination of the indicators of released groups of one variable (a dimension's
scores, or one statement's answers): adding and subtracting their counts and sums gives that set's sum. The
test solves this itself, with exact fractions, over the atoms (people in exactly the same released groups), and
fails if any set of 1..k-1 people is derivable.
"""

from __future__ import annotations

import datetime
import itertools
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from joinedup.assessments.services import wave_results_compute
from joinedup.core.tokens import new_token, token_hash
from joinedup.register.choices import Profession, Sector
from joinedup.surveys.choices import RoleLevel
from joinedup.surveys.models import Response
from tests.api_helpers import unfigure
from tests.assessments.helpers import make_wave
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGS = [
    ("Alder Trust", "nhs"),
    ("Birch Council", "local_authority"),
    ("Cedar Care", "nhs"),
    ("Dale Aid", "voluntary"),
]
PROFESSIONS = ["nurse", "social_worker", "gp"]
LEVELS = ["frontline", "manager", "senior"]
LABELS = {
    "sector": dict(Sector.choices),
    "profession": dict(Profession.choices),
    "role_level": dict(RoleLevel.choices),
}

person = st.tuples(
    st.integers(0, len(ORGS) - 1),
    st.sampled_from(PROFESSIONS),
    st.sampled_from(LEVELS),
    st.integers(1, 5),  # around which the person answers
    st.integers(0, 2**16),  # which statements they leave out
)


def _rank_basis(vectors: list[tuple[Fraction, ...]]) -> list[tuple[list[Fraction], int]]:
    """Row-reduced basis with each row's pivot column (plain Gaussian elimination over the rationals)."""
    basis: list[tuple[list[Fraction], int]] = []
    for vector in vectors:
        row = _reduce(list(vector), basis)
        pivot = next((i for i, value in enumerate(row) if value != 0), None)
        if pivot is None:
            continue
        row = [value / row[pivot] for value in row]
        basis = [(_eliminate(b, row, pivot), p) for b, p in basis]
        basis.append((row, pivot))
    return basis


def _eliminate(row: list[Fraction], by: list[Fraction], pivot: int) -> list[Fraction]:
    factor = row[pivot]
    return [a - factor * b for a, b in zip(row, by, strict=True)] if factor else row


def _reduce(row: list[Fraction], basis: list[tuple[list[Fraction], int]]) -> list[Fraction]:
    for b, pivot in basis:
        row = _eliminate(row, b, pivot)
    return row


def small_derivable_sets(released: list[frozenset[int]], people: int, k: int) -> list[frozenset[int]]:
    """Every set of 1..k-1 people whose indicator lies in the span of the released sets' indicators."""
    signature = {p: tuple(p in group for group in released) for p in range(people)}
    atoms: dict[tuple[bool, ...], list[int]] = {}
    for p, sig in signature.items():
        atoms.setdefault(sig, []).append(p)
    atom_list = list(atoms.values())
    vectors = [tuple(Fraction(int(sig[i])) for sig in atoms) for i in range(len(released))]
    basis = _rank_basis(vectors)
    found = []
    for size in range(1, len(atom_list) + 1):
        for chosen in itertools.combinations(range(len(atom_list)), size):
            members = frozenset(p for a in chosen for p in atom_list[a])
            if not 0 < len(members) < k:
                continue
            target = [Fraction(int(a in chosen)) for a in range(len(atom_list))]
            if not any(_reduce(target, basis)):
                found.append(members)
    return found


def _label(by: str, org: int, profession: str, level: str) -> str:
    if by == "organisation":
        return ORGS[org][0]
    if by == "sector":
        return LABELS["sector"][ORGS[org][1]]
    return LABELS[by][profession if by == "profession" else level]


def released_sets(data: dict[str, Any], people: list[tuple[Any, ...]]) -> dict[str, list[frozenset[int]]]:
    """What one release's JSON lets the attacker add up, per variable: for each dimension, the people in each
    group (and the whole wave) whose mean of it is shown; for each statement, the people who answered it.
    Differencing works within one variable (a sum of trust scores minus a sum of trust scores), so each
    variable is attacked on its own."""
    everyone = frozenset(range(len(people)))
    sets: dict[str, list[frozenset[int]]] = {}
    for dimension in data["dimensions"]:
        if dimension["mean"] is not None:
            sets.setdefault(dimension["key"], []).append(everyone)
    for by, groups in data["groups"].items():
        for group in groups:
            if group["suppressed"]:
                continue
            members = frozenset(i for i in everyone if _label(by, *people[i][:3]) == group["group"])
            for dimension in group["dimensions"]:
                if dimension["mean"] is not None:
                    sets.setdefault(dimension["key"], []).append(members)
    for key, counts in data["items"].items():
        answered = frozenset(i for i in everyone if key not in people[i][5])
        assert sum(counts.values()) == len(answered)  # the attacker's count agrees with ours
        sets.setdefault(f"statement {key}", []).append(answered)
    return sets


def _respond(
    wave: Any, orgs: list[Any], keys: list[str], first_keys: set[str], spec: tuple[Any, ...]
) -> tuple:
    org, profession, level, around, skips = spec
    skipped = {key for bit, key in enumerate(keys) if skips >> bit & 1 and key not in first_keys}
    answers = {key: max(1, min(5, around + (hash(key) % 3) - 1)) for key in keys if key not in skipped}
    Response.objects.create(
        wave=wave,
        resume_hash=token_hash(new_token()),
        organisation=orgs[org],
        sector=orgs[org].sector,
        profession=profession,
        role_level=level,
        answers=answers,
        submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
        submitted_on=datetime.date(2026, 1, 10),
    )
    return (org, profession, level, around, skips, skipped)


@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    k=st.sampled_from([3, 5]),
    batches=st.lists(st.lists(person, min_size=1, max_size=9), min_size=1, max_size=3),
)
def test_no_set_of_fewer_than_k_people_is_derivable_from_every_release_the_api_served(
    client: Any, k: int, batches: list[list[tuple[Any, ...]]]
) -> None:
    partnership = PartnershipFactory()
    orgs = []
    for name, sector in ORGS:
        org = OrganisationFactory(name=name, sector=sector)
        MembershipFactory(partnership=partnership, organisation=org)
        orgs.append(org)
    wave = make_wave(partnership, min_group_size=k)
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    first_keys = {d["items"][0]["key"] for d in wave.instrument["dimensions"]}  # everyone answers these
    client.force_login(UserFactory(is_superuser=True))

    people: list[tuple[Any, ...]] = []
    released: dict[str, list[frozenset[int]]] = {}
    for batch in batches:  # each batch arrives, then a release is made (as a background job would)
        people += [_respond(wave, orgs, keys, first_keys, spec) for spec in batch]
        wave_results_compute(wave=wave)
        data = unfigure(client.get(f"/api/v1/waves/{wave.pk}/results").json())
        if data["release"]["number"] == 0:
            assert data["groups"] == {} or all(g["suppressed"] for gs in data["groups"].values() for g in gs)
            assert data["items"] == {} and all(d["mean"] is None for d in data["dimensions"])
            continue
        # a release holds every answer sent before it, the oldest first
        for variable, sets in released_sets(data, people[: data["respondents"]]).items():
            released.setdefault(variable, []).extend(sets)

    for variable, sets in released.items():
        found = small_derivable_sets(sets, len(people), k)
        assert found == [], (
            variable,
            k,
            [(*p[:3], sorted(p[5])) for p in people],
            [len(b) for b in batches],
        )
