from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from joinedup.accounts.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password (the old one first); you stay signed in, other sessions are signed out."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("register:account")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)
