"""A manager's dashboard in Chromium at both sizes: the date range changes the heatmap, a
reversed range is refused beside the fields, the drill-down opens an attempt; and no word is
broken mid-word on the dashboard, the question list and the admin users page."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.checks import broken_words, check_page, sign_in
from tests.browser.conftest import PASSWORD, screenshot


def _amira_iv(page: Page):  # type: ignore[no-untyped-def]
    row = page.locator("table.heatmap tbody tr", has_text="Amira Okafor")
    return row.locator('td[data-topic="routes/intravenous"]')


def _move_back(db_file: Path, name: str, days: int) -> None:
    """Move the answers of this trainee's first attempt `days` back, in the live app's file."""
    with sqlite3.connect(db_file) as con:
        con.execute(
            "UPDATE responses SET answered_at = datetime(answered_at, ?) || '.000000'"
            " WHERE attempt_id = (SELECT min(a.id) FROM attempts a JOIN users u"
            " ON u.id = a.user_id WHERE u.name = ?)",
            (f"-{days} days", name),
        )


def test_the_date_range_changes_the_heatmap(page: Page, live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _move_back(tmp_path / "browser.db", "Amira Okafor", 30)
    today = date.today()
    sign_in(page, live.url, "manager@demo.example", PASSWORD)
    page.get_by_role("link", name="Dashboards").click()
    page.get_by_role("link", name="Demo Ward 4B").click()
    cell = _amira_iv(page)
    expect(cell).to_contain_text("%")
    everything = int(cell.locator(".cell-count").inner_text().split()[-2])
    check_page(page)
    assert broken_words(page) == []
    screenshot(page, "dashboard-heatmap")

    # the last week: the answers moved back a month are left out of the cell
    page.fill("#start", (today - timedelta(days=7)).isoformat())
    page.fill("#end", today.isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".filtered-by").first).to_contain_text("answers given from")
    recent = int(cell.locator(".cell-count").inner_text().split()[-2])
    assert 0 < recent < everything
    check_page(page)

    # a range when nobody answered: no cell shows 0 %, the page says there are no answers
    page.fill("#start", "2020-01-01")
    page.fill("#end", "2020-01-31")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".filtered-by").first).to_contain_text("1 Jan 2020")
    expect(page.locator(".heatmap-empty")).to_have_text("No answers in this period.")
    expect(page.locator("#topics-title ~ .no-answers-yet")).to_contain_text("Intravenous route")
    check_page(page)

    # reversed: refused beside the fields, the values kept
    page.fill("#start", "2026-12-05")
    page.fill("#end", "2026-12-01")
    with page.expect_response(lambda r: "/manage/units/" in r.url) as info:
        page.get_by_role("button", name="Apply").click()
    assert info.value.status == 422
    expect(page.locator("#end-error")).to_have_text(
        "The end date is before the start date: choose a later end."
    )
    expect(page.locator("#start")).to_have_value("2026-12-05")
    expect(page.locator("#end")).to_have_value("2026-12-01")
    expect(page.locator("table.heatmap")).to_have_count(0)
    check_page(page)
    screenshot(page, "dashboard-reversed-range")


def test_the_drill_down_opens_an_attempt(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live.url, "manager@demo.example", PASSWORD)
    page.goto(live.url + "/manage/")
    page.get_by_role("link", name="Demo Ward 4B").click()
    page.get_by_role("link", name="Ben Walsh").first.click()
    expect(page.locator("h1")).to_have_text("Ben Walsh")
    check_page(page)
    page.locator("table.scores a", has_text="Practice").first.click()
    expect(page.locator("h1")).to_contain_text("Ben Walsh:")
    expect(page.locator("main")).to_contain_text("Question by question")
    expect(page.locator(".feedback").first).to_be_visible()
    check_page(page)
    assert broken_words(page) == []
    screenshot(page, "dashboard-attempt")


def test_no_word_broken_on_data_pages(page: Page, live) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, list[str]] = {}
    sign_in(page, live.url, "admin@demo.example", PASSWORD)
    for name, path in (
        ("dashboard", "/manage/"),
        ("question list", "/author/questions"),
        ("admin users", "/admin/users"),
    ):
        page.goto(live.url + path)
        if name == "dashboard":
            page.get_by_role("link", name="Demo Ward 4B").click()
        check_page(page)
        found = broken_words(page)
        if found:
            seen[name] = found
        # the page does not scroll sideways at either size, and on a wide screen it uses it
        width = page.evaluate("window.innerWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        if width >= 1280:
            assert page.evaluate("document.querySelector('main').clientWidth") >= 1100, name
    assert seen == {}, f"words broken mid-word at {width} px: {seen}"
