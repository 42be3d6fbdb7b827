"""E-mail: the one way the product sends a message, and the GOV.UK Notify backend.

Every message JoinedUp sends is plain text, made with `send_plain` (a test walks the source and fails on any other
way of sending). Which backend carries it is a setting (`settings.EMAIL_BACKEND`): SMTP by default, the demo's
mailbox folder in the demo, or `NotifyEmailBackend` below when `NOTIFY_API_KEY` is set.

A backend that cannot send raises one of `SEND_ERRORS` (with `fail_silently` off, as the product always sends):
an SMTP server's refusal or an unreachable host is an `OSError` (`smtplib.SMTPException` is one), Notify's
refusal is `MailNotSent`. Each send site catches exactly these and tells the person in plain words.

GOV.UK Notify sends only through templates made on its site. Make one e-mail template whose subject is
`((subject))` and whose message is `((body))`, and set its id as NOTIFY_TEMPLATE_ID (docs/email.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

NOTIFY_URL = "https://api.notifications.service.gov.uk"


class MailNotSent(Exception):
    """The mail service refused a message or could not be reached; the text says why, without its content."""


SEND_ERRORS: tuple[type[Exception], ...] = (OSError, MailNotSent)


def send_plain(
    *, subject: str, body: str, to: Sequence[str], connection: Any = None, reply_to: Sequence[str] = ()
) -> None:
    """Send one plain-text e-mail from DEFAULT_FROM_EMAIL. Raises one of SEND_ERRORS if it could not be sent."""
    if not body.strip():
        raise ValueError("An e-mail needs a plain-text body.")
    EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        list(to),
        connection=connection,
        reply_to=list(reply_to) or None,
    ).send()


def plain_text_of(message: EmailMessage) -> str:
    """The plain-text body of a message, or "" if it has none (an HTML-only message)."""
    if message.content_subtype == "plain":
        return str(message.body)
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/plain":
            return str(content)
    return ""


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message through GOV.UK Notify's API, one request per recipient, with the template
    NOTIFY_TEMPLATE_ID and the personalisation {"subject": ..., "body": ...} (the plain-text body).

    Notify sends from the address set for the service on its site (DEFAULT_FROM_EMAIL is not used), takes no
    attachments this way and no HTML. A message without a plain-text body, or with attachments, is refused."""

    def __init__(
        self,
        fail_silently: bool = False,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = template_id or getattr(settings, "NOTIFY_TEMPLATE_ID", "")
        self.base_url = base_url or getattr(settings, "NOTIFY_BASE_URL", "") or NOTIFY_URL
        self.client: Any = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        from notifications_python_client.notifications import NotificationsAPIClient

        if not (self.api_key and self.template_id):
            raise MailNotSent("GOV.UK Notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID to be set.")
        self.client = NotificationsAPIClient(self.api_key, base_url=self.base_url)  # one per connection
        return True

    def close(self) -> None:
        if self.client is not None:
            self.client.request_session.close()
            self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        try:
            opened = self.open()
        except MailNotSent:
            logger.error(
                "E-mail not sent: GOV.UK Notify is not configured (NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID)."
            )
            if not self.fail_silently:
                raise
            return 0
        sent = 0
        try:
            for message in email_messages:
                try:
                    self._send(message)
                except MailNotSent:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        finally:
            if opened:
                self.close()
        return sent

    def _send(self, message: EmailMessage) -> None:
        from notifications_python_client.errors import APIError

        body = plain_text_of(message)
        if not body.strip() or message.attachments:
            logger.error(
                "E-mail %r not sent: GOV.UK Notify takes a plain-text body and no attachments.",
                message.subject,
            )
            raise MailNotSent(
                "This e-mail has no plain-text body or has attachments, which Notify cannot send."
            )
        for address in message.recipients():
            try:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=self.template_id,
                    personalisation={"subject": str(message.subject), "body": body},
                )
            except APIError as error:
                # Notify's message names what was wrong (a bad address, a missing field, a bad key), never the
                # content; the address itself is personal data and stays out of the log.
                logger.error(
                    "GOV.UK Notify did not send the e-mail %r: %s %s",
                    message.subject,
                    error.status_code,
                    error.message,
                )
                raise MailNotSent(
                    f"GOV.UK Notify did not send the e-mail ({error.status_code}: {error.message})."
                ) from error
