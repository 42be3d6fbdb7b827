"""The access code's storage side: users' roles in partnerships (`PartnershipRole` rows).

`joinedup.core.permissions` decides what a role allows; this module is the only place that reads or writes the
rows (and the tests that set them up). `grants_for` is registered with core when Django starts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb, RoleKind
from joinedup.core.permissions import Grant, forget_permissions
from joinedup.core.services import audit_record
from joinedup.register.models import Organisation, Partnership, PartnershipRole

# Roles whose holder sees, read-only, every partnership under theirs (the place; core.permissions.SystemLeader).
PLACE_ROLES = frozenset({RoleKind.SYSTEM_LEADER, RoleKind.COORDINATOR})


def grants_for(user: Any) -> list[Grant]:
    """Every role the user holds (core.permissions caches it for the request), and the place role for every
    partnership under one where they are system leader or coordinator. One query, and one more per level of
    partnerships under theirs only when they hold such a role on a partnership that has any (the place)."""
    has_children = Exists(Partnership.objects.filter(parent=OuterRef("partnership_id")))
    rows = (
        PartnershipRole.objects.filter(user=user)
        .annotate(has_children=has_children)
        .values_list("partnership_id", "role", "organisation_id", "is_signatory", "has_children")
    )
    grants, roots = [], set()
    for partnership_id, role, org, signs, children in rows:
        grants.append(Grant(partnership_id, role, org, signs))
        if role in PLACE_ROLES and children:
            roots.add(partnership_id)
    place = roots | partnerships_under(roots)
    grants += [Grant(pk, RoleKind.SYSTEM_LEADER) for pk in sorted(place)]
    return grants


def partnerships_under(roots: set[int]) -> set[int]:
    """The ids of every partnership below `roots` (children, their children, …): one query for each level
    that has partnerships under it."""
    found: set[int] = set()
    level = set(roots)
    while level:
        rows = (
            Partnership.objects.filter(parent_id__in=sorted(level))
            .exclude(pk__in=sorted(found | roots))
            .annotate(has_children=Exists(Partnership.objects.filter(parent=OuterRef("pk"))))
            .values_list("pk", "has_children")
        )
        level = set()
        for pk, children in rows:
            found.add(pk)
            if children:
                level.add(pk)
    return found


def coordinator_make(*, user: User, partnership: Partnership) -> None:
    """The person who creates a partnership coordinates it (inside partnership_save's transaction)."""
    PartnershipRole.objects.get_or_create(user=user, partnership=partnership, role=RoleKind.COORDINATOR)
    forget_permissions(user)


def role_grant(
    *,
    by: User | None,
    user: User,
    partnership: Partnership,
    role: RoleKind,
    organisation: Organisation | None = None,
    is_signatory: bool = False,
) -> PartnershipRole:
    role = RoleKind(role)  # a string that names no role raises ValueError
    with transaction.atomic():
        grant, _ = PartnershipRole.objects.update_or_create(
            user=user,
            partnership=partnership,
            role=role,
            defaults={"organisation": organisation, "is_signatory": is_signatory},
        )
        audit_record(
            by=by,
            verb=AuditVerb.ROLE_GRANTED,
            target=grant,
            data={"user": user.email, "role": role, "signatory": is_signatory},
        )
    forget_permissions(user)
    return grant


def signatories_of(*, organisation: Organisation) -> list[User]:
    """The users who sign for `organisation` in any partnership (for the demo and the agreements' tests)."""
    return list(
        User.objects.filter(
            partnership_roles__role=RoleKind.REPRESENTATIVE,
            partnership_roles__organisation=organisation,
            partnership_roles__is_signatory=True,
        ).distinct()
    )


def roles_held(*, partnership: Partnership) -> QuerySet[PartnershipRole]:
    """Everyone's roles in the partnership, for its people-and-roles page (one query)."""
    return (
        PartnershipRole.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("role", "user__full_name", "user__email")
    )


def role_get(*, partnership: Partnership, pk: int) -> PartnershipRole | None:
    return (
        PartnershipRole.objects.select_related("user", "organisation")
        .filter(pk=pk, partnership=partnership)
        .first()
    )


def role_holds(*, email: str, partnership: Partnership, role: RoleKind) -> bool:
    return PartnershipRole.objects.filter(
        user__email__iexact=email, partnership=partnership, role=role
    ).exists()


def _coordinators_left(role: PartnershipRole) -> int:
    return (
        PartnershipRole.objects.filter(partnership_id=role.partnership_id, role=RoleKind.COORDINATOR)
        .exclude(pk=role.pk)
        .count()
    )


def role_signatory_set(*, by: User | None, role: PartnershipRole, is_signatory: bool) -> PartnershipRole:
    """Give a representative the right to sign for their organisation, or take it away."""
    if role.role != RoleKind.REPRESENTATIVE:
        raise ValidationError("Only a representative signs for an organisation.")
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        before = role.is_signatory
        role.is_signatory = is_signatory
        role.save(update_fields=["is_signatory"])
        audit_record(
            by=by,
            verb=AuditVerb.ROLE_CHANGED,
            target=role,
            data={"signatory": {"before": before, "after": is_signatory}},
        )
    forget_permissions(role.user)
    return role


def role_end(*, by: User | None, role: PartnershipRole) -> None:
    """End a role. A partnership keeps at least one coordinator (otherwise nobody could manage its people)."""
    if role.role == RoleKind.COORDINATOR and _coordinators_left(role) == 0:
        raise ValidationError(
            "This is the partnership's only coordinator: make someone else coordinator before ending this role."
        )
    with transaction.atomic():  # not durable: the Idempotency-Key middleware may hold the outer one
        audit_record(
            by=by,
            verb=AuditVerb.ROLE_ENDED,
            target=role,
            data={"user": role.user.email, "role": role.role},
        )
        role.delete()
    forget_permissions(role.user)


def roles_of_user(*, user: User) -> QuerySet[PartnershipRole]:
    """The roles a user holds, with their partnerships and organisations (one query), for their account page."""
    return (
        PartnershipRole.objects.filter(user=user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name", "role")
    )


def roles_erase(*, user: User) -> dict[str, int]:
    """Take away every role of a person being erased (register.personal, in its transaction; its one audit event
    says how many). Unlike `role_end` it may leave a partnership with no coordinator: the right to erasure does
    not wait for a successor, so the count is returned for the erasure to report and a site admin appoints one."""
    held = list(PartnershipRole.objects.filter(user=user).values_list("partnership_id", "role"))
    PartnershipRole.objects.filter(user=user).delete()
    forget_permissions(user)
    led = {p for p, role in held if role == RoleKind.COORDINATOR}
    still_led = set(
        PartnershipRole.objects.filter(partnership_id__in=led, role=RoleKind.COORDINATOR).values_list(
            "partnership_id", flat=True
        )
    )
    return {"roles": len(held), "partnerships_left_without_a_coordinator": len(led - still_led)}
