"""No transaction control outside the service layer (issue 15).

Views, hooks and error handlers validate, call one service and show its result; the service's
`unit_of_work()` begins, commits or rolls back. A `.commit(` or a `begin_write` in a blueprint
module, in errors.py or in security.py is a view owning a transaction again: a failure half-way
through it leaves half a command saved. Services must not reach up into blueprints either.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "quizapp"
BLUEPRINTS = ("auth", "admin", "instructor", "manager", "trainee", "public", "health", "media")
FORBIDDEN = re.compile(r"\.commit\(|\bbegin_write\b")


def web_layer_files() -> list[Path]:
    files = [ROOT / "errors.py", ROOT / "security.py"]
    for name in BLUEPRINTS:
        files += sorted((ROOT / name).rglob("*.py"))
    return [f for f in files if f.exists()]


def transaction_control(source: str) -> list[tuple[int, str]]:
    """Lines that commit or begin a write transaction themselves (comments and strings too:
    a commented-out commit is a hint that someone wanted one here)."""
    return [
        (number, line.strip())
        for number, line in enumerate(source.splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]


def blueprint_imports(source: str) -> list[tuple[int, str]]:
    """Imports of a blueprint package (quizapp.auth, quizapp.trainee, ...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "quizapp" and parts[1] in BLUEPRINTS:
                found.append((node.lineno, name))
                break
    return found


REQUEST_NAMES = {"request", "has_request_context", "session", "g"}


def request_reads(source: str) -> list[tuple[int, str]]:
    """Imports of Flask's request-bound objects (the request, its session, `g`)."""
    return [
        (node.lineno, f"flask.{alias.name}")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module == "flask"
        for alias in node.names
        if alias.name in REQUEST_NAMES
    ]


def test_the_scan_finds_request_reads() -> None:
    source = "from flask import current_app, request\nfrom flask import g\n# a request.\n"
    assert request_reads(source) == [(1, "flask.request"), (2, "flask.g")]


def test_the_scan_finds_commits_and_begin_write() -> None:
    source = "def v():\n    db.session.commit()\n    begin_write()\n    x = 1\n"
    assert transaction_control(source) == [(2, "db.session.commit()"), (3, "begin_write()")]


def test_the_scan_finds_blueprint_imports() -> None:
    source = "from quizapp.auth.passwords import x\nfrom quizapp import trainee\nimport os\n"
    assert [line for line, _ in blueprint_imports(source)] == [1, 2]


def test_the_scan_covers_every_blueprint() -> None:
    scanned = {p.relative_to(ROOT).parts[0] for p in web_layer_files()}
    assert {"auth", "admin", "instructor", "manager", "trainee", "errors.py"} <= scanned


def test_no_view_hook_or_error_handler_commits_or_begins_a_write() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for path in web_layer_files()
        if (hits := transaction_control(path.read_text(encoding="utf-8")))
    }
    assert not found, f"transaction control outside services (call one service instead): {found}"


def test_services_do_not_import_blueprints_or_read_the_request() -> None:
    found = {}
    for path in sorted((ROOT / "services").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        hits = blueprint_imports(source)
        hits += request_reads(source)
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert not found, f"services reaching into the web layer: {found}"
