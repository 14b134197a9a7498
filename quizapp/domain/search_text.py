"""The text a question version is found by: stem, rationale, tags and every text inside its
answer data (choices, feedback, pairs, accepted answers), folded to lower case (stdlib only)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

LIMIT = 20000  # characters kept; a version's own texts are each limited far below this


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            if key != "id":  # choice ids ("a", "b") would match every one-letter search
                yield from _texts(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _texts(inner)


def searchable(stem: str, rationale: str, tags: Iterable[str], data: Any) -> str:
    parts = [stem or "", rationale or "", " ".join(tags or []), *_texts(data)]
    return "\n".join(p for p in parts if p).casefold()[:LIMIT]
