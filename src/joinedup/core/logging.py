"""Log filters: nothing JoinedUp logs may carry a survey link's token.

A token in a log line (Django logs the path of every 4xx/5xx answer, and the development server every request)
would tie a person's link to a time, and so to the answers sent then. The filter replaces every token in a
survey link (`/s/<token>/`, `/networks/respond/<token>/`) with `[link]` before the line is written.
"""

from __future__ import annotations

import logging
import re

LINK_TOKEN = re.compile(r"(/s/|/respond/)[^/\s?#\"']+")


def redact_links(text: str) -> str:
    return LINK_TOKEN.sub(r"\1[link]", text)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_links(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
