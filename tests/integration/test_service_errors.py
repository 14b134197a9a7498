"""The one error handler that maps service errors to HTTP (issue 15): a view calls a service
and lets what it refuses through; the handler answers with the status and the service's
message, after the command's unit of work was rolled back."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.database import unit_of_work
from quizapp.extensions import db
from quizapp.models import AuditEvent, Unit
from quizapp.services import errors

CASES = [
    (errors.NotFound, 404),
    (errors.NotAllowed, 403),
    (errors.Conflict, 409),
    (errors.StalePage, 409),
    (errors.AttemptClosed, 409),
    (errors.InvalidInput, 422),
    (errors.FieldInvalid, 422),
    (errors.ServiceError, 400),
]


def _raise_in_a_command(kind: type[errors.ServiceError]) -> str:
    with unit_of_work():
        db.session.add(Unit(name="Ward half-done"))
        db.session.flush()
        if kind is errors.FieldInvalid:
            raise errors.FieldInvalid("email", "Refused: FieldInvalid.")
        raise kind(f"Refused: {kind.__name__}.")


@pytest.fixture
def refusing_app(app: Flask) -> Flask:
    @app.get("/test/refuse/<name>")
    def refuse(name: str) -> str:
        return _raise_in_a_command(dict((k.__name__, k) for k, _ in CASES)[name])

    return app


@pytest.mark.parametrize(("kind", "status"), CASES, ids=[k.__name__ for k, _ in CASES])
def test_each_service_error_becomes_its_status_with_its_message(
    refusing_app: Flask, kind: type[errors.ServiceError], status: int
) -> None:
    response = refusing_app.test_client().get(f"/test/refuse/{kind.__name__}")
    assert response.status_code == status
    assert f"Refused: {kind.__name__}.".encode() in response.data
    with refusing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unit)) == 0  # rolled back


def test_a_service_refusal_with_403_is_audited_like_any_refused_access(
    refusing_app: Flask,
) -> None:
    refusing_app.test_client().get("/test/refuse/NotAllowed")
    with refusing_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["access.refused"]
