"""Attacks on networks (#18) and on counts, disputes and invitations (#19): hostile text, look-alike names,
forged view rows, rules evaded through corrections, a killed import, a tampered backup. Each is refused or
found, on SQLite and on PostgreSQL as the README's writer role."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import SEEDS, import_killed
from tests.test_attacks import writer_sql
from tests.test_hostile_text import RAW
from tests.test_integrity import Tamper, verify
from tests.test_reliability import generated

SRC = {"title": "attack"}
MOU = "e2f7f2e8-8157-514d-b1a2-3c5e94b14416"  # the seeds' MoUSigned of Seoul – Tashkent, 2006, tier friendship
BIG = "A" * 10_000


def lines(tmp_path, name, *facts) -> str:
    f = tmp_path / name
    f.write_text("".join(json.dumps(x) + "\n" for x in facts))
    return str(f)


def count(cli, store) -> int:
    return len(cli("export", "--store", store).out.splitlines())


def refused(cli, store, tmp_path, *facts, needle: str = "") -> str:
    """Import ``facts``: refused whole, in one line naming ``needle``, nothing written."""
    before = count(cli, store)
    r = cli("import", lines(tmp_path, "bad.jsonl", *facts), "--store", store)
    assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert needle in r.err, r.err
    assert count(cli, store) == before
    return r.err


def no_raw(text: str) -> None:
    assert not any(ch in text for ch in RAW), [ch for ch in RAW if ch in text]


# ---- hostile text and look-alikes ---------------------------------------------------------------

HOSTILE_FACTS = [
    {"type": "NetworkRegistered", "network": "Hostile Mayors [bold]Forum[/]", "short": "HMF", "scope": "\u200bglobal", "source": SRC},
    {"type": "MembershipJoined", "network": "HMF", "member": "Seoul, KR", "date": "2001", "source": SRC},
    {"type": "NetworkRoleHeld", "network": "HMF", "member": "Seoul, KR", "role": "pres\x1b]8;;http://x\x07ident\u202e" + BIG, "date": "2002",
     "source": SRC},
    {"type": "NetworkMeetingHeld", "network": "HMF", "date": "2003", "host": "Seoul, KR", "meeting": "m\u202e1",
     "topic": "[link=http://x]t[/link]\x9b\x1b[2J", "source": SRC},
    {"type": "InvitationExtended", "cities": ["Tehran, IR", "Seoul, KR"], "date": "2016", "to": "AMF\x1b[2J\u2067", "invited": "Mayor\u202e" + BIG,
     "by": "adv\u200b\x07isor", "source": SRC},
    {"type": "ClaimDisputed", "target": MOU, "field": "tier", "value": "sister", "note": "\x1b[31mred\u202e", "source": {"title": "\x1b[2Jother"}},
    {"type": "CountAsserted", "place": "Seoul, KR", "date": "2016", "counts": {"sister": 23}, "source": {"title": "count\x1b[2J\u202e"}},
]


def test_hostile_text_in_the_new_fields_is_escaped_in_every_table_and_exact_in_json(seed_ledger, store, tmp_path, cli, monkeypatch):
    r = cli("import", lines(tmp_path, "hostile.jsonl", *HOSTILE_FACTS), "--store", store)
    assert r.code == 0, r.err
    monkeypatch.setenv("COLUMNS", "80")
    reads = [["networks"], ["network", "HMF"], ["city", "Seoul"], ["history", "Seoul", "Tehran"], ["disputes"], ["check", "Seoul"],
             ["audit"], ["anniversaries", "--year", "2026"]]
    for args in reads:
        r = cli(*args, "--store", store)
        assert r.code in (0, 1) and "Traceback" not in r.err, (args, r.err)  # check exits 1: the counts do not hold
        no_raw(r.out)
        assert max(len(x) for x in r.out.splitlines()) <= 80, args
        assert "[bold]" in r.out or args[0] not in ("networks", "network"), args  # markup shown as written
    network = json.loads(cli("network", "HMF", "--store", store, "--json").out)
    assert network["members"][0]["roles"][0].startswith("pres\x1b]8;;http://x\x07ident\u202e") and BIG in network["members"][0]["roles"][0]
    history = json.loads(cli("history", "Seoul", "Tehran", "--store", store, "--json").out)
    invitation = next(e for e in history["events"] if e["type"] == "InvitationExtended" and e["details"]["to"].startswith("AMF"))
    assert invitation["details"]["to"] == "AMF\x1b[2J\u2067" and invitation["details"]["invited"] == "Mayor\u202e" + BIG


@pytest.mark.parametrize("field,text", [("network", "Evil\x1b[2J Net"), ("network", "Evil\u202eNet"), ("short", "EV\u200b"),
                                        ("short", "E\x00V"), ("network", "Line\nbreak")])
def test_a_network_name_with_control_or_bidi_characters_is_refused(store, tmp_path, cli, field, text):
    fact = {"type": "NetworkRegistered", "network": "Plain Network", "short": "PN", "source": SRC, field: text}
    err = refused(cli, store, tmp_path, fact)
    no_raw(err)


@pytest.mark.parametrize("network,short", [("Сity Climate Group", "С40"),  # Cyrillic С
                                           ("Other Climate Group", "C4O"),  # letter O for zero
                                           ("C4O Cities Climate Leadership Group", None),
                                           ("Another", "UCLG ASPAС")])
def test_a_look_alike_network_cannot_impersonate_one_on_file(seed_ledger, store, tmp_path, cli, network, short):
    fact = {"type": "NetworkRegistered", "network": network, "source": SRC} | ({"short": short} if short else {})
    refused(cli, store, tmp_path, fact, needle="looks like a name of")
    ok = {"type": "NetworkRegistered", "network": "Cities for Tomorrow", "short": "C4T", "source": SRC}  # reads differently: taken
    assert cli("import", lines(tmp_path, "ok.jsonl", ok), "--store", store).code == 0


def test_the_web_city_page_escapes_hostile_network_text(seed_ledger, store, tmp_path, cli):
    from starlette.testclient import TestClient

    from amity.web.app import create_app

    assert cli("import", lines(tmp_path, "hostile.jsonl", *HOSTILE_FACTS), "--store", store).code == 0
    with TestClient(create_app(store)) as c:
        for url in ("/city/Seoul", "/partnership/Seoul/Tehran", "/audit"):
            r = c.get(url)
            assert r.status_code == 200, url
            assert "<bold" not in r.text and "<link=" not in r.text and 'href="http://x"' not in r.text, url  # text, never markup
        page = c.get("/city/Seoul").text
        assert "HMF" in page and ("pres\x1b]8;;http://x\x07ident" in page or "pres\\x1b" in page)  # the role, as text


# ---- forged view rows ---------------------------------------------------------------------------

def test_forged_network_view_rows_are_found_and_a_rebuild_repairs_them(seed_ledger, store, cli):
    assert cli("networks", "--store", store).code == 0
    want = json.loads(cli("network", "C40", "--store", store, "--json").out)
    if seed_ledger.url.kind == "sqlite":
        Tamper(seed_ledger).run("UPDATE amity_networks SET name = 'C40 (forged)' WHERE short = 'C40'")
        Tamper(seed_ledger).run("INSERT INTO amity_network_members (member, stream) SELECT 'Tehran, IR', stream FROM amity_networks WHERE short = 'C40'")
    else:  # the writer role may write the views (the import keeps them): what it forges, verify finds
        writer_sql(store, "UPDATE {s}.amity_networks SET name = 'C40 (forged)' WHERE short = 'C40'")
        writer_sql(store, "INSERT INTO {s}.amity_network_members (member, stream) SELECT 'Tehran, IR', stream FROM {s}.amity_networks WHERE short = 'C40'")
    code, report, err = verify(cli, store)
    assert code == 1 and report["views"]["state"] == "differ" and "rebuild" in err
    assert verify(cli, store, "--no-views")[0] == 0
    assert cli("rebuild", "--store", store).code == 0 and verify(cli, store)[0] == 0
    assert json.loads(cli("network", "C40", "--store", store, "--json").out) == want
    assert "C40" not in cli("city", "Tehran", "--store", store).out


# ---- a killed import, a tampered backup ---------------------------------------------------------

def test_an_import_of_network_facts_killed_midway_leaves_none_or_all(tmp_path, cli):
    path, n = generated(tmp_path, 3000, 5)
    assert sum('"network"' in x for x in path.read_text().splitlines()) > 100
    store = str(tmp_path / "killed.db")
    for delay in import_killed(path, store, tmp_path, (0.5, 0.65)):
        got = count(cli, store) if os.path.exists(store) else 0
        assert got in (0, n), f"killed after {delay}s: {got} of {n}"
        assert not os.path.exists(store) or cli("verify", "--store", store).code == 0
    assert cli("import", str(path), "--store", store).code == 0 and cli("verify", "--store", store).code == 0
    assert json.loads(cli("networks", "--store", store, "--json").out)


@pytest.mark.parametrize("kind", ["MembershipListed", "NetworkRegistered", "CountAsserted", "InvitationExtended", "ClaimDisputed"])
def test_a_backup_with_one_tampered_new_event_is_refused_and_a_copy_verifies(seed_ledger, store, tmp_path, cli, kind):
    extra = [HOSTILE_FACTS[4], HOSTILE_FACTS[5], HOSTILE_FACTS[6]]
    assert cli("import", lines(tmp_path, "extra.jsonl", *extra), "--store", store).code == 0
    backup = cli("export", "--proof", "--store", store).out.splitlines()
    i = next(k for k, x in enumerate(backup) if f'"type":"{kind}"' in x.replace(" ", ""))
    line = json.loads(backup[i])
    event = line.get("event", line)
    for key in ("member", "network", "place", "invited", "value"):
        if key in event:
            event[key] = "Tehran, IR" if key in ("member", "place") else "forged"
            break
    backup[i] = json.dumps(line)
    f = tmp_path / "tampered.jsonl"
    f.write_text("\n".join(backup) + "\n")
    target = str(tmp_path / "restored.db")
    r = cli("import", "--restore", str(f), "--store", target)
    assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert not os.path.exists(target) or count(cli, target) == 0
    copied = str(tmp_path / "copy.db")
    assert cli("copy", "--from", store, "--to", copied).code == 0 and cli("verify", "--store", copied).code == 0
    assert cli("network", "C40", "--store", copied, "--json").out == cli("network", "C40", "--store", store, "--json").out


def test_a_correction_cannot_rename_a_network_into_another_ones_look_alike(seed_ledger, store, tmp_path, cli):
    ascn = next(e["id"] for e in json.loads(cli("audit", "--store", store, "--json").out)
                if e["type"] == "NetworkRegistered" and "ASCN" in json.dumps(e))
    for changes in ({"short": "C4O"}, {"short": "C40"}, {"network": "C40"}):
        refused(cli, store, tmp_path, {"type": "EventCorrected", "target": ascn, "changes": changes, "source": SRC}, needle="cannot change")
    assert json.loads(cli("network", "C4O", "--store", store, "--json").out or "{}").get("short") != "C4O"
    assert json.loads(cli("network", "ASCN", "--store", store, "--json").out)["short"] == "ASCN"


def test_verify_finds_a_members_facts_of_a_network_edited_or_deleted_in_the_views(seed_ledger, store, cli):
    """``amity_network_member_facts`` is what `city` folds a place's memberships from: verify holds it to a rebuild."""
    assert cli("city", "Kuala Lumpur", "--store", store).code == 0 and verify(cli, store)[0] == 0
    for sql, params in [("UPDATE {s}amity_network_member_facts SET facts = %s WHERE member = 'Kuala Lumpur, MY'", (b"[]",)),
                        ("DELETE FROM {s}amity_network_member_facts WHERE member = %s", ("",))]:
        if seed_ledger.url.kind == "sqlite":
            Tamper(seed_ledger).run(sql.replace("{s}", "").replace("%s", "?"), params)
        else:
            writer_sql(store, sql.replace("{s}", "{s}."), params)
        assert verify(cli, store)[0] == 1
        assert cli("rebuild", "--store", store).code == 0 and verify(cli, store)[0] == 0


def test_network_view_rows_that_do_not_decode_give_one_line_and_a_rebuild_repairs_them(seed_ledger, store, cli):
    assert cli("networks", "--store", store).code == 0
    want = cli("network", "C40", "--store", store, "--json").out
    forge = [("UPDATE {s}amity_networks SET facts = %s WHERE short = 'C40'", b"{{{"),
             ("UPDATE {s}amity_networks SET names = %s WHERE short = 'ASCN'", b'"zz"'),
             ("UPDATE {s}amity_network_days SET summary = %s WHERE stream = (SELECT stream FROM {s}amity_networks WHERE short = 'C40')", '{"members": 1}'),
             ("UPDATE {s}amity_network_member_facts SET facts = %s WHERE member = 'Kuala Lumpur, MY'", b"[[1]]")]  # what `city` reads
    for sql, value in forge:
        if seed_ledger.url.kind == "sqlite":
            Tamper(seed_ledger).run(sql.replace("{s}", "").replace("%s", "?"), (value,))
        else:
            writer_sql(store, sql.replace("{s}", "{s}."), (value,))
    for args in (["networks"], ["network", "C40"], ["city", "Kuala Lumpur"], ["network", "ASCN", "--json"]):
        r = cli(*args, "--store", store)
        assert r.code == 1 and r.err.count("\n") == 1 and "internal error" not in r.err and "amity rebuild" in r.err, (args, r.err)
    from starlette.testclient import TestClient

    from amity.web.app import create_app

    with TestClient(create_app(store), raise_server_exceptions=False) as c:  # the web view says so too, as a page
        r = c.get("/city/Kuala Lumpur")
        assert r.status_code >= 400 and "amity rebuild" in r.text and "Traceback" not in r.text
    assert verify(cli, store)[0] == 1
    assert cli("rebuild", "--store", store).code == 0 and cli("network", "C40", "--store", store, "--json").out == want
