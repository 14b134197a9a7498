"""Tutor feedback on a phone and on a desktop: a compact verdict, the trainee's and the correct
answer once each, the per-choice reasons folded under a closed disclosure, and a full-width
"Next question" button under the verdict and at the end (on the last question "Review and
finish"); the page comes back scrolled to the verdict, and at 390 px it stays short.

The question is iv-001 ("Why does a drug given intravenously ...?") answered wrongly. At
390x844, before this layout: the page was 1,992 px tall and its rationale began 1,492 px down;
with it: about 1,460 px, the rationale at about 935 px (the choices' order moves it a line)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import (
    answer_on_screen,
    practice_holding,
    start_practice,
    total_on_screen,
)

STEM = "Why does a drug given intravenously"
WRONG = "It passes through the liver first, which activates it more rapidly"
RIGHT = "It enters the circulation directly, with no absorption step"

IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight; }"""


def _occurrences(page: Page, text: str) -> int:
    """How often `text` is on show in the feedback (innerText leaves out a closed <details>)."""
    shown = page.locator(".feedback").inner_text()
    return len(re.findall(re.escape(text), " ".join(shown.split())))


def test_tutor_feedback_is_compact_with_the_answers_once(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    _, position = practice_holding(page, live.url, ["Intravenous route"], 13, STEM)
    last = position == total_on_screen(page)  # the practice's order is random
    label, goes_to = (
        ("Review and finish", "/review") if last else ("Next question", f"/q/{position + 1}")
    )
    page.get_by_label(WRONG).check()
    page.click("main form.question > button[type=submit]")
    verdict = page.locator(".feedback .verdict")
    expect(verdict).to_have_text("Not correct.")
    assert page.url.endswith(f"/q/{position}#feedback")
    check_page(page)

    # the verdict and the way on are in view without scrolling
    top, bottom = page.locator(".feedback a.next-button").all()
    assert verdict.evaluate(IN_VIEW) and top.evaluate(IN_VIEW)
    for button in (top, bottom):
        expect(button).to_have_text(label)
        expect(button).to_have_attribute("href", re.compile(re.escape(goes_to) + "$"))
        box, feedback = button.bounding_box(), page.locator(".feedback").bounding_box()
        assert box and feedback
        assert box["height"] >= 44 and box["width"] >= feedback["width"] * 0.85

    # each answer once; the reasons for every choice folded, and there when opened
    assert _occurrences(page, RIGHT) == 1 and _occurrences(page, WRONG) == 1
    expect(page.locator(".feedback")).to_contain_text("Correct answer")
    why = page.locator(".feedback details.why-each")
    expect(why).to_have_count(1)
    assert why.evaluate("d => d.open") is False
    expect(why.locator("summary")).to_have_text("Why each choice is right or wrong")
    expect(page.locator(".feedback .rationale")).to_be_visible()
    if page.viewport_size and page.viewport_size["width"] < 500:
        rationale = page.evaluate(
            "document.querySelector('.feedback .rationale').getBoundingClientRect().top + scrollY"
        )
        height = page.evaluate("document.documentElement.scrollHeight")
        # 1,492 px to the rationale and 1,992 px in all before the layout change; the whole page
        # bound leaves room for the flag button and the End/Discard row added with it (~120 px)
        assert rationale < 1000 and height < 1650, (rationale, height)
    screenshot(page, "tutor-feedback")
    why.locator("summary").click()
    reasons = why.locator(".choice-feedback li")
    expect(reasons).to_have_count(4)
    expect(why.locator(".is-correct")).to_contain_text(RIGHT)
    expect(why.locator(".is-correct .tag-correct")).to_have_text("Correct choice")
    expect(why.locator(".is-chosen .tag-chosen")).to_have_text("Your choice")
    check_page(page)

    top.click()
    expect(page).to_have_url(re.compile(re.escape(goes_to) + "$"))


def test_the_last_question_goes_on_to_review_and_finish(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    attempt = start_practice(page, live.url, ["Intravenous route"], 5)
    page.goto(f"{attempt}/q/5")
    answer_on_screen(page)
    buttons = page.locator(".feedback a.next-button")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_text("Review and finish")
    expect(buttons.last).to_have_attribute("href", re.compile(r"/attempts/\d+/review$"))
    check_page(page)
    buttons.last.click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/review$"))


LONGEST = "Position flat or on the side, give protocol IV fluid, call the anaesthetist"
WIDTHS = """() => [...document.querySelectorAll('.matching select')].map(s => {
  const r = s.getBoundingClientRect(), f = s.closest('fieldset').getBoundingClientRect();
  return [r.left, r.right, r.width, f.width, window.innerWidth]; })"""


def test_matching_shows_the_whole_chosen_option(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    """cepi-009 holds the bank's longest matching option (75 characters): on a phone the
    select is as wide as the question and, being too narrow for that text, has it written
    out under it; on a desktop the select is wide enough and nothing is added."""
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    practice_holding(
        page, live.url, ["Complications of epidural therapy"], 10, "first nursing response"
    )
    phone = bool(page.viewport_size and page.viewport_size["width"] < 500)
    for left, right, width, room, viewport in page.evaluate(WIDTHS):
        assert left >= 0 and right <= viewport
        if phone:
            assert width >= room * 0.85, (width, room)
    first = page.locator(".matching select").first
    echo = page.locator(".matching .chosen-text").first
    expect(echo).to_be_hidden()
    first.select_option(label=LONGEST)
    if phone:
        expect(echo).to_be_visible()
        expect(echo).to_have_text(f"Chosen: {LONGEST}")
    else:
        expect(echo).to_be_hidden()
    screenshot(page, "matching")
    first.select_option(index=0)
    expect(echo).to_be_hidden()
    check_page(page)

    # checked: the locked select still shows it; the answers list each prompt once
    first.select_option(label=LONGEST)
    page.click("main form.question > button[type=submit]")
    expect(page.locator(".feedback .verdict")).to_be_visible()
    if phone:
        expect(page.locator(".matching .chosen-text").first).to_have_text(f"Chosen: {LONGEST}")
    expect(page.locator(".feedback .pair-answers li")).to_have_count(4)
    expect(page.locator(".feedback details.why-each summary")).to_have_text(
        "Why each match is right"
    )
    check_page(page)
