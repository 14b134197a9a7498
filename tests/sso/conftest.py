"""Fixtures for the directory sign-in tests. LDAP: a real slapd on loopback
(tests/sso/ldap_server.py), one per module; a test that changes entries puts them back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sso.ldap_server import Directory, running_directory


@pytest.fixture(scope="module")
def ldap_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    with running_directory(tmp_path_factory.mktemp("slapd")) as directory:
        yield directory
