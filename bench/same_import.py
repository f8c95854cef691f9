"""Safety net for import work: the same file imported by this build and another gives the same ledger.

    python bench/same_import.py --events 10k --baseline /work/main

Generates a world file (``bench/generate.py``) and imports it, 90% then the rest (so both new and
existing partnerships are checked), into a fresh SQLite store under each build's own interpreter, with
the record and store times pinned. Then compares what each stored: the ``export --proof`` lines (events,
custody and chain links), the digest, the views' tables row by row, and the import summaries. Prints
one line per figure and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
VIEW_TABLES = ("amity_timelines", "amity_anniversary_events", "amity_networks", "amity_network_members", "amity_network_member_facts", "amity_moves")


def drive(world: str, store: str) -> dict:
    """Import ``world`` into ``store`` (90%, then the rest) with pinned times; what was stored, hashed."""
    from datetime import UTC, datetime

    import amity.ledger.sqlitestore as sqlitestore
    from amity.ledger.app import Ledger
    from amity.ledger.integrity import digest_of
    from amity.ledger.jsonlines import read_lines
    from amity.projections.reader import Reader

    fixed = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    class Pinned(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return fixed

    sqlitestore.datetime = Pinned  # the store time of the write transaction
    ledger = Ledger(store)
    ledger.clock = lambda: fixed  # the record time of new events
    reader = Reader(ledger)
    lines = list(read_lines(world))
    cut = len(lines) * 9 // 10
    out: dict = {"summaries": []}
    for part in (lines[:cut], lines[cut:]):
        s = ledger.import_events(part, where=world, projector=reader.projector())
        out["summaries"].append([s.imported, s.skipped, s.retimed, s.corroborated])
    out["digest"] = digest_of(ledger.recorder)
    out["export_proof_sha256"] = hashlib.sha256(b"".join(ledger.export_lines(proof=True))).hexdigest()
    out["export_sha256"] = hashlib.sha256(b"".join(ledger.export_lines())).hexdigest()
    with ledger.records() as records:
        c = records.cursor
        for table in VIEW_TABLES:
            c.execute(f"SELECT * FROM {table}")
            rows = sorted(repr(tuple(r)) for r in c.fetchall())
            out[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    ledger.close()
    return out


def without_ids(src: str, dst: str) -> None:
    """``src`` with each line's ``id`` dropped unless another line points at it (``target``)."""
    values = [json.loads(line) for line in open(src, encoding="utf-8")]
    targets = {v["target"] for v in values if "target" in v}
    with open(dst, "w", encoding="utf-8") as fh:
        for v in values:
            if v.get("id") not in targets:
                v.pop("id", None)
            fh.write(json.dumps(v, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10k")
    parser.add_argument("--baseline", required=True, help="another checkout with its own .venv (e.g. /work/main)")
    parser.add_argument("--drive", nargs=2, metavar=("WORLD", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(*args.drive)))
        return
    workdir = tempfile.mkdtemp(prefix="amity-same-")
    world = os.path.join(workdir, "world.jsonl")
    with open(world, "wb") as fh:
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--events", args.events], stdout=fh, check=True)
    derived = os.path.join(workdir, "derived.jsonl")  # the ids dropped where no line points at them: ids derived from content
    without_ids(world, derived)
    env = {**os.environ, "AMITY_TODAY": "2026-11-23", "AMITY_ACTOR": "bench"}
    same = True
    for label, path in (("ids given", world), ("ids derived", derived)):
        got = {}
        for name, python in (("this", sys.executable), ("baseline", str(Path(args.baseline) / ".venv" / "bin" / "python"))):
            store = os.path.join(workdir, f"{name}.db")
            proc = subprocess.run([python, str(Path(__file__).resolve()), "--baseline", "-", "--drive", path, store],
                                  capture_output=True, env=env, cwd=workdir)
            os.remove(store)
            if proc.returncode != 0:
                raise SystemExit(f"{name}: {proc.stderr.decode()[-800:]}")
            got[name] = json.loads(proc.stdout)
        for key in got["this"]:
            equal = got["this"][key] == got["baseline"].get(key)
            same &= equal
            shown = got["this"][key] if key != "summaries" else [s[:3] + [len(s[3])] for s in got["this"][key]]
            print(f"{'same' if equal else 'DIFFERENT':9}  {label}: {key}: {shown}")
    for name in os.listdir(workdir):
        os.remove(os.path.join(workdir, name))
    os.rmdir(workdir)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
