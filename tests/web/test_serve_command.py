"""`amity serve` itself: 127.0.0.1 and port 8000 unless told otherwise, and a real process that answers and stops."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def test_serve_binds_127_0_0_1_by_default(cli, web_store, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    r = cli("serve", "--store", web_store)
    assert r.code == 0, r.err
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    assert "http://127.0.0.1:8000/" in r.err


def listeners(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) listening on a TCP port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    found.add(local.rsplit(":", 1)[0])
    return found


def test_amity_serve_listens_on_127_0_0_1_only_and_answers(web_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "amity.cli", "serve", "--port", str(port), "--store", web_store],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "AMITY_TODAY": "2026-11-23"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?format=json", timeout=5) as r:
                    assert json.loads(r.read())["status"]
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode() if proc.poll() is not None else "timed out"
                time.sleep(0.2)
        assert listeners(port) == {"0100007F"}  # 127.0.0.1, nothing else
    finally:
        proc.terminate()
        proc.wait(15)
