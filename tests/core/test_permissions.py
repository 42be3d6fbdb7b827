import pytest

from joinedup.core.permissions import ORGANISATION_SCOPED, Permission, forget_permissions, has_permission
from tests.conftest import grant
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_member_sees_own_partnership_only():
    user = UserFactory()
    mine, other = PartnershipFactory(), PartnershipFactory()
    grant(user, mine, "member")
    assert has_permission(user, Permission.PARTNERSHIP_VIEW, mine)
    assert not has_permission(user, Permission.PARTNERSHIP_VIEW, other)
    assert not has_permission(user, Permission.PARTNERSHIP_EDIT, mine)


def test_only_a_signatory_representative_may_sign():
    p = PartnershipFactory()
    org = OrganisationFactory()
    rep, signer = UserFactory(), UserFactory()
    grant(rep, p, "representative", organisation=org)
    grant(signer, p, "representative", organisation=org, is_signatory=True)
    assert not has_permission(rep, Permission.AGREEMENT_SIGN, p, org)
    assert has_permission(signer, Permission.AGREEMENT_SIGN, p, org)
    assert has_permission(rep, Permission.ORGANISATION_REPRESENT, p, org)
    # only for that organisation, in that partnership, and never without naming the organisation
    assert not has_permission(signer, Permission.AGREEMENT_SIGN, p, OrganisationFactory())
    assert not has_permission(signer, Permission.AGREEMENT_SIGN, PartnershipFactory(), org)
    assert not has_permission(signer, Permission.AGREEMENT_SIGN, p)


def test_a_site_admin_does_not_speak_or_sign_for_an_organisation():
    admin = UserFactory(is_superuser=True)
    p, org = PartnershipFactory(), OrganisationFactory()
    assert has_permission(admin, Permission.PARTNERSHIP_EDIT, p)
    assert not has_permission(admin, Permission.AGREEMENT_SIGN, p, org)
    assert not has_permission(admin, Permission.ORGANISATION_REPRESENT, p, org)


def test_coordinator_may_edit_register_and_import():
    user = UserFactory()
    assert not has_permission(user, Permission.REGISTER_EDIT)
    assert has_permission(user, Permission.REGISTER_VIEW)
    grant(user, PartnershipFactory(), "coordinator")
    forget_permissions(user)  # roles are cached per request; a new request sees the new role
    assert has_permission(user, Permission.REGISTER_IMPORT)


def test_site_admin_may_do_anything():
    admin = UserFactory(is_superuser=True)
    p = PartnershipFactory()
    assert all(has_permission(admin, perm, p) for perm in Permission if perm not in ORGANISATION_SCOPED)


def test_anonymous_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not has_permission(AnonymousUser(), Permission.REGISTER_VIEW)


def test_production_password_hasher_is_argon2():
    from joinedup import settings

    assert "Argon2PasswordHasher" in next(h for h in settings.PASSWORD_HASHERS if "MD5" not in h)


def test_checking_many_partnerships_costs_one_query(django_assert_num_queries):
    user = UserFactory()
    partnerships = [PartnershipFactory() for _ in range(20)]
    for p in partnerships[:10]:
        grant(user, p, "member")
    with django_assert_num_queries(1):
        seen = [p for p in partnerships if has_permission(user, Permission.PARTNERSHIP_VIEW, p)]
    assert seen == partnerships[:10]
