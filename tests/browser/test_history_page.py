"""A trainee's history on a phone and on a desktop: each attempt names its quiz or its practice
topics, the mode in words, the start in local time, status and score; the whole card is its
one link (a click anywhere on it, or Enter on the link, opens the attempt)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import answer_on_screen, start_practice

EXAM = "Exam: all feedback at the end"


def _click_middle_of(page: Page, target: Locator) -> None:
    box = target.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_history_cards_name_the_attempt_and_open_it(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    tutor = start_practice(page, live.url, ["Intravenous route", "Epidural route"], 5)
    answer_on_screen(page)
    exam = start_practice(page, live.url, ["Infusion calculations"], 5, mode=EXAM)
    page.goto(exam + "/review")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("button", name="Yes, submit my answers").click()  # the confirm step
    expect(page.locator("h1")).to_contain_text("Result")

    page.goto(live.url + "/attempts")
    rows = page.locator(".attempt-row")
    expect(rows).to_have_count(2)
    done, open_ = rows.nth(0), rows.nth(1)
    expect(done.locator("a")).to_have_text("#2 Practice: Infusion calculations")
    expect(done).to_contain_text("Exam mode")
    expect(done).to_contain_text("Submitted")
    expect(done).to_contain_text("Score 0%")
    expect(open_.locator("a")).to_have_text("#1 Practice: Intravenous route, Epidural route")
    expect(open_).to_contain_text("Tutor mode")
    expect(open_).to_contain_text("In progress")
    expect(open_.locator("time")).to_have_text(re.compile(r"^\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$"))
    for row in (done, open_):
        expect(row.locator("a")).to_have_count(1)
    check_page(page)
    screenshot(page, "history")

    # a click on the score or the status, away from the link's text, opens the attempt (the
    # mouse, not Locator.click: that one refuses a spot the link's cover lies over)
    _click_middle_of(page, done.locator(".attempt-score"))
    expect(page).to_have_url(re.compile(r"/attempts/\d+/result$"))
    page.go_back()
    _click_middle_of(page, open_.locator(".status"))
    expect(page).to_have_url(tutor + "/q/2")

    # and by keyboard: the link is reached with Tab and opened with Enter
    page.goto(live.url + "/attempts")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('attempt-link')"):
            break
    else:
        raise AssertionError("no attempt link reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+/result$"))
