"""``casework certificate`` (issue 5): issues and writes one household's certificate, whose check
code the web app accepts (both read CASEWORK_SECRET_KEY); ``--preview`` writes a 样张 and issues
nothing; every refusal is a Chinese message naming the problem, exit status 2, no traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from litestar.testing import TestClient
from sqlalchemy import func, select

from casework.cli import main
from casework.db import read_session
from casework.models import AuditEvent
from casework.models.certificates import Certificate
from casework.settings import PROJECT_ROOT, WebSettings
from tests.integration.certificate_support import build_certificate_world, pdf_text
from tests.integration.test_web_world import World, make_app

SECRET = "cli-and-web-share-this-secret-" + "z" * 12
NUMBER = "5119221000010011"


@pytest.fixture(scope="module")
def cw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_certificate_world(f"sqlite:///{tmp_path_factory.mktemp('cc') / 'c.db'}")
    yield built
    built.engine.dispose()


def run(cw: World, *args: str, env: dict[str, str] | None = None) -> Result:
    environment = {"CASEWORK_DATABASE_URL": cw.url, "CASEWORK_SECRET_KEY": SECRET,
                   "CASEWORK_ENV": "development", "CASEWORK_PUBLIC_URL": "",
                   **(env or {})}
    return CliRunner().invoke(main, ["certificate", *args], env=environment)


def certificates(cw: World) -> int:
    with read_session(cw.engine) as s:
        return s.scalar(select(func.count()).select_from(Certificate)) or 0


def test_issue_writes_a_pdf_the_web_verifies(cw: World, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = run(cw, "--household", NUMBER, "--year", "2018", "--out", str(out),
                 "--actor", "township")
    assert result.exit_code == 0, result.output
    serial, code = re.search(r"issued (\S+), check code ([A-Z0-9-]+)", result.output).groups()  # type: ignore[union-attr]
    assert "已签发证明" in result.output
    words = pdf_text(out.read_bytes(), tmp_path)
    assert serial in words and "样张" not in words
    with read_session(cw.engine) as s:
        row = s.scalars(select(Certificate).where(Certificate.serial == serial)).one()
        assert row.issued_by == "township"
        assert s.scalar(select(AuditEvent.actor).where(
            AuditEvent.entity == "certificates", AuditEvent.entity_id == str(row.id))) == "township"
    web = WebSettings(env="development", secret_key=SECRET)
    with TestClient(make_app(cw, web)) as public:
        assert "真实有效" in public.get(f"/verify/{serial}?c={code}").text


def test_the_system_actor_issues_without_a_user(cw: World, tmp_path: Path) -> None:
    result = run(cw, "--household", NUMBER, "--year", "2019", "--out", str(tmp_path / "a.pdf"))
    assert result.exit_code == 0, result.output
    with read_session(cw.engine) as s:
        assert s.scalar(select(Certificate.issued_by).where(Certificate.policy_year == 2019)) \
            == "system:cli"


def test_preview_issues_nothing(cw: World, tmp_path: Path) -> None:
    before = certificates(cw)
    out = tmp_path / "preview.pdf"
    result = run(cw, "--household", NUMBER, "--year", "2018", "--out", str(out), "--preview")
    assert result.exit_code == 0, result.output
    assert "样张" in pdf_text(out.read_bytes(), tmp_path) and certificates(cw) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--household", "nope", "--year", "2018"], "户编号“nope”不存在"),
    (["--household", NUMBER, "--year", "20x8"], "--year：政策年度"),
    (["--household", NUMBER, "--year", "2018", "--actor", "cadre"], "不能签发证明"),
    (["--household", NUMBER, "--year", "2018", "--actor", "nobody"], "不能签发证明"),
    (["--household", "5119221010010036", "--year", "2018", "--actor", "township"],
     "不在用户“township”负责的范围内"),
])
def test_refusals_are_chinese_with_status_2(cw: World, tmp_path: Path, args: list[str],
                                            message: str) -> None:
    before = certificates(cw)
    out = tmp_path / "x.pdf"
    result = run(cw, *args, "--out", str(out))
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()
    assert certificates(cw) == before


def test_a_missing_directory_and_production_with_the_dev_secret_are_refused(
    cw: World, tmp_path: Path,
) -> None:
    missing = run(cw, "--household", NUMBER, "--year", "2018", "--out",
                  str(tmp_path / "no" / "x.pdf"))
    assert missing.exit_code == 2 and "输出目录不存在" in missing.output
    production = run(cw, "--household", NUMBER, "--year", "2018", "--out",
                     str(tmp_path / "x.pdf"), env={"CASEWORK_ENV": "production",
                                                   "CASEWORK_SECRET_KEY": ""})
    assert production.exit_code == 2 and "CASEWORK_SECRET_KEY" in production.output


def test_the_real_command_answers_in_chinese_without_a_traceback(cw: World,
                                                                 tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(CASEWORK_DATABASE_URL=cw.url, CASEWORK_SECRET_KEY=SECRET)
    done = subprocess.run(
        [sys.executable, "-c", "from casework.cli import main; main()", "certificate",
         "--household", "5119221000010099", "--year", "2018", "--out", str(tmp_path / "x.pdf")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "户编号“5119221000010099”不存在" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
