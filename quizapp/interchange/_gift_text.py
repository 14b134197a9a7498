"""GIFT text pieces: Moodle's escapes, format markers, and one question's lines with offsets.

Why a module of its own: the question reader (gift.py) and the answer readers
(_gift_answers.py) both cut escaped text and report lines through `QuestionText`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from quizapp.interchange._html import html_to_markdown
from quizapp.interchange.model import InterchangeSyntaxError

_CODES = {ch: chr(0xE010 + i) for i, ch in enumerate("\\:#={}~n")}  # escaped char -> stand-in
_RESTORE = str.maketrans({code: "\n" if ch == "n" else ch for ch, code in _CODES.items()})
_STRAY = str.maketrans(dict.fromkeys(_CODES.values()))
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")  # Moodle: format_name_to_const


Line = tuple[int, str]  # (1-based line number, stripped text)


def hide(text: str) -> str:
    """Escaped characters replaced by private stand-ins that no parsing step splits on."""
    return _ESCAPE.sub(lambda m: _CODES[m.group(1)], text.translate(_STRAY))


def show(text: str) -> str:
    return text.translate(_RESTORE)


def rich_text(raw: str, default: str = "moodle") -> tuple[str, str]:
    """Text and its format from a piece of GIFT text with an optional [format] marker."""
    raw = raw.strip()
    fmt = default
    if match := _FORMAT.match(raw):
        fmt, raw = match.group(1), raw[match.end() :]
    text = show(raw).strip()
    return (html_to_markdown(text) if fmt == "html" else text), fmt


class QuestionText:
    """The non-comment lines of one question joined, with a map from offsets to lines."""

    def __init__(self, lines: list[Line]) -> None:
        hidden = [hide(text) for _, text in lines]
        self.text = "\n".join(hidden)
        self.numbers = [number for number, _ in lines]
        self.starts = [0, *accumulate(len(text) + 1 for text in hidden[:-1])]

    def line(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    def fail(self, offset: int, message: str) -> InterchangeSyntaxError:
        return InterchangeSyntaxError(self.line(offset), message)
