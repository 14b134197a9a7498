"""Placing case studies in an attempt: a case is a unit, its items together and in their
order; single questions keep their own order around the units. Pure."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def place_units(singles: Sequence[T], units: Sequence[Sequence[T]], rng: random.Random) -> list[T]:
    """`singles` in their order with each unit put whole into a random gap between them (at
    the start, between two singles, or at the end); units keep the order they are given in."""
    gaps = sorted(rng.randint(0, len(singles)) for _ in units)
    placed: list[T] = []
    unit_index = 0
    for gap in range(len(singles) + 1):
        while unit_index < len(units) and gaps[unit_index] == gap:
            placed.extend(units[unit_index])
            unit_index += 1
        if gap < len(singles):
            placed.append(singles[gap])
    return placed
