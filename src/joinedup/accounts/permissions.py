"""Permissions: one enum, role classes, and the one check every view, endpoint and export calls.

    has_permission(user, Permission.PARTNERSHIP_VIEW, partnership)

Partnership permissions come from the user's roles in that partnership (PartnershipRole). Register-wide
permissions (organisations, people, imports) need no partnership. Site admins (superusers) may do anything.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from joinedup.accounts.choices import RoleKind

if TYPE_CHECKING:
    from joinedup.register.models import Partnership


class Permission(enum.Enum):
    # register-wide
    REGISTER_VIEW = "register.view"
    REGISTER_EDIT = "register.edit"
    REGISTER_IMPORT = "register.import"
    PARTNERSHIP_CREATE = "partnership.create"
    # per partnership
    PARTNERSHIP_VIEW = "partnership.view"
    PARTNERSHIP_EDIT = "partnership.edit"
    MEMBERSHIP_MANAGE = "membership.manage"
    EVENT_RECORD = "event.record"
    ROLE_MANAGE = "role.manage"
    LANDSCAPE_VIEW = "landscape.view"
    NETWORK_VIEW = (
        "network.view"  # a partnership's relationship survey results: who names whom, trust received
    )
    EXPORT = "export"
    AGREEMENT_PROPOSE = "agreement.propose"
    AGREEMENT_SIGN = "agreement.sign"


P = Permission


class Role:
    """A set of permissions a role grants within a partnership."""

    kind: str = ""
    permissions: frozenset[Permission] = frozenset()


class SiteAdmin(Role):
    kind = "site_admin"
    permissions = frozenset(Permission)


class Coordinator(Role):
    kind = RoleKind.COORDINATOR
    permissions = frozenset(
        {
            P.PARTNERSHIP_VIEW,
            P.PARTNERSHIP_EDIT,
            P.MEMBERSHIP_MANAGE,
            P.EVENT_RECORD,
            P.ROLE_MANAGE,
            P.LANDSCAPE_VIEW,
            P.NETWORK_VIEW,
            P.EXPORT,
            P.AGREEMENT_PROPOSE,
        }
    )


class Representative(Role):
    kind = RoleKind.REPRESENTATIVE
    permissions = frozenset(
        {P.PARTNERSHIP_VIEW, P.EVENT_RECORD, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.AGREEMENT_PROPOSE}
    )


class Signatory(Role):
    """A representative whose signatory flag is set."""

    kind = "signatory"
    permissions = Representative.permissions | {P.AGREEMENT_SIGN}


class Member(Role):
    kind = RoleKind.MEMBER
    permissions = frozenset({P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW})


class Evaluator(Role):
    kind = RoleKind.EVALUATOR
    permissions = frozenset({P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.EXPORT})


class Observer(Role):
    kind = RoleKind.OBSERVER
    permissions = frozenset({P.PARTNERSHIP_VIEW})


ROLE_CLASSES: dict[str, type[Role]] = {
    RoleKind.COORDINATOR: Coordinator,
    RoleKind.REPRESENTATIVE: Representative,
    RoleKind.MEMBER: Member,
    RoleKind.EVALUATOR: Evaluator,
    RoleKind.OBSERVER: Observer,
}

# Register-wide permissions: any signed-in user may view; coordinators of any partnership may edit.
_REGISTER_ANY_USER = frozenset({P.REGISTER_VIEW})
_REGISTER_COORDINATORS = frozenset({P.REGISTER_EDIT, P.REGISTER_IMPORT, P.PARTNERSHIP_CREATE})


def role_class(role: Any) -> type[Role]:
    if role.role == RoleKind.REPRESENTATIVE and role.is_signatory:
        return Signatory
    return ROLE_CLASSES[role.role]


def _roles_by_partnership(user: Any) -> dict[int, frozenset[Permission]]:
    """All of a user's partnership permissions, loaded in one query and kept on the user object for the
    request, so checking many partnerships (lists, the landscape) costs one query, not one per partnership."""
    cached: dict[int, frozenset[Permission]] | None = user.__dict__.get("_joinedup_permissions")
    if cached is None:
        granted: dict[int, set[Permission]] = {}
        for role in user.partnership_roles.all():
            granted.setdefault(role.partnership_id, set()).update(role_class(role).permissions)
        cached = {pk: frozenset(perms) for pk, perms in granted.items()}
        user.__dict__["_joinedup_permissions"] = cached
    return cached


def permissions_for(user: Any, partnership: Partnership | None = None) -> frozenset[Permission]:
    """Every permission `user` holds, in `partnership` or register-wide when it is None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return SiteAdmin.permissions
    roles = _roles_by_partnership(user)
    if partnership is None:
        granted = set(_REGISTER_ANY_USER)
        if any(Coordinator.permissions <= perms for perms in roles.values()):
            granted |= _REGISTER_COORDINATORS
        return frozenset(granted)
    return roles.get(partnership.pk, frozenset())


def forget_permissions(user: Any) -> None:
    """Drop the user's cached permissions (after their roles change within one request)."""
    user.__dict__.pop("_joinedup_permissions", None)


def has_permission(user: Any, perm: Permission, partnership: Partnership | None = None) -> bool:
    """The one permission check. Partnership permissions need `partnership`; register ones do not."""
    return perm in permissions_for(user, partnership)
