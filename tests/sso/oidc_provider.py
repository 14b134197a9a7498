"""The OpenID Connect provider the SSO tests talk to: panva's oidc-provider (tests/oidc),
started with Node.js on a free loopback port, stopped after.

Skipped, with the command that fixes it, where `node` or tests/oidc/node_modules is missing;
REQUIRE_OIDC=1 (set by .ci/run) turns that into a failure. `sign_in_at_provider` walks the
provider's own login form with plain HTTP, for tests that need no browser.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from quizapp.sso import oidc_discovery

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID = "quizapp-test"
CLIENT_SECRET = "a-test-client-secret-that-is-long-enough"
PASSWORD = "directory-password-2026"
FIX = "npm ci --prefix tests/oidc"


def require_node() -> str:
    """The node binary, or skip (fail under REQUIRE_OIDC=1) saying how to get it."""
    node = shutil.which("node")
    problem = ""
    if node is None:
        problem = "node is not installed (apt-get install nodejs npm), then " + FIX
    elif not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        problem = f"tests/oidc/node_modules is missing: run {FIX}"
    if problem:
        message = f"OIDC provider tests skipped: {problem}"
        if os.environ.get("REQUIRE_OIDC"):
            pytest.fail(message + " (REQUIRE_OIDC=1 makes that an error)", pytrace=False)
        pytest.skip(message)
    assert node is not None
    return node


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TestProvider:
    """A running provider: its issuer, and the files it reads at each sign-in / token."""

    issuer: str
    accounts_path: Path
    control_path: Path
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)

    __test__ = False  # not a test class

    def add_account(self, login: str, **claims: Any) -> None:
        """A directory user (password PASSWORD unless given); call again to change groups."""
        account = {"password": PASSWORD, "email_verified": True, "name": login.title()}
        account.update(self.accounts.get(login, {}))
        account.update(claims)
        self.accounts[login] = account
        self.accounts_path.write_text(json.dumps(self.accounts))

    def tamper(self, mode: str | None, **claims: Any) -> None:
        """Make the token endpoint hand out a changed ID token (see provider.mjs), or stop."""
        self.control_path.write_text(json.dumps({"id_token": mode, "claims": claims}))

    def app_config(self, **more: Any) -> dict[str, Any]:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "Hospital ID",
            **more,
        }


@contextmanager
def running_provider(folder: Path, redirect_uris: list[str]) -> Iterator[TestProvider]:
    node = require_node()
    port = free_port()
    provider = TestProvider(
        issuer=f"http://127.0.0.1:{port}",
        accounts_path=folder / "oidc-accounts.json",
        control_path=folder / "oidc-control.json",
    )
    provider.accounts_path.write_text("{}")
    env = {
        **os.environ,
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_TEST_ACCOUNTS": str(provider.accounts_path),
        "OIDC_TEST_CONTROL": str(provider.control_path),
    }
    log = (folder / "oidc-provider.log").open("w+")
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "provider.mjs")], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_for_discovery(provider.issuer, process, log)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        oidc_discovery.forget(provider.issuer)


def _wait_for_discovery(issuer: str, process: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the OIDC test provider exited:\n{log.read()[-2000:]}")
        try:
            answer = requests.get(issuer + "/.well-known/openid-configuration", timeout=1)
            if answer.ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("the OIDC test provider did not answer discovery within 20 s")


def sign_in_at_provider(
    authorize_url: str, login: str, password: str = PASSWORD, *, cancel: bool = False
) -> str:
    """Follow the provider from its authorization URL through its login form (or its cancel
    link) to the redirect back to the app; the URL the browser would be sent to."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(12):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):
            url = urljoin(url, answer.headers["Location"])
            if not url.startswith(authorize_url.split("/auth", 1)[0]):
                return url  # back to the app
            continue
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        assert 'name="password"' in answer.text, answer.text[:500]
        if cancel:
            url = url.rstrip("/") + "/abort"
            continue
        answer = browser.post(
            url.rstrip("/") + "/login",
            data={"login": login, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code in (302, 303), answer.text[:500]
        url = urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back to the app")
