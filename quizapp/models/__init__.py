"""All models, importable from one place (and seen by Alembic through `db.metadata`)."""

from quizapp.models.attempts import (
    Attempt as Attempt,
    AttemptItem as AttemptItem,
    AttemptStatus as AttemptStatus,
    Response as Response,
)
from quizapp.models.audit import (
    AuditEvent as AuditEvent,
)
from quizapp.models.auth import (
    PasswordReset as PasswordReset,
    SigninBucket as SigninBucket,
    UserSession as UserSession,
)
from quizapp.models.base import (
    Base as Base,
    UTCDateTime as UTCDateTime,
    utcnow as utcnow,
)
from quizapp.models.cases import (
    Case as Case,
    CaseAttemptItem as CaseAttemptItem,
    CaseItem as CaseItem,
    CaseStatus as CaseStatus,
    CaseVersion as CaseVersion,
)
from quizapp.models.content import (
    Bank as Bank,
    SectionRevision as SectionRevision,
    Source as Source,
    SourceSection as SourceSection,
    Topic as Topic,
)
from quizapp.models.directory import (
    DirectoryGroupMapping as DirectoryGroupMapping,
    DirectoryIdentity as DirectoryIdentity,
    SiteSetting as SiteSetting,
)
from quizapp.models.images import (
    Image as Image,
)
from quizapp.models.outbox import (
    JobRun as JobRun,
    OutboxMessage as OutboxMessage,
    ReminderOptOut as ReminderOptOut,
)
from quizapp.models.questions import (
    Citation as Citation,
    QuestionEntry as QuestionEntry,
    QuestionStatus as QuestionStatus,
    QuestionVersion as QuestionVersion,
)
from quizapp.models.quizzes import (
    Competency as Competency,
    ItemSums as ItemSums,
    Quiz as Quiz,
    QuizAssignment as QuizAssignment,
    TopicScore as TopicScore,
)
from quizapp.models.users import (
    Role as Role,
    Unit as Unit,
    UnitMembership as UnitMembership,
    User as User,
)
