"""Sign-in throttle: counts shared by every worker, taken atomically before the password is
checked.

Why not Flask-Limiter: it tested the limit before the request and counted after it, so
parallel tries all passed the test (24 tries, 8 checked), and its default memory store counted
per worker. Here each try first increments its counters in one atomic statement (an upsert
with RETURNING in the database, a Lua script in Redis), and the decision is made on the new
count. Counters live in the database by default, or in Redis when RATELIMIT_STORAGE_URI (or
REDIS_URL) is a redis:// URL. Decisions come from `quizapp.domain.throttle`.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any, Protocol, cast

from flask import current_app
from sqlalchemy import Table, case, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.exceptions import TooManyRequests

from quizapp.database import require_unit_of_work, unit_of_work
from quizapp.domain.throttle import Decision, Policy, combine, decide, parse_limit
from quizapp.extensions import db
from quizapp.models import SigninBucket


def now() -> float:
    """The clock (tests replace it rather than sleep)."""
    return time.time()


class Store(Protocol):
    def hit(self, key: str, at: float, forget_after: float) -> tuple[int, float]:
        """Count one try; return its number and the time of the try before it (0: none)."""

    def undo(self, key: str) -> None:
        """Take one try back (a successful sign-in does not count against its address)."""

    def clear(self, key: str) -> None:
        """Forget the key (a successful sign-in clears its account's count)."""


class DatabaseStore:
    """Counters in `signin_buckets`, each try committed before the password is verified."""

    def hit(self, key: str, at: float, forget_after: float) -> tuple[int, float]:
        table = cast(Table, SigninBucket.__table__)  # declared as a FromClause; it is a Table
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stale = table.c.last_at < at - forget_after
        statement = (
            insert(table)
            .values(key=key, n=1, last_at=at, prev_at=0.0)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={  # right-hand sides read the row as it was before this try
                    "n": case((stale, 1), else_=table.c.n + 1),
                    "prev_at": case((stale, 0.0), else_=table.c.last_at),
                    "last_at": at,
                },
            )
            .returning(table.c.n, table.c.prev_at)
        )
        # Its own unit of work, committed before the password is verified, whatever the sign-in
        # then does: a wrong password (or a crash while checking it) must still count, and a
        # parallel try must see this count at once. A rollback with the sign-in would let
        # every try of a burst pass as the first.
        with unit_of_work():
            n, prev_at = db.session.execute(statement).one()
        return int(n), float(prev_at)

    def undo(self, key: str) -> None:
        require_unit_of_work("DatabaseStore.undo")  # the sign-in's
        db.session.execute(
            update(SigninBucket)
            .where(SigninBucket.key == key, SigninBucket.n > 0)
            .values(n=SigninBucket.n - 1)
        )

    def clear(self, key: str) -> None:
        require_unit_of_work("DatabaseStore.clear")  # the sign-in's
        db.session.execute(delete(SigninBucket).where(SigninBucket.key == key))

    def forget_stale(self, before: float) -> None:
        require_unit_of_work("DatabaseStore.forget_stale")  # the sign-in's
        db.session.execute(delete(SigninBucket).where(SigninBucket.last_at < before))


_HIT = """
local prev = redis.call('HGET', KEYS[1], 'last')
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {n, prev or '0'}
"""


class RedisStore:
    """Counters in Redis hashes that expire on their own; one script per try is atomic."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2)
        self.prefix = prefix + ":signin:"
        self.script: Any = self.client.register_script(_HIT)

    def hit(self, key: str, at: float, forget_after: float) -> tuple[int, float]:
        n, prev = self.script(keys=[self.prefix + key], args=[repr(at), math.ceil(forget_after)])
        return int(n), float(prev)

    def undo(self, key: str) -> None:
        if self.client.hincrby(self.prefix + key, "n", -1) < 0:
            self.client.delete(self.prefix + key)

    def clear(self, key: str) -> None:
        self.client.delete(self.prefix + key)


def store() -> Store:
    """One store per app: Redis when configured so, else the database (never per worker)."""
    found = current_app.extensions.get("quizapp_throttle")
    if found is None:
        url = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            found = RedisStore(url, current_app.config["RATELIMIT_KEY_PREFIX"])
        else:
            found = DatabaseStore()
        current_app.extensions["quizapp_throttle"] = found
    return found


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _policies() -> tuple[Policy, Policy]:
    config = current_app.config
    waits = float(config["LOGIN_MAX_WAIT_SECONDS"]), float(config["LOGIN_FIRST_WAIT_SECONDS"])
    return (
        parse_limit(config["LOGIN_LIMIT_PER_ACCOUNT"], *waits),
        parse_limit(config["LOGIN_LIMIT_PER_IP"], *waits),
    )


class SlowDown(TooManyRequests):
    """A 429 that carries how long to wait (the error page and Retry-After use it)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.wait_seconds = retry_after


def admit(email: str, ip: str) -> None:
    """Count this try for the account from this address and for the address; raise SlowDown
    if either must wait. Called before the password is verified."""
    account_policy, ip_policy = _policies()
    at, counters = now(), store()
    decisions: list[Decision] = []
    for policy, key in ((account_policy, _key("a", email, ip)), (ip_policy, _key("i", ip))):
        attempt, prev_at = counters.hit(key, at, policy.forget_after)
        decisions.append(decide(policy, attempt, at - prev_at if prev_at else math.inf))
    decision = combine(*decisions)
    if not decision.allowed:
        raise SlowDown(decision.retry_after)


def succeeded(email: str, ip: str) -> None:
    """The right password: clear the account's count from this address and take this try back
    from the address's count. Runs inside the sign-in's unit of work (with its audit row)."""
    counters = store()
    counters.clear(_key("a", email, ip))
    counters.undo(_key("i", ip))
    if isinstance(counters, DatabaseStore):
        counters.forget_stale(now() - max(p.forget_after for p in _policies()))
