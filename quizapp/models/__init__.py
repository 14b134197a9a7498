"""All models, importable from one place (and seen by Alembic through `db.metadata`)."""

from quizapp.models.attempts import Attempt, AttemptItem, AttemptStatus, Response
from quizapp.models.audit import AuditEvent
from quizapp.models.auth import PasswordReset, SigninBucket, UserSession
from quizapp.models.base import Base, UTCDateTime, utcnow
from quizapp.models.content import Bank, Source, SourceSection, Topic
from quizapp.models.images import Image
from quizapp.models.questions import Citation, QuestionEntry, QuestionStatus, QuestionVersion
from quizapp.models.quizzes import Competency, ItemSums, Quiz, QuizAssignment, TopicScore
from quizapp.models.users import Role, Unit, UnitMembership, User

__all__ = [
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "AuditEvent",
    "Bank",
    "Base",
    "Citation",
    "Competency",
    "Image",
    "ItemSums",
    "PasswordReset",
    "QuestionEntry",
    "QuestionStatus",
    "QuestionVersion",
    "Quiz",
    "QuizAssignment",
    "Response",
    "Role",
    "SigninBucket",
    "Source",
    "SourceSection",
    "Topic",
    "TopicScore",
    "UTCDateTime",
    "Unit",
    "UnitMembership",
    "User",
    "UserSession",
    "utcnow",
]
