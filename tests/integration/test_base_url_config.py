"""QUIZAPP_BASE_URL and INVITE_LINK_DAYS: checked when the app is made (issue 17)."""

from __future__ import annotations

import pytest


def _config(monkeypatch, tmp_path, env: str, **variables: str) -> dict:  # type: ignore[no-untyped-def]
    from quizapp.config import load_config

    for name in ("QUIZAPP_BASE_URL", "INVITE_LINK_DAYS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return load_config(str(tmp_path), {"ENV_NAME": env, "SECRET_KEY": "s"})


def test_the_base_url_defaults_to_the_dev_server_only_outside_production(
    monkeypatch, tmp_path
) -> None:
    assert _config(monkeypatch, tmp_path, "development")["QUIZAPP_BASE_URL"] == (
        "http://127.0.0.1:5000"
    )
    assert _config(monkeypatch, tmp_path, "production")["QUIZAPP_BASE_URL"] == ""
    given = _config(monkeypatch, tmp_path, "production", QUIZAPP_BASE_URL="https://q.example/a/")
    assert given["QUIZAPP_BASE_URL"] == "https://q.example/a"
    assert given["INVITE_LINK_DAYS"] == 7


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("quiz.hospital.example", "must start with https://"),
        ("ftp://quiz.hospital.example", "must start with https://"),
        ("https://", "must name a host"),
        ("https://me@quiz.hospital.example", "no user name"),
        ("https://quiz.hospital.example/?next=x", "must not have a query"),
        ("https://quiz.hospital.example/#top", "must not have a query"),
        ("https://quiz.hospital.example:port", "port is not a number"),
    ],
)
def test_a_bad_base_url_stops_the_app_with_a_clear_message(
    monkeypatch, tmp_path, value, message
) -> None:
    from quizapp.config import ConfigError

    with pytest.raises(ConfigError, match="QUIZAPP_BASE_URL") as info:
        _config(monkeypatch, tmp_path, "production", QUIZAPP_BASE_URL=value)
    assert message in str(info.value)


@pytest.mark.parametrize("value", ["0", "-1", "seven", "91"])
def test_a_bad_invite_link_days_stops_the_app(monkeypatch, tmp_path, value) -> None:
    from quizapp.config import ConfigError

    with pytest.raises(ConfigError, match="INVITE_LINK_DAYS"):
        _config(monkeypatch, tmp_path, "development", INVITE_LINK_DAYS=value)
