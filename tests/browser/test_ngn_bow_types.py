"""The bow-tie and highlight items in tutor practice, on a phone and on a desktop: each answered
with the keyboard alone (Tab, arrow keys, Space, Enter), the feedback showing every part's
result; axe-clean and without sideways scrolling; the bow-tie's three groups side by side on a
desktop and stacked on a phone; bowtie.js stops a third action being ticked."""

from __future__ import annotations

import yaml
from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.browser.trainee_pages import practice_holding
from tests.conftest import BANK_PATH

SAMPLES = yaml.safe_load(
    (BANK_PATH / "questions" / "complications" / "ngn-bow-samples.yaml").read_text()
)["questions"]
BOWTIE = next(q for q in SAMPLES if q["id"] == "bowtie-sample-1")
HIGHLIGHT = next(q for q in SAMPLES if q["id"] == "highlight-sample-1")
FOCUSED = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : (el.innerText || '');
  return [el.tagName, el.type || '', el.name || '', label.replace(/\\s+/g, ' ').trim()];
}"""
SUBMIT = "main form.question > button[type=submit]"


def _open(page: Page, base: str, stem_words: str) -> None:
    """Start a tutor practice of the whole topic holding the question whose stem says so
    (the topic holds more questions than a practice draws: start again until it does)."""
    practice_holding(page, base, ["Complications of IV therapy"], 15, stem_words)


def _focused(page: Page) -> list[str]:
    return list(page.evaluate(FOCUSED))


def _tab_to_answer(page: Page, name: str) -> list[str]:
    """Tab from the top of the page to the first answer input named `name`."""
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused[0] == "INPUT" and focused[2] == name:
            return focused
    raise AssertionError(f"no {name!r} input reached with Tab")


def _submit_by_keyboard(page: Page) -> None:
    for _ in range(40):
        if page.evaluate(f"document.activeElement.matches({SUBMIT!r})"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError("the submit button was not reached with Tab")


def _tick_by_keyboard(page: Page, name: str, wanted: set[str], tabs: int) -> None:
    """At a checkbox group's first box: Space on each wanted label, Tab past each box."""
    for _ in range(tabs):
        _tag, kind, field, label = _focused(page)
        if kind != "checkbox" or field != name:
            return
        if label in wanted:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")


def _answer_bowtie(page: Page) -> None:
    """The right condition (arrow keys in the radio group), the 2 right actions, and one
    right and one wrong parameter: 4 of 5 placements."""
    _tab_to_answer(page, "actions")
    _tick_by_keyboard(page, "actions", set(BOWTIE["actions"]["correct"]), 5)
    # bowtie.js has disabled the 3 other actions, so Tab went straight to the condition
    assert page.locator("input[name=actions]:disabled").count() == 3
    kind, field = _focused(page)[1:3]
    assert (kind, field) == ("radio", "condition"), _focused(page)
    for _ in range(4):
        if _focused(page)[3] == BOWTIE["condition"]["correct"]:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    wrong = next(
        c for c in BOWTIE["parameters"]["choices"] if c not in BOWTIE["parameters"]["correct"]
    )
    _tick_by_keyboard(page, "parameters", {BOWTIE["parameters"]["correct"][0], wrong}, 5)


def _check_bowtie_layout(page: Page) -> None:
    boxes = [
        page.locator(f".bowtie-{key}").bounding_box()
        for key in ("actions", "condition", "parameters")
    ]
    assert all(boxes)
    left, centre, right = boxes
    if page.size_name == "phone":  # type: ignore[attr-defined]
        assert (
            left["y"] + left["height"] <= centre["y"]
            and centre["y"] + centre["height"] <= right["y"]
        )
    else:
        assert (
            left["x"] + left["width"] <= centre["x"] and centre["x"] + centre["width"] <= right["x"]
        )


def test_bowtie_and_highlight_by_keyboard_with_feedback(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)

    _open(page, live.url, "At the hourly check")
    expect(page.locator(".bowtie fieldset legend")).to_have_count(3)
    expect(page.locator(".bowtie-actions legend")).to_contain_text("Actions to take (choose 2)")
    _check_bowtie_layout(page)
    check_page(page)
    _answer_bowtie(page)
    screenshot(page, "ngn-bowtie")
    _submit_by_keyboard(page)
    feedback = page.locator(".feedback")
    expect(feedback.locator(".verdict")).to_have_text("Partly correct (80%).")
    expect(feedback).to_contain_text("Actions to take: 2 of 2 right")
    expect(feedback).to_contain_text("Parameters to monitor: 1 of 2 right")
    expect(feedback.locator(".placement.is-wrong")).to_contain_text("Wrong: you chose it")
    expect(feedback.locator(".placement.is-missed")).to_have_count(1)
    check_page(page)
    screenshot(page, "ngn-bowtie-feedback")

    _open(page, live.url, "leaking into the tissue around the cannula")
    check_page(page)
    phrases = [p for p in HIGHLIGHT["passage"] if isinstance(p, dict)]
    wanted = {p["phrase"] for p in phrases if p["correct"]} - {"swollen"}  # 2 of 3 right
    wanted.add("Radial pulse strong")  # and 1 wrong: (2 - 1) / 3
    _tab_to_answer(page, "answer")
    _tick_by_keyboard(page, "answer", wanted, len(phrases))
    chosen = page.locator(".hl-phrase:has(input:checked)")
    expect(chosen).to_have_count(3)
    style = chosen.first.locator(".hl-text").evaluate(
        "e => [getComputedStyle(e).textDecorationLine,"
        " getComputedStyle(e.parentElement).backgroundColor]"
    )
    plain = page.locator(".hl-phrase:not(:has(input:checked))").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert style[0] == "underline" and style[1] != plain  # not by colour alone
    screenshot(page, "ngn-highlight")
    _submit_by_keyboard(page)
    feedback = page.locator(".feedback")
    expect(feedback.locator(".verdict")).to_have_text("Partly correct (33%).")
    expect(feedback.locator(".phrase-results .is-missed")).to_contain_text("“swollen” Missed")
    expect(feedback.locator(".phrase-results .is-wrong")).to_contain_text("Radial pulse strong")
    check_page(page)
    screenshot(page, "ngn-highlight-feedback")


def test_authoring_a_bowtie_and_a_highlight(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    """The form shows each type's own part, puts an error beside its field, and saves; the
    question page shows the locked bow-tie and its key. Axe-clean at both sizes."""
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)
    page.goto(live.url + "/author/questions/new")
    page.select_option("#type", "bowtie")
    expect(page.locator("#bowtie_actions")).to_be_visible()
    expect(page.locator("#highlight_passage")).to_be_hidden()
    page.fill("#stem", "Complete the diagram for the client with a cool, swollen IV site.")
    page.fill("#rationale", "Leaking fluid makes the site cool and swollen.")
    page.select_option("#topic", "complications/intravenous")
    page.locator("#cite-complications-intravenous").check()
    page.fill("#bowtie_condition", "*Infiltration\nPhlebitis\nAir embolism\nCirculatory overload")
    page.fill("#bowtie_actions", "*Stop the infusion\n*Elevate the arm\n*Flush it\nSlow it\nPush")
    page.fill("#bowtie_parameters", "*Swelling\n*Skin colour\nCrackles\nFever\nWeight")
    page.click("#save")
    expect(page.locator("#bowtie_actions-error")).to_contain_text("Mark exactly 2 actions")
    expect(page.locator("#bowtie_actions")).to_have_attribute("aria-invalid", "true")
    check_page(page)
    page.fill("#bowtie_actions", "*Stop the infusion\n*Elevate the arm\nFlush it\nSlow it\nPush")
    page.click("#save")
    expect(page.locator("section.answer-key")).to_contain_text("Stop the infusion; Elevate the arm")
    expect(page.locator(".bowtie input[name=actions]").first).to_be_disabled()
    check_page(page)

    page.goto(live.url + "/author/questions/new")
    page.select_option("#type", "highlight")
    expect(page.locator("#highlight_passage")).to_be_visible()
    page.fill("#stem", "Highlight the findings that suggest infiltration at the IV site.")
    page.fill("#rationale", "Fluid in the tissue makes the site swollen and cool.")
    page.select_option("#topic", "complications/intravenous")
    page.locator("#cite-complications-intravenous").check()
    page.fill(
        "#highlight_passage",
        "Site [[*swollen]] and [[*cool | Room-temperature fluid]]. Dressing [[dry]]; [[eating]].",
    )
    check_page(page)
    page.click("#save")
    expect(page.locator("section.answer-key")).to_contain_text("swollen; cool")
    expect(page.locator(".highlight-passage input")).to_have_count(4)
    check_page(page)
