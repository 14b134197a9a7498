"""An instructor writes a question citing a section, previews and publishes it, imports a GIFT
file, and builds and assigns a quiz."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot

GIFT = Path(__file__).resolve().parents[1] / "data" / "import" / "every_type.gift"


def test_instructor_journey(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "instructor@demo.example", PASSWORD)
    page.goto(live.url + "/author/questions")
    expect(page.locator("h1")).to_contain_text("Questions")
    check_page(page)
    screenshot(page, "author-questions")

    # write a question citing a section
    page.get_by_role("link", name="New question", exact=True).click()
    page.select_option("#type", "single")
    page.fill("#stem", "Which site is preferred for an intramuscular injection in an adult?")
    texts = ["Ventrogluteal", "Dorsogluteal", "Deltoid for volumes over 3 mL", "Abdomen"]
    for i, text in enumerate(texts):
        page.fill(f"#choices-{i}-text", text)
        page.fill(f"#choices-{i}-feedback", f"About {text.lower()}.")
    page.check("#choices-0-correct")
    page.fill("#rationale", "The ventrogluteal site is away from major nerves and vessels.")
    page.select_option("#topic", "routes/intramuscular")
    page.check("#cite-complications-intramuscular")  # the cited sections are checkboxes now
    check_page(page)
    screenshot(page, "question-form")
    page.click("#save")
    expect(page.locator("h1")).to_contain_text("draft")
    check_page(page)

    # preview, check an answer, publish
    page.get_by_role("link", name="Preview").click()
    page.get_by_label("Ventrogluteal").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback .verdict")).to_have_text("Correct.")
    check_page(page)
    page.go_back()
    page.go_back()
    page.reload()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("h1")).to_contain_text("published")

    # import a GIFT file
    page.get_by_role("link", name="Import").click()
    page.set_input_files("#file", str(GIFT))
    page.select_option("#format", "gift")
    page.uncheck("#dry_run")
    page.click("#submit")
    expect(page.locator("section.card h2")).to_contain_text("Imported 6 question(s)")
    expect(page.locator("section.card")).to_contain_text("essay")
    check_page(page)

    # build and assign a quiz
    page.get_by_role("link", name="Quizzes").click()
    page.get_by_role("link", name="Build a quiz").click()
    page.fill("#title", "Intramuscular safety")
    page.fill("[id='count-routes/intramuscular']", "5")
    page.select_option("#units", label="Demo Ward 4B")
    page.fill("#due_at", "2030-03-01T17:00")
    check_page(page)
    page.click("#save")
    expect(page.locator("h1")).to_have_text("Intramuscular safety")
    expect(page.locator("main")).to_contain_text("Demo Ward 4B")
    check_page(page)
    screenshot(page, "quiz")
