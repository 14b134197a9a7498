"""No word broken mid-word on any trainee page at 390 px.

How it is checked (BROKEN_WORDS in checks.py, run in the page): every <details> is opened,
then every text node that is laid out is split into words (runs of letters and digits, with an
apostrophe inside allowed), and for each word a DOM Range's getClientRects() gives one box per
line the word lies on; a word whose boxes sit on two lines (tops more than 3 px apart) is
broken. A soft hyphen or a zero-width space is not a letter, so a break placed there on purpose
is not counted. Excused: a word wider than the block it is in (a long URL or id that cannot fit on
any line, which `overflow-wrap: break-word` may break; none is on these pages today).

The pages: home, practice form, a question of every type unanswered and with its tutor
feedback, review, result, history, an assigned quiz's page, account, and a source section."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import BROKEN_WORDS, check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import answer_on_screen, find_kinds, start_practice

KINDS = {"single", "multiple", "true_false", "matching", "numeric", "short_answer"}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.size_name = "phone"  # type: ignore[attr-defined]
    yield page
    context.close()


def assert_no_broken_words(page: Page, seen: dict[str, list[str]], name: str) -> None:
    check_page(page)
    broken = page.evaluate(BROKEN_WORDS)
    if broken:
        seen[name] = broken


def test_no_trainee_page_breaks_a_word(phone: Page, live) -> None:  # type: ignore[no-untyped-def]
    page, seen = phone, {}
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    assert_no_broken_words(page, seen, "home")
    page.goto(live.url + "/practice")
    assert_no_broken_words(page, seen, "practice form")

    topics = ["Intravenous route", "Epidural route", "Infusion calculations"]
    attempt = start_practice(page, live.url, topics, 40)
    found = find_kinds(page, attempt, KINDS)
    assert set(found) == KINDS, found
    for kind, position in sorted(found.items()):
        page.goto(f"{attempt}/q/{position}")
        assert_no_broken_words(page, seen, f"{kind} question")
        answer_on_screen(page)
        expect(page.locator(".feedback .verdict")).to_be_visible()
        assert_no_broken_words(page, seen, f"{kind} question with its feedback")

    page.goto(attempt + "/review")
    assert_no_broken_words(page, seen, "review")
    page.get_by_role("button", name="End practice").click()  # a tutor practice
    assert_no_broken_words(page, seen, "confirm")
    page.get_by_role("button", name="Yes, end practice").click()
    expect(page.locator("h1")).to_contain_text("Result")
    assert_no_broken_words(page, seen, "result")
    source = page.locator(".cites a").first.get_attribute("href")

    page.goto(live.url + "/attempts")
    assert_no_broken_words(page, seen, "history")
    screenshot(page, "history")
    page.goto(live.url + "/me")
    page.get_by_role("link", name="IV competency check", exact=True).click()
    assert_no_broken_words(page, seen, "quiz page")
    page.goto(live.url + "/account")
    assert_no_broken_words(page, seen, "account")
    assert source
    page.goto(live.url + source)
    assert_no_broken_words(page, seen, "source section")
    assert seen == {}, "words broken mid-word at 390 px: " + "; ".join(
        f"{name}: {words[:5]}" for name, words in seen.items()
    )
