"""A known world for the certificate tests: the web tests' world (tests/integration/
test_web_world.py) with a policy pack on its counties, and small helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import select

from casework.certificates import Issuer
from casework.db import read_session
from casework.models import Area, User
from casework.queries import Account, active_account
from casework.uow import UnitOfWork
from tests.integration.test_web_world import World, build_world

__all__ = ["build_certificate_world", "account", "issuer", "pdf_text", "pdf_pages"]

PACK = "bazhong-2018"


def build_certificate_world(url: str) -> World:
    world = build_world(url)
    with UnitOfWork("test:world", world.engine) as uow:
        for county in uow.session.scalars(select(Area).where(Area.level == "county")):
            county.pack = PACK
        uow.commit()
    return world


def account(world: World, username: str) -> Account:
    with read_session(world.engine) as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
    found = active_account(world.engine, user_id or 0)
    assert found is not None
    return found


def issuer(world: World, username: str) -> Issuer:
    who = account(world, username)
    return Issuer(who.username, who.display_name, who)


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes, tmp: Path) -> int:
    path = tmp / "count.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdfinfo")
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
