"""``amity publish``: a city's static page, every statement dated at its precision and sourced, with the digest."""

from __future__ import annotations

import json
import re

from tests.conftest import SEEDS
from tests.web.conftest import seeded
from tests.web.hostile import EVENTS, SCRIPT_TITLE


def test_the_published_kuala_lumpur_page_dates_and_sources_every_statement(cli, web_store, tmp_path):
    r = cli("publish", "Kuala Lumpur", "--out", str(tmp_path / "site"), "--store", web_store)
    assert r.code == 0, r.err
    html = (tmp_path / "site" / "index.html").read_text()
    assert "As of <strong>23 November 2026</strong>" in html
    statements = re.findall(r"<li><strong class=\"date\">(.*?)</strong> — (.*?)</li>", html, re.S)
    kl_lines = [line for line in SEEDS.read_text().splitlines() if "Kuala Lumpur" in "".join(json.loads(line).get("cities", ()))]  # partnerships
    assert len(statements) == len(kl_lines) == 19  # every fact of Kuala Lumpur on file, none retracted
    assert all("Source:" in body and "<span class=\"source\">" in body for _, body in statements)
    dates = [d for d, _ in statements]
    assert "11 July 1992" in dates and "January 1989" in dates  # each at its own precision
    assert re.search(r"11 July 1992</strong> — Memorandum of understanding signed \(twin\); place: Casablanca, MA", html)
    assert "<script" not in html
    assert "ASEAN Smart Cities Network (ASCN)</strong> — member" in html and "listed as a member in 2025" in html  # its networks, sourced


def test_the_foot_of_the_page_names_a_digest_that_verifies(cli, web_store, tmp_path):
    assert cli("publish", "Seoul", "--out", str(tmp_path), "--store", web_store).code == 0
    profile = json.loads((tmp_path / "profile.json").read_text())
    digest = json.loads(cli("digest", "--store", web_store).out)
    assert profile["ledger"] == digest
    html = (tmp_path / "index.html").read_text()
    command = f"amity verify --digest {digest['digest']} --position {digest['position']}"
    assert command in html
    assert cli(*command.split()[1:], "--store", web_store).code == 0
    assert "2010</strong> — Relationship elevated (sister)" in html  # a year-precise date stays a year


def test_published_strings_are_escaped_and_retracted_facts_left_out(cli, tmp_path):
    from amity.ledger.app import Ledger

    store = seeded(extra=EVENTS)
    ledger = Ledger(store)
    visit = next(f for f in ledger.stream(ledger.pair("Osaka", "Busan")[0]) if f.type == "CommemorationHeld")
    ledger.retract(str(visit.id), "wrong year", {"title": "desk review"})
    ledger.close()
    assert cli("publish", "Osaka", "--out", str(tmp_path), "--store", store).code == 0
    html = (tmp_path / "index.html").read_text()
    assert "&lt;script&gt;window.__pwned" in html and "<script>" not in html and 'href="javascript' not in html
    assert "tenth anniversary" not in html and SCRIPT_TITLE not in html


def test_publishing_an_unknown_place_is_one_line(cli, web_store, tmp_path):
    r = cli("publish", "Atlantis, XX", "--out", str(tmp_path), "--store", web_store)
    assert r.code == 1 and r.err.startswith("amity: error: ") and r.err.count("\n") == 1
    blocked = tmp_path / "file"
    blocked.write_text("")
    r = cli("publish", "Seoul", "--out", str(blocked / "site"), "--store", web_store)
    assert r.code == 1 and "cannot write" in r.err
