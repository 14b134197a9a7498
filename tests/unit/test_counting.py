"""domain/counting.py: which attempts count per answer, which may be discarded, when a
practice is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.counting import counts_per_answer, discard_refusal, idle_since, is_stale

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "mode", "expected"),
    [
        ("practice", "tutor", True),
        ("practice", "exam", False),
        ("assigned", "tutor", False),
        ("assigned", "exam", False),
    ],
)
def test_only_tutor_practice_counts_per_answer(kind: str, mode: str, expected: bool) -> None:
    assert counts_per_answer(kind, mode) is expected


def test_only_unfinished_practice_may_be_discarded() -> None:
    assert discard_refusal("practice", True) is None
    assert "already ended" in (discard_refusal("practice", False) or "")
    assert "assigned quiz cannot be discarded" in (discard_refusal("assigned", True) or "")
    assert "assigned quiz cannot be discarded" in (discard_refusal("assigned", False) or "")


def test_idle_time_runs_from_the_last_answer_or_the_start() -> None:
    assert idle_since(T0, None) == T0
    later = T0 + timedelta(hours=5)
    assert idle_since(T0, later) == later
    now = T0 + timedelta(hours=30)
    assert is_stale(T0, None, now, 24)
    assert not is_stale(T0, later, now, 26)  # 25 hours since the last answer
    assert is_stale(T0, later, now, 24.5)
    assert not is_stale(T0, None, T0 + timedelta(hours=24), 24)  # exactly the limit: not yet
