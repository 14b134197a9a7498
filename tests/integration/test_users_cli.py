from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Role, UnitMembership, User


def test_create_user_reads_the_password_from_standard_input(app, runner, auth) -> None:
    result = runner.invoke(
        args=["users", "create", "Nurse.Ada@Ward.example", "--role", "trainee", "--unit", "Ward 7"],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created trainee nurse.ada@ward.example in unit 'Ward 7'" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nurse.ada@ward.example"))
        assert user.role is Role.TRAINEE
        assert "a-long-enough-password" not in user.password_hash
        membership = db.session.scalar(
            select(UnitMembership).where(UnitMembership.user_id == user.id)
        )
        assert membership.unit.name == "Ward 7" and not membership.is_manager
    assert auth.login("nurse.ada@ward.example", "a-long-enough-password").status_code == 302


def test_there_is_no_password_option(runner) -> None:
    result = runner.invoke(
        args=["users", "create", "x@ward.example", "--role", "trainee", "--password", "p" * 20]
    )
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_a_short_password_is_refused(app, runner) -> None:
    result = runner.invoke(
        args=["users", "create", "y@ward.example", "--role", "trainee"], input="short\n"
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "y@ward.example")) is None


def test_a_duplicate_email_is_refused(runner) -> None:
    args = ["users", "create", "z@ward.example", "--role", "manager", "--unit", "Ward 1"]
    assert runner.invoke(args=args, input="a-long-enough-password\n").exit_code == 0
    again = runner.invoke(args=args, input="a-long-enough-password\n")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_demo_creates_one_account_per_role_and_is_idempotent(app, runner, auth) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for role in Role:
        assert f"{role.value}@demo.example" in first.output
    assert first.output.count("(created)") == 4
    second = runner.invoke(args=["demo"])
    assert second.output.count("(exists)") == 4
    with app.app_context():
        managers = db.session.scalars(
            select(UnitMembership).where(UnitMembership.is_manager.is_(True))
        ).all()
        assert [m.user.email for m in managers] == ["manager@demo.example"]
    response = auth.login("trainee@demo.example", "demo-password-2026")
    assert response.status_code == 302
