"""Issue 17, questions, in Chromium at both sizes (axe on every page): the question page shows
the key; two versions compared in plain words; an empty form shows every error at once; a
search finds a rationale word; flagged questions are confirmed in bulk from the review queue;
the question list breaks no word mid-word."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.test_word_breaks import BROKEN_WORDS


def _author(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)


def _open_question(page: Page, live, words: str) -> str:  # type: ignore[no-untyped-def]
    """Search the list for `words`, open the first hit; its URL."""
    page.goto(live.url + "/author/questions")
    page.fill("#q", words)
    page.get_by_role("button", name="Filter").click()
    page.locator("table.question-table tbody th a").first.click()
    page.wait_for_load_state()
    return page.url


def test_the_question_page_shows_the_key(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    _open_question(page, live, "iv-001")
    expect(page.get_by_role("heading", name="As a trainee sees it")).to_be_visible()
    expect(page.locator("fieldset.question input[type=radio]").first).to_be_disabled()
    key = page.locator("section.answer-key")
    expect(key.get_by_role("heading", name="Answer key")).to_be_visible()
    expect(key.locator("dt", has_text="Correct answer")).to_be_visible()
    expect(key.locator("dd.key-value").first).to_have_text(re.compile(r"^[A-E]$"))
    expect(key.get_by_role("heading", name="Rationale")).to_be_visible()
    expect(key.locator("a[href^='/sources/']").first).to_be_visible()
    check_page(page)
    screenshot(page, "author-question-key")


def test_a_plain_language_diff(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    url = _open_question(page, live, "iv-001")
    page.get_by_role("link", name="Edit", exact=True).click()
    stem = page.locator("#stem")
    stem.fill(stem.input_value() + " Choose the best answer.")
    page.fill("#note", "Clearer stem")
    page.click("#save")
    expect(page.locator(".flash")).to_contain_text("Saved as a new version.")
    page.goto(url + "/history")
    changes = page.locator(".version-changes")
    expect(changes).to_contain_text("Question: text changed from")
    expect(changes.locator("ins")).to_contain_text("Choose the best answer.")
    expect(page.locator("main")).not_to_contain_text('"id"')
    check_page(page)
    screenshot(page, "author-history-diff")


def test_an_empty_form_shows_every_error(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    page.goto(live.url + "/author/questions/new")
    check_page(page)
    page.click("#save")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li").nth(1)).to_be_visible()  # more than one problem, at once
    expect(summary).to_contain_text("Write the question.")
    expect(page.locator("#stem-error")).to_have_text("Write the question.")
    expect(page.locator(".type-single .error[role=alert]")).to_be_visible()  # beside the choices
    check_page(page)
    screenshot(page, "author-question-errors")


def test_search_finds_a_rationale_word(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    # "aortocaval" is in one rationale of the demo bank and in no stem
    page.goto(live.url + "/author/questions?q=aortocaval")
    hits = page.locator("table.question-table tbody th a")
    expect(hits.first).to_be_visible()
    first = hits.first.get_attribute("href")
    page.goto(live.url + first)
    expect(page.locator("section.answer-key .rationale")).to_contain_text("aortocaval")
    expect(page.locator("#q-stem")).not_to_contain_text("aortocaval")
    check_page(page)


def test_bulk_confirm_from_the_review_queue(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    page.goto(live.url + "/author/sources")
    anchor = page.locator("main a", has_text=re.compile(r"^types/intravenous$")).first
    section_id = (anchor.get_attribute("href") or "").rsplit("#s-", 1)[1]
    page.goto(f"{live.url}/author/sections/{section_id}/edit")
    page.fill("#key_points", page.locator("#key_points").input_value() + "\nA new key point.")
    page.click("#save")
    page.goto(live.url + "/author/questions/review")
    items = page.locator("section.review-item")
    expect(items.first).to_be_visible()
    expect(items.first.locator(".side-by-side")).to_contain_text("A new key point.")
    expect(items.first.locator("ins").first).to_contain_text("A new key point.")
    check_page(page)
    screenshot(page, "author-review-queue")
    for box in page.locator("input[name=ids][form=bulk-review]").all():
        box.check()
    page.get_by_role("button", name="Confirm the ticked questions still correct").click()
    expect(page.locator(".flash")).to_contain_text("confirmed as still correct")
    expect(page.locator("main")).to_contain_text("No question is waiting for review.")
    check_page(page)


def test_the_question_list_breaks_no_word(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    _author(page, live)
    page.goto(live.url + "/author/questions")
    check_page(page)
    assert page.evaluate(BROKEN_WORDS) == []
    page.goto(live.url + "/author/questions?status=published&sort=changed_asc&page=2")
    check_page(page)
    assert page.evaluate(BROKEN_WORDS) == []
