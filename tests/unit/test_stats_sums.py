"""Statistics from running sums equal the statistics from the full marks."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

from quizapp.domain.stats_sums import ItemSums, accumulate, question_from_sums, quiz_from_sums
from tests.oracles.stats_oracle import item_statistics, version_statistics

MARKS = [[1, 1, 1], [1, 0, 1], [0, 1, 0], [0, 0, 0]]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    # abs 1e-4 (percentage points): the error ratio is a square root near 0 when CIC is near
    # 100%, which magnifies rounding differences of 1e-14 to about 1e-6.
    return a == pytest.approx(b, rel=1e-6, abs=1e-4)


def _same(x, y) -> None:  # type: ignore[no-untyped-def]
    for name in (
        "attempts",
        "mean",
        "sd",
        "skewness",
        "kurtosis",
        "cic",
        "error_ratio",
        "standard_error",
    ):
        assert _close(getattr(x, name), getattr(y, name)), name
    for a, b in zip(x.questions, y.questions, strict=True):
        for name in (
            "facility",
            "sd",
            "discrimination_index",
            "discriminative_efficiency",
            "effective_weight",
        ):
            assert _close(getattr(a, name), getattr(b, name)), name


def test_the_hand_worked_example() -> None:
    quiz, slots = accumulate(MARKS, [1, 1, 1])
    _same(quiz_from_sums(quiz, slots), item_statistics(MARKS, [1, 1, 1]))


@settings(max_examples=300, deadline=None, derandomize=True)  # the same cases on every run
@given(
    st.integers(2, 4).flatmap(
        lambda p: st.lists(
            st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=p, max_size=p),
            min_size=0,
            max_size=40,
        )
    )
)
def test_sums_agree_with_full_marks(marks) -> None:  # type: ignore[no-untyped-def]
    slots_count = len(marks[0]) if marks else 3
    quiz, slots = accumulate(marks, [1.0] * slots_count)
    _same(quiz_from_sums(quiz, slots), item_statistics(marks, [1.0] * slots_count))


def test_a_version_seen_in_some_attempts_only() -> None:
    rng = random.Random(2)
    pairs = [(float(rng.random() < 0.6), float(rng.randint(0, 20))) for _ in range(300)]
    sums = ItemSums()
    for x, total in pairs:
        sums.add(x, total)
    expected = version_statistics(pairs, 1.0)
    got = question_from_sums(0, sums)
    for name in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
        assert _close(getattr(got, name), getattr(expected, name)), name
