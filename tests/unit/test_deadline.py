"""Arrival stamps and the grace, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.deadline import MAX_QUEUE_SECONDS, choose_arrival, is_past, parse_request_start

T = 1_764_620_000.25


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (f"t={T:.3f}", T),  # nginx t=${msec}
        (f"t={int(T * 1000)}", T),  # milliseconds
        (f"t={int(T * 1_000_000)}", T),  # microseconds
        (f"{T:.3f}", T),
    ],
)
def test_request_start_formats(header: str, seconds: float) -> None:
    assert parse_request_start(header) == pytest.approx(seconds, abs=1e-3)


@pytest.mark.parametrize("header", [None, "", "t=", "t=abc", "t=nan", "t=-5", "t=" + "9" * 40])
def test_unreadable_request_start_is_none(header: str | None) -> None:
    assert parse_request_start(header) is None


def test_the_proxy_stamp_is_used_only_when_plausible() -> None:
    assert choose_arrival(T, None) == T
    assert choose_arrival(T, T - 30) == T - 30  # queued 30 s behind the proxy
    assert choose_arrival(T, T - MAX_QUEUE_SECONDS - 1) == T  # a stamp from long ago
    assert choose_arrival(T, T + 3600) == T  # from the future
    assert choose_arrival(T, T + 0.5) == T  # clock skew: never later than the server's


def test_the_grace_is_counted_from_the_deadline() -> None:
    deadline = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert not is_past(None, deadline, 5)
    assert not is_past(deadline, deadline - timedelta(seconds=1), 0)
    assert is_past(deadline, deadline, 0)
    assert not is_past(deadline, deadline + timedelta(seconds=4.9), 5)
    assert is_past(deadline, deadline + timedelta(seconds=5), 5)
