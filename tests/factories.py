"""factory_boy factories bound to the app's session (use inside an app context)."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from quizapp.extensions import db
from quizapp.models import Role, Unit, UnitMembership, User
from quizapp.passwords import hash_password

DEFAULT_PASSWORD = "correct-horse-battery"
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@ward.example")
    name = factory.Sequence(lambda n: f"User {n}")
    role = Role.TRAINEE
    password_hash = _DEFAULT_HASH


class UnitFactory(_Base):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Ward {n}")


class MembershipFactory(_Base):
    class Meta:
        model = UnitMembership

    unit = factory.SubFactory(UnitFactory)
    user = factory.SubFactory(UserFactory)
    is_manager = False
