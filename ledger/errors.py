"""Every error Amity reports to a user. Each is one line: the fact and the fix."""

from __future__ import annotations

import os


def describe(exc: BaseException) -> str:
    """A library's or a driver's exception as one line (its type when it says nothing)."""
    text = " ".join(str(exc).split()).split(" CONTEXT: ")[0] or type(exc).__name__  # PostgreSQL's CONTEXT: where in a function
    wait = os.environ.get("AMITY_LOCK_TIMEOUT", "30")
    if "lock timeout" in text:
        text += (f" (another session held a lock on the ledger's tables for the whole {wait} s wait; "
                 "pg_stat_activity names it; AMITY_LOCK_TIMEOUT sets the wait)")
    if text == "database is locked":
        text += f" (another process held SQLite's write lock for the whole {wait} s wait; SQLite cannot say which; AMITY_LOCK_TIMEOUT sets the wait)"
    if "disk I/O error" in text or "File too large" in text:
        text += " (is the disk full, or a file size limit (ulimit -f) reached?)"
    return text


class AmityError(Exception):
    """Raised when a user-facing operation fails; the message is one line.

    ``field`` names the culprit field when one is known; ``hint`` is the fix, which the one-line form
    attaches to the message as ``joint`` says (`` (did you mean 'date'?)``, ``; register it …``).
    """

    def __init__(self, message: str = "", *, field: str | None = None, hint: str | None = None, joint: str = " ({})") -> None:
        super().__init__(message + (joint.format(hint) if hint else ""))
        self.message, self.field, self.hint, self.joint = message, field, hint, joint


class BadInput(AmityError):
    """Raised when an event or an option is malformed (a field, a date, a JSON line)."""


class BadLine(BadInput):
    """A line of an import file that could not be read (not UTF-8, not JSON, too long)."""


class UnknownPlace(AmityError):
    """Raised when a place name matches nothing in the gazetteer or the registry."""


class AmbiguousPlace(AmityError):
    """Raised when a place name matches several places; the message lists the candidates."""


class UnknownNetwork(UnknownPlace):
    """Raised when a ``network`` matches no registered network's full or short name."""


class RuleViolation(AmityError):
    """Raised when a fact contradicts what is on file, in valid-time order."""

    position: int  # set by ``lifecycle.validate``: the record where the contradiction was met


class FutureDate(RuleViolation):
    """Raised when an agreement, elevation, suspension, restoration or termination is dated after today."""


class ConflictingId(AmityError):
    """Raised when an event id is already stored with different content."""


class UnknownEvent(AmityError):
    """Raised when a correction, retraction or `show` names an event id that is not on file."""


class StoreError(AmityError):
    """Raised when the store cannot be opened or written (busy, read-only, full, unreachable)."""


class IntegrityError(AmityError):
    """Raised when restored events do not follow their hash chain, or a kept digest does not match."""


class ImportProblems(AmityError):
    """Raised when an import file has problems (``amity.ledger.problems.Problem``, in line order); nothing was written."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        self.first: AmityError = problems[0].error or AmityError(problems[0].reason)
        super().__init__(f"{len(problems)} problem(s), the first: {problems[0].reason}")
