"""Getting a trainee to a given kind of question page in the browser tests (feedback layout,
word breaks): start a practice, then look through its questions for one of a type."""

from __future__ import annotations

import re

from playwright.sync_api import Page

TUTOR = "Tutor: see the answer and why after each question"

# The answer widget tells the question's type apart (the page does not name it).
KIND_ON_SCREEN = """() => document.querySelector('main form.question').dataset.type"""


def start_practice(page: Page, base: str, topics: list[str], length: int, mode: str = TUTOR) -> str:
    """Start a practice on these topics; the attempt's URL (without /q/N)."""
    page.goto(base + "/practice")
    for title in topics:
        page.get_by_label(title, exact=True).check()
    page.fill("#length", str(length))
    page.get_by_label(mode).check()
    page.click("main button[type=submit]")
    page.locator("main form.question").wait_for()
    match = re.match(r"(.*/attempts/\d+)/q/\d+", page.url)
    assert match, page.url
    return match.group(1)


def total_on_screen(page: Page) -> int:
    label = page.locator(".progress-label").inner_text()
    match = re.search(r"of (\d+)", label)
    assert match, label
    return int(match.group(1))


def find_kinds(page: Page, attempt_url: str, kinds: set[str]) -> dict[str, int]:
    """The first position of each wanted kind of question in the attempt."""
    page.goto(attempt_url + "/q/1")
    total = total_on_screen(page)
    found: dict[str, int] = {}
    for position in range(1, total + 1):
        if position > 1:
            page.goto(f"{attempt_url}/q/{position}")
        kind = page.evaluate(KIND_ON_SCREEN)
        if kind in kinds and kind not in found:
            found[kind] = position
            if set(found) == kinds:
                break
    return found


def fill_answer(page: Page) -> None:
    """Give some answer, not sent yet: the first input of each group of radios or checkboxes
    (a choice, a matrix row, a bow-tie part, a phrase), an option in each select (positions
    1..n in an ordering), or 42 typed."""
    form = page.locator("main form.question")
    form.wait_for()  # count() does not wait: after a click, wait for the question page
    groups = form.locator(":is(.choices, .matrix, .bowtie, .highlight-passage) input")
    selects = form.locator(":is(.matching, .cloze-text, .ordering) select")
    if groups.count():
        names = groups.evaluate_all("els => [...new Set(els.map(e => e.name))]")
        for name in names:
            groups.and_(page.locator(f'[name="{name}"]')).first.check()
    elif selects.count():
        ordering = form.locator(".ordering").count() > 0
        for i in range(selects.count()):
            selects.nth(i).select_option(index=i + 1 if ordering else 1)
    else:
        page.fill("#answer", "42")


def answer_on_screen(page: Page) -> None:
    """Give some answer (fill_answer) and send it."""
    fill_answer(page)
    with page.expect_navigation():
        page.click("main form.question > button[type=submit]")


def find_stem(page: Page, attempt_url: str, words: str) -> int | None:
    """The position of the question whose stem holds these words (None: not in it)."""
    page.goto(attempt_url + "/q/1")
    for position in range(1, total_on_screen(page) + 1):
        if position > 1:
            page.goto(f"{attempt_url}/q/{position}")
        if words in " ".join(page.locator("#q-stem").inner_text().split()):
            return position
    return None


def practice_holding(
    page: Page, base: str, topics: list[str], length: int, words: str, tries: int = 15
) -> tuple[str, int]:
    """A tutor practice that holds the question saying `words`, and its position: a practice
    takes one question of each family (families.yaml) at random, so start again if need be."""
    for _ in range(tries):
        attempt = start_practice(page, base, topics, length)
        position = find_stem(page, attempt, words)
        if position is not None:
            page.goto(f"{attempt}/q/{position}")
            return attempt, position
    raise AssertionError(f"no practice on {topics} held the question saying {words!r}")
