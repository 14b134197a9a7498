"""What every visited page must pass: axe-core with no serious or critical violation, and no
horizontal scrolling on a phone."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()
visited: list[str] = []


def check_page(page: Page) -> None:
    results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: " + "; ".join(bad)
    width = page.evaluate("window.innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if width <= 400:
        assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px wide)"
    visited.append(page.url)


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    check_page(page)
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
