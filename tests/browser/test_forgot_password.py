"""In a browser, phone and desktop: "Forgot password?" on the sign-in page, the message in the
outbox (no mail server: the admin Outbox page shows it with its link), the link, a new
password, sign in with it. Each page passes axe and has no sideways scroll on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot

NEW = "a fresh passphrase for the ward"


def test_forgot_password_by_the_outbox_link(live, page: Page) -> None:
    page.goto(live.url + "/login")
    page.click("text=Forgot password?")
    expect(page.locator("h1")).to_have_text("Forgotten your password?")
    check_page(page)
    page.fill("#email", "trainee@demo.example")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    check_page(page)

    admin = page.context.browser.new_context(viewport=page.viewport_size)  # type: ignore[union-attr]
    admin_page = admin.new_page()
    admin_page.size_name = page.size_name  # type: ignore[attr-defined]
    sign_in(admin_page, live.url, "admin@demo.example", PASSWORD)
    admin_page.goto(live.url + "/admin/outbox")
    check_page(admin_page)
    screenshot(admin_page, "admin-outbox")
    link = admin_page.locator("a.outbox-link").first.get_attribute("href") or ""
    assert re.search(r"/reset/[\w-]+$", link), link
    admin_page.goto(live.url + "/admin/jobs")
    check_page(admin_page)
    admin.close()

    page.goto(live.url + re.sub(r"^https?://[^/]+", "", link))
    check_page(page)
    page.fill("#new_password", NEW)
    page.fill("#confirm", NEW)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Sign in")
    sign_in(page, live.url, "trainee@demo.example", NEW)
    expect(page.locator("form[action$='/logout']")).to_have_count(1)

    page.goto(live.url + "/account")
    check_page(page)
    box = page.get_by_label("Send me reminders by e-mail", exact=False)
    expect(box).to_be_checked()
    box.uncheck()
    page.click("text=Save reminders")
    expect(page.locator("main")).to_contain_text("Reminders are off.")
    expect(page.get_by_label("Send me reminders by e-mail", exact=False)).not_to_be_checked()
    check_page(page)
