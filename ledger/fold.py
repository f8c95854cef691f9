"""The checked fold both kinds of stream share (partnerships: ``lifecycle``; networks: ``membership``).

Facts are taken in valid-time order; each is guarded and applied by the stream's own ``step``. The first
contradiction is raised with its record ``position`` set; one met at an older fact is reported as caused by
the facts being added (``new``: their positions), since the older facts were consistent on their own.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from amity.ledger.errors import RuleViolation

S = TypeVar("S")


def checked_fold(ordered: Sequence[tuple[int, Any]], state: S, step: Callable[[S, Any, bool], S], new: set[int] | None,
                 cause_of: Callable[[Any], Any], later: str = "") -> S:
    """``state`` after ``step(state, fact, is_new)`` for every fact of ``ordered``; ``later``: a hint for a conflict with an older fact."""
    added = [f for p, f in ordered if new is not None and p in new]
    for position, fact in ordered:
        try:
            state = step(state, fact, new is None or position in new)
        except RuleViolation as exc:
            if added and new is not None and position not in new:
                culprit = ", ".join(str(cause_of(f)) for f in added[:3]) + (f" and {len(added) - 3} more" if len(added) > 3 else "")
                exc = RuleViolation(f"{culprit} conflicts with a later fact on file: {exc}{later}")
            exc.position = position  # type: ignore[attr-defined]
            raise exc from None
    return state
