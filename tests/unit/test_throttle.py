"""The sign-in throttle's decisions: free tries, doubling waits with a cap, never a lock."""

from __future__ import annotations

import math

import pytest

from quizapp.domain.throttle import Decision, Policy, combine, decide, parse_limit

POLICY = Policy(allowed=5, window=900.0)


def test_waits_double_after_the_free_tries_and_stop_at_the_cap() -> None:
    waits = [POLICY.wait_before(n) for n in range(1, 18)]
    assert waits[:5] == [0.0] * 5
    assert waits[5:10] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert max(waits) == 900.0 and POLICY.wait_before(10**9) == 900.0


def test_a_try_after_the_wait_is_allowed_and_one_before_is_told_how_long() -> None:
    assert decide(POLICY, 7, 2.0) == Decision(True)
    assert decide(POLICY, 7, 1.9) == Decision(False, 4)  # the next try is number 8
    assert decide(POLICY, 6, math.inf) == Decision(True)


def test_free_tries_pass_even_when_another_worker_stamped_the_previous_one_later() -> None:
    assert decide(POLICY, 3, -0.02).allowed


def test_the_count_is_forgotten_only_after_the_longest_wait_and_the_window() -> None:
    assert POLICY.forget_after == 1800.0


def test_combine_waits_for_the_longest_refusal() -> None:
    assert combine(Decision(True), Decision(True)) == Decision(True)
    assert combine(Decision(False, 4), Decision(True), Decision(False, 30)) == Decision(False, 30)


@pytest.mark.parametrize(
    ("text", "allowed", "window"),
    [
        ("5 per 15 minutes", 5, 900.0),
        ("30 per 15 minutes", 30, 900.0),
        ("10 per hour", 10, 3600.0),
        ("3/1 day", 3, 86400.0),
    ],
)
def test_parse_limit(text: str, allowed: int, window: float) -> None:
    policy = parse_limit(text, max_wait=60.0, first_wait=2.0)
    assert (policy.allowed, policy.window, policy.max_wait, policy.first_wait) == (
        allowed,
        window,
        60.0,
        2.0,
    )


@pytest.mark.parametrize("text", ["", "five per minute", "5 per fortnight", "5" * 5000])
def test_parse_limit_refuses_with_a_short_message(text: str) -> None:
    with pytest.raises(ValueError, match="is not a limit like") as raised:
        parse_limit(text)
    assert len(str(raised.value)) < 150
