"""Matrix, cloze and ordering in Chromium at both sizes: one item of each answered with the
keyboard alone (Tab, Space, arrow keys, typing into a focused select: no pop-up is opened) in
a tutor quiz, with the per-row, per-drop-down and per-pair feedback shown; every page axe-clean
and, on a phone, without sideways scrolling (the grid stacks into fieldsets)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from quizapp.domain.types import get_type
from quizapp.extensions import db
from quizapp.models import QuestionEntry, Unit
from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot
from tests.conftest import make_app

ITEMS = ["ngng-001", "ngng-002", "ngng-003", "ngng-005"]  # single grid, response grid, cloze, order


def _tutor_quiz(tmp_path) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """A tutor quiz of the sample items assigned to the demo ward, in the live server's own
    database; returns each item's answer data."""
    from quizapp.services.quizzes import assign_quiz, create_quiz

    app = make_app(f"sqlite:///{tmp_path / 'browser.db'}")
    with app.app_context():
        quiz = create_quiz("NGN grid items", {"fixed": ITEMS}, mode="tutor")
        ward = db.session.scalar(select(Unit).where(Unit.name == "Demo Ward 4B"))
        assign_quiz(quiz.id, ward.id)
        entries = db.session.scalars(select(QuestionEntry).where(QuestionEntry.uid.in_(ITEMS)))
        data = {e.uid: dict(e.current.data) for e in entries}
        db.engine.dispose()
    return data


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focus is on `selector`."""
    for _ in range(80):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reachable with Tab")


def _check_with_keyboard(page: Page) -> None:
    _tab_to(page, "main form.question > button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".feedback .verdict")).to_be_visible()


def _single_grid(page: Page, data: dict) -> None:
    """Each row is one radio group (one Tab stop): the arrow keys move to and pick a column."""
    for row in data["rows"]:
        _tab_to(page, f"input[name='row-{row['id']}']")
        column = data["columns"].index(row["correct"][0])
        if row["id"] == "2":
            column = 1 - column  # one row wrong on purpose
        if column == 0:
            page.keyboard.press("Space")
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        picked = f"input[name='row-{row['id']}'][value='{data['columns'][column]}']"
        expect(page.locator(picked)).to_be_checked()


def _response_grid(page: Page, data: dict) -> None:
    """Every cell is a checkbox: Tab to it, Space ticks it."""
    for row in data["rows"]:
        for n, column in enumerate(data["columns"], 1):
            if column in row["correct"]:
                _tab_to(page, f"#row-{row['id']}-{n}")
                page.keyboard.press("Space")
                expect(page.locator(f"#row-{row['id']}-{n}")).to_be_checked()


def _cloze(page: Page, data: dict) -> None:
    """A focused select takes the arrow keys without opening its pop-up."""
    for blank in data["blanks"]:
        _tab_to(page, f"#blank-{blank['id']}")
        wanted = blank["options"].index(blank["correct"]) if blank["id"] == "1" else 1
        for _ in range(wanted + 1):  # past "Choose…"
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#blank-{blank['id']}")).to_have_value(blank["options"][wanted])


def _ordering(page: Page, data: dict) -> None:
    """Each step's Position select: typing the digit picks it."""
    ids = get_type("ordering").correct_response(data)
    for select_box in page.locator("select.ordering-pos").all():
        step = (select_box.get_attribute("id") or "").removeprefix("pos-")
        _tab_to(page, f"#pos-{step}")
        page.keyboard.type(str(ids.index(step) + 1))
        expect(select_box).to_have_value(str(ids.index(step) + 1))


def _move_with_buttons(page: Page) -> None:
    """ordering.js: a step's "Move up" (Enter on the focused button) moves it and numbers
    every Position select in the list's new order."""
    second = page.locator("li.ordering-step").nth(1)
    text = second.locator(".ordering-text").inner_text()
    _tab_to(page, f"button[aria-label='Move up: {text}']")
    page.keyboard.press("Enter")
    expect(page.locator("li.ordering-step").first.locator(".ordering-text")).to_have_text(text)
    values = [s.input_value() for s in page.locator("select.ordering-pos").all()]
    assert values == ["1", "2", "3", "4"]
    expect(page.locator("ul.ordering + [aria-live=polite]")).to_have_text(
        f"{text}: position 1 of 4."
    )


def test_each_ngn_grid_type_answered_with_the_keyboard_in_tutor_mode(
    page: Page, live, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data = _tutor_quiz(tmp_path)
    sign_in(page, live.url, "trainee@demo.example", PASSWORD)
    page.goto(live.url + "/me")
    page.get_by_role("link", name="NGN grid items", exact=True).click()
    page.get_by_role("button", name="Start the quiz").click()

    expect(page.locator(".progress-label")).to_contain_text("Question 1 of 4")
    grid = page.locator(".matrix")
    if page.size_name == "phone":  # type: ignore[attr-defined]
        expect(page.locator(".matrix-head")).to_be_hidden()  # stacked: each cell says its column
        expect(grid.locator(".matrix-col-name").first).to_be_visible()
    else:
        expect(page.locator(".matrix-head")).to_be_visible()
    expect(
        page.get_by_label("Stop the infusion and disconnect the tubing: Indicated")
    ).to_be_visible()
    check_page(page)
    screenshot(page, "ngn-matrix")
    _single_grid(page, data["ngng-001"])
    _check_with_keyboard(page)
    expect(page.locator(".feedback .verdict")).to_have_text("Partly correct (80%).")
    expect(page.locator(".feedback .parts-summary")).to_have_text("4 of 5 rows right.")
    expect(page.locator(".part-wrong")).to_contain_text("Flush the cannula firmly to clear it")
    check_page(page)
    screenshot(page, "ngn-matrix-feedback")

    page.get_by_role("link", name="Next question").first.click()
    expect(page.locator(".progress-label")).to_contain_text("Question 2 of 4")
    check_page(page)
    _response_grid(page, data["ngng-002"])
    _check_with_keyboard(page)
    expect(page.locator(".feedback .verdict")).to_have_text("Correct.")
    expect(page.locator(".feedback .parts-summary")).to_have_text("5 of 5 rows right.")
    check_page(page)

    page.get_by_role("link", name="Next question").first.click()
    expect(page.locator(".progress-label")).to_contain_text("Question 3 of 4")
    expect(page.get_by_label("Blank 1")).to_be_visible()
    check_page(page)
    screenshot(page, "ngn-cloze")
    _cloze(page, data["ngng-003"])
    _check_with_keyboard(page)
    expect(page.locator(".feedback .verdict")).to_have_text("Partly correct (50%).")
    expect(page.locator(".feedback")).to_contain_text("1 of 2 drop-downs right.")
    check_page(page)

    page.get_by_role("link", name="Next question").first.click()
    expect(page.locator(".progress-label")).to_contain_text("Question 4 of 4")
    expect(page.get_by_label("Position of: Remove the cannula")).to_be_visible()
    check_page(page)
    screenshot(page, "ngn-ordering")
    _move_with_buttons(page)
    _ordering(page, data["ngng-005"])
    _check_with_keyboard(page)
    expect(page.locator(".feedback .verdict")).to_have_text("Correct.")
    expect(page.locator(".feedback")).to_contain_text(
        "3 of 3 steps followed by the right next step."
    )
    check_page(page)
    screenshot(page, "ngn-ordering-feedback")
