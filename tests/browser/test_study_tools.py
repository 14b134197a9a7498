"""Study tools on a phone and on a desktop: flag a question and find it on the review page;
strike out choices by keyboard (they stay struck after a reload, and without JavaScript the
strike keeps the chosen answer); the calculator by keyboard, its value put in the answer; the
confirm step before submitting; "practise the ones I got wrong" asks exactly those questions."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, SIZES, screenshot
from tests.browser.test_trainee_journey import answer_on_screen
from tests.integration.quiz_helpers import fields_for

ANSWER_BUTTON = "main form.question > button[type=submit]"
STEM_TEXT = """() => {
  const stem = document.querySelector('#q-stem').cloneNode(true);
  stem.querySelectorAll('.q-number, .hint').forEach((e) => e.remove());
  return stem.textContent.replace(/\\s+/g, ' ').trim();
}"""


def _start(page: Page, base: str, topic: str, length: int, mode: str) -> None:
    page.goto(base + "/practice")
    page.get_by_label(topic).check()
    page.fill("#length", str(length))
    label = "Tutor: see" if mode == "tutor" else "Exam: all feedback"
    page.get_by_label(re.compile(label)).check()
    page.click("main button[type=submit]")
    page.locator("main form.question").wait_for()


def _to_a_single_choice(page: Page) -> None:
    """Move on until the question shown is a single-answer one with strike-out toggles."""
    for _ in range(10):
        page.locator("main form.question").wait_for()
        if page.locator(".strike-toggle").count() and page.locator(".choices [type=radio]").count():
            return
        page.get_by_role("link", name="Next →").click()
    raise AssertionError("no single-answer question in the practice")


def _tab_to(page: Page, name: str) -> None:
    """Press Tab until the focused element's accessible name is `name`."""
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(document.activeElement.innerText || '') + '|' + "
            "(document.activeElement.getAttribute('aria-label') || '')"
        )
        text, label = focused.split("|", 1)
        if (label or " ".join(text.split())) == name:
            return
    raise AssertionError(f"{name!r} not reached with Tab")


def test_flag_and_strike_out_by_keyboard(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    _start(page, live.url, "Intravenous route", 10, "exam")
    _to_a_single_choice(page)
    position = int(re.search(r"/q/(\d+)$", page.url).group(1))
    check_page(page)

    flag = page.get_by_role("button", name="Flag for review")
    expect(flag).to_have_attribute("aria-pressed", "false")
    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-flag-note]")).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('flag-toggle')")

    # strike out choices A (Enter) and C (Space) with the keyboard alone
    page.locator(".choices [type=radio]").first.focus()
    _tab_to(page, "Strike out choice A")
    page.keyboard.press("Enter")
    strike_a = page.get_by_role("button", name="Strike out choice A")
    expect(strike_a).to_have_attribute("aria-pressed", "true")
    _tab_to(page, "Strike out choice C")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Strike out choice C")).to_have_attribute(
        "aria-pressed", "true"
    )
    rows = page.locator(".choices li")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bstruck\b"))
    expect(rows.nth(0)).to_contain_text("(struck out)")
    expect(rows.nth(1)).not_to_have_class(re.compile(r"\bstruck\b"))
    assert page.url.endswith(f"/q/{position}")  # toggled in place: no page load
    check_page(page)
    screenshot(page, "study-strike-out")

    page.reload()
    expect(page.get_by_role("button", name="Strike out choice A")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name="Strike out choice C")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".choices li.struck")).to_have_count(2)
    expect(page.get_by_role("button", name="Flag for review")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".flagged-nav")).to_contain_text(str(position))

    # undo one strike, again by keyboard
    page.get_by_role("button", name="Strike out choice C").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".choices li.struck")).to_have_count(1)

    # Enter on a choice sends the answer (it does not press the first strike-out toggle)
    page.locator(".choices [type=radio]").nth(1).focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/q/{position + 1}$|/review$", page.url), page.url
    page.goto(re.search(r"^.*/attempts/\d+", page.url).group(0) + "/review")
    text = " ".join(page.locator("main").inner_text().split())
    assert f"Question {position}: ✓ answered · ⚑ flagged" in text, text
    assert "1 flagged for review" in text
    check_page(page)


def test_without_javascript_a_strike_keeps_the_chosen_answer(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    width, height = SIZES[page.size_name]  # type: ignore[attr-defined]
    context = page.context.browser.new_context(  # type: ignore[union-attr]
        java_script_enabled=False, viewport={"width": width, "height": height}
    )
    plain = context.new_page()
    plain.size_name = page.size_name  # type: ignore[attr-defined]
    try:
        plain.goto(live.url + "/login")
        plain.fill("#email", "trainee@demo.example")
        plain.fill("#password", PASSWORD)
        plain.click("main button[type=submit]")
        _start(plain, live.url, "Intravenous route", 10, "exam")
        _to_a_single_choice(plain)
        expect(plain.locator("[data-calculator]")).to_have_count(0)  # not a calculation
        plain.locator(".choices [type=radio]").nth(1).check()
        plain.get_by_role("button", name="Strike out choice C").click()
        expect(plain.get_by_role("button", name="Strike out choice C")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(plain.locator(".choices [type=radio]").nth(1)).to_be_checked()  # kept
        plain.get_by_role("button", name="Flag for review").click()
        expect(plain.get_by_role("button", name="Flag for review")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(plain.locator(".choices [type=radio]").nth(1)).to_be_checked()
        # (no check_page here: axe runs as a script, and this page has scripts switched off;
        # the same page with scripts is checked in the test above)
        plain.click(ANSWER_BUTTON)  # the answer form still carries a good seq
        expect(plain.locator(".progress-label")).to_contain_text("1 answered")
    finally:
        context.close()


def test_the_calculator_by_keyboard_fills_the_answer(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    calculator = page.locator("[data-calculator]")
    for _ in range(15):  # the topic also holds NGN items, which have no calculator
        _start(page, live.url, "Infusion calculations", 1, "tutor")
        if page.locator("main form.question").get_attribute("data-type") == "numeric":
            break
    expect(calculator).to_be_visible()
    display = page.locator("[data-calc-display]")
    expect(display).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Calculation")).to_have_text("0")
    check_page(page)

    _tab_to(page, "7")  # the first key
    page.keyboard.press("Enter")  # a key pressed with Enter...
    _tab_to(page, "Clear")
    page.keyboard.press("Space")  # ...and one with Space
    expect(display).to_have_text("0")
    page.keyboard.type("4+12*3")  # typing while the calculator has focus; times before plus
    expect(display).to_have_text("4 + 12 \N{MULTIPLICATION SIGN} 3")
    page.keyboard.press("=")
    expect(display).to_have_text("= 40")
    page.keyboard.type("/0=")
    expect(display).to_have_text("Cannot divide by zero")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("*2.5=")
    expect(display).to_have_text("= 100")
    screenshot(page, "study-calculator")
    _tab_to(page, "Use this value")
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_have_value("100")
    assert page.evaluate("document.activeElement.id") == "answer"
    check_page(page)
    page.keyboard.press("Enter")  # Enter in the answer field sends the answer
    expect(page.locator(".feedback .verdict")).to_be_visible()


def test_review_shows_what_is_left_and_submit_asks_first(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    _start(page, live.url, "Intravenous route", 3, "exam")
    answer_on_screen(page)
    page.click(ANSWER_BUTTON)
    expect(page.locator(".progress-label")).to_contain_text("Question 2 of 3")
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_role("button", name="Flag for review")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("link", name="Review and submit").click()
    text = " ".join(page.locator("main").inner_text().split())
    for words in (
        "1 of 3 questions answered",
        "2 not answered",
        "1 flagged for review",
        "Question 1: ✓ answered",
        "Question 2: ○ not answered · ⚑ flagged",
        "Question 3: ○ not answered",
    ):
        assert words in text, (words, text)
    check_page(page)
    screenshot(page, "study-review")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("h1")).to_have_text("Submit now?")
    expect(page.locator("main")).to_contain_text("You have 2 unanswered and 1 flagged questions.")
    check_page(page)
    page.get_by_role("link", name="No, back to the review").click()
    expect(page.locator("h1")).to_have_text("Review and submit")
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("button", name="Yes, submit my answers").click()
    expect(page.locator("h1")).to_contain_text("Result")


def _result_items(page: Page) -> list[tuple[str, bool]]:
    """(stem, fully right) of each question on the result page."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main .stem')].map((stem) => {
          const card = stem.closest('section');
          const copy = stem.cloneNode(true);
          copy.querySelectorAll('.q-number').forEach((e) => e.remove());
          const verdict = card.querySelector('.verdict').textContent;
          const right = /\\bcorrect\\b/i.test(verdict) && !/not|partly/i.test(verdict);
          return [copy.textContent.replace(/\\s+/g, ' ').trim(), right];
        })"""
    )


def _answer_from_the_database(page: Page, db_file: Path, correct: bool) -> None:
    """Answer the question shown rightly or wrongly, the answer read from the live app's
    database (a page in exam mode does not say which choice is right)."""
    attempt_id, position = map(int, re.search(r"/attempts/(\d+)/q/(\d+)", page.url).groups())
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        version_type, data = conn.execute(
            "SELECT v.type, v.data FROM attempt_items i JOIN question_versions v"
            " ON v.id = i.version_id WHERE i.attempt_id = ? AND i.position = ?",
            (attempt_id, position),
        ).fetchone()
    for name, value in fields_for(version_type, json.loads(data), correct).items():
        for one in value if isinstance(value, list) else [value]:
            field = page.locator(f'main [name="{name}"]')
            kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind in ("INPUT:radio", "INPUT:checkbox"):
                page.locator(f'main [name="{name}"][value="{one}"]').check()
            elif kind.startswith("SELECT"):
                field.select_option(str(one))
            else:
                field.fill(str(one))
    page.click(ANSWER_BUTTON)


def test_practise_the_ones_i_got_wrong(page: Page, live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    _start(page, live.url, "Intravenous route", 6, "exam")
    for position in range(1, 7):
        page.locator("main form.question").wait_for()
        _answer_from_the_database(page, tmp_path / "browser.db", correct=position in (1, 4))
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("button", name="Yes, submit my answers").click()
    expect(page.locator("h1")).to_contain_text("Result")
    items = _result_items(page)
    wrong = [stem for stem, right in items if not right]
    assert [right for _, right in items] == [True, False, False, True, False, False], items
    retry = page.get_by_role("button", name="Practise the ones I got wrong (4)")
    check_page(page)
    retry.click()
    expect(page.locator(".progress-label")).to_contain_text(f"Question 1 of {len(wrong)}")
    expect(page.locator("main")).to_contain_text(f"has the {len(wrong)} question")
    check_page(page)
    asked = []
    for position in range(1, len(wrong) + 1):
        expect(page.locator(".progress-label")).to_contain_text(f"Question {position} of")
        asked.append(page.evaluate(STEM_TEXT))
        if position < len(wrong):
            page.get_by_role("link", name="Next →").click()
    assert asked == wrong
    # tutor mode: checking an answer shows its feedback at once
    answer_on_screen(page)
    page.click(ANSWER_BUTTON)
    expect(page.locator(".feedback .verdict")).to_be_visible()

    # and from the topic on the home page: the questions whose latest answer was wrong
    page.goto(live.url + "/me")
    check_page(page)
    screenshot(page, "study-home-retry")
    page.get_by_role("button", name="Practise my wrong answers in Intravenous route").click()
    expect(page.locator(".progress-label")).to_contain_text("Question 1 of")
    check_page(page)
