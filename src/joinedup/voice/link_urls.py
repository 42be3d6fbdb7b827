"""A feedback form's short link, /f/<code>/ (the address on its poster and QR code)."""

from django.urls import path

from joinedup.voice.views import public

app_name = "feedback"

urlpatterns = [
    path("<str:code>/", public.answer, name="answer"),
    path("<str:code>/thanks/", public.thanks, name="thanks"),
]
