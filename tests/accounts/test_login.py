import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_log_in_with_email_and_password_then_log_out(client, password):
    user = UserFactory(email="nurse@example.org")
    response = client.post("/accounts/login/", {"username": "Nurse@Example.org", "password": password})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_a_clear_error(client):
    UserFactory(email="nurse@example.org")
    response = client.post("/accounts/login/", {"username": "nurse@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out(client, settings, password):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="target@example.org")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "target@example.org", "password": "guess"})
    # even the right password is refused while locked out
    response = client.post("/accounts/login/", {"username": "target@example.org", "password": password})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_password_reset_sends_a_working_link(client):
    UserFactory(email="carer@example.org")
    response = client.post("/accounts/password-reset/", {"email": "carer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    new = "a-much-better-password-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"username": "carer@example.org", "password": new})
    assert response.status_code == 302
