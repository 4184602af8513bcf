"""``casework certificate --household NUMBER --year YYYY --out FILE.pdf [--preview]
[--actor USERNAME]``: issue one household's benefit certificate and write it as a PDF; with
``--preview`` render a 样张 without issuing anything.

Without ``--actor`` the certificate is issued by the system actor ``system:cli`` (printed as
系统（命令行）) for any household; with ``--actor`` the user must be active township staff or a
county administrator whose area holds the household. The check code is keyed by
``CASEWORK_SECRET_KEY``, the same secret the web app uses, so the web's verification page
accepts what the command line printed (and the command refuses to run with the development
secret when ``CASEWORK_ENV=production``). The QR code points at ``CASEWORK_PUBLIC_URL``
(default http://127.0.0.1:8000). Errors: a message in English and Chinese on stderr, exit 2.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from sqlalchemy import Engine, select

from casework.certificates import (
    CertificateRefused, CertificateSettings, HouseholdNotFound, Issuer, NotAllowed,
    issue_certificate, render_preview, render_records,
)
from casework.certificates.codes import pretty_code
from casework.certificates.documents import stamp_of
from casework.certificates.issuing import check_year
from casework.certificates.scope import ISSUER_ROLES, household_visible
from casework.commands.export import refuse
from casework.db import get_engine, read_session
from casework.models import Household, User
from casework.queries import active_account
from casework.settings import DatabaseSettings, WebSettings

__all__ = ["command"]

SYSTEM_ACTOR = "system:cli"
SYSTEM_NAME = "系统（命令行）"


@click.command(name="certificate")
@click.option("--household", "number", required=True, metavar="NUMBER", help="户编号.")
@click.option("--year", required=True, metavar="YYYY", help="Policy year.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the PDF here.")
@click.option("--preview", is_flag=True, help="Render a 样张 without issuing.")
@click.option("--actor", metavar="USERNAME", help="Township staff or county administrator "
              "issuing (default: system:cli).")
def command(number: str, year: str, out: Path, preview: bool, actor: str | None) -> None:
    """Issue (or preview) one household's certificate as a PDF."""
    web = WebSettings.from_env()
    if web.problems():
        refuse("; ".join(web.problems()), "生产环境未设置安全的 CASEWORK_SECRET_KEY，不能签发证明")
    settings = CertificateSettings.from_env(web)
    engine = get_engine(DatabaseSettings.from_env().url)
    try:
        policy_year = check_year(year)
    except CertificateRefused as refused:
        refuse(f"bad --year {year!r}", f"--year：{refused.message_zh}")
    if not out.parent.is_dir():
        refuse(f"no such directory: {out.parent}", f"输出目录不存在：{out.parent}")
    household_id = _household_id(engine, number.strip())
    issuer = _issuer(engine, actor)
    try:
        pdf, note, note_zh = _make(engine, issuer, household_id, policy_year, preview, settings)
    except HouseholdNotFound:
        refuse(f"household {number} is outside the area of {issuer.username}",
               f"户编号{number}不在用户“{issuer.username}”负责的范围内")
    except NotAllowed:
        refuse(f"{issuer.username} may not issue certificates", f"用户“{issuer.username}”无权签发证明")
    except CertificateRefused as refused:
        refuse(f"cannot issue: {refused}", refused.message_zh)
    _write(out, pdf)
    click.echo(f"{note}; wrote {out}\n  {note_zh}，已写入 {out}", err=True)


def _household_id(engine: Engine, number: str) -> int:
    with read_session(engine) as s:
        found = s.scalar(select(Household.id).where(Household.number == number))
    if found is None:
        refuse(f"no household numbered {number!r}", f"--household：户编号“{number}”不存在")
    return found


def _issuer(engine: Engine, username: str | None) -> Issuer:
    if username is None:
        return Issuer(SYSTEM_ACTOR, SYSTEM_NAME, None)
    with read_session(engine) as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
    account = active_account(engine, user_id) if user_id is not None else None
    if account is None or account.role not in ISSUER_ROLES:
        refuse(f"--actor {username!r} is not active township staff or a county administrator",
               f"--actor：用户“{username}”不是在用的乡镇扶贫专干或区县管理员，不能签发证明")
    return Issuer(account.username, account.display_name, account)


def _make(engine: Engine, issuer: Issuer, household_id: int, year: int, preview: bool,
          settings: CertificateSettings) -> tuple[bytes, str, str]:
    if preview:
        if issuer.user is not None:  # the area check of an issue, without issuing
            with read_session(engine) as s:
                if not household_visible(s, issuer.user, household_id):
                    raise HouseholdNotFound(household_id)
        pdf = render_preview(engine, household_id, year, issuer.display_name, settings)
        return pdf, "preview, nothing issued", "样张，未签发"
    issued = issue_certificate(engine, issuer, household_id, year)
    record = issued.certificate
    stamp = stamp_of(record, settings)
    pdf = render_records([record], settings)
    code = pretty_code(stamp.check_code)
    return (pdf, f"issued {record.serial}, check code {code}",
            f"已签发证明 {record.serial}，校验码 {code}")


def _write(out: Path, pdf: bytes) -> None:
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(pdf)
        os.replace(partial, out)
    except OSError as problem:
        refuse(f"cannot write {out}: {problem.strerror}", f"无法写入文件 {out}：{problem.strerror}")
    finally:
        partial.unlink(missing_ok=True)
