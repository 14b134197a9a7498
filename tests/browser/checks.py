"""What every visited page must pass: axe-core with no serious or critical violation, and no
horizontal scrolling on a phone; and the word-break checker (BROKEN_WORDS, described in
test_word_breaks.py) that pages which must not break a word mid-word run."""

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


# Run in the page: the words laid out on two lines (see test_word_breaks.py for how).
BROKEN_WORDS = r"""() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const skip = new Set(['SCRIPT', 'STYLE', 'OPTION', 'SELECT', 'TEXTAREA', 'NOSCRIPT', 'TEMPLATE']);
  const word = /[\p{L}\p{N}](?:[\p{L}\p{N}]|['\u2019](?=[\p{L}\p{N}]))*/gu;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const broken = [];
  const blockOf = (el) => {
    while (el && el !== document.body) {
      const display = getComputedStyle(el).display;
      if (!display.startsWith('inline') && display !== 'contents') return el;
      el = el.parentElement;
    }
    return document.body;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || parent.closest('select')) continue;
    const text = node.textContent;
    for (const m of text.matchAll(word)) {
      if (m[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const boxes = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
      if (boxes.length < 2) continue;
      const tops = boxes.map(r => r.top);
      if (Math.max(...tops) - Math.min(...tops) <= 3) continue;
      const width = boxes.reduce((sum, r) => sum + r.width, 0);
      if (width > blockOf(parent).clientWidth) continue;  // cannot fit on any line
      const cls = String(parent.className || '').trim().split(/\s+/).filter(Boolean);
      const where = [parent.tagName.toLowerCase(), ...cls].join('.');
      broken.push(`"${m[0]}" in <${where}>: ${text.trim().slice(0, 60)}`);
    }
  }
  return broken;
}"""


def broken_words(page: Page) -> list[str]:
    """Every word on the page broken across two lines, as "word in <tag.class>: text"."""
    return list(page.evaluate(BROKEN_WORDS))
