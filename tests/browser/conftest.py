"""Browser tests: the app served on 127.0.0.1 by a fixture, driven by Playwright in Debian's
Chromium (no browser download). Skipped, and said so, where /usr/bin/chromium is missing;
with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails the run."""

from __future__ import annotations

import os
import random
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from quizapp.extensions import db
from quizapp.models import AttemptItem, Topic, Unit, UnitMembership, User, utcnow
from tests.conftest import PROJECT_ROOT, make_app
from tests.integration.quiz_helpers import fields_for

CHROMIUM = Path("/usr/bin/chromium")
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
PASSWORD = "demo-password-2026"

if not CHROMIUM.exists():
    message = f"browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(message + "; REQUIRE_BROWSER=1 makes that an error")
    pytest.skip(message, allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


def pytest_report_header() -> str:
    return f"browser tests: Chromium at {CHROMIUM}"


def _seed(app) -> None:  # type: ignore[no-untyped-def]
    """Demo accounts, a second unit, trainees with history, and an assigned timed exam."""
    from quizapp.services import attempt_builder, attempts
    from quizapp.services.demo import create_demo_accounts
    from quizapp.services.quizzes import assign_quiz, create_quiz

    runner = app.test_cli_runner()
    assert runner.invoke(args=["bank", "load"]).exit_code == 0
    with app.app_context():
        create_demo_accounts()
        ward = db.session.scalar(select(Unit).where(Unit.name == "Demo Ward 4B"))
        second = Unit(name="Demo Ward 5A")
        db.session.add(second)
        manager = db.session.scalar(select(User).where(User.email == "manager@demo.example"))
        db.session.add(UnitMembership(unit=second, user=manager, is_manager=True))
        db.session.commit()
        quiz = create_quiz(
            "IV competency check",
            {"per_topic": {"routes/intravenous": 4}},
            mode="exam",
            time_limit_minutes=30,
            pass_mark=75,
            is_competency=True,
            validity_months=12,
        )
        assign_quiz(quiz.id, ward.id, due_at=utcnow() + timedelta(days=14))
        topics = db.session.scalars(
            select(Topic.id).where(
                Topic.key.in_(
                    ["routes/intravenous", "complications/intravenous", "routes/epidural"]
                )
            )
        ).all()
        rng = random.Random(4)
        from tests.factories import _DEFAULT_HASH

        for n, name in enumerate(["Amira Okafor", "Ben Walsh", "Chen Li"]):
            user = User(
                email=f"nurse{n}@demo.example",
                name=name,
                role="trainee",
                password_hash=_DEFAULT_HASH,
            )
            db.session.add(user)
            db.session.add(UnitMembership(unit=ward, user=user))
            db.session.commit()
            for _ in range(3):
                attempt = attempt_builder.start_practice(user, list(topics), 10, "exam", rng=rng)
                items = db.session.scalars(
                    select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                ).all()
                for item in items:
                    fields = fields_for(
                        item.version.type, item.version.data, rng.random() < 0.6 + 0.15 * n
                    )
                    fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
                    seq = db.session.get(type(attempt), attempt.id).seq
                    attempts.save_answer(user, attempt.id, item.position, seq, fields)
                attempts.submit(user, attempt.id, None)


@dataclass
class Live:
    url: str


@contextmanager
def served(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve `app` on a free loopback port in a thread; its base URL. Stops it after."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def live(tmp_path) -> Iterator[Live]:
    app = make_app(
        f"sqlite:///{tmp_path / 'browser.db'}",
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        ENV_NAME="development",
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    _seed(app)
    with served(app) as url:
        yield Live(url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=list(SIZES))
def size(request) -> str:  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture
def page(browser: Browser, size: str) -> Iterator[Page]:
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.size_name = size  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot; into docs/screenshots when SAVE_SCREENSHOTS=1 (to commit them)."""
    folder = (
        SCREENSHOTS
        if os.environ.get("SAVE_SCREENSHOTS")
        else Path(os.environ.get("TMPDIR", "/tmp")) / "quizapp-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{page.size_name}.png"), full_page=True)  # type: ignore[attr-defined]


__all__ = ["PASSWORD", "SIZES", "screenshot", "shutil"]
