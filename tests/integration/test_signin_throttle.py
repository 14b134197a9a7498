"""Sign-in throttling: counted before the password is checked, per account from an address and
per address; waits that grow instead of a lock; the real client address behind a trusted proxy;
what a failed sign-in leaves in the audit log."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, SigninBucket
from tests.conftest import PROJECT_ROOT, make_app
from tests.factories import DEFAULT_PASSWORD, UserFactory

EMAIL = "nurse@ward.example"
WRONG = "wrong password!!"


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The throttle's clock, moved by hand (no sleeping)."""
    now = [2_000_000.0]
    monkeypatch.setattr("quizapp.services.signin_throttle.now", lambda: now[0])
    return now


def _user(app, email: str = EMAIL) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        UserFactory(email=email, role=Role.TRAINEE)


def _login(client, email=EMAIL, password=DEFAULT_PASSWORD, ip=None, forwarded=None):  # type: ignore[no-untyped-def]
    kwargs = {}
    if ip:
        kwargs["environ_base"] = {"REMOTE_ADDR": ip}
    if forwarded:
        kwargs["headers"] = {"X-Forwarded-For": forwarded}
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def _failed_ips(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "login.failed"))
        )


def test_the_right_password_from_another_address_after_five_failures(app, clock) -> None:
    _user(app)
    attacker, nurse = app.test_client(), app.test_client()
    for _ in range(5):
        assert _login(attacker, password=WRONG, ip="198.51.100.7").status_code == 200
    assert _login(attacker, ip="198.51.100.7").status_code == 429  # the attacker waits
    assert _login(nurse, ip="203.0.113.20").status_code == 302  # the nurse does not
    assert nurse.get("/me").status_code == 200


def test_hammering_makes_the_wait_grow_up_to_the_cap(app, clock) -> None:
    _user(app)
    client = app.test_client()
    for _ in range(5):
        _login(client, password=WRONG)
    waits = [int(_login(client, password=WRONG).headers["Retry-After"]) for _ in range(14)]
    assert waits[:4] == [2, 4, 8, 16]
    assert waits == sorted(waits) and waits[-1] == 900
    clock[0] += 899
    assert _login(client).status_code == 429
    clock[0] += 900
    assert _login(client).status_code == 302


def test_the_count_is_taken_before_the_password_is_checked(app, clock, monkeypatch) -> None:
    from quizapp.services import accounts

    checked: list[str] = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: checked.append(p) or real(h, p))
    _user(app)
    client = app.test_client()
    statuses = [_login(client, password=WRONG).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert len(checked) == 5  # refused tries never reach the password check


def test_the_counts_live_in_the_database_for_every_worker(app, clock) -> None:
    """Two apps on one database stand for two workers: the second sees the first's count."""
    _user(app)
    for _ in range(5):
        _login(app.test_client(), password=WRONG)
    other_worker = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    assert _login(other_worker.test_client()).status_code == 429
    with app.app_context():
        assert db.session.scalar(select(SigninBucket.n).order_by(SigninBucket.n.desc())) == 6
    with other_worker.app_context():
        db.engine.dispose()


def _app_with(database_url: str, **config: object):  # type: ignore[no-untyped-def]
    app = make_app(database_url, **config)
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        db.session.remove()
    return app


def test_behind_one_trusted_proxy_the_forwarded_address_counts(database_url, clock) -> None:
    app = _app_with(database_url, TRUSTED_PROXIES=1)
    _user(app)
    client = app.test_client()
    for _ in range(5):
        assert _login(client, password=WRONG, forwarded="198.51.100.7").status_code == 200
    assert _login(client, forwarded="198.51.100.7").status_code == 429
    assert _login(client, forwarded="203.0.113.20").status_code == 302
    assert set(_failed_ips(app)) == {"198.51.100.7"}
    with app.app_context():
        db.engine.dispose()


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(app, clock) -> None:
    _user(app)
    client = app.test_client()
    for n in range(5):
        forged = f"203.0.113.{n}"  # a new made-up address each time does not reset the count
        assert _login(client, password=WRONG, forwarded=forged).status_code == 200
    assert _login(client, forwarded="203.0.113.99").status_code == 429
    assert set(_failed_ips(app)) == {"127.0.0.1"}


def test_a_failed_sign_in_stores_only_a_known_accounts_email(app, clock) -> None:
    _user(app)
    client = app.test_client()
    _login(client, email=EMAIL, password=WRONG)
    _login(client, email="my-secret-passphrase@oops.example", password=WRONG)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login.failed").order_by(AuditEvent.id)
        ).all()
        assert [r.object_key for r in rows] == [EMAIL, "(unknown account)"]
        assert not any("my-secret" in repr((r.object_key, r.details)) for r in rows)
        # the counters keep only hashes of what was typed
        keys = db.session.scalars(select(SigninBucket.key)).all()
        assert keys and all(len(k) == 64 and "@" not in k for k in keys)
