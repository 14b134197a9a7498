"""Sign-in limits hold across four gunicorn workers with no Redis: the counts are in the
database, taken atomically before the password is checked, so parallel tries cannot slip
past (Flask-Limiter's memory store counted per worker, and tested before it counted)."""

from __future__ import annotations

import pytest

from tests.system.server import Browser, gunicorn
from tests.system.setup_data import BACKENDS, PASSWORD, database_for, prepare
from tests.system.signin_burst import burst, passwords_checked

# A long first wait, so that a slow machine cannot turn "refused" into "waited long enough".
ENV = {"LOGIN_FIRST_WAIT_SECONDS": "120"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_24_parallel_wrong_passwords_check_only_five(tmp_path, backend) -> None:
    url = database_for(tmp_path, backend)
    [email] = prepare(url, tmp_path, 1)
    with gunicorn({"DATABASE_URL": url, **ENV}, workers=4, log=tmp_path / "g.log") as server:
        statuses = burst(server.url, email, "a wrong password!", 24)
        assert sorted(statuses) == [200] * 5 + [429] * 19
        assert passwords_checked(url) == 5
        # from another address the account still opens (the test client cannot change its
        # socket address here; the integration tests cover that), and the count is shared:
        # every worker now refuses this address at once
        for _ in range(8):
            assert Browser(server.url).login(email, PASSWORD).status == 429
        assert len(server.worker_pids()) == 4
