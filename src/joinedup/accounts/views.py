from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse_lazy

from joinedup.accounts import two_step
from joinedup.accounts.forms import EmailAuthenticationForm
from joinedup.accounts.sso import sso_enabled


class LoginView(auth_views.LoginView):
    """E-mail and password, and the organisation's single sign-on when the site has it; a site may turn
    passwords off (PASSWORD_SIGN_IN=false), and then this page offers single sign-on alone."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_SIGN_IN:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        """With two-step sign-in on, the password is only the first step: ask for the code next."""
        user = form.get_user()
        if two_step.device_of(user) is not None:
            return two_step.start(self.request, user, self.get_redirect_url())
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        context["password_sign_in"] = settings.PASSWORD_SIGN_IN
        return context


class PasswordsOnly:
    """Pages about passwords exist only where passwords sign people in."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_SIGN_IN:
            raise Http404("This site signs people in through their organisation's single sign-on only")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


class PasswordResetView(PasswordsOnly, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(PasswordsOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(PasswordsOnly, auth_views.PasswordChangeView):
    """Change your own password (the old one first); you stay signed in, other sessions are signed out."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("register:account")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)
