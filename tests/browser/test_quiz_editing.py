"""An instructor edits a quiz's settings and closes it (the trainee then finds it closed),
duplicates it, builds a quiz with the fixed-list picker, and archives a quiz, which the
trainee then no longer sees."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot

QUIZ = "IV competency check"


def _open_quiz(page: Page, base: str, title: str) -> str:
    page.goto(base + "/author/quizzes")
    check_page(page)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    check_page(page)
    return page.url


def _sign_out(page: Page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _trainee_sees(page: Page, base: str) -> None:
    _sign_out(page)
    sign_in(page, base, "trainee@demo.example", PASSWORD)


def test_edit_settings_close_and_duplicate(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)
    quiz_url = _open_quiz(page, live.url, QUIZ)
    page.get_by_role("link", name="Edit quiz").click()
    expect(page.locator("h1")).to_contain_text(f"Edit “{QUIZ}”")
    expect(page.locator("#title")).to_have_value(QUIZ)
    check_page(page)
    screenshot(page, "quiz-edit")
    page.fill("#pass_mark", "70")
    page.fill("#attempts_allowed", "3")
    page.click("#save")
    expect(page.locator("main")).to_contain_text("saved")
    expect(page.locator(".facts")).to_contain_text("70%")
    expect(page.locator(".facts")).to_contain_text("3 · graded by highest")
    check_page(page)

    page.get_by_role("button", name="Close now").click()
    expect(page.locator(".quiz-state")).to_contain_text("closed")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    check_page(page)
    screenshot(page, "quiz-closed")

    page.get_by_role("button", name="Duplicate").click()
    expect(page.locator("h1")).to_have_text(f"Copy of {QUIZ}")
    expect(page.locator("main")).to_contain_text("No unit yet.")
    check_page(page)

    # the trainee finds the original closed
    quiz_id = quiz_url.rstrip("/").rsplit("/", 1)[1]
    page.goto(live.url + "/")
    _trainee_sees(page, live.url)
    page.goto(f"{live.url}/quizzes/{quiz_id}")
    expect(page.locator("main")).to_contain_text("This quiz has closed.")
    expect(page.get_by_role("button", name="Start the quiz")).to_have_count(0)
    check_page(page)


def test_build_with_the_picker_then_archive(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)
    page.goto(live.url + "/author/quizzes/new")
    # the live total sums the per-topic counts as they are typed
    page.fill("[id='count-routes/intravenous']", "3")
    page.fill("[id='count-routes/intramuscular']", "2")
    expect(page.locator("#topic-total")).to_have_text("5")
    expect(page.locator("main")).to_contain_text("available")
    check_page(page)
    screenshot(page, "quiz-builder")

    # one selection mode at a time: choosing the fixed list hides the per-topic table
    page.get_by_label("A fixed list").check()
    expect(page.locator("#part-per_topic")).to_be_hidden()
    expect(page.locator("#part-fixed")).to_be_visible()
    page.fill("#title", "Picked by hand")
    page.fill("#search", "air embolism")
    page.click("#find")
    found = page.locator("input[id^=found-]")
    expect(found.first).to_be_visible()
    expect(page.locator("#part-per_topic")).to_be_hidden()
    expect(page.locator("#title")).to_have_value("Picked by hand")
    check_page(page)
    screenshot(page, "quiz-picker")
    uid = (found.first.get_attribute("value") or "").strip()
    found.first.check()
    page.select_option("#units", label="Demo Ward 4B")
    page.click("#save")
    expect(page.locator("h1")).to_have_text("Picked by hand")
    expect(page.locator(".facts")).to_contain_text(uid)
    check_page(page)
    quiz_url = page.url

    # the trainee sees it, then it is archived and the trainee no longer does
    _trainee_sees(page, live.url)
    page.goto(live.url + "/me")
    expect(page.locator("main")).to_contain_text("Picked by hand")
    _sign_out(page)
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)
    page.goto(quiz_url)
    page.get_by_role("button", name="Archive").click()
    expect(page.locator(".quiz-state")).to_contain_text("archived")
    check_page(page)
    page.goto(live.url + "/author/quizzes")
    expect(page.locator("main")).not_to_contain_text("Picked by hand")
    page.get_by_role("link", name="Show archived quizzes").click()
    expect(page.locator("main")).to_contain_text("Picked by hand")
    check_page(page)
    _trainee_sees(page, live.url)
    page.goto(live.url + "/me")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Picked by hand")
    check_page(page)
