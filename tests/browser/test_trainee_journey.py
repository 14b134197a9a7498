"""A trainee on a phone and on a desktop: practice in tutor mode (one question by keyboard
alone), an assigned exam left and resumed, results by topic, and a source section."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import fill_answer


def answer_on_screen(page: Page) -> None:
    """Give some answer to the question shown, with the mouse (not sent)."""
    fill_answer(page)


def answer_with_keyboard(page: Page) -> bool:
    """Reach the first answer field with Tab, answer it with the keyboard, submit with Enter.

    Returns False, doing nothing, on a matching question: in headless Chromium a key press on
    a select can open its native pop-up, which then swallows the keyboard and hangs the test.
    """
    if page.locator(".matching select").count():
        return False
    for _ in range(40):
        page.keyboard.press("Tab")
        tag = page.evaluate(
            "document.activeElement.tagName + ':' + (document.activeElement.type || '')"
        )
        if tag in ("INPUT:radio", "INPUT:checkbox", "INPUT:text"):
            break
    else:
        raise AssertionError("no answer field reachable with Tab")
    if tag == "INPUT:text":
        page.keyboard.type("42")
    else:
        page.keyboard.press("Space")
    for _ in range(20):
        if page.evaluate(
            "document.activeElement.matches('main form.question > button[type=submit]')"
        ):
            break
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return True


def test_trainee_journey(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    expect(page.locator("h1")).to_have_text("My training")
    check_page(page)
    screenshot(page, "trainee-home")

    # practice, tutor mode
    page.get_by_role("link", name="Start a practice quiz").click()
    check_page(page)
    page.get_by_label("Intravenous route").check()
    page.fill("#length", "5")
    page.get_by_label("Tutor: see the answer and why after each question").check()
    page.click("main button[type=submit]")
    expect(page.locator(".progress-label")).to_contain_text("Question 1 of 5")
    check_page(page)
    screenshot(page, "question")
    by_keyboard = answer_with_keyboard(page)  # a whole question by keyboard alone
    if not by_keyboard:
        answer_on_screen(page)
        page.click("main form.question > button[type=submit]")
    expect(page.locator(".feedback .verdict")).to_be_visible()
    expect(page.locator(".feedback")).to_contain_text("Why:")
    check_page(page)
    screenshot(page, "tutor-feedback")
    for position in range(2, 6):
        page.get_by_role("link", name="Next →").click()
        expect(page.locator(".progress-label")).to_contain_text(f"Question {position} of 5")
        if not by_keyboard:
            by_keyboard = answer_with_keyboard(page)
        if page.locator(".feedback .verdict").count() == 0:
            answer_on_screen(page)
            page.click("main form.question > button[type=submit]")
        expect(page.locator(".feedback .verdict")).to_be_visible()
    assert by_keyboard, "no question could be answered with the keyboard alone"
    page.get_by_role("link", name="Review and submit").click()
    check_page(page)
    page.get_by_role("button", name="End practice").click()  # tutor practice (issue 16)
    page.get_by_role("button", name="Yes, end practice").click()  # the confirm step
    expect(page.locator("h1")).to_contain_text("Result")
    expect(page.get_by_role("heading", name="By topic")).to_be_visible()
    check_page(page)
    screenshot(page, "result")

    # the assigned exam: start, answer two, close the tab, come back, resume
    page.goto(live.url + "/me")
    page.get_by_role("link", name="IV competency check", exact=True).click()
    check_page(page)
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(2):
        answer_on_screen(page)
        page.click("main form.question > button[type=submit]")
    expect(page.locator(".progress-label")).to_contain_text("Question 3 of 4")
    page.wait_for_load_state()
    context = page.context
    page.close()
    page = context.new_page()
    page.size_name = "phone" if page.viewport_size["width"] < 500 else "desktop"  # type: ignore[attr-defined,index]
    page.goto(live.url + "/me")
    expect(page.locator("body")).to_contain_text("in progress")
    page.get_by_role("link", name="IV competency check", exact=True).click()
    page.get_by_role("link", name="Resume my attempt").click()
    expect(page.locator(".progress-label")).to_contain_text("Question 3 of 4")
    expect(page.locator(".progress-label")).to_contain_text("2 answered")
    for _ in range(2):
        answer_on_screen(page)
        page.click("main form.question > button[type=submit]")
    check_page(page)
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("button", name="Yes, submit my answers").click()
    expect(page.locator("h1")).to_contain_text("IV competency check")
    expect(page.locator("table.scores")).to_contain_text("Intravenous route")
    check_page(page)

    # a source section from the result
    page.locator(".cites a").first.click()
    expect(page.get_by_role("heading", name="Key points")).to_be_visible()
    check_page(page)
    screenshot(page, "source-section")
    page.goto(live.url + "/me")
    expect(page.locator("table.scores").first).to_contain_text(re.compile(r"\d+%"))
    check_page(page)
