"""One error hierarchy: everything a user can fix is a SipctlError.

The CLI maps these to exit code 2 and prints the message without a traceback
(copier's errors.py and pre-commit's error_handler.py are the models).
"""

from __future__ import annotations


class SipctlError(Exception):
    """A problem the user can fix; its message says what to do."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(SipctlError):
    """A command-line value that cannot be used."""


class RepositoryNotFound(SipctlError):
    """No sipctl.yaml in the folder or any parent."""


class ConfigurationError(SipctlError):
    """sipctl.yaml or a cycle file is missing or broken."""

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{file}: {message}" if file else message, hint=hint)
        self.file = file


class UnsafePath(SipctlError):
    """A path that would leave the district repository."""


class WouldOverwrite(SipctlError):
    """A write that would replace files the user has not asked to replace."""

    def __init__(self, message: str, *, paths: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.paths = paths


class GitError(SipctlError):
    """git could not read the repository history."""
