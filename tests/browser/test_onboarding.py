"""An admin imports a roster that invites its new users, copies one user's link (and downloads
them all); that user opens the link in a fresh browser, sets a password, signs in and lands on
the trainee home; the same link a second time is refused. Both sizes, every page checked.

The app is served with QUIZAPP_BASE_URL set to where the test server listens, as an operator
would set it to the public address: the links name it, whatever the request said."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from quizapp.extensions import db
from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, SIZES, Live, screenshot
from tests.browser.test_word_breaks import BROKEN_WORDS
from tests.conftest import PROJECT_ROOT, make_app

ROSTER = (
    "email,name,role,unit\n"
    "amara.obi@demo.example,Amara Obi,trainee,Demo Ward 4B\n"
    "tomasz.nowak@demo.example,Tomasz Nowak,trainee,Demo Ward 4B\n"
)
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def onboarding_live(tmp_path) -> Iterator[Live]:  # type: ignore[no-untyped-def]
    from quizapp.services.demo import create_demo_accounts

    app = make_app(
        f"sqlite:///{tmp_path / 'browser.db'}",
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        ENV_NAME="development",
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        create_demo_accounts()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["QUIZAPP_BASE_URL"] = url  # the operator's setting, known once the port is
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(url)
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def _no_broken_words(page: Page) -> None:
    assert page.evaluate(BROKEN_WORDS) == [], page.url


def _import_with_invitations(page: Page, base: str) -> str:
    """The admin's part; returns the link copied for Amara Obi."""
    sign_in(page, base, "admin@demo.example", PASSWORD)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Import a roster", exact=True).click()
    expect(page.locator("h1")).to_have_text("Import a roster")
    check_page(page)
    _no_broken_words(page)
    page.set_input_files(
        "#file", {"name": "march.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}
    )
    page.uncheck("#dry_run")
    page.check("#invite")
    page.get_by_role("button", name="Import roster").click()
    expect(page.locator("main")).to_contain_text("Invitations (2)")
    check_page(page)
    _no_broken_words(page)
    screenshot(page, "roster-invitations")

    box = page.get_by_label("Link for Amara Obi (amara.obi@demo.example)")
    link = box.input_value()
    assert link.startswith(base + "/reset/"), link
    page.get_by_role("button", name="Copy the link for amara.obi@demo.example").click()
    expect(page.locator(".copy-status")).to_have_text("Copied the link for amara.obi@demo.example.")
    assert page.evaluate("navigator.clipboard.readText()") == link

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the links (CSV)").click()
    rows = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0] == "email,name,link,expires"
    assert rows[1].startswith(f"amara.obi@demo.example,Amara Obi,{link},")
    assert rows[2].startswith("tomasz.nowak@demo.example,Tomasz Nowak,")
    return link


def test_an_invited_roster_user_sets_a_password_and_signs_in(
    page: Page, browser: Browser, size: str, onboarding_live: Live
) -> None:
    base = onboarding_live.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    link = _import_with_invitations(page, base)

    width, height = SIZES[size]
    fresh = browser.new_context(viewport={"width": width, "height": height})
    fresh.set_default_timeout(15000)
    newcomer = fresh.new_page()
    newcomer.size_name = size  # type: ignore[attr-defined]
    newcomer.goto(link)
    expect(newcomer.locator("h1")).to_have_text("Welcome, set your password")
    expect(newcomer.locator("main")).to_contain_text("Welcome, Amara Obi.")
    check_page(newcomer)
    screenshot(newcomer, "invitation-welcome")
    newcomer.fill("#new_password", NEW_PASSWORD)
    newcomer.fill("#confirm", NEW_PASSWORD)
    newcomer.locator("main button[type=submit]").click()
    expect(newcomer.locator("main")).to_contain_text("Your password is set")
    check_page(newcomer)
    sign_in(newcomer, base, "amara.obi@demo.example", NEW_PASSWORD)
    expect(newcomer.locator("h1")).to_have_text("My training")
    check_page(newcomer)
    fresh.close()

    again = browser.new_context(viewport={"width": width, "height": height})
    second = again.new_page()
    response = second.goto(link)
    assert response is not None and response.status == 400
    expect(second.locator("h1")).to_have_text("This link cannot be used")
    expect(second.locator("main")).to_contain_text("This invitation has already been used")
    check_page(second)
    again.close()
