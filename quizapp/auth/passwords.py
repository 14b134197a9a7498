"""Password policy and hashing with argon2id (slow by design; argon2-cffi's defaults).

Policy: 12 to 128 characters, never truncated; not a common password, nor a common password
with digits or symbols added at the end (the list ships with the project).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 12
MAX_LENGTH = 128


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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the email is unknown, so that a wrong email costs the same
# time as a wrong password and does not reveal which accounts exist.
DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")
