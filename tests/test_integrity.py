"""Tampering done directly on the storage is found by `amity verify`, which names the first bad event."""

from __future__ import annotations

import json
import sqlite3

import psycopg
from hypothesis import given, settings
from hypothesis import strategies as st

from amity.ledger.integrity import Verifier
from tests.conftest import N_SEEDS, PG_URL, new_ledger
from tests.props.strategies import PAIRS, lifecycle


class Tamper:
    """Direct SQL on a ledger's store, behind Amity's back (on PostgreSQL, with the triggers disabled)."""

    def __init__(self, ledger):
        self.url = ledger.url
        if self.url.kind == "sqlite":
            self.events, self.facts, self.p = "stored_events", "amity_facts", "?"
        else:
            s = self.url.schema
            self.events, self.facts, self.p = f'"{s}".amity_events', f'"{s}".amity_facts', "%s"

    def run(self, sql: str, params=()):
        sql = sql.format(events=self.events, facts=self.facts).replace("?", self.p)
        if self.url.kind == "sqlite":
            with sqlite3.connect(self.url.path) as conn:
                rows = conn.execute(sql, params).fetchall()
            return rows
        with psycopg.connect(PG_URL, autocommit=True) as conn:  # a superuser, triggers off: beyond what any role should do
            conn.execute("SET session_replication_role = replica")
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def row(self, seq: int):
        """(stream, version, state) of the event at chain position ``seq``."""
        return self.run("SELECT f.stream, f.version FROM {facts} f WHERE f.seq = ?", (seq,))[0]

    def where(self, seq: int) -> str:
        stream, version = self.row(seq)
        cast = "" if self.url.kind == "sqlite" else "::uuid"
        return f"originator_id = '{stream}'{cast} AND originator_version = {version}"

    def state(self, seq: int) -> bytes:
        return bytes(self.run(f"SELECT state FROM {{events}} WHERE {self.where(seq)}")[0][0])

    def set_state(self, seq: int, state: bytes) -> None:
        self.run(f"UPDATE {{events}} SET state = ? WHERE {self.where(seq)}", (state,))


def verify(cli, store, *args):
    r = cli("verify", "--store", store, "--json", *args)
    return r.code, json.loads(r.out), r.err


def test_an_untouched_ledger_verifies(seed_ledger, store, cli):
    code, report, _ = verify(cli, store)
    assert code == 0 and report["ok"] and report["events"] == N_SEEDS and report["first_bad"] is None
    assert report["views"]["state"] == "match" and report["moves"] == []


def test_editing_one_byte_of_an_event_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    state = bytearray(t.state(14))
    state[state.index(b"Ankara")] = ord("a")
    t.set_state(14, bytes(state))
    code, report, err = verify(cli, store)
    assert code == 1 and report["first_bad"]["seq"] == 14 and "edited" in report["first_bad"]["reason"]
    assert err.count("\n") == 1 and "position 14" in err


def test_deleting_an_event_from_the_middle_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    where = t.where(10)
    t.run(f"DELETE FROM {{events}} WHERE {where}")
    t.run("DELETE FROM {facts} WHERE seq = 10")
    code, report, _ = verify(cli, store)
    assert code == 1 and report["first_bad"]["seq"] == 10 and "deleted" in report["first_bad"]["reason"]


def test_deleting_only_the_stored_event_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    t.run(f"DELETE FROM {{events}} WHERE {t.where(5)}")
    code, report, _ = verify(cli, store)
    assert code == 1 and report["first_bad"]["seq"] == 5


def test_swapping_two_events_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    a, b = t.state(7), t.state(8)
    t.set_state(7, b)
    t.set_state(8, a)
    code, report, _ = verify(cli, store)
    assert code == 1 and report["first_bad"]["seq"] == 7


def test_inserting_a_forged_event_is_found(seed_ledger, store, cli):
    t = Tamper(seed_ledger)
    stream, version = t.row(3)
    forged = t.state(3).replace(b'"type"', b'"forged":1,"type"')
    oid = stream if seed_ledger.url.kind == "sqlite" else f"{stream[:8]}-{stream[8:12]}-{stream[12:16]}-{stream[16:20]}-{stream[20:]}"
    t.run("INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
          (oid, 999, "amity.events:MoUSigned", forged))
    code, report, _ = verify(cli, store)
    assert code == 1 and "inserted" in report["first_bad"]["reason"]


def test_truncating_the_tail_is_found_against_a_kept_digest(seed_ledger, store, cli):
    kept = json.loads(cli("digest", "--store", store).out)
    assert kept["position"] == N_SEEDS
    t = Tamper(seed_ledger)
    for seq in (N_SEEDS, N_SEEDS - 1, N_SEEDS - 2):
        t.run(f"DELETE FROM {{events}} WHERE {t.where(seq)}")
        t.run("DELETE FROM {facts} WHERE seq = ?", (seq,))
    assert verify(cli, store)[0] == 0  # a shorter chain is still a chain …
    code, report, err = verify(cli, store, "--digest", kept["digest"], "--position", str(kept["position"]))
    assert code == 1 and "truncated" in report["first_bad"]["reason"]  # … but not the one the digest vouches for


def test_a_kept_digest_proves_history_up_to_its_position_after_more_events(seed_ledger, store, cli):
    kept = json.loads(cli("digest", "--store", store).out)
    seed_ledger.record({"type": "CommemorationHeld", "cities": ["Seoul", "Tashkent"], "date": "2026-01", "source": {"title": "t"}})
    assert verify(cli, store, "--digest", kept["digest"], "--position", str(kept["position"]))[0] == 0
    assert verify(cli, store, "--digest", "0" * 64, "--position", str(kept["position"]))[0] == 1


MUTATIONS = ["edit", "delete", "delete_event", "swap", "forge", "reorder"]


@settings(max_examples=20, deadline=None)
@given(lifecycle(PAIRS[0]), lifecycle(PAIRS[1]), st.sampled_from(MUTATIONS), st.data())
def test_random_ledgers_verify_and_any_single_mutation_fails(h1, h2, mutation, data):
    ledger = new_ledger("sqlite")
    for f in h1 + h2:
        ledger.record(f)
    assert Verifier(ledger.recorder).run()["ok"]
    t = Tamper(ledger)
    n = len(h1) + len(h2)
    seq = data.draw(st.integers(1, n - 1))
    if mutation == "edit":
        state = bytearray(t.state(seq))
        i = data.draw(st.integers(0, len(state) - 1))
        state[i] = (state[i] + data.draw(st.integers(1, 255))) % 256
        t.set_state(seq, bytes(state))
    elif mutation == "delete":
        t.run(f"DELETE FROM {{events}} WHERE {t.where(seq)}")
        t.run("DELETE FROM {facts} WHERE seq = ?", (seq,))
    elif mutation == "delete_event":
        t.run(f"DELETE FROM {{events}} WHERE {t.where(seq)}")
    elif mutation == "swap":
        a, b = t.state(seq), t.state(seq + 1)
        t.set_state(seq, b)
        t.set_state(seq + 1, a)
    elif mutation == "forge":
        stream, _ = t.row(seq)
        t.run("INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)", (stream, 10_000, "amity.events:MoUSigned", t.state(seq)))
    else:  # reorder: exchange the chain positions of two index rows
        t.run("UPDATE {facts} SET seq = -1 WHERE seq = ?", (seq,))
        t.run("UPDATE {facts} SET seq = ? WHERE seq = ?", (seq, seq + 1))
        t.run("UPDATE {facts} SET seq = ? WHERE seq = -1", (seq + 1,))
    report = Verifier(ledger.recorder).run()
    assert not report["ok"] and report["first_bad"]["reason"]
