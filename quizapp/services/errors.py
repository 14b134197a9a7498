"""Errors the service layer raises; views map them to 4xx, the CLI to a message and exit 1."""


class ServiceError(Exception):
    """Base for errors a caller should show to a person."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class StalePage(Conflict):
    """The page the post came from is out of date (another tab, a back button, a double click)."""


class AttemptClosed(Conflict):
    """The attempt no longer takes answers (submitted, or its time is up)."""


class NotAllowed(ServiceError):
    """The user may not do this now (quiz closed, no attempts left...)."""


class FieldInvalid(InvalidInput):
    """Input refused because of one form field, named so the view can show it beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
