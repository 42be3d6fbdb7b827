from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_ok_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


def test_home_needs_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_forbidden_and_not_found_pages_are_plain_english(client, db, settings):
    from tests.factories import PartnershipFactory, UserFactory

    settings.DEBUG = False
    client.force_login(UserFactory())
    hidden = PartnershipFactory()
    response = client.get(f"/register/partnerships/{hidden.pk}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = client.get("/register/organisations/new/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
