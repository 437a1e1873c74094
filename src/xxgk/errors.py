"""Errors a user sees: each carries a one-line message (Chinese first) and maps to exit code 2."""

from __future__ import annotations


class XxgkError(Exception):
    """Base class: the message is shown to the user as one line."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnreadableInput(XxgkError):
    """The file cannot be read: empty, binary, corrupt, too large, hostile."""


class NotAReport(XxgkError):
    """The file was read but holds no annual report tables."""


class UnsupportedTemplate(XxgkError):
    """An annual report on a format xxgk does not read (2018 and earlier provincial formats)."""
