"""Races a trainee causes with two tabs or a double click, under gunicorn with four workers, on
SQLite and PostgreSQL: starts of a limited quiz, double starts, double submits, and two first
submits on one topic. None may give a 5xx, make an attempt the quiz does not allow, or lose a
mark from the per-topic record."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptStatus,
    Response,
    Topic,
    TopicScore,
    Unit,
    UnitMembership,
    User,
)
from quizapp.services.quizzes import assign_quiz, create_quiz
from tests.conftest import make_app
from tests.system.server import Browser, Reply, answer_fields, csrf, gunicorn, seq_of
from tests.system.setup_data import BACKENDS, PASSWORD, database_for, prepare

QUIZ_LENGTH = 1  # short attempts, so that the races, not the answering, take the time
PRACTICE_LENGTH = 5  # the shortest practice there is; one question of it is answered
ATTEMPT_ID = re.compile(r"/attempts/(\d+)")
TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


@dataclass
class Flow:
    """What one trainee saw: every status, and the problems found on the way."""

    email: str
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record(self, replies: list[Reply]) -> list[Reply]:
        self.statuses += [r.status for r in replies]
        return replies


def _ward(url: str, name: str, emails: list[str], attempts_allowed: int) -> int:
    """A unit holding these trainees, and a quiz of QUIZ_LENGTH questions assigned to it."""
    app = make_app(url)
    with app.app_context():
        unit = Unit(name=name)
        db.session.add(unit)
        db.session.flush()
        users = db.session.scalars(select(User.id).where(User.email.in_(emails))).all()
        db.session.add_all(UnitMembership(unit_id=unit.id, user_id=u) for u in users)
        db.session.commit()
        quiz = create_quiz(
            f"IV check for {name}",
            {"per_topic": {"routes/intravenous": QUIZ_LENGTH}},
            mode="exam",
            attempts_allowed=attempts_allowed,
        )
        assign_quiz(quiz.id, unit.id)
        quiz_id = quiz.id
        db.engine.dispose()
    return quiz_id


@dataclass
class Site:
    url: str  # the database
    base: str  # the server
    log: Path
    topic_id: int
    tabs: tuple[list[str], int]  # 15 trainees and their two-attempt quiz
    eight: tuple[list[str], int]  # 4 trainees and their one-attempt quiz


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    """One database and one gunicorn (four workers) per backend, shared by the tests here:
    starting four workers takes longer on two busy cores than the races themselves."""
    tmp = tmp_path_factory.mktemp(f"races-{request.param}")
    url = database_for(tmp, request.param)
    emails = prepare(url, tmp, 19)
    tabs, eight = emails[:15], emails[15:]
    tabs_quiz = _ward(url, "Ward 7", tabs, attempts_allowed=2)
    eight_quiz = _ward(url, "Ward 8", eight, attempts_allowed=1)
    app = make_app(url)
    with app.app_context():
        topic_id = db.session.scalar(select(Topic.id).where(Topic.key == "routes/intravenous"))
        db.engine.dispose()
    log = tmp / "gunicorn.log"
    with gunicorn({"DATABASE_URL": url}, workers=4, log=log) as server:
        yield Site(url, server.url, log, topic_id, (tabs, tabs_quiz), (eight, eight_quiz))


def _together(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Send the requests at the same moment (a barrier), as two tabs or a double click do."""
    if not calls:
        return []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Reply]) -> Reply:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _attempt_of(reply: Reply) -> int | None:
    match = ATTEMPT_ID.search(reply.location) if reply.status == 302 else None
    return int(match.group(1)) if match else None


def _start_form(browser: Browser, path: str) -> dict[str, str]:
    page = browser.get(path)
    token = TOKEN.search(page.body)  # none when the page offers no start (one in progress)
    return {"token": token.group(1) if token else "", "csrf_token": csrf(page.body)}


def _practice_form(browser: Browser, topic_id: int) -> dict[str, str]:
    return {
        **_start_form(browser, "/practice"),
        "topics": str(topic_id),
        "length": str(PRACTICE_LENGTH),
        "mode": "exam",
    }


def _answer(browser: Browser, attempt_id: int, count: int, out: Flow) -> dict[str, str]:
    """Answer the first `count` questions once; returns the review page's submit form."""
    for position in range(1, count + 1):
        page = browser.get(f"/attempts/{attempt_id}/q/{position}")
        form = {**answer_fields(page.body), "seq": seq_of(page.body), "csrf_token": csrf(page.body)}
        out.record([browser.post(f"/attempts/{attempt_id}/q/{position}", form)])
    review = browser.get(f"/attempts/{attempt_id}/review").body
    return {"seq": seq_of(review), "csrf_token": csrf(review), "confirm": "yes"}


def _submit_together(browser: Browser, forms: dict[int, dict[str, str]], out: Flow) -> None:
    """Submit attempts (one twice, or two at once) together; every reply shows its result."""
    calls = [lambda a=a, f=f: browser.post(f"/attempts/{a}/submit", f) for a, f in forms.items()]
    replies = out.record(_together(calls * (2 if len(forms) == 1 else 1)))
    wanted = [f"/attempts/{a}/result" for a in forms] * (2 if len(forms) == 1 else 1)
    if [r.location.removeprefix(browser.base) for r in replies] != wanted:
        out.errors.append(f"submit: {[(r.status, r.location) for r in replies]}")


def _one_place(out: Flow, what: str, replies: list[Reply]) -> int | None:
    """Every reply redirected to the same attempt; returns its id."""
    ids = {_attempt_of(r) for r in replies}
    if len(ids) != 1 or None in ids:
        out.errors.append(f"{what}: {[(r.status, r.location) for r in replies]}")
        return None
    return ids.pop()


def trainee_flow(base: str, email: str, quiz_id: int, topic_id: int, index: int) -> Flow:
    """Two practice tabs started and submitted together (first submits on the topic), a double
    click on practice start, two quiz tabs started together twice, double submits, and a start
    past the limit."""
    out = Flow(email)
    browser = Browser(base)
    out.record([browser.login(email, PASSWORD)])
    tabs = [_practice_form(browser, topic_id) for _ in range(2)]
    replies = out.record(_together([lambda f=f: browser.post("/practice", f) for f in tabs]))
    pair = {_attempt_of(r) for r in replies} - {None}
    if len(pair) != 2:
        out.errors.append(f"two practice tabs: {[(r.status, r.location) for r in replies]}")
    _submit_together(browser, {a: _answer(browser, a, 1, out) for a in sorted(pair)}, out)
    form = _practice_form(browser, topic_id)
    _one_place(
        out,
        "practice double click",
        out.record(_together([lambda: browser.post("/practice", form)] * 2)),
    )
    start = f"/quizzes/{quiz_id}/start"
    for number in (1, 2):
        # Even trainees: two tabs (two tokens); odd ones: a double click (one token).
        forms = [_start_form(browser, f"/quizzes/{quiz_id}") for _ in range(2 - index % 2)]
        calls = [lambda f=f: browser.post(start, f) for f in forms * (1 + index % 2)]
        attempt_id = _one_place(out, f"quiz start {number}", out.record(_together(calls)))
        if attempt_id is not None:
            _submit_together(
                browser, {attempt_id: _answer(browser, attempt_id, QUIZ_LENGTH, out)}, out
            )
    refused = out.record([browser.post(start, _start_form(browser, f"/quizzes/{quiz_id}"))])[0]
    if refused.status != 302 or not refused.location.endswith(f"/quizzes/{quiz_id}"):
        out.errors.append(f"a third start of a two-attempt quiz: {refused.location}")
    return out


def _check(url: str, flows: list[Flow], quiz_id: int, topic_id: int) -> None:
    app = make_app(url)
    with app.app_context():
        for flow in flows:
            user_id = db.session.scalar(select(User.id).where(User.email == flow.email))
            attempts = db.session.scalars(
                select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.number)
            ).all()
            quiz = [a for a in attempts if a.quiz_id == quiz_id]
            assert [a.quiz_number for a in quiz] == [1, 2], (flow.email, "one per allowed number")
            assert all(a.status is AttemptStatus.SUBMITTED for a in quiz), flow.email
            assert len(attempts) == 5, (flow.email, "2 practice tabs + 1 double click + 2 quiz")
            counted = db.session.scalar(
                select(func.count())
                .select_from(Response)
                .join(Attempt, Attempt.id == Response.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.SUBMITTED)
            )
            scores = db.session.scalars(
                select(TopicScore).where(
                    TopicScore.user_id == user_id, TopicScore.topic_id == topic_id
                )
            ).all()
            assert len(scores) == 1, flow.email
            expected = 2 + 2 * QUIZ_LENGTH  # one answer in each practice tab, both quiz attempts
            assert scores[0].answered == counted == expected, (flow.email, "a submit not counted")
        db.engine.dispose()


def test_two_tabs_and_double_clicks_give_no_5xx_and_one_attempt_per_number(site) -> None:
    emails, quiz_id = site.tabs
    with ThreadPoolExecutor(len(emails)) as pool:
        flows = list(
            pool.map(
                lambda p: trainee_flow(site.base, p[1], quiz_id, site.topic_id, p[0]),
                enumerate(emails),
            )
        )
    statuses = [s for f in flows for s in f.statuses]
    assert [s for s in statuses if s >= 500] == [], site.log.read_text()[-3000:]
    assert [e for f in flows for e in f.errors] == []
    _check(site.url, flows, quiz_id, site.topic_id)


def test_eight_starts_at_once_of_a_one_attempt_quiz_make_one_attempt(site) -> None:
    """Eight tabs of the quiz page, each with its own token, start at the same moment; four
    trainees do so at once. Each trainee gets one attempt, and all eight tabs land on it."""
    emails, quiz_id = site.eight

    def eight_tabs(email: str) -> Flow:
        out = Flow(email)
        browser = Browser(site.base)
        out.record([browser.login(email, PASSWORD)])
        forms = [_start_form(browser, f"/quizzes/{quiz_id}") for _ in range(8)]
        start = f"/quizzes/{quiz_id}/start"
        calls = [lambda f=f: browser.post(start, f) for f in forms]
        _one_place(out, "eight starts", out.record(_together(calls)))
        return out

    with ThreadPoolExecutor(len(emails)) as pool:
        flows = list(pool.map(eight_tabs, emails))
    assert [s for f in flows for s in f.statuses if s >= 500] == [], site.log.read_text()[-3000:]
    app = make_app(site.url)
    with app.app_context():
        for email in emails:
            made = db.session.scalar(
                select(func.count())
                .select_from(Attempt)
                .join(User, User.id == Attempt.user_id)
                .where(User.email == email, Attempt.quiz_id == quiz_id)
            )
            assert made == 1, (email, f"{made} attempts of a one-attempt quiz")
        db.engine.dispose()
    assert [e for f in flows for e in f.errors] == []
