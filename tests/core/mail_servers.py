"""Mail servers on loopback for the e-mail tests: a stand-in for GOV.UK Notify's API (http.server in a thread),
which records each request as the real client sent it, and an SMTP server (aiosmtpd) that keeps what arrives."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class NotifyRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeNotify:
    """Answers every request with `status` and `answer`; `requests` are what came in."""

    url: str = ""
    status: int = 201
    answer: dict[str, Any] = field(default_factory=dict)
    requests: list[NotifyRequest] = field(default_factory=list)
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def api_key(self) -> str:
        """A key in Notify's format: the key's name, the service id and the secret, joined by hyphens."""
        return f"joinedup_test-{self.service_id}-{self.secret}"


@contextmanager
def notify_server() -> Iterator[FakeNotify]:
    fake = FakeNotify()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            fake.requests.append(
                NotifyRequest(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=json.loads(raw) if raw else None,
                )
            )
            answer = fake.answer or {
                "id": str(uuid.uuid4()),
                "content": {"subject": "", "body": "", "from_email": "noreply@example.org"},
            }
            data = json.dumps(answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[Received]]]:
    """An SMTP server on 127.0.0.1 (a free port); yields the port and the list of messages it receives."""
    from aiosmtpd.controller import Controller

    received: list[Received] = []

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            parsed = message_from_bytes(envelope.original_content, policy=policy.default)
            received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
            return "250 OK"

    with socket.socket() as probe:  # a free port (the controller's start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
