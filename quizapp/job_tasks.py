"""What an RQ worker runs: one declared job (services/jobs.py) inside an app context.

`flask jobs worker` runs the RQ worker in-process (a SimpleWorker, no fork per job), inside
the CLI's app context; a plain `rq worker` process gets an app made from the environment.
"""

from __future__ import annotations

from flask import Flask, has_app_context

_app: Flask | None = None


def perform(name: str) -> str:
    if has_app_context():
        return _perform(name)
    global _app
    if _app is None:
        from quizapp import create_app

        _app = create_app()
    with _app.app_context():
        return _perform(name)


def _perform(name: str) -> str:
    from quizapp.extensions import db
    from quizapp.services.jobs import run

    try:
        record = run(name)
        return f"{record.name}: {'ok' if record.ok else 'failed'}: {record.result}"
    finally:
        db.session.remove()
