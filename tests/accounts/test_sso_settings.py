"""Single sign-on is configured from the environment, and a half-made configuration fails loudly with a hint."""

import os
import subprocess
import sys

SSO_VARIABLES = {"SSO_CLIENT_ID", "SSO_DISCOVERY_URL", "PASSWORD_SIGN_IN", "SSO_TOKEN_ENDPOINT"}


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SSO_VARIABLES}
    clean.update({"DEBUG": "true", **env})
    code = (
        "import joinedup.settings as s; print(s.SSO_ENABLED, s.PASSWORD_SIGN_IN, s.AUTHENTICATION_BACKENDS)"
    )
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_without_a_client_id_there_is_no_single_sign_on():
    result = _settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False True") and "SsoBackend" not in result.stdout


def test_a_client_id_and_a_discovery_document_turn_it_on_beside_passwords():
    result = _settings({"SSO_CLIENT_ID": "abc", "SSO_DISCOVERY_URL": "https://idp.example/.well-known/x"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True True")
    assert "ModelBackend" in result.stdout and "joinedup.accounts.sso.SsoBackend" in result.stdout


def test_a_client_id_without_the_provider_refuses_to_start_and_says_what_to_set():
    result = _settings({"SSO_CLIENT_ID": "abc", "SSO_TOKEN_ENDPOINT": "https://idp.example/token"})
    assert result.returncode != 0
    assert "set SSO_DISCOVERY_URL" in result.stderr and "login.microsoftonline.com" in result.stderr


def test_passwords_off_needs_single_sign_on_and_then_has_no_password_backend():
    refused = _settings({"PASSWORD_SIGN_IN": "false"})
    assert refused.returncode != 0 and "PASSWORD_SIGN_IN=false needs single sign-on" in refused.stderr
    result = _settings(
        {"PASSWORD_SIGN_IN": "false", "SSO_CLIENT_ID": "abc", "SSO_DISCOVERY_URL": "https://idp.example/x"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True False") and "ModelBackend" not in result.stdout
