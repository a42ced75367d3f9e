"""Helpers for the reliability tests: writer processes (``sqlite_writer.py``) and the figures file.

Figures are printed (visible with ``-s``) and kept in ``test-artifacts/reliability.txt``, one
section per test, so they can be quoted later.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("sqlite_writer.py")


class Writer:
    """One writer process, driven over stdin/stdout (protocol: see sqlite_writer.py)."""

    def __init__(self, folder: Path, db: Path, prefix: str, *options: str) -> None:
        self.ack_path = folder / f"{prefix}.ack"
        self.stderr_path = folder / f"{prefix}.err"
        command = [sys.executable, str(WRITER), str(db), str(self.ack_path), "--prefix", prefix]
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [*command, *options],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                bufsize=0,
            )

    def expect(self, line: str, timeout: float = 120) -> None:
        """Wait for ``line`` on stdout; fail with the writer's stderr if it dies or stays silent."""
        fd = self.proc.stdout.fileno()
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            readable, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, 1) if readable else b""
            if not chunk:
                pid = self.proc.pid
                pytest.fail(f"writer {pid}: no {line!r} (got {data!r}); stderr:\n{self.stderr()}")
            data += chunk
        assert data.decode().strip() == line, self.stderr()

    def go(self, unsure: Sequence[str] = (), again: Sequence[str] = ()) -> None:
        """Let a ready writer submit: first ``unsure`` and ``again`` ids, then new ones."""
        orders = {"unsure": list(unsure), "again": list(again)}
        self.proc.stdin.write(json.dumps(orders).encode() + b"\n")

    def start(self, unsure: Sequence[str] = (), again: Sequence[str] = ()) -> None:
        """``go``, and return once the writer has begun submitting."""
        self.go(unsure, again)
        self.expect("writing")

    def kill(self) -> None:
        """SIGKILL; the writer must still have been running (not ended on its own)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        code = self.proc.wait(timeout=30)
        assert code == -signal.SIGKILL, f"writer ended by itself ({code}); stderr:\n{self.stderr()}"

    def finish(self, timeout: float) -> dict:
        """Wait for a counted writer to end; it must exit 0 with its JSON summary."""
        out, _ = self.proc.communicate(timeout=timeout)
        code = self.proc.returncode
        assert code == 0, f"writer failed ({code}):\n{self.stderr()}"
        return json.loads(out.decode().strip().splitlines()[-1])

    def acks(self) -> list[str]:
        """Acknowledged ids, in order; a line cut off by a kill was never acknowledged."""
        if not self.ack_path.exists():
            return []
        text = self.ack_path.read_text(encoding="utf-8")
        return text.split("\n")[:-1]

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def spawn_writer(tmp_path: Path) -> Iterator:
    """``spawn_writer(db, prefix, *options)`` starts a writer; any left running are killed after."""
    started: list[Writer] = []

    def spawn(db: Path, prefix: str, *options: str) -> Writer:
        writer = Writer(tmp_path, db, prefix, *options)
        started.append(writer)
        return writer

    yield spawn
    for writer in started:
        if writer.proc.poll() is None:
            writer.proc.kill()
            writer.proc.wait()


def _artifact(rootpath: Path) -> Path:
    folder = rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder / "reliability.txt"


@pytest.fixture
def record_figures(request: pytest.FixtureRequest):
    """``record_figures(lines)`` prints the figures and replaces this test's section in the file."""

    def record(lines: list[str]) -> None:
        name = request.node.nodeid
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = "\n".join([f"## {name} ({stamp}, {os.cpu_count()} cpus)", *lines]) + "\n"
        print("\n" + section)
        path = _artifact(request.config.rootpath)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        # keep the other tests' sections: split before each "## " header, drop this test's own
        sections = [s for s in re.split(r"(?m)^(?=## )", old) if s.strip()]
        sections = [s for s in sections if not s.startswith(f"## {name} ")] + [section]
        path.write_text("\n".join(s.rstrip("\n") + "\n" for s in sections), encoding="utf-8")

    return record
