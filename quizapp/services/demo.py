"""Demo data for a first look: one unit and one account per role, with known passwords."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.models import Role
from quizapp.services.accounts import create_user, find_user

DEMO_UNIT = "Demo Ward 4B"
DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    password: str
    created: bool


def create_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; running twice changes nothing."""
    accounts = []
    for role in Role:
        email = f"{role.value}@demo.example"
        exists = find_user(email) is not None
        if not exists:
            create_user(
                email,
                DEMO_PASSWORD,
                role,
                name=f"Demo {role.value.title()}",
                unit_name=None if role is Role.ADMIN else DEMO_UNIT,
            )
        accounts.append(DemoAccount(email, role, DEMO_PASSWORD, created=not exists))
    return accounts
