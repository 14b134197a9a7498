"""`bank load` for case studies, inside the load's unit of work, after the questions.

As for questions: a case is upserted by its key; a change of its summary, exhibits, citations
or item list appends a new version (with its six items); a case unchanged in its file since the
last load is left alone; nothing is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.bank.case_specs import CaseSpec
from quizapp.bank.specs import BankContent
from quizapp.extensions import db
from quizapp.models import Case, CaseItem, CaseStatus, CaseVersion, QuestionEntry, Topic

if TYPE_CHECKING:
    from quizapp.services.bank_sync import SyncReport


def sync_cases(content: BankContent, topics: dict[str, Topic], report: SyncReport) -> None:
    """Bring the cases in line with the files (three queries however many cases)."""
    if not content.cases and not db.session.scalar(select(Case.id).limit(1)):
        return
    db.session.flush()  # the questions just written get their ids
    cases = {
        c.key: c for c in db.session.scalars(select(Case).options(selectinload(Case.versions)))
    }
    wanted = [i.uid for spec in content.cases for i in spec.items]
    entries = dict(
        db.session.execute(
            select(QuestionEntry.uid, QuestionEntry.id).where(QuestionEntry.uid.in_(wanted))
        ).all()
    )
    for spec in content.cases:
        _sync_case(spec, cases.get(spec.key), topics, entries, report)
    gone = sorted(set(cases) - {c.key for c in content.cases})
    if gone:
        report.not_in_files["case"] = gone


def _sync_case(
    spec: CaseSpec,
    case: Case | None,
    topics: dict[str, Topic],
    entries: dict[str, int],
    report: SyncReport,
) -> None:
    fields = dict(title=spec.title, topic=topics[spec.topic], status=CaseStatus(spec.status))
    if case is None:
        case = Case(key=spec.key, current_version=1, loaded_hash=spec.file_hash, **fields)
        case.versions.append(_new_version(case, spec, 1, entries))
        db.session.add(case)
        report.add("case", spec.key)
        return
    if case.loaded_hash == spec.file_hash:
        report.same("case")
        return
    case.loaded_hash = spec.file_hash
    for name, value in fields.items():
        setattr(case, name, value)
    current = next(v for v in case.versions if v.number == case.current_version)
    if current.content_hash != spec.content_hash:
        number = max(v.number for v in case.versions) + 1
        case.versions.append(_new_version(case, spec, number, entries))
        case.current_version = number
    report.update("case", spec.key)


def _new_version(case: Case, spec: CaseSpec, number: int, entries: dict[str, int]) -> CaseVersion:
    version = CaseVersion(
        number=number,
        summary=spec.summary,
        exhibits=list(spec.exhibits),
        cites=list(spec.cites),
        content_hash=spec.content_hash,
    )
    for item in spec.items:
        version.items.append(
            CaseItem(
                case=case, position=item.position, step=item.step, question_id=entries[item.uid]
            )
        )
    return version
