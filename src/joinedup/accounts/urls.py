from django.contrib.auth import views as auth_views
from django.urls import path
from mozilla_django_oidc.views import OIDCLogoutView

from joinedup.accounts import sso, two_step, views
from joinedup.core.permissions import Access, permission_declared

app_name = "accounts"
public = permission_declared(Access.PUBLIC)  # signing in and resetting a password need no account
signed_in = permission_declared(Access.SIGNED_IN)
urlpatterns = [
    path("password/", signed_in(views.PasswordChangeView.as_view()), name="password_change"),
    path("login/", public(views.LoginView.as_view()), name="login"),
    # the second step of signing in (a password was accepted; the session says whose)
    path("login/code/", public(two_step.code), name="two_step_code"),
    path("two-step/", signed_in(two_step.setup), name="two_step_setup"),
    # single sign-on (OpenID Connect): 404 unless the site has set it up
    path("sso/start/", public(sso.SsoStartView.as_view()), name="sso_start"),
    path("sso/callback/", public(sso.SsoCallbackView.as_view()), name="sso_callback"),
    # signing out (POST); after single sign-on, at the provider too (sso.provider_logout_url)
    path("logout/", public(OIDCLogoutView.as_view()), name="logout"),
    path("password-reset/", public(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password-reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        public(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
