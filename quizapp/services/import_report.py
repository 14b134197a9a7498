"""What an import did, or would do, with each question of a file (plain data for the CLI and
the import page)."""

from __future__ import annotations

from dataclasses import dataclass, field

DRAFT, INVALID, SKIPPED = "draft", "invalid", "skipped"


@dataclass(frozen=True)
class ImportRow:
    """One question of the file and what the import does (or would do) with it."""

    line: int
    kind: str  # our type, or the kind of a skipped question ("essay", "ordering", ...)
    label: str  # its id, else its name, else the start of its stem
    status: str  # DRAFT (imported, or would be), INVALID or SKIPPED
    reason: str = ""
    topic: str | None = None
    category: str | None = None
    name: str = ""  # the question's name (title) in the file


@dataclass
class ImportReport:
    """Each question with its status, and the categories that named none of our topics."""

    dry_run: bool
    skip_invalid: bool = False
    rows: list[ImportRow] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    unmatched: dict[str, int] = field(default_factory=dict)  # category -> its questions
    notes: list[str] = field(default_factory=list)  # what was kept only in part (images)

    def having(self, status: str) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def blocked(self) -> bool:
        """Invalid questions and no --skip-invalid: the import writes nothing."""
        return bool(self.having(INVALID)) and not self.skip_invalid


@dataclass(frozen=True)
class ImportOptions:
    """What the instructor chose: defaults for questions without a topic or a citation, and a
    topic for each category that names none of ours."""

    topic: str | None = None
    section: str | None = None
    category_topics: dict[str, str] = field(default_factory=dict)
