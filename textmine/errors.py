"""Exceptions raised by textmine.

Each subclasses a built-in so callers can catch what they already know
(``ValueError``, ``OSError``), and each message says what to do next.
"""

from __future__ import annotations


class TextmineError(Exception):
    """Base class for every error textmine raises on purpose."""


class InputError(TextmineError, ValueError):
    """The user's input cannot be read as asked.

    Carries the file, the line (1-based, as an editor shows it) and the
    column when they are known, so the CLI can point at the bad spot.
    """

    def __init__(self, message: str, *, path=None, line: int | None = None,
                 column: str | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        where = []
        if self.path is not None:
            where.append(self.path)
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)


class ModelError(TextmineError, ValueError):
    """A model file is missing, corrupt, truncated or of another version."""


class NotFittedError(TextmineError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""
