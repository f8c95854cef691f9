"""Are the views what a rebuild would make? `amity verify` asks, after the chain itself verified.

Views are derived data that writers may write, so the chain does not cover them. This recomputes every
partnership's rows from the stored events (decoded without validating again, as a rebuild does) and
compares them with the rows on file, one to one. It costs about what a rebuild in one process costs.
"""

from __future__ import annotations

from typing import Any

from amity.ledger import amendments
from amity.ledger.mapping import trusted_fact
from amity.ledger.partnership import REGISTRY_ID
from amity.ledger.writer import StreamReader
from amity.projections.catchup import rows_of
from amity.projections.views import VIEW_NAME, PartnershipView


def check_views(ledger: Any, view: PartnershipView) -> dict[str, Any]:
    """{"state": "match" | "differ" | "ahead" | "behind", "detail": …} of the views against a rebuild."""
    with view.read_transaction() as c:
        position = view.position_in(c, VIEW_NAME)
        top = ledger.recorder.max_position_in(c)
        if position > top:
            return {"state": "ahead", "detail": f"the views claim position {position}, but the ledger ends at {top}: they were tampered with"}
        if position < top:
            return {"state": "behind", "detail": f"{top - position} positions behind the ledger (any read command catches them up); not compared"}
        timelines, founding = [], []
        for stream, items in StreamReader(ledger.recorder, c).streams(None):
            if stream == REGISTRY_ID.hex:
                continue
            timeline, rows = rows_of(stream, amendments.effective([trusted_fact(t, s) for t, s in items]))
            if timeline is not None:
                timelines.append(timeline)
            founding += rows
    expected = sorted(timelines) + sorted(founding, key=lambda r: (r[0], r[1]))
    on_file = view.all_rows()
    if on_file == expected:
        return {"state": "match", "detail": f"{len(timelines)} partnerships, {len(founding)} anniversary events"}
    return {"state": "differ", "detail": _first_difference(on_file, expected)}


def _first_difference(on_file: list[tuple], expected: list[tuple]) -> str:
    if len(on_file) != len(expected):
        return f"{len(on_file)} view rows on file where a rebuild makes {len(expected)}: rows were deleted or added"
    for got, want in zip(on_file, expected):
        if got != want:
            return f"the row of stream {want[0]} differs from a rebuild: it was edited"
    return "the rows differ from a rebuild"
