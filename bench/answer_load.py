"""Answer throughput under gunicorn, against the bare-Flask floor in the same run.

Each simulated trainee signs in once and starts a 20-question exam; then, all together, they
answer their 20 questions (the timed phase) and submit. The floor gets the same number of
concurrent clients posting the same number of single-INSERT requests.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.system.server import Browser, csrf, free_port, gunicorn
from tests.system.setup_data import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = 20
PASSES = 3  # each question answered three times (exam answers may be changed): steadier figures


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1) if ordered else 0.0
    )


def _summary(samples: list[float], seconds: float) -> dict[str, float]:
    return {
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 1) if seconds else 0.0,
        "p50_ms": _pct(samples, 0.5),
        "p95_ms": _pct(samples, 0.95),
        "p99_ms": _pct(samples, 0.99),
    }


def prepare(url: str, tmp: Path, trainees: int) -> tuple[list[str], list[int]]:
    """A database with the whole bank and `trainees` trainees; returns emails and topic ids."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from bench.generate import make_app, reset
    from quizapp.extensions import db
    from quizapp.models import Role, Topic, User
    from quizapp.passwords import hash_password

    reset(url)
    app = make_app(url)
    emails = [f"load{n}@bench.example" for n in range(trainees)]
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        assert app.test_cli_runner().invoke(args=["bank", "load"]).exit_code == 0
        hashed = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                {
                    "email": e,
                    "name": e,
                    "role": Role.TRAINEE,
                    "password_hash": hashed,
                    "active": True,
                    "session_version": 1,
                }
                for e in emails
            ],
        )
        db.session.commit()
        topics = list(
            db.session.scalars(
                select(Topic.id).where(
                    Topic.key.in_(
                        [
                            "routes/intravenous",
                            "complications/intravenous",
                            "preparation/during-treatment",
                        ]
                    )
                )
            )
        )
        db.engine.dispose()
    return emails, topics


def answer_forms(url: str, attempt_id: int) -> list[dict[str, Any]]:
    """Valid answers for each question of an attempt (read before the timed phase)."""
    import random

    from sqlalchemy import select

    from bench.generate import make_app
    from quizapp.extensions import db
    from quizapp.models import AttemptItem
    from tests.integration.quiz_helpers import fields_for

    rng = random.Random(attempt_id)
    app = make_app(url)
    with app.app_context():
        items = db.session.scalars(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
        forms = [fields_for(i.version.type, i.version.data, rng.random() < 0.75) for i in items]
        db.engine.dispose()
    return forms


def run_ours(base: str, url: str, emails: list[str], topic_ids: list[int]) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"login": [], "start": [], "answer": [], "submit": []}
    errors = []
    lock = threading.Lock()
    ready = threading.Barrier(len(emails) + 1)
    go = threading.Event()

    def timed(kind: str, call):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        reply = call()
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            timings[kind].append(elapsed)
            if reply.status != 302:
                errors.append(f"{kind}: {reply.status}")
        return reply

    def trainee(email: str) -> None:
        browser = Browser(base)
        try:
            page = browser.get("/login")
            timed(
                "login",
                lambda: browser.post(
                    "/login", {"email": email, "password": PASSWORD, "csrf_token": csrf(page.body)}
                ),
            )
            practice = browser.get("/practice")
            token = re.search(r'name="token" type="hidden" value="([^"]+)"', practice.body).group(1)
            form = {
                "topics": [str(t) for t in topic_ids],
                "length": str(QUESTIONS),
                "mode": "exam",
                "token": token,
                "csrf_token": csrf(practice.body),
            }
            started = timed("start", lambda: browser.post("/practice", form))
            attempt = int(re.search(r"/attempts/(\d+)/", started.location).group(1))
            first = browser.get(f"/attempts/{attempt}/q/1")
            token = csrf(first.body)
            forms = answer_forms(url, attempt)
        finally:
            ready.wait()
        go.wait()
        for step in range(QUESTIONS * PASSES):
            position = step % QUESTIONS + 1
            data = {**forms[position - 1], "seq": str(step), "csrf_token": token}
            timed(
                "answer", lambda d=data, p=position: browser.post(f"/attempts/{attempt}/q/{p}", d)
            )
        timed(
            "submit",
            lambda: browser.post(
                f"/attempts/{attempt}/submit",
                {"seq": str(QUESTIONS * PASSES), "csrf_token": token, "confirm": "yes"},
            ),
        )

    with ThreadPoolExecutor(len(emails)) as pool:
        futures = [pool.submit(trainee, e) for e in emails]
        ready.wait()
        started = time.perf_counter()
        go.set()
        for f in futures:
            f.result()
        seconds = time.perf_counter() - started
    answer_seconds = seconds  # the timed phase: answers and the final submits
    return {
        "answer": _summary(timings["answer"], answer_seconds),
        "submit": _summary(timings["submit"], answer_seconds),
        "login": _summary(timings["login"], 1.0) | {"rps": None},
        "start": _summary(timings["start"], 1.0) | {"rps": None},
        "errors": len(errors),
    }


def run_floor(base: str, clients: int) -> dict[str, Any]:
    samples: list[float] = []
    errors = []
    lock = threading.Lock()

    def client(n: int) -> None:
        browser = Browser(base)
        for step in range(QUESTIONS * PASSES):
            position = step % QUESTIONS + 1
            start = time.perf_counter()
            reply = browser.post(
                "/answer", {"attempt": str(n), "position": str(position), "answer": "a"}
            )
            with lock:
                samples.append((time.perf_counter() - start) * 1000)
                if reply.status != 302:
                    errors.append(reply.status)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - started
    return {"answer": _summary(samples, seconds), "errors": len(errors)}


def measure(url: str, concurrency: int, tmp: Path, workers: int = 4) -> dict[str, Any]:
    emails, topics = prepare(url, tmp, concurrency)
    with gunicorn({"DATABASE_URL": url}, workers=workers, log=tmp / "app.log") as server:
        ours = run_ours(server.url, url, emails, topics)
    env = {"DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-c", "from bench.floor_app import create_table; create_table()"],
        cwd=ROOT,
        env={**__import__("os").environ, **env},
        check=True,
    )
    floor = _gunicorn_floor(env, workers, tmp, lambda base: run_floor(base, concurrency))
    ratio = ours["answer"]["rps"] / floor["answer"]["rps"] if floor["answer"]["rps"] else None
    return {
        "concurrency": concurrency,
        "ours": ours,
        "floor": floor,
        "ratio": round(ratio, 2) if ratio else None,
    }


def _gunicorn_floor(env: dict[str, str], workers: int, tmp: Path, body):  # type: ignore[no-untyped-def]
    import os
    import signal
    import urllib.request

    port = free_port()
    log = (tmp / "floor.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "bench.floor_app:app",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/missing", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        return body(f"http://127.0.0.1:{port}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        log.close()


__all__ = ["measure", "shutil", "statistics"]
