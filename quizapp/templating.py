"""Jinja filters that show question text: `rich` for blocks, `rich_inline` inside labels.

Why filters: every page that shows a stem, a choice, a feedback or a rationale goes through
the one sanitising renderer in `quizapp.domain.rich_text`, and nothing else marks text safe.
"""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from quizapp.domain.rich_text import render_block, render_inline


def rich(text: str | None) -> Markup:
    return Markup(render_block(text))  # sanitised by nh3 with an allow-list


def rich_inline(text: str | None) -> Markup:
    return Markup(render_inline(text))  # sanitised by nh3 with an allow-list


def register(app: Flask) -> None:
    app.jinja_env.filters["rich"] = rich
    app.jinja_env.filters["rich_inline"] = rich_inline
