"""Fifty trainees at once against gunicorn with four workers, on SQLite and PostgreSQL:
no 5xx, no lost or duplicated answer, every attempt scored exactly once. A worker killed
mid-save loses no acknowledged answer."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, text

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, AttemptStatus, Response, Topic, TopicScore, User
from tests.conftest import make_app
from tests.system.server import Browser, answer_fields, csrf, gunicorn, seq_of
from tests.system.setup_data import BACKENDS, PASSWORD, database_for, prepare

QUESTIONS = 5


@dataclass
class Outcome:
    email: str
    statuses: list[int] = field(default_factory=list)
    attempt_id: int | None = None
    acknowledged: dict[int, dict[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _start(browser: Browser, topic_id: int, out: Outcome) -> int:
    page = browser.get("/practice")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.body).group(1)
    form = {
        "topics": str(topic_id),
        "length": str(QUESTIONS),
        "mode": "exam",
        "token": token,
        "csrf_token": csrf(page.body),
    }
    replies = _maybe_twice(lambda: browser.post("/practice", form), twice=True)
    locations = {r.location for r in replies}
    out.statuses += [r.status for r in replies]
    if len(locations) != 1:
        out.errors.append(f"double start gave {locations}")
    return int(re.search(r"/attempts/(\d+)/", replies[0].location).group(1))


def _maybe_twice(call, twice: bool):  # type: ignore[no-untyped-def]
    if not twice:
        return [call()]
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda _: call(), range(2)))


def trainee_flow(base: str, email: str, topic_id: int, index: int) -> Outcome:
    out = Outcome(email)
    browser = Browser(base)
    login = browser.login(email, PASSWORD)
    out.statuses.append(login.status)
    attempt_id = out.attempt_id = _start(browser, topic_id, out)
    for position in range(1, QUESTIONS + 1):
        page = browser.get(f"/attempts/{attempt_id}/q/{position}")
        out.statuses.append(page.status)
        fields = answer_fields(page.body, pick=index + position)
        form = {**fields, "seq": seq_of(page.body), "csrf_token": csrf(page.body)}
        replies = _maybe_twice(
            lambda p=position, f=form: browser.post(f"/attempts/{attempt_id}/q/{p}", f),
            twice=index % 2 == 0,
        )
        out.statuses += [r.status for r in replies]
        accepted = [r for r in replies if not r.location.endswith(f"/q/{position}")]
        if len(accepted) != 1:
            out.errors.append(f"q{position}: {len(accepted)} posts accepted of {len(replies)}")
        if accepted:
            out.acknowledged[position] = fields
    review = browser.get(f"/attempts/{attempt_id}/review")
    submit = {"seq": seq_of(review.body), "csrf_token": csrf(review.body), "confirm": "yes"}
    replies = _maybe_twice(
        lambda: browser.post(f"/attempts/{attempt_id}/submit", submit), twice=index % 3 == 0
    )
    out.statuses += [r.status for r in replies]
    if not all(r.location.endswith("/result") for r in replies):
        out.errors.append(f"submit went to {[r.location for r in replies]}")
    return out


def _topic(url: str) -> int:
    app = make_app(url)
    with app.app_context():
        topic = db.session.scalar(select(Topic.id).where(Topic.key == "routes/intravenous"))
        db.engine.dispose()
        return topic


def _check_database(url: str, outcomes: list[Outcome]) -> None:
    app = make_app(url)
    with app.app_context():
        for out in outcomes:
            attempt = db.session.get(Attempt, out.attempt_id)
            assert attempt.status is AttemptStatus.SUBMITTED, out.email
            responses = {
                item.position: item.response
                for item in db.session.scalars(
                    select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                )
            }
            for position in out.acknowledged:
                assert responses[position] is not None, (
                    out.email,
                    position,
                    "acknowledged answer lost",
                )
            marks = [r.mark for r in responses.values() if r is not None]
            assert attempt.score == pytest.approx(sum(marks)), out.email
            user = db.session.scalar(select(User).where(User.email == out.email))
            attempts = db.session.scalar(
                select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id)
            )
            assert attempts == 1, (out.email, "a double start made two attempts")
            answered = db.session.scalar(
                select(TopicScore.answered).where(TopicScore.user_id == user.id)
            )
            assert answered == len(marks), (out.email, "the attempt was scored more than once")
        duplicates = db.session.execute(
            select(Response.item_id, func.count())
            .group_by(Response.item_id)
            .having(func.count() > 1)
        ).all()
        assert duplicates == []
        db.engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_trainees_under_four_workers(tmp_path, backend) -> None:
    url = database_for(tmp_path, backend)
    emails = prepare(url, tmp_path, 50)
    topic_id = _topic(url)
    log = tmp_path / "gunicorn.log"
    with (
        gunicorn({"DATABASE_URL": url}, workers=4, log=log) as server,
        ThreadPoolExecutor(50) as pool,
    ):
        outcomes = list(
            pool.map(lambda p: trainee_flow(server.url, p[1], topic_id, p[0]), enumerate(emails))
        )
    statuses = [s for o in outcomes for s in o.statuses]
    assert [s for s in statuses if s >= 500] == [], (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert [e for o in outcomes for e in o.errors] == []
    _check_database(url, outcomes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_worker_loses_no_acknowledged_answer(tmp_path, backend) -> None:
    url = database_for(tmp_path, backend)
    emails = prepare(url, tmp_path, 12)
    topic_id = _topic(url)
    acknowledged: list[tuple[int, int]] = []
    reposts: dict[int, int] = {}  # attempt id -> answer posts sent again after a failed try
    lock = threading.Lock()

    def retry(step):  # type: ignore[no-untyped-def]
        """Try a step again, like a person pressing the button again after an error page."""
        for _ in range(4):
            try:
                return step()
            except Exception:
                time.sleep(0.2)
        return None

    def answer_loop(base: str, email: str, index: int) -> None:
        browser = Browser(base)
        login = retry(lambda: browser.login(email, PASSWORD))
        if login is None or login.status != 302:
            return
        attempt_id = retry(lambda: _start(browser, topic_id, Outcome(email)))
        if attempt_id is None:
            return
        for position in range(1, QUESTIONS + 1):
            tries = [0]

            def step(position: int = position, tries: list[int] = tries) -> bool:
                page = browser.get(f"/attempts/{attempt_id}/q/{position}")
                form = {
                    **answer_fields(page.body, index),
                    "seq": seq_of(page.body),
                    "csrf_token": csrf(page.body),
                }
                tries[0] += 1
                if tries[0] > 1:
                    with lock:
                        reposts[attempt_id] = reposts.get(attempt_id, 0) + 1
                reply = browser.post(f"/attempts/{attempt_id}/q/{position}", form)
                if reply.status == 302 and not reply.location.endswith(f"/q/{position}"):
                    with lock:
                        acknowledged.append((attempt_id, position))
                    return True
                raise RuntimeError("not accepted")

            retry(step)

    with gunicorn({"DATABASE_URL": url}, workers=3, log=tmp_path / "gunicorn.log") as server:
        with ThreadPoolExecutor(len(emails)) as pool:
            futures = [pool.submit(answer_loop, server.url, e, i) for i, e in enumerate(emails)]
            time.sleep(0.8)
            victims = server.worker_pids()
            assert victims, "no worker to kill"
            os.kill(victims[0], signal.SIGKILL)
            for future in futures:
                future.result()
        assert server.process.poll() is None  # the master restarts the worker
    assert acknowledged, "no answer was acknowledged at all"
    app = make_app(url)
    with app.app_context():
        for attempt_id, position in acknowledged:
            item = db.session.scalar(
                select(AttemptItem).where(
                    AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
                )
            )
            assert item.response is not None, (attempt_id, position)
        for attempt in db.session.scalars(select(Attempt)):
            answered = db.session.scalar(
                select(func.count()).select_from(Response).where(Response.attempt_id == attempt.id)
            )
            # One response per answered step and one seq step per saved answer. An answer is
            # given again only when a post is retried (its worker died, perhaps after the
            # commit and before the reply): each such retry can add one seq step and no row.
            again = reposts.get(attempt.id, 0)
            assert answered <= attempt.seq <= answered + again, (answered, attempt.seq, again)
        if backend == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.engine.dispose()
