"""A real OpenID Connect provider for the single sign-on tests (django-oidc-provider), run in its own process
with its own settings and SQLite database: `tests/sso_provider/server.py` (started by tests/sso_fixtures.py).

It stands for an organisation's sign-in service (Microsoft Entra ID, say): its own users and passwords, a
consent page, discovery, a JWKS with its RSA key, RS256 ID tokens, userinfo, and PKCE (S256).
"""
