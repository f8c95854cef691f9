"""Hypothesis strategies: lifecycles that obey the rules, so every valid-time record order is accepted."""

from __future__ import annotations

from hypothesis import strategies as st

PAIRS = [("Kyoto, JP", "Paris, FR"), ("Seoul, KR", "Tashkent, UZ"), ("Kuala Lumpur, MY", "Ankara, TR")]
SRC = {"title": "generated"}
TIERS = ["cooperation", "friendship", "sister"]


def _date(year: int, month: int, day: int, precision: int) -> str:
    return [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"][precision]


@st.composite
def lifecycle(draw, pair=PAIRS[0]):
    """A consistent history of one partnership: steps at strictly increasing years."""
    year = draw(st.integers(1950, 1980))
    facts = []

    def add(kind, **fields):
        nonlocal year
        year += draw(st.integers(1, 4))
        when = _date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)), draw(st.integers(0, 2)))
        facts.append({"type": kind, "cities": list(pair), "date": when, "source": SRC, **fields})

    if draw(st.booleans()):
        add("PartnershipProposed")
    tier_index = draw(st.integers(0, 1))
    add("MoUSigned", tier=TIERS[tier_index])
    state = "active"
    for _ in range(draw(st.integers(0, 5))):
        options = ["visit"]
        if state == "active" and tier_index < 2:
            options.append("elevate")
        if state == "active":
            options.append("suspend")
        if state == "suspended":
            options.append("restore")
        step = draw(st.sampled_from(options))
        if step == "visit":
            add("CommemorationHeld", what="generated")
        elif step == "elevate":
            tier_index += 1
            add("RelationshipElevated", to_tier=TIERS[tier_index])
        elif step == "suspend":
            add("RelationshipSuspended")
            state = "suspended"
        else:
            add("RelationshipRestored")
            state = "active"
    if draw(st.booleans()):
        add("RelationshipTerminated")
    return facts


NETWORK = {"network": "Generated Cities Network", "short": "GCN"}
MEMBERS = ["Kyoto, JP", "Paris, FR", "Seoul, KR", "Tashkent, UZ"]


@st.composite
def network_history(draw):
    """A consistent history of one network: its registration, then each member's joinings or listings, roles
    and leavings at strictly increasing years (interleaved across members, so any record order of a member's
    facts keeps each prefix consistent)."""
    facts = [{"type": "NetworkRegistered", **NETWORK, "founded": "1950", "source": SRC}]
    per_member = []
    for member in draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True)):
        year, inside, own = draw(st.integers(1951, 1970)), False, []
        for _ in range(draw(st.integers(1, 4))):
            year += draw(st.integers(1, 4))
            when = _date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)), draw(st.integers(0, 2)))
            kind = draw(st.sampled_from(["MembershipLeft", "NetworkRoleHeld"] if inside else ["MembershipJoined", "MembershipListed"]))
            extra = {"role": draw(st.sampled_from(["chair", "president"]))} if kind == "NetworkRoleHeld" else {}
            own.append({"type": kind, "network": NETWORK["short"], "member": member, "date": when, "source": SRC, **extra})
            inside = kind != "MembershipLeft"
        per_member.append(own)
    while any(per_member):
        own = draw(st.sampled_from([m for m in per_member if m]))
        facts.append(own.pop(0))
    return facts
