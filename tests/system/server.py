"""Run the real app under gunicorn on 127.0.0.1 for system tests, and drive it like a browser
would (cookies, CSRF tokens from the pages), with the standard library only."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []


SHIPPED_CONFIG = ROOT / "gunicorn.conf.py"


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int = 4, log: Path | None = None, shipped: bool = False
) -> Iterator[Server]:
    """gunicorn on a free port: sync workers as before, or (`shipped`) the project's
    gunicorn.conf.py with only the address and worker count changed."""
    port = free_port()
    full_env = {
        **os.environ,
        "QUIZAPP_ENV": "development",
        "SECRET_KEY": "system-test-secret",
        "QUIZAPP_BIND": f"127.0.0.1:{port}",
        "QUIZAPP_WORKERS": str(workers),
        **env,
    }
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    if shipped:
        args = ["-c", str(SHIPPED_CONFIG)]
    else:  # not ./gunicorn.conf.py, which gunicorn would read by default
        args = ["-c", os.devnull, "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        args += ["--timeout", "60", "--graceful-timeout", "5"]
    process = subprocess.Popen(
        [str(GUNICORN), *args, "wsgi:app"],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=out,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90  # four workers importing the app on two busy cores
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"gunicorn did not start (exit {process.poll()})")
            time.sleep(0.2)
        yield Server(url, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()  # type: ignore[union-attr]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Reply:
    status: int
    body: str
    location: str


class Browser:
    """One person's cookies; follows no redirect by itself so each step can be checked."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | list | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=60) as response:
                return Reply(response.status, response.read().decode(), "")
        except urllib.error.HTTPError as error:
            return Reply(
                error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")
            )

    def get(self, path: str) -> Reply:
        return self.request(path)

    def post(self, path: str, data: dict | list) -> Reply:
        return self.request(path, data)

    def login(self, email: str, password: str) -> Reply:
        page = self.get("/login")
        return self.post(
            "/login", {"email": email, "password": password, "csrf_token": csrf(page.body)}
        )


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class _FormFields(HTMLParser):
    """The answer fields of a question page: radios/checkboxes, text inputs and selects."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") in ("radio", "checkbox") and a.get("name"):
            self.choices.setdefault(a["name"] or "", []).append(a.get("value") or "")
        elif tag == "input" and a.get("type") == "text" and a.get("name"):
            self.texts.append(a["name"] or "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def answer_fields(html: str, pick: int = 0) -> dict[str, str]:
    """Some answer to the question on the page (the pick-th option where there is a choice)."""
    parser = _FormFields()
    parser.feed(html)
    fields: dict[str, str] = {}
    for name, values in parser.choices.items():
        fields[name] = values[pick % len(values)]
    for name in parser.texts:
        fields[name] = "42"
    for name, values in parser.selects.items():
        if values:
            fields[name] = values[pick % len(values)]
    return fields


def seq_of(html: str) -> str:
    match = re.search(r'name="seq" value="(\d+)"', html)
    assert match, "no sequence number"
    return match.group(1)
