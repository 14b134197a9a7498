"""Roster CSV parsing and validation (pure: no Flask, no database).

A roster has a header row naming the columns `email,name,role,unit` (any order, any case) and
one person per row. Every problem names its line, and a caller imports nothing when there is
any problem. Emails are normalised (trimmed, lower case), an empty name is derived from the
email, runs of spaces in names and units are collapsed, and an empty unit means none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

COLUMNS = ("email", "name", "role", "unit")
ROLES = ("trainee", "instructor", "manager", "admin")
MAX_EMAIL = 254
MAX_NAME = 120
MAX_UNIT = 120

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    """A plausible address: something@domain.tld, no spaces, at most 254 characters."""
    return len(email) <= MAX_EMAIL and _EMAIL.match(email) is not None


def derive_name(email: str) -> str:
    return email.split("@")[0]


def _squash(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    name: str
    role: str
    unit: str  # "" for none


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _records(text: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Non-blank CSV records with the line each starts on (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        return records, Problem(start, f"not readable as CSV ({exc})")
    return records, None


def _header(line: int, cells: list[str], problems: list[Problem]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in cells]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in COLUMNS:
            if name in index:
                problems.append(Problem(line, f"the column {name!r} appears twice"))
            index.setdefault(name, position)
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        problems.append(
            Problem(
                line,
                f"the header row lacks the column(s) {', '.join(missing)} "
                f"(expected {','.join(COLUMNS)})",
            )
        )
        return None
    return index


def _row(
    line: int, cells: list[str], index: dict[str, int], width: int
) -> tuple[RosterRow | None, list[Problem]]:
    if len(cells) > width:
        return None, [Problem(line, f"{len(cells)} values, but the header has {width} columns")]
    padded = [c.strip() for c in cells] + [""] * (width - len(cells))
    email = normalise_email(padded[index["email"]])
    name = _squash(padded[index["name"]])
    role = padded[index["role"]].lower()
    unit = _squash(padded[index["unit"]])
    problems = []
    if not email:
        problems.append(Problem(line, "no email"))
    elif not looks_like_email(email):
        problems.append(Problem(line, f"{email!r} is not an email address"))
    if not role:
        problems.append(Problem(line, f"no role (use one of {', '.join(ROLES)})"))
    elif role not in ROLES:
        problems.append(Problem(line, f"unknown role {role!r} (use one of {', '.join(ROLES)})"))
    if len(name) > MAX_NAME:
        problems.append(Problem(line, f"the name is longer than {MAX_NAME} characters"))
    if len(unit) > MAX_UNIT:
        problems.append(Problem(line, f"the unit is longer than {MAX_UNIT} characters"))
    if problems:
        return None, problems
    return RosterRow(line, email, name or derive_name(email), role, unit), []


def parse_roster(text: str) -> ParsedRoster:
    """Rows and problems of a roster; `ok` only when there is no problem at all."""
    result = ParsedRoster()
    text = text.removeprefix("\ufeff")
    records, unreadable = _records(text)
    if unreadable is not None:
        result.problems.append(unreadable)
        return result
    if not records:
        result.problems.append(
            Problem(1, f"the file is empty (expected a header row {','.join(COLUMNS)})")
        )
        return result
    header_line, header_cells = records[0]
    index = _header(header_line, header_cells, result.problems)
    if index is None:
        return result
    if len(records) == 1:
        result.problems.append(Problem(header_line, "a header row but no one listed under it"))
    first_seen: dict[str, int] = {}
    for line, cells in records[1:]:
        row, problems = _row(line, cells, index, len(header_cells))
        result.problems.extend(problems)
        if row is None:
            continue
        if row.email in first_seen:
            result.problems.append(
                Problem(
                    line, f"duplicate email {row.email} (first on line {first_seen[row.email]})"
                )
            )
            continue
        first_seen[row.email] = line
        result.rows.append(row)
    return result
