"""Bank folders with case studies, for the case tests: the project's own case file, and
broken copies of it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import BANK_PATH
from tests.integration.bank_folder import make_bank

CASE_FILE = BANK_PATH / "cases" / "iv-vesicant-shift.yaml"
CASE_KEY = "case-iv-vesicant"
CASE_UIDS = [f"case-ivv-{n}" for n in range(1, 7)]


def case_text() -> str:
    return CASE_FILE.read_text()


def bank_with_case(tmp_path: Path, text: str | None = None, name: str = "iv.yaml") -> Path:
    """The small bank (every type, routes/intravenous) plus one case file."""
    bank = make_bank(tmp_path)
    (bank / "cases").mkdir(exist_ok=True)
    (bank / "cases" / name).write_text(case_text() if text is None else text)
    return bank


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def start_case(client, key: str = CASE_KEY) -> int:  # type: ignore[no-untyped-def]
    page = client.get("/practice")
    assert page.status_code == 200
    response = client.post(f"/practice/cases/{key}", data={"token": "tok-" + key})
    assert response.status_code == 302, response.data.decode()
    match = re.search(r"/attempts/(\d+)/q/1", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))
