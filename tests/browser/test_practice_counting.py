"""Issue 16 in the browser, at both sizes: a tutor practice counts on /me after each checked
answer, before it is ended; "End practice" ends it and the count stays; a second practice is
discarded after a confirm page and is gone from "in progress"."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.test_trainee_journey import answer_on_screen

TOPIC = "Intravenous route"
LENGTH = 3  # practice may be as short as MIN_LENGTH (1)


def _answers_on_home(page: Page, base: str) -> int:
    page.goto(base + "/me")
    row = page.locator("table.scores tr", has=page.get_by_role("link", name=TOPIC, exact=True))
    text = row.locator(".sub").inner_text()
    match = re.match(r"(\d+) answers", text)
    assert match, text
    return int(match.group(1))


def _start_practice(page: Page, base: str, mode_label: str) -> str:
    page.goto(base + "/practice")
    page.get_by_label(TOPIC, exact=True).check()
    page.fill("#length", str(LENGTH))
    page.get_by_label(mode_label).check()
    page.click("main button[type=submit]")
    expect(page.locator(".progress-label")).to_contain_text(f"Question 1 of {LENGTH}")
    match = re.search(r"/attempts/(\d+)/q/1", page.url)
    assert match, page.url
    return match.group(1)


def test_tutor_practice_counts_as_you_go_then_ends_and_another_is_discarded(
    page: Page, live
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    before = _answers_on_home(page, live.url)
    check_page(page)
    attempt = _start_practice(page, live.url, "Tutor: see the answer and why after each question")
    check_page(page)
    for n in range(1, 4):
        page.goto(f"{live.url}/attempts/{attempt}/q/{n}")
        answer_on_screen(page)
        page.click("main form.question > button[type=submit]")
        expect(page.locator(".feedback .verdict")).to_be_visible()
        expect(page.get_by_role("button", name="End practice")).to_be_visible()
        check_page(page)
        if n == 3:
            screenshot(page, "tutor-practice-end-or-discard")
        assert _answers_on_home(page, live.url) == before + n
        check_page(page)
    screenshot(page, "home-counted-as-you-go")
    page.goto(f"{live.url}/attempts/{attempt}/q/3")
    page.get_by_role("button", name="End practice").click()
    expect(page.locator("h1")).to_contain_text("Result")
    check_page(page)
    assert _answers_on_home(page, live.url) == before + 3  # ending counted nothing again

    second = _start_practice(page, live.url, "Exam: all feedback at the end")
    answer_on_screen(page)
    page.click("main form.question > button[type=submit]")
    expect(page.locator(".progress-label")).to_contain_text("1 answered")
    page.get_by_role("link", name="Discard this practice").click()
    expect(page.locator("h1")).to_have_text("Discard this practice?")
    expect(page.locator("main")).to_contain_text("will not count in your scores by topic")
    check_page(page)
    screenshot(page, "discard-confirm")
    page.get_by_role("button", name="Discard this practice").click()
    expect(page.locator("h1")).to_have_text("My training")
    expect(page.locator("main")).to_contain_text("The practice was discarded.")
    check_page(page)
    assert page.locator(f'a[href$="/attempts/{second}"]').count() == 0
    assert page.locator(f'a[href$="/attempts/{attempt}"]').count() == 1  # the ended one stays
    page.goto(live.url + "/attempts")
    assert page.locator(f'a[href$="/attempts/{second}"]').count() == 0
    check_page(page)
    assert _answers_on_home(page, live.url) == before + 3
