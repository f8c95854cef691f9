"""Generate a deterministic, realistic world ledger in the docs/format.md wire format (synthetic data).

Places are real GeoNames cities (the most populous ones); partnership sizes are skewed (most have a
few events, the capitals' have many); lifecycles obey the rules; dates run from 1950 to today in
mixed precision; partnerships are interleaved and some first facts are recorded last (out of
valid-time order); about 1% of events are corrections or retractions. About 15% of the events are
networks' (``network_history``): a few hundred networks (one per 300 events, at most 400) with
skewed memberships (joined or listed, some left, some roles) and meetings. Every line's source says it
is generated: this is benchmark data, not diplomatic history.

    python bench/generate.py --events 100k --seed 7 > /tmp/world-100k.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from uuid import UUID, uuid5

import orjson

from gen_networks import NETWORK_SHARE, network_streams, random_date as _date  # bench/ is the script's own folder

SOURCE = {"title": "generated benchmark data (not real history)", "publisher": "bench/generate.py"}
TIERS = ["cooperation", "friendship", "sister"]
NS = UUID("3a9d3a1c-2a7b-5d43-9a61-5f0e1a7c9b22")
def parse_size(text: str) -> int:
    """``2k``, ``100k``, ``1M`` or a plain number of events."""
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t.rstrip("km")) * scale)


def places(n: int) -> tuple[list[str], dict[str, list[str]]]:
    """The ``n`` most populous GeoNames cities as canonical names, and other ways to write some of them.

    The variants are how sources write places: an alternate name (an exonym or an older name, as
    GeoNames lists it), or a name shared by several places written with its country ("Name, CC").
    Each variant is kept only if the gazetteer resolves it to the same place, so an import lands it
    in the same partnership.
    """
    from amity.ledger import placeindex
    from amity.ledger.gazetteer import Gazetteer

    gaz, index = Gazetteer(), placeindex.connect()
    ranked = [r[0] for r in index.execute("SELECT id FROM places WHERE id LIKE 'geonames:%' ORDER BY population DESC, id LIMIT ?", (4 * n + 100,))]
    out: list[str] = []
    variants: dict[str, list[str]] = {}
    other_names: dict[str, list[str]] = {}
    for key, pid in index.execute("SELECT key, min(id) FROM names WHERE tier = 1 GROUP BY key HAVING count(*) = 1"):
        if key.isascii() and len(key) > 3:
            other_names.setdefault(pid, []).append(key)
    for pid in ranked:
        place = gaz.get(pid)
        name = place.canonical
        try:
            if gaz.resolve(name).id != pid:
                continue
        except Exception:
            continue
        out.append(name)
        country = name.rsplit(", ", 1)[-1]
        alternates = sorted(k.title() for k in other_names.get(pid, ()) if k != place.name.casefold())[:2]
        tries = [place.name] + [f"{a}, {country}" for a in alternates]
        found = []
        for text in tries:
            try:
                if gaz.resolve(text).id == pid and text != name:
                    found.append(text)
            except Exception:
                continue
        if found:
            variants[name] = found
        if len(out) == n:
            break
    return out, variants


def history(rng: random.Random, pair: list[str], size: int, last_year: int) -> list[dict]:
    """A consistent lifecycle of about ``size`` events for one partnership, in valid-time order.

    Lifecycle steps (agreement, elevation, suspension, restoration) fall in strictly later years, so
    however imprecise their dates they keep their order; visits and commemorations fill the years
    between, several a year in a busy partnership.
    """
    year = rng.randint(1950, max(1950, last_year - (60 if size > 20 else 25)))
    per_year = max(1.0, size / max(1, last_year - year))  # activity events a year
    lifecycle_odds = min(0.12, 6 / max(size, 1))
    facts: list[dict] = []

    def add(kind: str, **fields) -> bool:
        nonlocal year
        if kind in ("CommemorationHeld", "VisitStarted"):
            year += rng.random() < 1 / per_year
        else:
            year += rng.randint(1, 3)
        if year > last_year:
            return False
        facts.append({"type": kind, "cities": pair, "date": _date(rng, year), "source": SOURCE, **fields})
        return True

    if rng.random() < 0.3:
        add("PartnershipProposed", proposed_by="generated")
    tier = rng.randint(0, 1)
    add("MoUSigned", tier=TIERS[tier], instrument=rng.choice(["mou", "agreement", "proclamation"]))
    state = "active"
    while len(facts) < size and year < last_year:
        if rng.random() < lifecycle_odds:
            if state == "suspended":
                state = "active" if add("RelationshipRestored", reason="generated") else state
            elif tier < 2 and rng.random() < 0.6:
                tier += 1
                add("RelationshipElevated", to_tier=TIERS[tier])
            else:
                state = "suspended" if add("RelationshipSuspended", reason="generated") else state
        elif rng.random() < 0.7:
            add("CommemorationHeld", **({"what": "generated"} if rng.random() < 0.7 else {}))
        else:
            add("VisitStarted", visitor=pair[0])
    return facts


def generate(total: int, seed: int, today: date) -> list[dict]:
    """About ``total`` events over ~26,000 partnerships (fewer for small sizes), interleaved."""
    rng = random.Random(seed)
    n_pairs = max(10, min(26_000, total // 38))
    pool, variants = places(min(18_000, max(40, n_pairs)))
    capitals = set(pool[: max(5, len(pool) // 100)])
    ranked = pool[: len(capitals)]
    seen: set[tuple[str, str]] = set()

    def new_pair() -> tuple[str, str, float]:
        while True:
            a = rng.choice(ranked) if rng.random() < 0.3 else rng.choice(pool)
            b = rng.choice(pool)
            if a != b and (a, b) not in seen and (b, a) not in seen:
                seen.add((a, b))
                return a, b, rng.paretovariate(1.3) * (6 if a in capitals and b in capitals else 1)

    networks = network_streams(rng, pool, round(total * NETWORK_SHARE), today.year - 1)
    made = sum(len(f) for f in networks)
    total -= made
    chosen = [new_pair() for _ in range(n_pairs)]
    scale = total / sum(w for _, _, w in chosen)
    for _ in range(20):  # sizes are capped at 400: scale the rest up until they add up to the total
        sizes = [max(1, min(400, round(w * scale))) for _, _, w in chosen]
        if sum(sizes) >= total * 0.995:
            break
        scale *= total / sum(sizes)
    streams, k = networks, 0
    total += made
    while made < total:  # histories can come out shorter than asked: more partnerships make up the rest
        if k < len(chosen):
            (a, b, _), size = chosen[k], sizes[k]
        else:
            a, b, w = new_pair()
            size = max(1, min(400, round(w * scale), total - made))
        k += 1
        facts = history(rng, [a, b], size, today.year - 1)
        for f in facts:  # about 5% of lines name a place another way (an alternate name, or "Name, CC")
            if rng.random() < 0.05 and f["cities"][0] in variants:
                f["cities"] = [rng.choice(variants[f["cities"][0]]), f["cities"][1]]
        if len(facts) > 1 and rng.random() < 0.3:
            facts = facts[1:] + facts[:1]  # the first fact typed in last
        streams.append(facts)
        made += len(facts)
    out = []
    cursors = [0] * len(streams)
    live = list(range(len(streams)))
    while live:
        k = rng.randrange(len(live))
        i = live[k]
        out.append(streams[i][cursors[i]])
        cursors[i] += 1
        if cursors[i] == len(streams[i]):
            live[k] = live[-1]
            live.pop()
    return amend(rng, out, seed)


def amend(rng: random.Random, lines: list[dict], seed: int) -> list[dict]:
    """Give every line an id and add ~1% corrections and retractions of commemorations."""
    out = []
    for n, line in enumerate(lines):
        line["id"] = str(uuid5(NS, f"{seed}:{n}"))
        out.append(line)
        if line["type"] == "CommemorationHeld" and rng.random() < 0.025:
            if rng.random() < 0.6:
                out.append({"type": "EventCorrected", "target": line["id"], "changes": {"what": "corrected"}, "source": SOURCE, "id": str(uuid5(NS, f"{seed}:c{n}"))})
            else:
                out.append({"type": "EventRetracted", "target": line["id"], "reason": "generated", "source": SOURCE, "id": str(uuid5(NS, f"{seed}:r{n}"))})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10k", help="2k, 10k, 100k or 1M (or a number)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", default="2026-11-23")
    args = parser.parse_args()
    total = parse_size(args.events)
    out = sys.stdout.buffer
    for line in generate(total, args.seed, date.fromisoformat(args.today)):
        out.write(orjson.dumps(line) + b"\n")


if __name__ == "__main__":
    main()
