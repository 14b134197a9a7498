"""A timed exam's countdown on a phone and on a desktop: it shows, turns amber at 5 minutes and
red at 1 minute, and its live regions say so once each (the device clock is moved forward
with Playwright's fake clock; the server's 30-minute deadline is real and stays the
authority). Without script the deadline is still written on the page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, SIZES, screenshot

MINUTE = 60_000


def _start_the_timed_exam(page: Page, base: str, *, script: bool = True) -> None:
    if script:
        sign_in(page, base, "trainee@demo.example", PASSWORD)  # with the axe check
    else:
        page.goto(base + "/login")
        page.fill("#email", "trainee@demo.example")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
    page.get_by_role("link", name="IV competency check", exact=True).click()
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("main form.question").wait_for()


def test_the_countdown_warns_at_five_minutes_and_at_one(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    page.clock.install()
    _start_the_timed_exam(page, live.url)
    countdown = page.locator("#timer [data-countdown]")
    polite, urgent = page.locator("#timer-polite"), page.locator("#timer-urgent")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_text(re.compile(r"^Time left: (30:00|29:[0-5]\d)$"))
    expect(page.locator("#timer time")).to_have_text(re.compile(r"^\d\d:\d\d UTC$"))
    expect(polite).to_have_attribute("aria-live", "polite")
    expect(urgent).to_have_attribute("aria-live", "assertive")
    expect(polite).to_have_text("")
    check_page(page)

    page.clock.fast_forward(25 * MINUTE + 10_000)  # 4 min 50 s left
    expect(polite).to_have_text("5 minutes left. Your saved answers are kept.")
    expect(urgent).to_have_text("")
    expect(page.locator("#timer")).to_have_class("timer timer-warning")
    expect(countdown).to_have_text(re.compile(r"^Time left: 4:[45]\d$"))

    page.clock.fast_forward(4 * MINUTE)  # 50 s left
    expect(urgent).to_have_text("1 minute left. Save this answer now.")
    expect(page.locator("#timer")).to_have_class("timer timer-urgent")
    expect(countdown).to_have_text(re.compile(r"^Time left: 0:[45]\d$"))
    check_page(page)
    screenshot(page, "timed-question")

    # The next question page counts from the server's clock again (the device's was moved
    # on; the server's was not), and does not repeat the warnings already given.
    page.get_by_role("link", name="Next →").click()
    page.locator("main form.question").wait_for()
    expect(countdown).to_have_text(re.compile(r"^Time left: (30:00|29:[0-5]\d)$"))
    page.clock.fast_forward(29 * MINUTE)
    expect(countdown).to_have_text(re.compile(r"^Time left: 0:\d\d$"))
    expect(page.locator("#timer")).to_have_class("timer timer-urgent")
    expect(polite).to_have_text("")
    expect(urgent).to_have_text("")

    page.clock.fast_forward(MINUTE)
    expect(countdown).to_have_text("Time is up.")
    expect(urgent).to_have_text("Time is up. Answers saved before the end will be marked.")


def test_without_script_the_deadline_is_still_on_the_page(browser: Browser, live) -> None:  # type: ignore[no-untyped-def]
    width, height = SIZES["phone"]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        _start_the_timed_exam(page, live.url, script=False)
        expect(page.locator("#timer")).to_contain_text(re.compile(r"Time ends at \d\d:\d\d UTC\."))
        expect(page.locator("#timer [data-countdown]")).to_be_hidden()
    finally:
        context.close()
