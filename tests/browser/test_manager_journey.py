"""A manager opens the dashboard, filters by unit and bank, drills into a trainee, and
downloads a CSV."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.checks import check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot


def test_manager_journey(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "manager@demo.example", PASSWORD)
    page.get_by_role("link", name="Dashboards").click()
    expect(page.locator("h1")).to_have_text("My units")
    check_page(page)
    page.get_by_role("link", name="Demo Ward 4B").click()
    expect(page.locator("h1")).to_have_text("Demo Ward 4B")
    expect(page.locator("table.heatmap")).to_contain_text("Amira Okafor")
    check_page(page)
    screenshot(page, "dashboard")

    # filter by unit, then by bank
    page.get_by_role("link", name="Demo Ward 5A").click()
    expect(page.locator("h1")).to_have_text("Demo Ward 5A")
    check_page(page)
    page.get_by_role("link", name="Demo Ward 4B").click()
    page.select_option("#bank", label="Complications and side effects")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"bank=complications"))
    expect(page.locator("table.heatmap thead")).to_contain_text("Complications of IV therapy")
    expect(page.locator("table.heatmap thead")).not_to_contain_text("Intravenous route")
    check_page(page)

    # drill into one trainee
    page.get_by_role("link", name="Ben Walsh").first.click()
    expect(page.locator("h1")).to_have_text("Ben Walsh")
    expect(page.locator("main")).to_contain_text("Attempts")
    check_page(page)
    page.go_back()

    # download a table
    with page.expect_download() as info:
        page.locator("a", has_text="Download CSV").first.click()
    download = info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0] == "trainee,email,topic,answers,score_last_20_pct,mastered"
    assert "Ben Walsh" in content
