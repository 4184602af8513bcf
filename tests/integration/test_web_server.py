"""``python -m web`` for real: uvicorn on a free loopback port, and what it writes to its log."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from casework.settings import PROJECT_ROOT
from tests.integration.test_web_world import (
    PASSWORD,
    World,
    world,  # noqa: F401  (fixture)
)


@dataclass
class Server:
    base: str
    process: subprocess.Popen[str]

    def stop(self) -> str:
        """Stop the server; its log (stderr)."""
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(CASEWORK_DATABASE_URL=url, CASEWORK_PORT=str(port), CASEWORK_HOST="127.0.0.1",
               PYTHONUNBUFFERED="1", **extra)
    return env


def start_server(url: str, workers: int = 1) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "web"], cwd=PROJECT_ROOT,
        env=server_env(url, port, CASEWORK_WEB_WORKERS=str(workers)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited:\n" + server.stop())
        try:
            if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start:\n" + server.stop())


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def served(world: World, request: pytest.FixtureRequest) -> Iterator[Server]:
    server = start_server(world.url, request.param)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


def _login(client: httpx.Client, username: str) -> None:
    client.get("/login")
    form = {"username": username, "password": PASSWORD, "_csrf_token": client.cookies["casework_csrf"]}
    assert client.post("/login", data=form).status_code == 303


def test_served_pages_and_a_log_without_id_numbers_or_query_strings(world: World, served: Server) -> None:
    number = sorted(world.numbers_in("511922100001"))[5]
    full_id = world.head_id_of[number]
    with httpx.Client(base_url=served.base) as client:
        _login(client, "cadre")
        listing = client.get("/households", params={"q": world.head_of[number]})
        assert listing.status_code == 200 and number in listing.text
        assert client.get(f"/households/{world.households[number]}").status_code == 200
        assert client.get("/households", params={"q": full_id}).status_code == 200
        assert client.get(f"/households/{full_id}").status_code == 404
        assert client.get("/no/" + full_id).status_code == 404
    log = served.stop()
    assert "GET /households 200" in log and "GET /households/{household_id} 200" in log
    assert "POST /login 303" in log
    assert full_id not in log and full_id[:17] not in log
    assert not re.search(r"\d{17}[\dX]", log)
    assert "q=" not in log and world.head_of[number] not in log


def test_worker_processes_share_a_socket_whose_connections_get_tcp_nodelay() -> None:
    """asyncio sets TCP_NODELAY only on connections whose socket names IPPROTO_TCP; without it a
    small response waits ~40 ms for a delayed ACK (uvicorn's own shared socket names none)."""
    from web.__main__ import listening_socket

    for make, expected in ((lambda: listening_socket("127.0.0.1", 0), socket.IPPROTO_TCP),
                           (lambda: _bound(socket.socket(socket.AF_INET)), 0)):
        with make() as server:
            server.listen()
            with socket.create_connection(server.getsockname()[:2]):
                accepted, _ = server.accept()
                with accepted:
                    assert accepted.proto == expected


def _bound(sock: socket.socket) -> socket.socket:
    sock.bind(("127.0.0.1", 0))
    return sock


def test_python_m_web_refuses_unsafe_production(world: World) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "web"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
        env=server_env(world.url, free_port(), CASEWORK_ENV="production"),
    )
    assert result.returncode == 2
    assert "refusing to start in production mode" in result.stderr
    assert "development default" in result.stderr
