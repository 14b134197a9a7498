"""Ids beyond the columns' range are a 404 from the router, on SQLite and PostgreSQL alike,
for every route that takes an integer, as every role (before, 2**31 was a DataError on
PostgreSQL and 2**63 an OverflowError on SQLite: a 500)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

from quizapp.converters import ID_MAX, IdConverter, digits_up_to
from quizapp.models import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

TOO_BIG = (2**31, 2**63, 10**30)


def int_rules(app: Flask) -> list:  # type: ignore[type-arg]
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def test_every_integer_argument_uses_the_bounded_converter(app: Flask) -> None:
    rules = int_rules(app)
    assert len(rules) >= 25  # the trainee, authoring, manager and admin routes
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), (rule.rule, name)
                assert converter.max == ID_MAX, (rule.rule, name)


def test_the_converter_accepts_the_column_range_only(app: Flask) -> None:
    converter = IdConverter(app.url_map)
    assert converter.to_python("0") == 0
    assert converter.to_python(str(ID_MAX)) == ID_MAX
    with pytest.raises(ValidationError):
        converter.to_python(str(ID_MAX + 1))
    assert IdConverter(app.url_map, max=2**40).max == ID_MAX  # never wider than the column


@pytest.mark.parametrize("role", list(Role))
def test_out_of_range_ids_are_404_on_every_route(app: Flask, client, auth, role: Role) -> None:
    with app.app_context():
        user = UserFactory(role=role)
        email = user.email
    assert auth.login(email, DEFAULT_PASSWORD).status_code == 302
    failures = []
    for rule in int_rules(app):
        for value in TOO_BIG:
            path = re.sub(r"<(?:int:|id:)?[^>]*>", "x", _ints_to(rule.rule, str(value)))
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                status = client.open(path, method=method).status_code
                if status != 404:
                    failures.append((method, path, status))
    assert failures == []


def _ints_to(rule_text: str, value: str) -> str:
    """The rule's text with every integer argument replaced by `value`."""
    return re.sub(r"<(?:int|id)(?:\([^)]*\))?:[^>]+>", value, rule_text)


def test_the_attempt_urls_from_the_report(app: Flask, client, auth) -> None:
    with app.app_context():
        email = UserFactory(role=Role.TRAINEE).email
    auth.login(email, DEFAULT_PASSWORD)
    assert client.get("/attempts/2147483648").status_code == 404
    assert client.get("/attempts/9223372036854775808").status_code == 404
    assert client.get("/attempts/2147483647").status_code == 404  # in range: no such attempt
    assert client.get(f"/attempts/{'9' * 5000}").status_code == 404


@pytest.mark.parametrize("limit", [0, 1, 9, 10, 19, 20, 99, 100, 205, 1000, 1009, 30517])
def test_the_range_regex_matches_exactly_zero_to_the_limit(limit: int) -> None:
    pattern = re.compile(digits_up_to(limit))
    matched = [n for n in range(limit * 3 + 20) if pattern.fullmatch(str(n))]
    assert matched == list(range(limit + 1))
