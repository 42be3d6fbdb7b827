"""The demo mailbox pages (`/demo/mail/`): in demo mode only; anywhere else they answer 404."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from joinedup.core.permissions import Access, permission_declared
from joinedup.demo.mailbox import mail_get, mailbox

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def _folder() -> Path:
    if not settings.DEMO or settings.EMAIL_BACKEND != FILE_BACKEND:
        raise Http404("The mailbox is only in the demo")
    return Path(settings.EMAIL_FILE_PATH).resolve()


@require_GET
@permission_declared(Access.PUBLIC)  # the demo's own pretend e-mails, shown only in demo mode
def mail_list(request: HttpRequest) -> HttpResponse:
    return render(request, "demo/mail_list.html", {"messages_sent": mailbox(_folder())})


@require_GET
@permission_declared(Access.PUBLIC)
def mail_detail(request: HttpRequest, ref: str) -> HttpResponse:
    found = mail_get(_folder(), ref)
    if found is None:
        raise Http404("No such e-mail")
    return render(request, "demo/mail_detail.html", {"mail": found})
