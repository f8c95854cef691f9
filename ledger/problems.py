"""A problem with an import is a value until the CLI prints it: where (file, line), which field, what, the fix.

``Batch`` collects one ``Problem`` per refused line (created only when something is wrong, so the
import's hot path pays nothing); ``ImportProblems`` carries them in line order. The one-line form
(``data.jsonl:14: unknown field 'dat' for MoUSigned (did you mean 'date'?)``) and the JSON form are
written by ``amity.cli.problems``.
"""

from __future__ import annotations

import dataclasses as dc

from amity.ledger.errors import AmityError


@dc.dataclass(frozen=True, slots=True)
class Problem:
    """One problem: ``line`` is None when it belongs to no line; ``hint`` the fix, when one is known."""

    file: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None
    joint: str = dc.field(default=" ({})", repr=False, compare=False)  # how the hint follows the message in one line
    error: AmityError | None = dc.field(default=None, repr=False, compare=False)  # the error, for its kind

    @classmethod
    def of(cls, file: str, line: int | None, exc: AmityError) -> Problem:
        return cls(file, line or None, exc.field, exc.message, exc.hint, exc.joint, exc)

    @property
    def reason(self) -> str:
        """What is wrong and the fix, as one sentence, without the place (the reason a reject file gives)."""
        return self.message + (self.joint.format(self.hint) if self.hint else "")
