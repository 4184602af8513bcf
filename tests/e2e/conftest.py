"""Browser tests: Debian's Chromium driven by Playwright, against ``python -m web`` serving a
temporary SQLite database loaded with ``casework demo-data --households 300 --seed 7``.

Never run ``playwright install``: the browser is /usr/bin/chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from casework.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
OUTPUT = PROJECT_ROOT / "test-output" / "e2e"
"""Screenshots land here (git-ignored) so people can look at them after a run."""


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(CASEWORK_DATABASE_URL=url, PYTHONUNBUFFERED="1",
               CASEWORK_LOCAL_PARAMS=str(PROJECT_ROOT / "casework" / "demo" / "local-params.yaml"),
               **extra)
    return env


def _casework(*args: str, url: str) -> None:
    script = "from casework.cli import main; main()"
    subprocess.run([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT, env=_env(url),
                   check=True, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'casework.db'}"
    _casework("db", "upgrade", url=url)
    _casework("demo-data", "--households", "300", "--seed", "7", url=url)
    _casework("recompute", "--on", "2018-09-01", url=url)
    return url


@pytest.fixture(scope="session")
def live_server(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "web.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "web"], cwd=PROJECT_ROOT, stdout=log, stderr=log, text=True,
            env=_env(demo_url, CASEWORK_HOST="127.0.0.1", CASEWORK_PORT=str(port)),
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: LiveServer) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("python -m web exited:\n" + server.log())
        try:
            if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("python -m web did not answer:\n" + server.log())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
