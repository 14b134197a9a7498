"""A burst of parallel wrong passwords against a running server, and how many were checked."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AuditEvent
from tests.conftest import make_app
from tests.system.server import Browser, csrf


def burst(base: str, email: str, password: str, tries: int) -> list[int]:
    """`tries` browsers fetch the form, then all post at the same moment."""
    gate = threading.Barrier(tries)

    def one(_: int) -> int:
        browser = Browser(base)
        token = csrf(browser.get("/login").body)
        gate.wait(timeout=60)
        return browser.post(
            "/login", {"email": email, "password": password, "csrf_token": token}
        ).status

    with ThreadPoolExecutor(tries) as pool:
        return list(pool.map(one, range(tries)))


def passwords_checked(url: str) -> int:
    """Each wrong password that reached the check left one login.failed row."""
    app = make_app(url)
    with app.app_context():
        found = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login.failed")
        )
        db.engine.dispose()
    return int(found or 0)
