"""Sign-in storm at shift change: N nurses signing in within S seconds (default 200 in 20 s)
against gunicorn with four workers, with the old argon2 cost (64 MiB, t=3, p=4) and today's
(OWASP: 19 MiB, t=2, p=1), in one run, as a ratio.

    python -m bench.signin_storm                      # writes bench/results-signin.json and
                                                      # its section of docs/benchmarks.md
    python -m bench.signin_storm --users 40 --seconds 4 --no-write   # a quick look

Each server's users are hashed at that server's cost, so no sign-in is rehashed mid-run.
`make bench` (bench/run.py) keeps the section by rendering it from the saved JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask_migrate import upgrade
from sqlalchemy import insert

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import PROJECT_ROOT, make_app
from tests.system.server import Browser, csrf, gunicorn

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-signin.json"
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Sign-in storm at shift change"
PASSWORD = "a shift-change passphrase"
PROFILES = {  # name: (time_cost, memory KiB, parallelism)
    "old (64 MiB, t=3, p=4)": (3, 64 * 1024, 4),
    "new (19 MiB, t=2, p=1)": (2, 19 * 1024, 1),
}


def _prepare(url: str, users: int, cost: tuple[int, int, int]) -> list[str]:
    t, m, p = cost
    hashed = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p).hash(PASSWORD)
    emails = [f"nurse{n}@storm.example" for n in range(users)]
    app = make_app(url)
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        rows = [
            {"email": e, "name": e, "role": Role.TRAINEE, "password_hash": hashed} for e in emails
        ]
        db.session.execute(
            insert(User), [{**r, "active": True, "session_version": 1} for r in rows]
        )
        db.session.commit()
        db.engine.dispose()
    return emails


def _verify_ms(cost: tuple[int, int, int]) -> float:
    t, m, p = cost
    hasher = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
    hashed = hasher.hash(PASSWORD)
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        hasher.verify(hashed, PASSWORD)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system time of the worker processes so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _storm(base: str, emails: list[str], seconds: float) -> list[tuple[bool, float, float]]:
    """Sign-ins started evenly over `seconds`; each gives (signed in, latency, finished at)."""
    start = time.perf_counter()

    def one(i: int) -> tuple[bool, float, float]:
        time.sleep(max(0.0, start + i * seconds / len(emails) - time.perf_counter()))
        began = time.perf_counter()
        try:
            browser = Browser(base)
            token = csrf(browser.get("/login").body)
            reply = browser.post(
                "/login", {"email": emails[i], "password": PASSWORD, "csrf_token": token}
            )
            ok = reply.status == 302
        except OSError:  # a client timeout
            ok = False
        now = time.perf_counter()
        return ok, now - began, now - start

    with ThreadPoolExecutor(len(emails)) as pool:
        return list(pool.map(one, range(len(emails))))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


def measure(cost: tuple[int, int, int], users: int, seconds: float) -> dict[str, Any]:
    """One storm; a server slow to start on a busy machine is tried again (twice)."""
    for attempt in range(3):
        try:
            return _measure(cost, users, seconds)
        except RuntimeError as exc:
            if "did not start" not in str(exc) or attempt == 2:
                raise
            print(f"retrying: {exc}", flush=True)
    raise AssertionError("unreachable")


def _measure(cost: tuple[int, int, int], users: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'storm.db'}"
        emails = _prepare(url, users, cost)
        t, m, p = cost
        env = {
            "DATABASE_URL": url,
            "ARGON2_TIME_COST": str(t),
            "ARGON2_MEMORY_KIB": str(m),
            "ARGON2_PARALLELISM": str(p),
        }
        with gunicorn(env, workers=4, log=Path(tmp) / "gunicorn.log") as server:
            pids = server.worker_pids()
            cpu_before = _cpu_seconds(pids)
            outcomes = _storm(server.url, emails, seconds)
            cpu = _cpu_seconds(pids) - cpu_before
    latencies = [o[1] for o in outcomes]
    return {
        "signed_in": sum(o[0] for o in outcomes),
        "failed": sum(not o[0] for o in outcomes),
        "p50_s": _pct(latencies, 0.5),
        "p95_s": _pct(latencies, 0.95),
        "max_s": round(max(latencies), 2),
        "drained_s": round(max(o[2] for o in outcomes), 1),
        "server_cpu_per_signin_ms": round(cpu / users * 1000, 1),
        "one_verify_ms": _verify_ms(cost),
    }


def run(users: int, seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
        "users": users,
        "seconds": seconds,
        "profiles": {},
    }
    for name, cost in PROFILES.items():
        results["profiles"][name] = measure(cost, users, seconds)
        print(name, results["profiles"][name], flush=True)
    old, new = results["profiles"].values()
    results["ratio_old_over_new"] = {
        key: round(old[key] / new[key], 1) if new[key] else None
        for key in ("p95_s", "drained_s", "server_cpu_per_signin_ms", "one_verify_ms")
    }
    return results


def section(results: dict[str, Any]) -> str:
    """The benchmarks.md section for these results."""
    names = list(results["profiles"])
    rows = [
        ("signed in / failed", lambda r: f"{r['signed_in']} / {r['failed']}"),
        ("latency p50 / p95 / max (s)", lambda r: f"{r['p50_s']} / {r['p95_s']} / {r['max_s']}"),
        ("all done after (s)", lambda r: str(r["drained_s"])),
        ("server CPU per sign-in (ms)", lambda r: str(r["server_cpu_per_signin_ms"])),
        ("one verify in the bench process (ms)", lambda r: str(r["one_verify_ms"])),
    ]
    ratio = results["ratio_old_over_new"]
    lines = [
        HEADING,
        "",
        f"`python -m bench.signin_storm` · {results['date']} · {results['machine']}. "
        f"{results['users']} sign-ins (GET the form, POST the right password) started evenly "
        f"over {results['seconds']:g} s against gunicorn with 4 sync workers on SQLite.",
        "",
        "| | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---" for _ in names) + " |",
    ]
    for label, cell in rows:
        lines.append(
            f"| {label} | " + " | ".join(cell(results["profiles"][n]) for n in names) + " |"
        )
    lines += [
        "",
        f"Old cost divided by new: p95 latency {ratio['p95_s']}, time until the last sign-in ended "
        f"{ratio['drained_s']}, server CPU per sign-in {ratio['server_cpu_per_signin_ms']}, "
        f"one verify {ratio['one_verify_ms']}.",
        "",
        "A client gives up after 60 s per request (failed = timed out). CPU per sign-in is the "
        "workers' CPU during the storm over the sign-ins started, so under the old cost the "
        "work still queued when clients gave up is not in it. Figures vary with the machine's "
        "other load: compare the two columns of one run.",
        "",
    ]
    return "\n".join(lines)


def saved_section() -> str:
    """The section from the last saved run ('' if none), for bench/run.py to keep."""
    if not RESULTS.exists():
        return ""
    return "\n" + section(json.loads(RESULTS.read_text()))


def write_doc(text: str) -> None:
    """Replace this section of docs/benchmarks.md (or add it at the end)."""
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if HEADING in doc:
        before, rest = doc.split(HEADING, 1)
        after = rest.split("\n## ", 1)
        doc = before + text + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    results = run(args.users, args.seconds)
    print(json.dumps(results["ratio_old_over_new"]))
    if not args.no_write:
        RESULTS.write_text(json.dumps(results, indent=2))
        write_doc(section(results))


if __name__ == "__main__":
    main()
