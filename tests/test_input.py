"""Import input: read exactly once, streaming, from anything that can be opened (stdin, /dev/stdin, a FIFO,
a process substitution), in memory bounded by the line limit (an endless line stops at once), with every
problem listed, refused lines set aside with --reject-file, and places registered anywhere in the file."""

from __future__ import annotations

import json
import os
import resource
import shlex
import subprocess
import sys
import threading

import pytest

from tests.conftest import SEEDS

AMITY = [sys.executable, "-c", "from amity.cli.main import run; run()"]
ENV = {**os.environ, "AMITY_TODAY": "2026-11-23", "AMITY_ACTOR": "tester"}
MEMORY = 400 * 1024 * 1024  # address space a test allows the CLI (the libraries alone take ~250 MB of it)
N_SEEDS = len(SEEDS.read_text().splitlines())


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def amity(*args, stdin=None, timeout=60, shell_args: str | None = None):
    if shell_args is not None:
        command = " ".join(shlex.quote(a) for a in AMITY) + " " + shell_args
        return subprocess.run(["bash", "-c", command], env=ENV, capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory)
    return subprocess.run([*AMITY, *args], env=ENV, stdin=stdin, capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory)


def imported(r) -> int:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["imported"]


def test_dev_stdin_is_read_once(tmp_path):
    with open(SEEDS, "rb") as fh:
        assert imported(amity("import", "/dev/stdin", "--store", str(tmp_path / "a.db"), "--json", stdin=fh)) == N_SEEDS


def test_a_process_substitution_is_read_once(tmp_path):
    store = shlex.quote(str(tmp_path / "b.db"))
    assert imported(amity(shell_args=f"import <(cat {shlex.quote(str(SEEDS))}) --store {store} --json")) == N_SEEDS


def test_a_fifo_is_read_once(tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as out:
            out.write(SEEDS.read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert imported(amity("import", str(fifo), "--store", str(tmp_path / "c.db"), "--json")) == N_SEEDS
    writer.join(5)


def test_a_fifo_is_not_counted_for_the_progress_bar(tmp_path):
    from amity.ledger.jsonlines import count_lines

    fifo = tmp_path / "none.fifo"
    os.mkfifo(fifo)  # no writer: opening it to count would block forever
    assert count_lines(str(fifo)) is None and count_lines(str(SEEDS)) == N_SEEDS


def test_dev_zero_stops_at_once_in_bounded_memory(tmp_path):
    with open("/dev/zero", "rb") as zero:
        r = amity("import", "-", "--store", str(tmp_path / "z.db"), stdin=zero, timeout=30)
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert "<stdin>:1:" in r.stderr and "at most 1,048,576" in r.stderr and "reading stopped" in r.stderr


def test_an_endless_line_through_a_pipe_stops_in_bounded_memory(tmp_path):
    """A single line of 1 GiB would take 2 GB if held whole: the limit set here would stop that."""
    proc = subprocess.Popen([*AMITY, "import", "-", "--store", str(tmp_path / "p.db")], env=ENV, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_limit_memory)
    block = b"x" * (1 << 20)
    try:
        for _ in range(1024):
            proc.stdin.write(block)
    except BrokenPipeError:
        pass  # the reader stopped: what we want
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 1 and b"at most 1,048,576" in err and err.count(b"\n") == 1, err


GOOD = {"type": "CommemorationHeld", "cities": ["Kyoto, JP", "Paris, FR"], "source": {"title": "t"}}


def write(path, lines):
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def test_text_mode_lists_every_problem_up_to_twenty(store, cli, tmp_path):
    path = write(tmp_path / "bad.jsonl", [{**GOOD, "date": "2000"}] + [{**GOOD, "date": f"2001-02-{30 + i % 2}"} for i in range(25)])
    r = cli("import", str(path), "--store", store)
    lines = r.err.splitlines()
    assert r.code == 1 and lines[0] == "amity: error: 25 problems; nothing was imported"
    assert [x.split(":")[1] for x in lines[1:21]] == [str(n) for n in range(2, 22)]
    assert lines[21].strip().startswith("and 5 more") and len(lines) == 22
    assert cli("export", "--store", store).out == ""


def test_reject_file_keeps_the_consistent_rest_and_writes_the_refused_lines_with_reasons(store, cli, tmp_path):
    mou = {**GOOD, "type": "MoUSigned", "tier": "friendship", "date": "2000-05-05", "id": "6b1f3c2e-0000-4000-8000-0000000000a1"}
    lines = [
        {**GOOD, "date": "2001"},                                                         # 1 goes in
        {**GOOD, "type": "MoUSigned", "tier": "sister", "date": "2030"},                   # 2 after today
        "not json",                                                                        # 3
        {**GOOD, "cities": ["Kyoto, JP", "Atlantis, FR"], "date": "2000"},                 # 4 unknown place
        mou,                                                                               # 5 goes in
        {**GOOD, "type": "RelationshipTerminated", "date": "2003"},                        # 6 goes in
        {**GOOD, "type": "RelationshipElevated", "to_tier": "sister", "date": "2004"},      # 7 elevation after termination
        {"type": "EventCorrected", "target": "6b1f3c2e-0000-4000-8000-0000000000ff", "changes": {"date": "2001"}, "source": {"title": "t"}},  # 8
    ]
    path, rejects = write(tmp_path / "mixed.jsonl", lines), tmp_path / "rejects.jsonl"
    r = cli("import", str(path), "--store", store, "--reject-file", str(rejects), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {"imported": 3, "skipped": 0, "rejected": 5, "reject_file": str(rejects)}
    refused = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert [x["line"] for x in refused] == [2, 3, 4, 7, 8]
    assert all(x["file"] == str(path) and x["reason"] for x in refused)
    assert refused[1]["text"] == "not json" and json.loads(refused[0]["text"])["date"] == "2030"
    assert "after today" in refused[0]["reason"] and "unknown place" in refused[2]["reason"] and "termination" in refused[3]["reason"]
    assert len(cli("export", "--store", store).out.splitlines()) == 3 and cli("verify", "--store", store).code == 0
    again = cli("import", str(path), "--store", store, "--reject-file", str(rejects))
    assert again.code == 0 and "imported 0, skipped 3 already on file, refused 5" in again.out


def test_a_line_that_depends_on_a_refused_line_is_refused_too(ledger, store, cli, tmp_path):
    mou = {**GOOD, "type": "MoUSigned", "tier": "friendship", "date": "2030", "id": "6b1f3c2e-0000-4000-8000-0000000000a2"}
    fix = {"type": "EventCorrected", "target": mou["id"], "changes": {"tier": "sister"}, "source": {"title": "t"}}
    path, rejects = write(tmp_path / "dep.jsonl", [{**GOOD, "date": "2001"}, mou, fix]), tmp_path / "r.jsonl"
    r = cli("import", str(path), "--store", store, "--reject-file", str(rejects))
    assert r.code == 0 and "refused 2" in r.out, r.err
    assert [json.loads(x)["line"] for x in rejects.read_text().splitlines()] == [2, 3]


def test_an_over_long_line_refuses_the_whole_input_even_with_a_reject_file(store, cli, tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({**GOOD, "date": "2001"}) + "\n" + "x" * (2 << 20) + "\n" + json.dumps({**GOOD, "date": "2002"}) + "\n")
    r = cli("import", str(path), "--store", store, "--reject-file", str(tmp_path / "r.jsonl"))
    assert r.code == 1 and f"{path}:2:" in r.err and "reading stopped" in r.err
    assert cli("export", "--store", store).out == ""


def test_a_place_registered_later_in_the_file_counts_for_earlier_lines(store, cli, tmp_path):
    district = "Jung-gu, Seoul, KR"
    lines = [
        {**GOOD, "cities": [district, "Kyoto, JP"], "type": "MoUSigned", "tier": "friendship", "date": "2001", "id": "6b1f3c2e-0000-4000-8000-0000000000b1"},
        {"type": "EventCorrected", "target": "6b1f3c2e-0000-4000-8000-0000000000b1", "changes": {"date": "2002"}, "source": {"title": "t"}},
        {"type": "PlaceRegistered", "place": district, "kind": "district", "source": {"title": "t"}},
    ]
    r = cli("import", str(write(tmp_path / "later.jsonl", lines)), "--store", store, "--json")
    assert r.code == 0 and json.loads(r.out)["imported"] == 3, r.err
    rows = json.loads(cli("status", "Kyoto", "--store", store, "--json").out)
    assert [(r["cities"], r["since"]) for r in rows] == [([district, "Kyoto, JP"], "2002")]


@pytest.mark.parametrize("lines,needle", [
    ([{**GOOD, "date": "2001", "place": "Xyzzyville"}], "unknown place 'Xyzzyville'"),
    ([{**GOOD, "type": "VisitStarted", "date": "2001", "visitor": "Bishkek"}], "is not one of the pair"),
])
def test_place_and_visitor_are_resolved_like_any_place(store, cli, tmp_path, lines, needle):
    r = cli("import", str(write(tmp_path / "p.jsonl", lines)), "--store", store)
    assert r.code == 1 and needle in r.err and r.err.count("\n") == 1, r.err


def test_place_and_visitor_are_stored_canonical(store, cli):
    r = cli("record", "VisitStarted", "--cities", "Seoul", "Tashkent", "--date", "2025-07-20", "--visitor", "Seoul", "--place", "Tashkent",
            "--source-title", "t", "--store", store, "--json")
    assert r.code == 0, r.err
    event = json.loads(r.out)["event"]
    assert (event["visitor"], event["place"]) == ("Seoul, KR", "Tashkent, UZ")


def test_a_line_with_its_own_id_keeps_its_place_as_written_so_an_export_imports_again_the_same(store, cli, tmp_path):
    line = {**GOOD, "type": "VisitStarted", "date": "2001", "place": "Kyoto", "visitor": "Paris", "id": "6b1f3c2e-0000-4000-8000-0000000000c1"}
    path = write(tmp_path / "own.jsonl", [line])
    assert cli("import", str(path), "--store", store).code == 0
    stored = json.loads(cli("export", "--store", store).out)
    assert (stored["place"], stored["visitor"]) == ("Kyoto", "Paris")
    again = cli("import", str(path), "--store", store, "--json")
    assert again.code == 0 and json.loads(again.out)["skipped"] == 1


def test_the_reject_file_cannot_be_the_input(store, cli, tmp_path):
    path = write(tmp_path / "in.jsonl", [{**GOOD, "date": "2001"}])
    before = path.read_bytes()
    r = cli("import", str(path), "--store", store, "--reject-file", str(path))
    assert r.code == 1 and "the input itself" in r.err and path.read_bytes() == before
