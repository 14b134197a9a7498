"""Build small bank folders for tests: the real outline and taxonomy, chosen question files."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import BANK_PATH

DATA = Path(__file__).resolve().parent.parent / "data"


def make_bank(root: Path, questions: dict[str, str] | None = None) -> Path:
    """A bank folder under `root` with the real sources and taxonomy and the given files."""
    bank = root / "bank"
    shutil.copytree(BANK_PATH / "sources", bank / "sources")
    shutil.copy(BANK_PATH / "taxonomy.yaml", bank / "taxonomy.yaml")
    files = (
        questions
        if questions is not None
        else {"routes/iv.yaml": (DATA / "every_type.yaml").read_text()}
    )
    for name, text in files.items():
        path = bank / "questions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return bank
