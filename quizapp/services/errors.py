"""Errors the service layer raises; views map them to 4xx, the CLI to a message and exit 1."""


class ServiceError(Exception):
    """Base for errors a caller should show to a person."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass
