"""Sign-in throttling decisions: a few free tries, then waits that double, never a lock.

Why a wait and not a lock: a lock that anyone can trigger with five wrong passwords lets an
attacker lock the real user out. Each counted try (account from an address, or an address
across accounts) gets a number; the first `allowed` pass at once, try `allowed + k` must come
at least `first_wait * 2**(k-1)` seconds (at most `max_wait`) after the try before it. A
refused try is a try too, so hammering only makes the wait longer. Pure logic: the counting
itself (atomic, shared by all workers) lives in `quizapp.services.signin_throttle`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_LIMIT = re.compile(
    r"^\s*(\d{1,6})\s*(?:per|/)\s*(\d{0,6})\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE
)
_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Policy:
    allowed: int  # tries that never wait
    window: float  # seconds without any try after which the count starts again
    first_wait: float = 1.0
    max_wait: float = 900.0

    @property
    def forget_after(self) -> float:
        """Never shorter than the longest wait plus the window, so waiting it out at the cap
        does not reset the count."""
        return self.window + self.max_wait

    def wait_before(self, attempt: int) -> float:
        """Seconds that must separate try number `attempt` from the try before it."""
        if attempt <= self.allowed:
            return 0.0
        doublings = min(attempt - self.allowed - 1, 40)
        return min(self.first_wait * 2**doublings, self.max_wait)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # whole seconds to wait before the next try (0 when allowed)


def decide(policy: Policy, attempt: int, since_previous: float) -> Decision:
    """Try number `attempt`, `since_previous` seconds after the one before it (negative when
    another worker's clock stamped the previous try a little later)."""
    need = policy.wait_before(attempt)
    if need == 0 or since_previous >= need:
        return Decision(True)
    # This refused try was counted, so the next one is measured from now.
    return Decision(False, max(1, math.ceil(policy.wait_before(attempt + 1))))


def combine(*decisions: Decision) -> Decision:
    """Refused if any key refuses; wait for the longest."""
    refused = [d.retry_after for d in decisions if not d.allowed]
    return Decision(False, max(refused)) if refused else Decision(True)


def parse_limit(text: str, max_wait: float = 900.0, first_wait: float = 1.0) -> Policy:
    """'5 per 15 minutes' (the configuration's wording) as a policy."""
    match = _LIMIT.match(text or "")
    if not match:
        raise ValueError(f"{text[:60]!r} is not a limit like '5 per 15 minutes'.")
    count, amount, unit = match.groups()
    window = int(amount or 1) * _UNIT_SECONDS[unit.lower()]
    return Policy(int(count), float(window), first_wait=first_wait, max_wait=max_wait)
