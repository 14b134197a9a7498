"""URL converters for integer ids, bounded to the range of the columns they look up.

Why: an unbounded `<int:...>` hands 2**31 to PostgreSQL (DataError on an INTEGER column) and
2**63 to SQLite (OverflowError in the driver), so an odd URL became a 500. Beyond the range no
row can exist, so the honest answer is the router's 404, before any view or query runs.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1  # INTEGER on PostgreSQL, and the smallest id column the app has


def digits_up_to(limit: int) -> str:
    """A regex matching the decimal numbers 0..limit.

    Why a regex and not only `max`: a converter's ValidationError lets Werkzeug fall through
    to a sibling rule of the same path and answer 405; a path that does not match is a 404.
    """
    text = str(limit)
    parts = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            low = "1" if i == 0 and len(text) > 1 else "0"
            if int(digit) - 1 >= int(low):
                parts.append(
                    text[:i] + f"[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else "")
                )
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """`<id:name>` (and `<int:name>`, which is the same converter here): 0..2**31-1.

    Only numbers in the range match at all, so a 5000-digit segment never reaches int().
    """

    regex = digits_up_to(ID_MAX)

    def __init__(self, map: Map, **bounds: int) -> None:
        # a rule may ask for a smaller upper bound, never a larger one than the columns hold
        upper = bounds.pop("max", ID_MAX)
        super().__init__(map, min=bounds.pop("min", 0), max=upper if upper < ID_MAX else ID_MAX)


def register(app: Flask) -> None:
    """Install the bounded converter under `id` and as the default `int`, so every existing
    route and any added later is bounded without editing each rule. Call before blueprints."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["int"] = IdConverter
