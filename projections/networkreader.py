"""The read side's questions about networks: every network, one network, a place's memberships.

Answers come from the networks' view rows (kept current with the partnerships'), one row per network; with
``as_known_at`` they come from the network streams as recorded by that instant, read through the ledger's read
port (an audit question, like `status --as-known-at`: the streams are replayed). Places are shown by their
display names, as ``status`` shows them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence

from amity.events.network import NETWORK_TYPES
from amity.events.places import fold_name
from amity.ledger import amendments
from amity.ledger.networks import NetworkDirectory
from amity.projections import networkdays, networks, networkview

_PLACES = ("member", "secretariat", "regional_office", "host")


class NetworkReader:
    """Questions about networks, over a ``projections.reader.Reader`` (its ledger and views)."""

    def __init__(self, reader: Any) -> None:
        self.reader, self.view, self.ledger = reader, reader.view, reader.ledger

    def directory(self) -> NetworkDirectory:
        """Every network on file by every name it was registered under (from the views)."""
        self.reader.catch_up()
        d = NetworkDirectory()
        for row in networkview.directory_rows(self.view):
            for text in (row["name"], *row["names"]):
                d.streams.setdefault(fold_name(text), row["stream"])
            d.names[row["stream"]], d.shorts[row["stream"]] = row["name"], row["short"]
        return d

    def facts(self, streams: Sequence[str] | None, as_known_at: datetime | None,
              members: Sequence[str] | None = None) -> dict[str, list[tuple[int, Any]]]:
        """Each network's facts as amended (by stream), from the views or, ``as_known_at``, as recorded by then
        (the given streams, or every stream of the ledger in one scan); ``members``: from the views, only the
        networks' own facts and those about these members."""
        if as_known_at is None:
            self.reader.catch_up()
            wanted = set(members) if members is not None else None
            return {s: networks.facts_of_row(blob, wanted) for s, blob in networkview.facts_rows(self.view, streams)}
        from amity.projections.timing import known_at

        out = {}
        if streams is not None and not streams:
            return out
        with self.ledger.records() as records:
            for stream, facts in records.streams(streams):
                if facts and facts[0].type in NETWORK_TYPES:  # a network's stream (a partnership's otherwise)
                    effective = amendments.effective(known_at(facts, as_known_at))
                    if effective:
                        out[stream] = effective
        return out

    def networks(self, as_of: date, as_known_at: datetime | None = None) -> list[dict[str, Any]]:
        """`amity networks`: one row per network on file by ``as_of`` (from its row by day in the views; ``as_known_at``:
        each network's facts replayed)."""
        if as_known_at is None:
            self.reader.catch_up()
            found = [networkview.decoded(text, lambda value: networkdays.summary_on(value, as_of)) for text in networkview.day_rows(self.view)]
        else:
            found = [networks.summary(doc) for doc in (networks.document(facts, as_of) for facts in self.facts(None, as_known_at).values())
                     if doc is not None]
        rows = [row for row in found if row is not None]
        self.labels(rows)  # their secretariats and regional offices by display name
        return sorted(rows, key=lambda r: fold_name(r["short"] or r["network"]))

    def network(self, name: str, as_of: date, as_known_at: datetime | None = None) -> dict[str, Any]:
        """`amity network NAME`: its members (joined or listed, since), roles and meetings on ``as_of``."""
        stream, label = self.directory().resolve(name)
        facts = self.facts([stream], as_known_at).get(stream)
        doc = networks.document(facts, as_of) if facts else None
        if doc is None:  # nothing on file about it by then
            return {"network": label, "name": label, **dict.fromkeys(networks.DETAILS), "members": [], "left": [], "roles": [], "meetings": [], "events": 0}
        return self.present(doc)

    def memberships(self, spellings: Sequence[str], as_of: date, as_known_at: datetime | None = None) -> list[dict[str, Any]]:
        """A place's networks on ``as_of`` (its canonical strings ``spellings``), with role and since."""
        self.reader.catch_up()
        if as_known_at is None:  # from the views: the place's own facts in each of its networks, and the networks'
            found = {stream: networks.facts_of_items(items) for stream, items in networkview.member_facts(self.view, spellings).items()}
        else:
            found = self.facts(networkview.streams_of_members(self.view, spellings), as_known_at, spellings)
        out = []
        for facts in found.values():
            doc = networks.document(facts, as_of)
            found = next((m for m in (networks.membership_of(doc, s) for s in spellings) if m), None) if doc else None
            if found is not None:
                out.append(found)
        return sorted(out, key=lambda r: fold_name(r["short"] or r["network"]))

    def present(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The document with its places by their display names (as `status` shows them), members in their order."""
        self.labels([doc, *doc["members"], *doc["left"], *doc["roles"], *doc["meetings"]])
        doc["members"] = sorted(doc["members"], key=lambda r: r["member"])
        return doc

    def labels(self, rows: list[dict[str, Any]]) -> None:
        """Each place field of the rows (member, secretariat, regional office, host) by its display name, in place."""
        texts = sorted({r[k] for r in rows for k in _PLACES if isinstance(r.get(k), str)})
        known = self.ledger.gazetteer.resolve_stored_many(texts) if texts else {}
        for r in rows:
            for k in _PLACES:
                if isinstance(r.get(k), str):
                    r[k] = known[r[k]].label
