"""A small HTTP client that behaves as one person's browser behind a TLS-terminating proxy: its own cookies,
the proxy's `X-Forwarded-Proto: https`, the Origin a browser sends with a form, redirects followed, and forms
read from the page and filled in. Standard library only, one thread each.

Each browser has a home server and, as a load balancer would, sends a request to the other server when its home
does not answer (refused or cut off: the server was killed). Every request is timed and counted in `Stats`."""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

TIMEOUT = 30.0
CUT_OFF = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    cut_off: int = 0  # requests a server did not answer (sent again to the other)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def lost_connection(self) -> None:
        with self.lock:
            self.cut_off += 1


@dataclass
class Page:
    status: int
    path: str
    body: str


class Browser:
    def __init__(self, servers: list[tuple[str, int]], home: int, stats: Stats) -> None:
        self.servers, self.home, self.stats = servers, home % len(servers), stats
        self.cookies: dict[str, str] = {}

    def get(self, path: str, kind: str) -> Page:
        return self._follow("GET", path, None, kind)

    def post(self, path: str, data: dict[str, str], kind: str) -> Page:
        return self._follow("POST", path, data, kind)

    def _follow(self, method: str, path: str, data: dict[str, str] | None, kind: str) -> Page:
        for _ in range(10):
            status, headers, body = self._send(method, path, data, kind)
            location = headers.get("location")
            if status in (301, 302, 303) and location:
                method, data, path = "GET", None, urlsplit(urljoin(path, location)).path or "/"
                continue
            return Page(status, path, body.decode("utf-8", "replace"))
        raise RuntimeError(f"too many redirects from {path}")

    def _send(
        self, method: str, path: str, data: dict[str, str] | None, kind: str
    ) -> tuple[int, dict[str, str], bytes]:
        """One request, to the home server or (when it does not answer) the next: up to 30 s in all."""
        deadline = time.monotonic() + TIMEOUT
        server = self.home
        while True:
            host, port = self.servers[server]
            started = time.monotonic()
            try:
                status, headers, body = self._once(host, port, method, path, data)
            except CUT_OFF:
                self.stats.lost_connection()
                if time.monotonic() > deadline:
                    raise
                server = (server + 1) % len(self.servers)
                time.sleep(0.05)
                continue
            self.stats.record(kind, time.monotonic() - started, status)
            return status, headers, body

    def _once(
        self, host: str, port: int, method: str, path: str, data: dict[str, str] | None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            headers = {
                "Host": f"{host}:{port}",
                "X-Forwarded-Proto": "https",
                "User-Agent": "joinedup-loadtest",
            }
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Origin"] = f"https://{host}:{port}"
                headers["Referer"] = f"https://{host}:{port}{path}"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
        finally:
            connection.close()


class _Forms(HTMLParser):
    """The page's forms with POST: their action and the fields a person would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append(
                {"action": a.get("action", ""), "fields": {}, "radios": {}, "selects": {}, "button": None}
            )
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                form["radios"].setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                if "required" in a or "checked" in a:
                    form["fields"][name] = a.get("value", "on")
            elif kind == "submit":
                self._button(form, name, a)
            elif name != "website":  # the honeypot people never see
                form["fields"][name] = a.get("value", "")
        elif tag == "button" and name:
            self._button(form, name, a)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            form["selects"].setdefault(self._select, a["value"])

    @staticmethod
    def _button(form: dict[str, Any], name: str, a: dict[str, str]) -> None:
        """The first named button is the one a person presses ("Save and continue", not "come back later")."""
        if form["button"] is None:
            form["button"] = (name, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def filled_form(page: Page, rng: random.Random) -> tuple[str, dict[str, str]]:
    """The page's last POST form (the one people fill in; the header's sign-out form comes first), filled as a
    person might: a random choice for every question, the first option of every list."""
    parser = _Forms()
    parser.feed(page.body)
    if not parser.forms:
        raise LookupError(f"no form on {page.path} (status {page.status})")
    form = parser.forms[-1]
    data = dict(form["fields"])
    data.update(form["selects"])
    if form["button"] is not None:
        data[form["button"][0]] = form["button"][1]
    for name, values in form["radios"].items():
        data[name] = rng.choice(values)
    return form["action"] or page.path, data
