"""A throw-away PostgreSQL server for tests, started from Debian's binaries in a temporary
directory on a free loopback port (as the ``postgres`` user when running as root), and removed
afterwards."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "find_bin_dir"]


def find_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found: run `make setup` (installs Debian's postgresql)"
        )
    return Path(candidates[-1]).parent


def _version_key(path: str) -> int:
    part = path.split("/")[4]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="casework-pg-")))
    port: int = field(default_factory=_free_port)
    user: str = "casework"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def start(self) -> "PostgresServer":
        bin_dir = find_bin_dir()
        if os.geteuid() == 0:
            os.chmod(self.root, 0o700)
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run(
            [bin_dir / "initdb", "-D", self.data, "-U", self.user, "--auth=trust", "-E", "UTF8",
             "--no-locale", "--no-sync"]
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=100"
        )
        self._run(
            [bin_dir / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "server.log",
             "-w", "-t", "60", "start"]
        )
        return self

    def stop(self) -> None:
        try:
            self._run([find_bin_dir() / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[-1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        )

    def _run(self, argv: list[object]) -> None:
        args = [str(a) for a in argv]
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", *args]
        done = subprocess.run(args, capture_output=True, text=True, cwd="/")
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[-1]} failed: {done.stderr or done.stdout}\n{tail}")
