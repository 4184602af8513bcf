"""Crash safety on SQLite: a writer process (tests/support/crash_writer.py) commits audited
edits as fast as it can and acknowledges each one only after commit returned; it is killed with
SIGKILL at random moments (seeded), 50 times, and restarted each time. After every kill the
database passes ``PRAGMA integrity_check``, every acknowledged edit is there with its audit
events, and the row and its audit trail agree (no change without its event, nor the reverse)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from casework.db import get_engine
from casework.settings import PROJECT_ROOT
from tests.support.storage import seed_household

KILLS = 50
SEED = 20181122
MAX_DELAY_S = 0.25
"""Longest wait after the writer is ready; edits take a few milliseconds, so each run
acknowledges a few dozen edits and dies in the middle of another."""
EARLY_KILLS = 0.1
"""Share of runs killed while the writer is still starting (importing, connecting, recovering)."""


@dataclass(frozen=True)
class Ack:
    version: int
    tag: str


def _start_writer(url: str, household_id: int, run: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_writer", url, str(household_id), str(run)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


def _run_and_kill(url: str, household_id: int, run: int, rng: random.Random) -> list[Ack]:
    """Start the writer, kill it at a random moment, return the edits it acknowledged."""
    writer = _start_writer(url, household_id, run)
    assert writer.stdout is not None and writer.stderr is not None
    stdout, stderr = writer.stdout, writer.stderr
    try:
        if rng.random() < EARLY_KILLS:
            time.sleep(rng.uniform(0, 0.4))
        else:
            assert stdout.readline() == "ready\n", f"writer failed to start: {stderr.read()}"
            time.sleep(rng.uniform(0, MAX_DELAY_S))
        assert writer.poll() is None, f"writer died by itself: {stderr.read()}"
    finally:
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    return [_parse(line) for line in out.splitlines(keepends=True)
            if line.startswith("ack ") and line.endswith("\n")]  # a torn last line is no ack


def _parse(line: str) -> Ack:
    _, version, tag = line.split()
    return Ack(int(version), tag)


def _check(db_file: Path, household_id: int, acks: list[Ack]) -> int:
    """Integrity, durability of every ack, and row/audit agreement; returns the version.
    (The version may exceed the last ack: a kill between commit and print loses only the
    acknowledgement, never an acknowledged edit.)"""
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        version, address = conn.execute(
            "SELECT version, address FROM households WHERE id = ?", (household_id,)).fetchone()
        updates = {
            json.loads(after)["version"]: json.loads(after)["address"]
            for (after,) in conn.execute(
                "SELECT after FROM audit_events WHERE entity = 'households' AND action = 'update'")
        }
        member_keys = {k for (k,) in conn.execute("SELECT member_key FROM members")}
        created = {
            json.loads(after)["member_key"] for (after,) in conn.execute(
                "SELECT after FROM audit_events WHERE entity = 'members' AND action = 'create'")
        }
    finally:
        conn.close()
    for ack in acks:
        assert updates.get(ack.version) == ack.tag, f"acknowledged edit lost: {ack}"
        assert ack.tag in member_keys and ack.tag in created, f"acknowledged member lost: {ack}"
    assert sorted(updates) == list(range(2, version + 1))  # one event per version, no gaps
    assert updates.get(version, None) == address or version == 1
    assert member_keys == created
    return version


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(sqlite_url: str) -> None:
    household_id = seed_household(get_engine(sqlite_url))
    get_engine(sqlite_url).dispose()  # the writer is the only one with the file open
    db_file = Path(sqlite_url.split("///", 1)[1])
    rng = random.Random(SEED)
    every_ack: list[Ack] = []
    for run in range(KILLS):
        acks = _run_and_kill(sqlite_url, household_id, run, rng)
        every_ack += acks
        _check(db_file, household_id, acks)
        if run % 10 == 9:
            _check(db_file, household_id, every_ack)  # periodically: everything so far
    final = _check(db_file, household_id, every_ack)
    assert len(every_ack) >= KILLS  # the writer really wrote between kills
    assert final >= 1 + len(every_ack)
