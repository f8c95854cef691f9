"""An independent, deliberately simple reference of the lifecycle for the generated histories.

It knows only what the generator produces (proposals, MoUs, elevations, suspensions, restorations,
terminations, commemorations, all consistent) and computes status and tier by the table's words.
"""

from __future__ import annotations

ORDER = ["PartnershipProposed", "ProposalApproved", "LetterOfIntentSigned", "MoUSigned", "RelationshipElevated",
         "RelationshipSuspended", "RelationshipRestored", "RelationshipTerminated", "CommemorationHeld"]
LEVEL = {"cooperation": 1, "friendship": 2, "sister": 3, "twin": 3}


def reference_status(facts: list[dict]) -> tuple[str, str | None]:
    """(status, tier) after the facts, which are wire dicts with day-comparable dates."""
    def key(f):
        d = f["date"]
        start = d + "-01-01"[len(d) - 4:] if len(d) < 10 else d
        return (start, ORDER.index(f["type"]))

    status, tier = "none", None
    for f in sorted(facts, key=key):
        t = f["type"]
        if t == "PartnershipProposed" and status == "none":
            status = "proposed"
        elif t == "MoUSigned":
            if status != "active" or LEVEL[f["tier"]] > LEVEL.get(tier or "", 0):
                status, tier = "active", f["tier"]
        elif t == "RelationshipElevated":
            tier = f["to_tier"]
            status = "suspended" if status == "suspended" else "active"
        elif t == "RelationshipSuspended":
            status = "suspended"
        elif t == "RelationshipRestored":
            status = "active"
        elif t == "RelationshipTerminated":
            status = "terminated"
    return status, tier


def reference_members(facts: list[dict]) -> dict[str, tuple[str, bool]]:
    """Members now of a generated network's facts (wire dicts): member -> (since, listed)."""
    def start(d):
        return d + "-01-01"[len(d) - 4:] if len(d) < 10 else d

    order = ["MembershipJoined", "MembershipListed", "NetworkRoleHeld", "MembershipLeft"]
    members: dict[str, tuple[str, bool]] = {}
    for f in sorted((f for f in facts if f["type"] in order), key=lambda f: (start(f["date"]), order.index(f["type"]))):
        m = f["member"]
        if f["type"] == "MembershipJoined" and (m not in members or members[m][1]):
            members[m] = (f["date"], False)
        elif f["type"] == "MembershipListed" and m not in members:
            members[m] = (f["date"], True)
        elif f["type"] == "MembershipLeft":
            members.pop(m, None)
    return members
