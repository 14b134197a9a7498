"""A whole unfolding case study in the browser, at both sizes, axe-clean on every page: start
it from the practice page, switch exhibit tabs with the arrow keys, answer the first item with
the keyboard only, see the newer exhibits of item 6, and the result per clinical-judgment step."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import answer_on_screen

CASE_TITLE = "A peripheral IV across a day shift - a vesicant leaves the vein"
FIRST_TABS = [
    "History and Physical",
    "Medication Administration Record",
    "Orders",
    "Vital Signs",
    "Nurses' Notes",
]


def _selected(page: Page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').inner_text().strip()


def _switch_tabs_with_the_keyboard(page: Page) -> None:
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(5)
    assert [t.strip() for t in tabs.all_inner_texts()] == FIRST_TABS
    assert _selected(page) == "History and Physical"
    expect(page.locator("#exhibit-mar")).to_be_hidden()
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert _selected(page) == "Medication Administration Record"
    expect(page.locator("#exhibit-mar")).to_be_visible()
    expect(page.locator("#exhibit-hp")).to_be_hidden()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    page.keyboard.press("End")
    assert _selected(page) == "Nurses' Notes"
    expect(page.locator("#exhibit-notes-1")).to_contain_text("starting to burn")
    page.keyboard.press("ArrowRight")  # wraps to the first
    assert _selected(page) == "History and Physical"
    page.keyboard.press("ArrowLeft")
    assert _selected(page) == "Nurses' Notes"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _selected(page) == "Vital Signs"
    table = page.locator("#exhibit-vitals-1 table")
    expect(table.locator('th[scope="col"]').first).to_have_text("Time")
    expect(table.locator('th[scope="row"]').first).to_have_text("0800")


def _answer_first_item_by_keyboard(page: Page) -> None:
    """Items 1's right answers are its choices a, b and c: ticked with Space, sent with Enter."""
    for value in ("a", "b", "c"):
        page.locator(f'main form.question input[value="{value}"]').focus()
        page.keyboard.press("Space")
    for value in ("a", "b", "c"):
        expect(page.locator(f'main form.question input[value="{value}"]')).to_be_checked()
    page.locator("main form.question > button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".feedback .verdict")).to_be_visible()


def test_a_whole_case_study_in_tutor_mode(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    page.goto(live.url + "/practice")
    expect(page.get_by_role("heading", name="Case studies")).to_be_visible()
    check_page(page)
    start = re.compile(r"Start this case\s*:\s*" + re.escape(CASE_TITLE))
    page.get_by_role("button", name=start).click()
    expect(page.locator(".case-step")).to_have_text("Item 1 of 6 — Recognize cues")
    expect(page.locator("h1")).to_have_text(CASE_TITLE)
    check_page(page)
    _switch_tabs_with_the_keyboard(page)
    check_page(page)
    screenshot(page, "case-exhibit-tabs")
    page.get_by_role("tab", name="History and Physical").click()
    _answer_first_item_by_keyboard(page)
    expect(page.locator(".feedback .verdict")).to_have_text("Correct.")
    check_page(page)
    steps = ["Analyze cues", "Prioritize hypotheses", "Generate solutions", "Take action"]
    for position, step in enumerate([*steps, "Evaluate outcomes"], start=2):
        page.locator(".next-button").first.click()
        expect(page.locator(".case-step")).to_have_text(f"Item {position} of 6 — {step}")
        if position == 6:
            expect(page.locator(".case-new")).to_have_text(
                "New information in: Vital Signs, Nurses' Notes."
            )
            page.get_by_role("tab", name="Nurses' Notes").click()
            expect(page.locator("#exhibit-notes-6")).to_contain_text("3 cm by 3 cm")
            check_page(page)
            screenshot(page, "case-exhibit-tabs-updated")
        answer_on_screen(page)
        expect(page.locator(".feedback .verdict")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="End practice").first.click()
    if "confirm" in page.url or page.locator("text=End practice now?").count():
        check_page(page)
        page.get_by_role("button", name="End practice").last.click()
    expect(page.locator("h1")).to_contain_text("Result")
    table = page.locator("table.steps")
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table.locator("tbody tr").first).to_contain_text("Recognize cues")
    expect(table.locator("tbody tr").first).to_contain_text("1 of 1 (100%)")
    expect(table.locator("tbody tr").last).to_contain_text("Evaluate outcomes")
    check_page(page)
    screenshot(page, "case-result-per-step")
    page.goto(live.url + "/me")
    expect(page.get_by_role("heading", name="My scores by clinical-judgment step")).to_be_visible()
    check_page(page)
