"""Domain errors with stable codes.

Services raise them; the API maps them to ``{"code", "message", "fields"}`` with a
4xx status, pages show the Chinese message. Nothing is written when one is raised
inside a service's transaction.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    """Missing and out of scope answer alike (R-NET-3)."""

    status = 404

    def __init__(self, code: str = "not_found", message: str = "未找到该记录。"):
        super().__init__(code, message)


class Forbidden(DomainError):
    """The role may not take this action at all (never used to hide a record)."""

    status = 403

    def __init__(self, code: str = "forbidden", message: str = "您没有进行此操作的权限。"):
        super().__init__(code, message)


class Conflict(DomainError):
    """The record is not in a state that allows the action."""

    status = 409


class InsufficientStorage(DomainError):
    """The server cannot keep what was sent (its disk is full): answered with HTTP 507;
    nothing of it is kept."""

    status = 507
