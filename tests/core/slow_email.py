"""An e-mail backend for tests run in worker subprocesses: Django's file backend, a little slow per message, so a
test can kill the worker while a batch of invitations is part-way out (SLOW_EMAIL_SECONDS, default 0.1)."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages: Any) -> int:
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "0.1")))
        return super().send_messages(email_messages)
