"""Personal access tokens (register/tokens.py), tried as a leaked or misused token would be: the shape and
checksum, storage (no token text in any column), scope to partnerships, read-only, expiry, revocation, every use
audited, anonymous API requests refused, and the page where a person makes and revokes them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.core.permissions import Permission, has_permission, partnership_ids_with, token_scope
from joinedup.register import tokens
from joinedup.register.models import AccessToken
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db
P = Permission


@pytest.fixture
def two() -> tuple[Any, Any, Any]:
    coordinator = UserFactory()
    mine, other = PartnershipFactory(name="Mine"), PartnershipFactory(name="Other")
    grant(coordinator, mine, "coordinator")
    grant(coordinator, other, "coordinator")
    return coordinator, mine, other


def make(
    user: Any, partnerships: list[Any], *, write: bool = False, days: int = 30
) -> tuple[AccessToken, str]:
    return tokens.token_create(
        by=user, name="Nightly export", partnerships=partnerships, can_write=write, days=days
    )


def api(text: str | None, path: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"} if text else {}
    return Client().get(f"/api/v1{path}", **headers)


def test_a_token_is_recognisable_and_checkable_without_the_database(two: Any) -> None:
    user, mine, _ = two
    _token, text = make(user, [mine])
    assert text.startswith("jup_") and len(text) == 4 + 32 + 6
    assert tokens.looks_like_token(text)
    flipped = text[:-1] + ("A" if text[-1] != "A" else "B")  # one character of the checksum
    assert not tokens.looks_like_token(flipped)
    typo = text[:10] + ("x" if text[10] != "x" else "y") + text[11:]  # one character of the secret
    assert not tokens.looks_like_token(typo)
    assert not tokens.looks_like_token(text + "a") and not tokens.looks_like_token("ghp_" + text[4:])


def test_the_token_text_is_stored_nowhere(two: Any) -> None:
    user, mine, _ = two
    token, text = make(user, [mine])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM register_accesstoken")
        row = cursor.fetchone()
        cursor.execute("SELECT data, target_label FROM core_auditevent")
        audit = cursor.fetchall()
    assert row is not None
    secret = text[4:36]
    assert not any(isinstance(v, str) and (secret in v or text in v) for v in row)
    assert token.lookup == secret[:12] and secret[12:] not in repr(row)
    assert not any(secret in repr(a) for a in audit)


def test_a_token_reaches_only_its_partnerships(two: Any) -> None:
    user, mine, other = two
    _token, text = make(user, [mine])
    assert api(text, f"/partnerships/{mine.pk}").status_code == 200
    assert api(text, f"/partnerships/{other.pk}").status_code == 404  # as if it did not exist
    listed = api(text, "/partnerships").json()
    assert [p["name"] for p in listed["items"]] == ["Mine"]
    # the session still sees both
    client = Client()
    client.force_login(user)
    assert client.get(f"/api/v1/partnerships/{other.pk}").status_code == 200


def test_a_site_admins_token_is_scoped_too(two: Any) -> None:
    _user, mine, other = two
    admin = UserFactory(is_superuser=True, is_staff=True)
    _token, text = make(admin, [mine])
    assert api(text, f"/partnerships/{other.pk}").status_code == 404
    assert [p["name"] for p in api(text, "/partnerships").json()["items"]] == ["Mine"]


def test_a_read_only_token_keeps_only_the_rights_that_read(two: Any) -> None:
    user, mine, other = two
    token_scope(user, partnership_ids={mine.pk}, writes=False)
    assert has_permission(user, P.PARTNERSHIP_VIEW, mine) and has_permission(user, P.EXPORT, mine)
    assert not has_permission(user, P.PARTNERSHIP_EDIT, mine)
    assert not has_permission(user, P.MEMBERSHIP_MANAGE, mine)
    assert not has_permission(user, P.PARTNERSHIP_VIEW, other)
    assert has_permission(user, P.REGISTER_VIEW) and not has_permission(user, P.REGISTER_EDIT)
    assert partnership_ids_with(user, P.PARTNERSHIP_VIEW) == {mine.pk}
    assert partnership_ids_with(user, P.PARTNERSHIP_EDIT) == frozenset()
    token_scope(user, partnership_ids={mine.pk}, writes=True)
    assert has_permission(user, P.PARTNERSHIP_EDIT, mine) and not has_permission(
        user, P.PARTNERSHIP_EDIT, other
    )
    assert not has_permission(user, P.REGISTER_EDIT)  # register-wide changes are never a token's


def test_expired_revoked_unknown_and_missing_tokens_get_401(two: Any) -> None:
    user, mine, _ = two
    path = f"/partnerships/{mine.pk}"
    token, text = make(user, [mine])
    assert api(text, path).status_code == 200
    past = timezone.now() - datetime.timedelta(seconds=1)
    AccessToken.objects.filter(pk=token.pk).update(
        created_at=past - datetime.timedelta(days=30), expires_at=past
    )
    assert api(text, path).status_code == 401
    token2, text2 = make(user, [mine])
    tokens.token_revoke(by=user, token=token2)
    assert api(text2, path).status_code == 401
    _token3, text3 = make(user, [mine])
    forged = text3[:4] + text3[4:16] + "A" * 20
    forged = forged + tokens.checksum(forged[4:])  # right shape and checksum, known lookup, wrong secret
    assert tokens.looks_like_token(forged)
    assert api(forged, path).status_code == 401
    assert api(None, path).status_code == 401
    user.is_active = False
    user.save()
    assert api(text3, path).status_code == 401


def test_a_bad_token_is_refused_even_beside_a_good_session(two: Any) -> None:
    user, mine, _ = two
    client = Client()
    client.force_login(user)
    path = f"/api/v1/partnerships/{mine.pk}"
    assert client.get(path).status_code == 200
    assert client.get(path, HTTP_AUTHORIZATION="Bearer jup_not-a-token").status_code == 401


def test_every_use_is_recorded(two: Any) -> None:
    user, mine, _ = two
    token, text = make(user, [mine])
    assert token.last_used_at is None
    api(text, f"/partnerships/{mine.pk}")
    api(text, "/partnerships")
    token.refresh_from_db()
    assert token.last_used_at is not None
    used = AuditEvent.objects.filter(verb=AuditVerb.TOKEN_USED, target_id=str(token.pk)).order_by("id")
    assert [e.data["path"] for e in used] == [f"/api/v1/partnerships/{mine.pk}", "/api/v1/partnerships"]
    assert all(e.actor == user and e.data["method"] == "GET" for e in used)
    assert AuditEvent.objects.filter(verb=AuditVerb.TOKEN_CREATED, target_id=str(token.pk)).count() == 1
    # a token's life is a chain of its own: API requests do not all wait on the register chain's head
    from joinedup.core.audit import chains_verify

    own = AuditEvent.objects.filter(target_type="register.accesstoken", target_id=str(token.pk))
    assert {e.chain for e in own} == {f"token:{token.pk}"} and own.count() == 3
    assert [r.events for r in chains_verify(f"token:{token.pk}")] == [3]
    assert all(r.intact for r in chains_verify())


def test_making_a_token_checks_what_it_is_given(two: Any) -> None:
    from django.core.exceptions import ValidationError

    user, mine, _ = two
    stranger = PartnershipFactory(name="Elsewhere")
    for kwargs, field in (
        ({"partnerships": [stranger]}, "partnerships"),
        ({"partnerships": []}, "partnerships"),
        ({"days": 0}, "days"),
        ({"days": 367}, "days"),
        ({"name": "  "}, "name"),
    ):
        arguments: dict[str, Any] = {
            "name": "x",
            "partnerships": [mine],
            "can_write": False,
            "days": 30,
            **kwargs,
        }
        with pytest.raises(ValidationError) as caught:
            tokens.token_create(by=user, **arguments)
        assert field in caught.value.message_dict
    assert AccessToken.objects.count() == 0


def test_only_the_owner_revokes(two: Any) -> None:
    from django.core.exceptions import ValidationError

    user, mine, _ = two
    token, _text = make(user, [mine])
    with pytest.raises(ValidationError):
        tokens.token_revoke(by=UserFactory(), token=token)
    client = Client()
    client.force_login(UserFactory())
    assert client.post(f"/register/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_shows_a_new_token_once_and_revokes(two: Any) -> None:
    user, mine, _other = two
    client = Client()
    client.force_login(user)
    page = client.get("/register/account/tokens/")
    assert page.status_code == 200 and b"You have no tokens" in page.content
    made = client.post(
        "/register/account/tokens/",
        {"name": "Dashboard", "partnerships": [mine.pk], "access": "read", "days": 30},
    )
    text = made.context["made"]
    assert tokens.looks_like_token(text) and text.encode() in made.content
    again = client.get("/register/account/tokens/")
    assert text.encode() not in again.content and b"Dashboard" in again.content and b"never" in again.content
    token = AccessToken.objects.get()
    assert list(token.partnerships.all()) == [mine] and not token.can_write
    bad = client.post(
        "/register/account/tokens/", {"name": "", "partnerships": [], "access": "read", "days": 0}
    )
    assert bad.status_code == 200 and AccessToken.objects.count() == 1
    assert set(bad.context["form"].errors) == {"name", "partnerships", "days"}
    revoked = client.post(f"/register/account/tokens/{token.pk}/revoke/", follow=True)
    assert b"no longer works" in revoked.content
    assert api(text, f"/partnerships/{mine.pk}").status_code == 401


def test_the_openapi_schema_offers_bearer_tokens() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_only_a_read_write_token_records_a_measurement_through_the_api(two: Any) -> None:
    """A write through the API (outcomes' measurements) with each kind of token, as a script would."""
    from tests.factories.outcomes import IndicatorFactory

    user, mine, other = two
    indicator = IndicatorFactory(partnership=mine)
    elsewhere = IndicatorFactory(partnership=other)
    _r, read_only = make(user, [mine])
    _w, read_write = make(user, [mine], write=True)

    def post(text: str, target: Any) -> Any:
        return Client().post(
            f"/api/v1/indicators/{target.pk}/measurements",
            data={"period": "2026-04", "value": 12},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {text}",
        )

    assert post(read_only, indicator).status_code == 403
    assert post(read_write, elsewhere).status_code == 404  # not in the token's partnerships
    made = post(read_write, indicator)
    assert made.status_code == 201, made.content
    assert made.json()["period"] == "2026-04"
    assert indicator.measurements.count() == 1 and elsewhere.measurements.count() == 0
