"""The networks of the generated world ledger (``generate.py``): synthetic, rule-abiding, skewed.

A few hundred networks (one per ~45 network events, at most 400), each a registration, then its members'
facts (joined or listed; some roles, some leavings; each member's in valid-time order, so every prefix of a
network's stream is consistent, as ``bench/run.py``'s 99% import needs) and a few meetings.
"""

from __future__ import annotations

import random

SOURCE = {"title": "generated benchmark data (not real history)", "publisher": "bench/generate.py"}


def random_date(rng: random.Random, year: int) -> str:
    """A date in ``year`` at a random precision (year, month or day), as the world writes them."""
    roll = rng.random()
    if roll < 0.15:
        return f"{year}"
    if roll < 0.3:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


NETWORK_SHARE = 0.15  # of the events: networks' facts


def network_streams(rng: random.Random, pool: list[str], budget: int, last_year: int) -> list[list[dict]]:
    """Networks' histories, ~``budget`` events in all: each a registration, then its members' facts (each
    member's in valid-time order, so every prefix of the stream is consistent) and a few meetings."""
    n = max(3, min(400, budget // 45))
    weights = [rng.paretovariate(1.2) for _ in range(n)]
    scale = budget / sum(weights)
    out = []
    for i, w in enumerate(weights):
        name = {"network": f"Generated Network {i}", "short": f"GN{i}"}
        founded = rng.randint(1950, 2000)
        facts = [{"type": "NetworkRegistered", **name, "founded": random_date(rng, founded), "secretariat": rng.choice(pool), "scope": "generated",
                  "source": SOURCE}]
        per_member = []
        for member in rng.sample(pool, min(len(pool), max(1, round(w * scale / 1.3)))):
            year, own = rng.randint(founded + 1, last_year), []
            kind = "MembershipJoined" if rng.random() < 0.6 else "MembershipListed"
            own.append({"type": kind, "network": name["short"], "member": member, "date": random_date(rng, year), "source": SOURCE})
            if rng.random() < 0.1 and year + 1 < last_year:
                year = rng.randint(year + 1, last_year)
                own.append({"type": "NetworkRoleHeld", "network": name["short"], "member": member, "role": rng.choice(["chair", "president"]),
                            "date": random_date(rng, year), "source": SOURCE})
            if rng.random() < 0.15 and year + 1 < last_year:
                own.append({"type": "MembershipLeft", "network": name["short"], "member": member, "date": random_date(rng, rng.randint(year + 1, last_year)),
                            "reason": "generated", "source": SOURCE})
            per_member.append(own)
        for _ in range(rng.randint(0, 3)):
            per_member.append([{"type": "NetworkMeetingHeld", "network": name["short"], "date": random_date(rng, rng.randint(founded + 1, last_year)),
                                "host": rng.choice(pool), "meeting": f"GN{i}-{rng.randint(1, 99)}", "source": SOURCE}])
        while per_member:  # members interleaved, each member's facts in order
            k = rng.randrange(len(per_member))
            facts.append(per_member[k].pop(0))
            if not per_member[k]:
                per_member[k] = per_member[-1]
                per_member.pop()
        out.append(facts)
    return out
