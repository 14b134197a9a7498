"""The floor: a minimal Flask app doing the essential work of saving one answer (one INSERT
in the same database, one commit), served with the same gunicorn settings as the app."""

from __future__ import annotations

import os

from flask import Flask, request
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, insert

from quizapp.config import normalise_database_url

engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
metadata = MetaData()
floor_answers = Table(
    "floor_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("attempt", Integer),
    Column("position", Integer),
    Column("answer", String(200)),
    Column("mark", Float),
)

if engine.dialect.name == "sqlite":
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


app = Flask(__name__)


@app.post("/answer")
def answer():  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(
            insert(floor_answers).values(
                attempt=int(request.form.get("attempt", 0)),
                position=int(request.form.get("position", 0)),
                answer=request.form.get("answer", "")[:200],
                mark=1.0,
            )
        )
    return "", 302, {"Location": "/next"}


def create_table() -> None:
    metadata.drop_all(engine)
    metadata.create_all(engine)
