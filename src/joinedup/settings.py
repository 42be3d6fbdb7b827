"""One settings module, read from the environment.

Every variable is listed in `.env.example` (a test keeps the two in step). Safe defaults exist only in
demo/debug mode; production (DEBUG off, not the demo) refuses to start without a real SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

TRUE = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value.strip().lower() in TRUE


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# `joinedup demo` leaves this file beside its SQLite database, so any command pointed at a demo database
# (DATABASE_URL=sqlite:///DIR/joinedup.sqlite3 joinedup <command>) runs in demo mode too.
DEMO_MARKER = ".joinedup-demo"


def _is_demo_database(url: str) -> bool:
    return (
        url.startswith("sqlite:///") and (Path(url.removeprefix("sqlite:///")).parent / DEMO_MARKER).exists()
    )


TESTING = "pytest" in sys.modules
DEMO = env_bool("JOINEDUP_DEMO") or _is_demo_database(os.environ.get("DATABASE_URL", ""))
# The demo's folder (its SQLite database, e-mails and static root), read from DATABASE_URL, so that every process
# pointed at a demo database - the web server, `joinedup db_worker`, any command - gets the same settings.
DEMO_DIR = (
    Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).resolve().parent
    if DEMO and os.environ.get("DATABASE_URL", "").startswith("sqlite:///")
    else None
)
DEBUG = env_bool("DEBUG")

# Evaluators' file analyses and help sign nothing and serve nothing, so they run without a configured secret.
_FILE_ONLY_COMMANDS = {
    ("network", "analyse"),
    ("assess", "score"),
    ("help",),
    ("version",),
    ("--help",),
    ("-h",),
}
FILE_ONLY_COMMAND = Path(sys.argv[0]).name == "joinedup" and (
    len(sys.argv) == 1
    or tuple(sys.argv[1:3]) in _FILE_ONLY_COMMANDS
    or tuple(sys.argv[1:2]) in _FILE_ONLY_COMMANDS
)

_INSECURE_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY:
    if DEBUG or DEMO or TESTING:
        SECRET_KEY = _INSECURE_KEY
    elif FILE_ONLY_COMMAND:
        SECRET_KEY = secrets.token_urlsafe(50)  # used for nothing; never the same twice
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
            "For local use set DEBUG=true or run `joinedup demo`."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or DEMO or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{REPO_DIR / 'data' / 'joinedup.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its own Swagger UI files, served from here (the docs page works under our CSP; no CDN)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "joinedup.core",  # before django_tasks_db: its `db_worker` command wraps theirs (leases, sweeps)
    "django_tasks",
    "django_tasks_db",
    "joinedup.accounts",
    "joinedup.register",
    "joinedup.agreements",
    "joinedup.surveys",
    "joinedup.assessments",
    "joinedup.networks",
    "joinedup.outcomes",
    "joinedup.governance",
    "joinedup.voice",
    "joinedup.insight",
    "joinedup.reports",
    "joinedup.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "joinedup.accounts.two_step.TwoStepRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "joinedup.core.api_rules.ApiQueryMiddleware",
    "joinedup.core.idempotency.IdempotencyMiddleware",
]

# Background jobs (joinedup.core.jobs): "database" keeps the queue in the database, run by `joinedup db_worker`
# (`joinedup demo` starts one); "immediate" runs each job in the web process once the request commits.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if TESTING else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A running job's lease (renewed by its worker's heartbeat every quarter of it), and how often each worker looks
# for jobs whose worker died and queues the scheduled jobs that are due (joinedup.core.job_leases).
JOBS_LEASE_SECONDS = float(os.environ.get("JOBS_LEASE_SECONDS", "120"))
JOBS_SWEEP_SECONDS = float(os.environ.get("JOBS_SWEEP_SECONDS", "60"))

# Warning flags (joinedup.insight) are worked out again in the background after each write that may change them
# (one coalesced job per partnership per transaction); the nightly sweep runs either way. Tests may turn it off.
FLAGS_RECOMPUTE_ON_WRITE = True

# Django's cache: counters for throttling open survey links and feedback. Nothing another web process needs may be
# held in one process's memory, so production keeps it in the database (CACHE_URL=db://TABLE, the default, a table
# `joinedup serve` makes with `createcachetable`) or in Redis (REDIS_URL=redis://HOST:6379/0); in memory (one per
# process) only for the demo, DEBUG and the tests, unless CACHE_URL says otherwise.
PRODUCTION = not (DEBUG or DEMO or TESTING)
REDIS_URL = os.environ.get("REDIS_URL", "")
_CACHE_URL = os.environ.get("CACHE_URL", "") or (
    "db://joinedup_cache" if PRODUCTION and not REDIS_URL else ""
)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif _CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": _CACHE_URL.removeprefix("db://") or "joinedup_cache",
        }
    }
elif _CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be empty or db://TABLE, not {_CACHE_URL!r}.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Surveys (issue 11): open links take at most so many new responses per window, per link and per client; open-link
# answers never sent are deleted after so many days without a change (the scheduled housekeeping job).
SURVEY_OPEN_LINK_WINDOW_SECONDS = int(os.environ.get("SURVEY_OPEN_LINK_WINDOW_SECONDS", "3600"))
SURVEY_OPEN_LINK_STARTS_PER_LINK = int(os.environ.get("SURVEY_OPEN_LINK_STARTS_PER_LINK", "1000"))
SURVEY_OPEN_LINK_STARTS_PER_CLIENT = int(os.environ.get("SURVEY_OPEN_LINK_STARTS_PER_CLIENT", "20"))
# Feedback links (voice.throttle): answers an hour through one form's link, and from one address
FEEDBACK_ANSWERS_PER_LINK = int(os.environ.get("FEEDBACK_ANSWERS_PER_LINK", "200"))
FEEDBACK_ANSWERS_PER_CLIENT = int(os.environ.get("FEEDBACK_ANSWERS_PER_CLIENT", "5"))
SURVEY_UNFINISHED_DAYS = int(os.environ.get("SURVEY_UNFINISHED_DAYS", "7"))

# API writes sent with an Idempotency-Key: how long their answers are kept for a retry (joinedup.core.idempotency).
IDEMPOTENCY_KEEP_HOURS = int(os.environ.get("IDEMPOTENCY_KEEP_HOURS", "24"))

# `joinedup serve`: how many web worker processes to run when --workers is not given.
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "2"))

ROOT_URLCONF = "joinedup.urls"
WSGI_APPLICATION = "joinedup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "joinedup.register.context_processors.shell",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"

# Single sign-on with OpenID Connect (joinedup.accounts.sso; docs/sso.md, docs/adr/0009-single-sign-on.md): on
# when SSO_CLIENT_ID is set. Endpoints each by itself, or all from the provider's discovery document. PKCE always.
SSO_CLIENT_ID = os.environ.get("SSO_CLIENT_ID", "")
SSO_ENABLED = bool(SSO_CLIENT_ID)
SSO_DISCOVERY_URL = os.environ.get("SSO_DISCOVERY_URL", "")
SSO_ISSUER = os.environ.get("SSO_ISSUER", "")
# Accept an e-mail address without `email_verified: true` only for a provider that verifies every address itself
SSO_TRUST_PROVIDER_EMAILS = env_bool("SSO_TRUST_PROVIDER_EMAILS")
OIDC_RP_CLIENT_ID = SSO_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("SSO_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SSO_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SSO_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SSO_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SSO_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("SSO_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("SSO_SIGN_ALGORITHM", "RS256")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
# Signing out of JoinedUp also signs out at the provider (RP-initiated logout), so the next person at a shared
# computer is not signed straight back in: the endpoint by itself, or from the discovery document.
SSO_SIGN_OUT_AT_PROVIDER = env_bool("SSO_SIGN_OUT_AT_PROVIDER", True)
SSO_END_SESSION_ENDPOINT = os.environ.get("SSO_END_SESSION_ENDPOINT", "")
OIDC_STORE_ID_TOKEN = True  # the ID token is the provider's hint of whom to sign out
OIDC_OP_LOGOUT_URL_METHOD = "joinedup.accounts.sso.provider_logout_url"
_SSO_ENDPOINTS = (
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_OP_JWKS_ENDPOINT,
)
if SSO_ENABLED and not (SSO_DISCOVERY_URL or all(_SSO_ENDPOINTS)):
    raise ImproperlyConfigured(
        "SSO_CLIENT_ID is set but not where the provider is: set SSO_DISCOVERY_URL (for Microsoft Entra ID "
        "https://login.microsoftonline.com/TENANT-ID/v2.0/.well-known/openid-configuration), or all of "
        "SSO_AUTHORIZATION_ENDPOINT, SSO_TOKEN_ENDPOINT, SSO_USERINFO_ENDPOINT and SSO_JWKS_ENDPOINT."
    )
# A site whose people all sign in through their organisation can turn passwords off (the demo keeps them).
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not (PASSWORD_SIGN_IN or SSO_ENABLED):
    raise ImproperlyConfigured(
        "PASSWORD_SIGN_IN=false needs single sign-on (SSO_CLIENT_ID and the provider)."
    )
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if PASSWORD_SIGN_IN else []),
    *(["joinedup.accounts.sso.SsoBackend"] if SSO_ENABLED else []),
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests that check hashing assert the production list directly.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-step sign-in (joinedup.accounts.two_step; docs/security.md): anyone may turn it on; TWO_STEP_REQUIRED makes it
# a must for `coordinators` (site admins too) and/or `signatories` who sign in by password (comma-separated).
TWO_STEP_REQUIRED = env_list("TWO_STEP_REQUIRED")
_TWO_STEP_ROLES = {"coordinators", "signatories"}
if set(TWO_STEP_REQUIRED) - _TWO_STEP_ROLES:
    raise ImproperlyConfigured(
        f"TWO_STEP_REQUIRED may name coordinators and signatories, not {', '.join(sorted(set(TWO_STEP_REQUIRED) - _TWO_STEP_ROLES))}."
    )
OTP_TOTP_ISSUER = "JoinedUp"

# django-axes: lock an e-mail/IP pair out after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))

# Survey results are released in batches (DESIGN.md §6): while a wave is open, a new release needs at least
# the wave's k new answers since the last one and at least this many hours after it.
RESULTS_RELEASE_INTERVAL_HOURS = float(os.environ.get("RESULTS_RELEASE_INTERVAL_HOURS", "24"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The single sign-on callback carries no password: axes neither counts nor locks it (joinedup.accounts.sso)
AXES_WHITELIST_CALLABLE = "joinedup.accounts.sso.axes_exempt"

# E-mail (joinedup.core.mail, docs/email.md). Unless EMAIL_BACKEND says otherwise: the demo "sends" into
# DEMO_DIR/emails (its mailbox page reads them); with NOTIFY_API_KEY set, GOV.UK Notify sends, through the template
# NOTIFY_TEMPLATE_ID; with DEBUG on, e-mails are printed; otherwise (production) the SMTP server EMAIL_HOST sends.
# Tests always use Django's in-memory outbox.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO_DIR is not None
    else "joinedup.core.mail.NotifyEmailBackend"
    if NOTIFY_API_KEY
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
if EMAIL_BACKEND == "joinedup.core.mail.NotifyEmailBackend" and not (NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "GOV.UK Notify needs both NOTIFY_API_KEY (an API key from the service's settings on Notify) and "
        "NOTIFY_TEMPLATE_ID (an e-mail template with subject ((subject)) and message ((body))); see docs/email.md."
    )
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(
    DEMO_DIR / "emails" if DEMO_DIR is not None else REPO_DIR / "data" / "emails"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds: a mail server that hangs fails the send
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JoinedUp <noreply@joinedup.invalid>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# Front-end packages copied from node_modules by scripts/build_assets.mjs (not committed).
STATICFILES_DIRS = [BASE_DIR / "static"]
# The demo serves static files from the finders: an empty folder of its own keeps WhiteNoise quiet.
STATIC_ROOT = Path(
    os.environ.get("STATIC_ROOT")
    or (DEMO_DIR / "static" if DEMO_DIR is not None else REPO_DIR / "staticfiles")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING

# Uploaded files (meeting papers). Served only through the views that check who may read them, never from MEDIA_URL.
MEDIA_ROOT = Path(
    os.environ.get("MEDIA_ROOT")
    or (DEMO_DIR / "media" if DEMO_DIR is not None else REPO_DIR / "data" / "media")
)
if TESTING and not os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="joinedup-media-"))
FILE_UPLOAD_PERMISSIONS = 0o640

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content-Security-Policy without 'unsafe-inline': the pages carry no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Production is served over TLS (docs/deploy.md): secure cookies, HTTPS redirects and HSTS, on by default. Behind a
# reverse proxy that terminates TLS, set TRUST_X_FORWARDED_PROTO=true so Django believes its X-Forwarded-Proto (only
# if the proxy always sets it: a client could send its own). /healthz answers over plain HTTP for load balancers.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Asking browsers to preload HSTS is hard to undo and the site owner's choice (SECURE_HSTS_PRELOAD=true), so the
# deployment check's reminder about it is silenced; every other deployment check stays.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Survey link tokens never reach a log (joinedup.core.logging): on the loggers that log request paths,
    # and on the handler for anything else.
    "filters": {"redact_links": {"()": "joinedup.core.logging.RedactLinkTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_links"]}},
    "loggers": {
        name: {"filters": ["redact_links"], "propagate": True}
        for name in ("django.request", "django.server", "django.security")
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
