"""Scores from marks (stdlib only)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def score(marks: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The weighted mean of marks in [0, 1], as a fraction (0.0 with no marks or no weight)."""
    weights = [1.0] * len(marks) if weights is None else weights
    if len(weights) != len(marks):
        raise ValueError(f"{len(marks)} marks but {len(weights)} weights.")
    if not all(0 <= m <= 1 for m in marks) or not all(0 <= w < math.inf for w in weights):
        raise ValueError("Marks must be from 0 to 1, and weights finite and not negative.")
    total = math.fsum(weights)
    if total == 0:
        return 0.0
    return min(1.0, math.fsum(m * w for m, w in zip(marks, weights, strict=True)) / total)
