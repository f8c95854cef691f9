"""Network identity: which stream a network fact belongs to, and its places made canonical.

A network's stream id is a UUIDv5 of its short name, or of its full name when it has none (folded: case,
accents and dashes do not matter), so two sources registering "C40" under slightly different full names
describe one network. ``NetworkDirectory`` resolves a ``network`` as written (full name or short name, of
any registration on file) to that stream and to the network's name (its first registration's), which is
what a stored membership carries. Members, secretariats, regional offices, hosts and ``place`` resolve like
any place (the registry's agencies and organisations included) and are stored canonical.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable
from uuid import UUID, uuid5

import orjson

from amity.events.network import NetworkFact, NetworkRegistered
from amity.events.places import fold_name
from amity.events.wire import to_wire
from amity.ledger.errors import BadInput, UnknownNetwork
from amity.ledger.streamids import STREAM_NAMESPACE
from amity.ledger.placenames import check_new_name, skeleton

PLACE_FIELDS = ("member", "secretariat", "regional_office", "host", "place")


def network_id(key: str) -> UUID:
    """The stream id of a network, from its short name (or its full name when it has none)."""
    return uuid5(STREAM_NAMESPACE, "network:" + fold_name(key))


class NetworkDirectory:
    """Every network's names (full and short, of every registration), by folded name."""

    def __init__(self) -> None:
        self.streams: dict[str, str] = {}  # folded name or short -> stream hex
        self.names: dict[str, str] = {}  # stream hex -> the network's name (its first registration's)
        self.shorts: dict[str, str | None] = {}
        self.skeletons: dict[str, str] = {}  # look-alike skeleton of every name or short -> stream hex

    def add(self, fact: NetworkRegistered, replay: bool = False) -> str:
        """Take a registration in; returns its stream. A name already another network's is refused (not on replay)."""
        stream = network_id(fact.short or fact.network).hex
        for text in (fact.network, fact.short):
            if not text:
                continue
            key, look = fold_name(text), skeleton(text)
            other = self.streams.get(key)
            if other is not None and other != stream and not replay:
                raise BadInput(f"network name {text!r} is already a name of {self.names[other]!r}; give this network "
                               "another full or short name")
            alike = self.skeletons.get(look)
            if not replay:
                check_new_name(text, "network name")
                if alike is not None and alike != stream:
                    raise BadInput(f"network name {text!r} looks like a name of {self.names[alike]!r} (look-alike letters "
                                   "or digits); give this network a name that reads differently")
            self.streams.setdefault(key, stream)
            self.skeletons.setdefault(look, stream)
        self.names.setdefault(stream, fact.network)
        if self.shorts.get(stream) is None:
            self.shorts[stream] = fact.short
        return stream

    def resolve(self, text: str) -> tuple[str, str]:
        """(stream hex, the network's name) of a network as written."""
        stream = self.streams.get(fold_name(text))
        if stream is None:
            known = sorted({*self.names.values(), *(s for s in self.shorts.values() if s)})
            folded = {k.casefold(): k for k in known}  # 'citynet' or 'uclg' is a slip of case or a name cut short
            close = difflib.get_close_matches(text.casefold(), folded, n=1, cutoff=0.6) or [k for k in folded if k.startswith(text.casefold())][:1]
            hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
            raise UnknownNetwork(f"unknown network {text!r}{hint} if not, register it with a NetworkRegistered event"
                                 if hint else f"unknown network {text!r}; register it with a NetworkRegistered event")
        return stream, self.names[stream]

    def label(self, stream: str) -> str:
        short = self.shorts.get(stream)
        name = self.names.get(stream, stream)
        return name if not short or fold_name(short) == fold_name(name) else f"{name} ({short})"


def directory_of(states: Iterable[bytes | str]) -> NetworkDirectory:
    """The directory of stored ``NetworkRegistered`` states, in record order (taken as accepted)."""
    d = NetworkDirectory()
    for state in states:
        value = orjson.loads(state)
        d.add(NetworkRegistered.model_construct(network=value["network"], short=value.get("short")), replay=True)
    return d


def load_directory(w: Any) -> NetworkDirectory:
    """The directory of the registrations on file, read in a writer's (or reader's) transaction."""
    w.c.execute(w.sql("SELECT e.state FROM amity_facts f JOIN events_table e ON e.originator_id = f.stream "
                      "AND e.originator_version = f.version WHERE f.type = ? ORDER BY f.position"), ("NetworkRegistered",))
    return directory_of(bytes(r["state"]) for r in w.c.fetchall())


def normalise(gaz: Any, directory: NetworkDirectory, fact: NetworkFact) -> tuple[str, dict[str, Any], str]:
    """(stream hex, stored wire form, the network's name) of a network fact: its network resolved, its places canonical.

    The member is always stored canonical (it is who the membership is about); the other places keep the
    line's text when the line brings its own id (an export), as a partnership fact's ``place`` does.
    """
    wire = to_wire(fact)
    if isinstance(fact, NetworkRegistered):
        stream = directory.add(fact)
    else:
        stream, wire["network"] = directory.resolve(fact.network)
    keep = fact.id is not None
    for field in PLACE_FIELDS:
        value = wire.get(field)  # the line's text (to_wire keeps text as given)
        if value is not None:
            canonical = gaz.resolve(value).canonical
            wire[field] = value if keep and field != "member" else canonical
    return stream, wire, directory.names[stream]


def directory_for(batch: Any) -> NetworkDirectory:
    """The directory of an import (``ledger/batch.py``), read under its lock the first time a network fact needs it."""
    found = getattr(batch, "network_directory", None)
    if found is None:
        found = batch.network_directory = load_directory(batch.w)
    return found


def subject_of(fact: Any) -> tuple[str, str] | str | None:
    """What an amendment's target is about: its pair of places, or its network's name (None: not amendable)."""
    from amity.events.partnership import Amendment, PartnershipFact

    if isinstance(fact, NetworkFact):
        return fact.network
    if isinstance(fact, PartnershipFact):
        return tuple(fact.cities)  # type: ignore[return-value]
    if isinstance(fact, Amendment):
        return tuple(fact.cities) if fact.cities else fact.network  # type: ignore[return-value]
    return None  # a place registry fact


def subject_wire(subject: tuple[str, str] | str) -> dict[str, Any]:
    """The fields an amendment takes from its target's subject."""
    return {"network": subject} if isinstance(subject, str) else {"cities": list(subject)}


def subject_text(subject: tuple[str, str] | str) -> str:
    return subject if isinstance(subject, str) else ", ".join(subject)
