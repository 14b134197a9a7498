"""Create the PostgreSQL database named in the URL when it does not exist yet."""

import sys

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
name = url.database
admin = url.set(drivername="postgresql", database="postgres").render_as_string(
    hide_password=False
)
with psycopg.connect(admin, autocommit=True) as conn:
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists:
        print(f"database {name} exists")
    else:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
