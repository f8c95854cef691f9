"""Are the views what a rebuild would make? `amity verify` asks, after the chain itself verified.

Views are derived data that writers may write, so the chain does not cover them. This recomputes every
partnership's rows from the stored events (decoded without validating again, as a rebuild does) and
compares them with the rows on file, one to one. It costs about what a rebuild in one process costs.
"""

from __future__ import annotations

from hashlib import sha256
from typing import Any

from amity.ledger import amendments
from amity.projections.catchup import rows_of
from amity.projections.views import VIEW_NAME, PartnershipView, row_bytes


def check_views(ledger: Any, view: PartnershipView) -> dict[str, Any]:
    """{"state": "match" | "differ" | "ahead" | "behind", "detail": …} of the views against a rebuild.

    Streamed: each partnership's rows are hashed as they are computed, and the rows on file as they are read,
    in the same key order, in one snapshot; memory stays flat whatever the size of the ledger.
    """
    with ledger.records() as records:
        c, top = records.cursor, records.top
        position = view.position_in(c, VIEW_NAME)
        if position > top:
            return {"state": "ahead", "detail": f"the views claim position {position}, but the ledger ends at {top}: they were tampered with"}
        if position < top:
            return {"state": "behind", "detail": f"{top - position} positions behind the ledger (any read command catches them up); not compared"}
        timelines, founding, n_timelines, n_founding = sha256(), sha256(), 0, 0
        networks, n_networks, members, by_facts, n_facts, days, n_days = sha256(), 0, [], sha256(), 0, sha256(), 0
        for stream, facts in records.streams():
            timeline, rows, network, network_members, day = rows_of(stream, amendments.effective(facts), facts)
            if timeline is not None:
                timelines.update(row_bytes(timeline))
                n_timelines += 1
            for row in sorted(rows, key=lambda r: r[1]):
                founding.update(row_bytes(row))
                n_founding += 1
            if network is not None:
                networks.update(row_bytes(network))
                n_networks += 1
            for row in network_members:  # in member order: hashed as they come, as the view's rows are read (by stream, member)
                by_facts.update(row_bytes(row))
                n_facts += 1
                if row[0]:  # "": a network's own facts, not a member
                    members.append(row[:2])  # a few per network: sorted whole at the end, as the table's key orders them
            if day is not None:
                days.update(row_bytes(day))
                n_days += 1
        on_file = view.row_digests(c)
    by_member = sha256()
    for row in sorted(members):
        by_member.update(row_bytes(row))
    expected = (n_timelines, timelines.hexdigest(), n_founding, founding.hexdigest(), n_networks, networks.hexdigest(), len(members), by_member.hexdigest(),
                n_facts, by_facts.hexdigest(), n_days, days.hexdigest())
    if on_file == expected:
        return {"state": "match", "detail": f"{n_timelines} partnerships, {n_networks} networks, {n_founding} anniversary events"}
    if (on_file[0], on_file[2], on_file[4], on_file[6], on_file[8], on_file[10]) != (n_timelines, n_founding, n_networks, len(members), n_facts, n_days):
        return {"state": "differ", "detail": f"{on_file[0]} timelines and {on_file[2]} anniversary rows on file where a rebuild makes "
                                             f"{n_timelines} and {n_founding}: rows were deleted or added"}
    return {"state": "differ", "detail": "view rows on file differ from what a rebuild computes: they were edited"}
