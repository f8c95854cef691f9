"""What each of `verify`'s checks costs per chain row, beside reading the row (the issue's 0.8 of the read leaves
a quarter of the read's time for every check together).

Reads the first ``--rows`` chain rows of a ledger the way `verify` does (``chain_pages``), then times, per row:
decoding the stored state, its content hash, its chain link, and validating it as its class from its stored
bytes (``mapping.stored_fact``). Each figure is the fastest of three passes (the classes' validators are built
in the first). Read-only: it never writes to the store.

    python bench/verify_costs.py --store world-1M.db [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import time

import orjson


def fastest(fn, passes: int = 3) -> float:
    out = []
    for _ in range(passes):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from amity.ledger.app import Ledger
    from amity.ledger.integrity import chain_pages, content_hash, link_values
    from amity.ledger.mapping import fact_class, stored_fact

    ledger = Ledger(args.store, mode="read")

    def read() -> list[tuple]:
        rows: list[tuple] = []
        for page in chain_pages(ledger.recorder):
            rows += page
            if len(rows) >= args.rows:
                break
        return rows[: args.rows]

    rows = read()
    n = len(rows)
    states = [bytes(r[14]) for r in rows]
    decoded = [orjson.loads(s) for s in states]
    seconds = {
        "read": fastest(read),
        "decode": fastest(lambda: [orjson.loads(s) for s in states]),
        "content_hash": fastest(lambda: [content_hash(d) for d in decoded]),
        "link_hash": fastest(lambda: [link_values("0" * 64, r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[13], r[14])
                                      for r in rows]),  # the columns of integrity.CHAIN_COLUMNS
        "validate": fastest(lambda: [stored_fact(fact_class(r[13]), s, d) for r, s, d in zip(rows, states, decoded)]),
    }
    per_row = {k: round(v / n * 1e6, 2) for k, v in seconds.items()}
    checks = round(sum(v for k, v in per_row.items() if k != "read"), 2)
    budget = round(per_row["read"] * (1 / 0.8 - 1), 2)
    for k, v in per_row.items():
        print(f"{k:13} {v:7.2f} µs a row")
    print(f"checks together {checks:.2f} µs a row; what 0.8 of the read leaves for them: {budget:.2f} µs")
    print(json.dumps({"rows": n, "us_per_row": per_row, "checks_us_per_row": checks, "budget_at_0_8_us_per_row": budget}))


if __name__ == "__main__":
    main()
