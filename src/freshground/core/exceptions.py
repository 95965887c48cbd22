"""Domain exceptions that services raise and that views and the API turn into clear answers."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a user can act on: shown as a form message, or a 4xx JSON error with this text."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409
