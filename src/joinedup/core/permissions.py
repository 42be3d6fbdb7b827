"""Permissions: one enum, role classes, and the one check every view, endpoint, download and job page calls.

    has_permission(user, Permission.PARTNERSHIP_VIEW, partnership=p)
    has_permission(user, Permission.AGREEMENT_SIGN, partnership=p, organisation=o)

A user's roles in partnerships are `Grant`s. A place role (`SystemLeader`) held on a partnership reaches every
partnership under it, read-only; a coordinator of a partnership with partnerships under it holds it for them
too. The loader hands those on as grants of the place role for each partnership in the place (see
`register.roles.grants_for`), so this module checks them like any other. Core does not know where they are stored: the app that stores them
(`register`, whose `PartnershipRole` rows they are) registers a loader with `grant_loader_register` when Django
starts. Register-wide permissions (organisations, people, imports) need no partnership. Site admins
(superusers) hold every permission that is not tied to an organisation.

Organisation-scoped permissions (`ORGANISATION_REPRESENT`, `AGREEMENT_SIGN`) are held for one organisation in
one partnership: asked with `organisation=`, only a role for that organisation counts, and nobody (a site admin
included) speaks or signs for an organisation they do not represent.

Views declare the permission a route needs with `@permission_declared(...)` (see `declared_permission`); the URL
sweep in the tests fails on any route without a declaration.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from joinedup.core.choices import RoleKind


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
    ROLE_MANAGE = "role.manage"  # invite people to roles, change and end their roles
    EVENT_RECORD = "event.record"
    LANDSCAPE_VIEW = "landscape.view"
    NETWORK_VIEW = "network.view"  # relationship survey results: who names whom, trust received
    EXPORT = "export"  # every copy of a partnership's figures taken away: CSV downloads, the API's figures
    AGREEMENT_PROPOSE = "agreement.propose"
    # people who belong to the partnership: their contact details, and service users and carers at all
    PERSON_CONTACT_VIEW = "person.contact_view"
    HISTORY_VIEW = "history.view"  # the partnership's audit record: who changed what, when
    INDICATOR_RECORD = "indicator.record"  # define indicators, enter and import measurements, rebase a chart
    FEEDBACK_MODERATE = (
        "feedback.moderate"  # read feedback comments before they are published; publish, edit,
    )
    # withhold, tag themes, keep the "you said, we did" log
    GOVERNANCE_RECORD = "governance.record"  # meetings, attendance, decisions, actions, disputes
    MEETING_PRIVATE_VIEW = "meeting.private_view"  # private agenda items, their papers and minutes
    # per organisation within a partnership (ask with organisation=)
    ORGANISATION_REPRESENT = "organisation.represent"  # speak for it: comments, positions
    AGREEMENT_SIGN = "agreement.sign"


P = Permission

ORGANISATION_SCOPED = frozenset({P.ORGANISATION_REPRESENT, P.AGREEMENT_SIGN})
# The rights that only read: all a read-only API token keeps (see token_scope).
READING = frozenset(
    {
        P.REGISTER_VIEW,
        P.PARTNERSHIP_VIEW,
        P.LANDSCAPE_VIEW,
        P.NETWORK_VIEW,
        P.EXPORT,
        P.PERSON_CONTACT_VIEW,
        P.HISTORY_VIEW,
        P.MEETING_PRIVATE_VIEW,
    }
)


class Role:
    """A set of permissions a role grants within a partnership."""

    kind: str = ""
    permissions: frozenset[Permission] = frozenset()


class SiteAdmin(Role):
    kind = "site_admin"
    permissions = frozenset(Permission) - ORGANISATION_SCOPED


class Coordinator(Role):
    kind = RoleKind.COORDINATOR
    permissions = frozenset(
        {
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
        }
    )


class Representative(Role):
    kind = RoleKind.REPRESENTATIVE
    permissions = frozenset(
        {
            P.PARTNERSHIP_VIEW,
            P.EVENT_RECORD,
            P.LANDSCAPE_VIEW,
            P.NETWORK_VIEW,
            P.AGREEMENT_PROPOSE,
            P.ORGANISATION_REPRESENT,
            P.INDICATOR_RECORD,
            P.MEETING_PRIVATE_VIEW,
        }
    )


class Signatory(Role):
    """A representative whose signatory flag is set."""

    kind = "signatory"
    permissions = Representative.permissions | {P.AGREEMENT_SIGN}


class Member(Role):
    kind = RoleKind.MEMBER
    permissions = frozenset({P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.MEETING_PRIVATE_VIEW})


class Evaluator(Role):
    kind = RoleKind.EVALUATOR
    permissions = frozenset({P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW, P.EXPORT, P.HISTORY_VIEW})


class Observer(Role):
    kind = RoleKind.OBSERVER
    permissions = frozenset({P.PARTNERSHIP_VIEW})


class SystemLeader(Role):
    """A place role: sees, read-only, a partnership and every partnership under it, their members and their
    published results (through the same disclosure-controlled pages as everyone)."""

    kind = RoleKind.SYSTEM_LEADER
    permissions = frozenset({P.PARTNERSHIP_VIEW, P.LANDSCAPE_VIEW, P.NETWORK_VIEW})


ROLE_CLASSES: dict[str, type[Role]] = {
    RoleKind.COORDINATOR: Coordinator,
    RoleKind.REPRESENTATIVE: Representative,
    RoleKind.MEMBER: Member,
    RoleKind.EVALUATOR: Evaluator,
    RoleKind.OBSERVER: Observer,
    RoleKind.SYSTEM_LEADER: SystemLeader,
}

# Register-wide permissions: any signed-in user may view; coordinators of any partnership may edit.
_REGISTER_ANY_USER = frozenset({P.REGISTER_VIEW})
_REGISTER_COORDINATORS = frozenset({P.REGISTER_EDIT, P.REGISTER_IMPORT, P.PARTNERSHIP_CREATE})


@dataclass(frozen=True)
class Grant:
    """One role a user holds in one partnership (for one organisation, if a representative)."""

    partnership_id: int
    role: str
    organisation_id: int | None = None
    is_signatory: bool = False


GrantLoader = Callable[[Any], Iterable[Grant]]
_loader: list[GrantLoader] = []


def grant_loader_register(loader: GrantLoader) -> None:
    """Called once, by the app that stores roles, when Django starts."""
    _loader[:] = [loader]


def role_class(role: Any) -> type[Role]:
    if role.role == RoleKind.REPRESENTATIVE and role.is_signatory:
        return Signatory
    return ROLE_CLASSES[role.role]


@dataclass(frozen=True)
class _Held:
    by_partnership: dict[int, frozenset[Permission]]
    by_organisation: dict[tuple[int, int], frozenset[Permission]]
    place: frozenset[int]  # partnerships the user sees through a place role


@dataclass(frozen=True)
class _TokenScope:
    partnership_ids: frozenset[int]
    writes: bool


def token_scope(user: Any, *, partnership_ids: Iterable[int], writes: bool) -> None:
    """Limit `user`, for this request, to what an API token allows: rights only in `partnership_ids`, only those
    that read unless `writes`, and register-wide only REGISTER_VIEW. Called by the token authentication."""
    forget_permissions(user)
    user.__dict__["_joinedup_token"] = _TokenScope(frozenset(partnership_ids), writes)


def token_partnership_ids(user: Any) -> frozenset[int] | None:
    """The partnerships an API token limits `user` to in this request, or None when no token is in use (lists
    that read roles themselves filter by it)."""
    scope: _TokenScope | None = user.__dict__.get("_joinedup_token") if user is not None else None
    return None if scope is None else scope.partnership_ids


def _scoped(user: Any, partnership: Any, perms: frozenset[Permission]) -> frozenset[Permission]:
    scope: _TokenScope | None = user.__dict__.get("_joinedup_token")
    if scope is None:
        return perms
    if partnership is None:
        return perms & {P.REGISTER_VIEW}
    if partnership.pk not in scope.partnership_ids:
        return frozenset()
    return perms if scope.writes else perms & READING


def _held(user: Any) -> _Held:
    """All of a user's partnership permissions, loaded in one query and kept on the user object for the
    request, so checking many partnerships (lists, the landscape) costs one query, not one per partnership."""
    cached: _Held | None = user.__dict__.get("_joinedup_permissions")
    if cached is None:
        partnerships: dict[int, set[Permission]] = {}
        organisations: dict[tuple[int, int], set[Permission]] = {}
        place: set[int] = set()
        for grant in _loader[0](user) if _loader else ():
            if grant.role == RoleKind.SYSTEM_LEADER:
                place.add(grant.partnership_id)
            perms = role_class(grant).permissions
            partnerships.setdefault(grant.partnership_id, set()).update(perms - ORGANISATION_SCOPED)
            if grant.organisation_id is not None:
                key = (grant.partnership_id, grant.organisation_id)
                organisations.setdefault(key, set()).update(perms & ORGANISATION_SCOPED)
        scope: _TokenScope | None = user.__dict__.get("_joinedup_token")
        if scope is not None:  # an API token reaches only its partnerships, and only reads unless it writes
            keep = scope.partnership_ids
            allowed = frozenset(Permission) if scope.writes else READING
            partnerships = {pk: p & allowed for pk, p in partnerships.items() if pk in keep}
            organisations = {k: p & allowed for k, p in organisations.items() if k[0] in keep}
            place &= keep
        cached = _Held(
            {pk: frozenset(p) for pk, p in partnerships.items()},
            {key: frozenset(p) for key, p in organisations.items()},
            frozenset(place),
        )
        user.__dict__["_joinedup_permissions"] = cached
    return cached


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def permissions_for(user: Any, partnership: Any = None, organisation: Any = None) -> frozenset[Permission]:
    """Every permission `user` holds: register-wide when `partnership` is None, in `partnership`, or (with
    `organisation`) the organisation-scoped ones held for that organisation in that partnership."""
    if not _active(user):
        return frozenset()
    if organisation is not None:
        if partnership is None:
            raise ValueError("An organisation-scoped permission needs the partnership too.")
        return _held(user).by_organisation.get((partnership.pk, organisation.pk), frozenset())
    if user.is_superuser:
        return _scoped(user, partnership, SiteAdmin.permissions)
    held = _held(user)
    if partnership is None:
        granted = set(_REGISTER_ANY_USER)
        if any(Coordinator.permissions <= perms for perms in held.by_partnership.values()):
            granted |= _REGISTER_COORDINATORS
        return _scoped(user, None, frozenset(granted))
    return held.by_partnership.get(partnership.pk, frozenset())


def has_permission(user: Any, perm: Permission, partnership: Any = None, organisation: Any = None) -> bool:
    """The one permission check. Partnership permissions need `partnership`; register ones do not;
    organisation-scoped ones need both (and are never held without `organisation`)."""
    if perm in ORGANISATION_SCOPED and organisation is None:
        return False
    return perm in permissions_for(user, partnership, organisation)


def organisation_ids_with(user: Any, perm: Permission, partnership: Any) -> set[int]:
    """The organisations `user` holds an organisation-scoped `perm` for in `partnership` (whom they speak or
    sign for), from the same cached grants as `has_permission`."""
    if perm not in ORGANISATION_SCOPED:
        raise ValueError(f"{perm} is not held for an organisation")
    if not _active(user):
        return set()
    return {
        org_id
        for (partnership_id, org_id), perms in _held(user).by_organisation.items()
        if partnership_id == partnership.pk and perm in perms
    }


def organisation_grants_with(user: Any, perm: Permission) -> frozenset[tuple[int, int]]:
    """(partnership id, organisation id) for every organisation `user` holds the organisation-scoped `perm` for,
    in any partnership, from the same cached grants as `has_permission`."""
    if perm not in ORGANISATION_SCOPED:
        raise ValueError(f"{perm} is not held for an organisation")
    if not _active(user):
        return frozenset()
    return frozenset(key for key, perms in _held(user).by_organisation.items() if perm in perms)


def partnership_ids_with(user: Any, perm: Permission) -> frozenset[int]:
    """The partnerships in which `user` holds the partnership permission `perm` through a role, from the same
    cached grants as `has_permission`. (A site admin holds it everywhere: ask `has_permission(user, perm)`.)"""
    if perm in ORGANISATION_SCOPED:
        raise ValueError(f"{perm} is held for an organisation")
    if not _active(user):
        return frozenset()
    return frozenset(pk for pk, perms in _held(user).by_partnership.items() if perm in perms)


def place_partnership_ids(user: Any) -> frozenset[int]:
    """The partnerships `user` sees through a place role (held on them or on a partnership above them, or as the
    coordinator of a partnership above them), from the same cached grants as `has_permission`."""
    if not _active(user):
        return frozenset()
    return _held(user).place


def forget_permissions(user: Any) -> None:
    """Drop the user's cached permissions (after their roles change within one request)."""
    if user is not None:
        user.__dict__.pop("_joinedup_permissions", None)


def require(
    request: HttpRequest, perm: Permission, partnership: Any = None, organisation: Any = None
) -> None:
    """Raise 403 unless the user holds `perm` (in `partnership`, for `organisation`, when given)."""
    if not has_permission(request.user, perm, partnership, organisation):
        raise PermissionDenied


# ---- what each route declares (read by the URL sweep test) ---------------------------------------------


class Access(enum.Enum):
    """What a route needs when it needs no Permission."""

    PUBLIC = "public"  # anyone, signed in or not (health check, login, survey links)
    SIGNED_IN = "signed_in"  # any signed-in user; the view limits what it shows to them


V = TypeVar("V", bound=Callable[..., Any])


def permission_declared(needs: Permission | Access) -> Callable[[V], V]:
    """Declare what a view needs; the view still checks it against the objects it loads (with `require`)."""

    def declare(view: V) -> V:
        view.joinedup_needs = needs  # type: ignore[attr-defined]
        return view

    return declare


def declared_permission(view: Any) -> Permission | Access | None:
    """What a view (or an API operation) declared, looking through decorators that keep `__wrapped__`."""
    seen = 0
    while view is not None and seen < 20:
        needs = getattr(view, "joinedup_needs", None)
        if needs is not None:
            return needs  # type: ignore[no-any-return]
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None
