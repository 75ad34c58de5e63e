"""One exception tree; the CLI is the single place that turns these into a message and a code."""

from __future__ import annotations

from entraide.model import Problem


class Error(Exception):
    """Base of entraide's own errors."""


class UserError(Error):
    """Unusable input: one clear sentence for the user (exit 2), with the problems behind it."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems
