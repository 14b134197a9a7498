"""Password policy and hashing with argon2id at OWASP's parameters (m=19 MiB, t=2, p=1).

Why not argon2-cffi's defaults (64 MiB, t=3, p=4): at shift change 200 sign-ins within 20 s
kept every worker busy for minutes. Hashes made with other parameters still verify (argon2
reads them from the hash) and are rehashed at the next sign-in (`needs_rehash`).

Policy: 12 to 128 characters, never truncated; not a common password, nor a common password
with digits or symbols added at the end (the list ships with the project).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TypedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Cost(TypedDict):
    """The cost keywords of `PasswordHasher` (typed, so none can be misspelt)."""

    time_cost: int
    memory_cost: int
    parallelism: int


OWASP_PARAMETERS: Argon2Cost = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hasher = PasswordHasher(**OWASP_PARAMETERS)

MIN_LENGTH = 12
MAX_LENGTH = 128
# The password hash of an account that signs in only through a directory (issue 19): not an
# Argon2 hash, so it never verifies, and nothing a person types is stored for that account.
NO_PASSWORD = "!directory"


class WeakPassword(ValueError):
    """The password breaks the policy; the message says how."""


_TRAILING = re.compile(r"[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    lowered = password.lower()
    common = common_passwords()
    stem = _TRAILING.sub("", lowered)
    return lowered in common or (len(stem) >= 8 and stem in common)


def check_policy(password: str, email: str | None = None) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    if len(set(password)) < 4:
        raise WeakPassword("Use more than a few different characters.")
    if is_common(password):
        raise WeakPassword("That is a commonly used password; choose one that is harder to guess.")
    local = (email or "").split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        raise WeakPassword("Do not build the password from your email address.")


def configure(time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Set this process's hashing cost (from the app's ARGON2_* settings)."""
    global _hasher
    wanted: Argon2Cost = {
        "time_cost": time_cost,
        "memory_cost": memory_kib,
        "parallelism": parallelism,
    }
    current = {k: getattr(_hasher, k) for k in wanted}
    if wanted != current:
        _hasher = PasswordHasher(**wanted)
        _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password-for-timing")


def verify_unknown(password: str) -> None:
    """Spend the time of a real check when the email is unknown, so that a wrong email costs
    the same as a wrong password and does not reveal which accounts exist."""
    verify_password(_dummy_hash(), password)
