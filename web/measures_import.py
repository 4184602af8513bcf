"""Upload received measures from a spreadsheet (township staff, their township only).

    GET  /measures/import             the upload page (with the column list)
    GET  /measures/import/template    an empty CSV with the headers
    POST /measures/import             check every row; write all or nothing
"""

from __future__ import annotations

import secrets
from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.response import Response, Template
from sqlalchemy import Engine

from casework.queries import Account
from casework.received_measures import EDITOR_ROLES
from casework.received_measures.importing import (
    MAX_ROWS, ImportRefused, import_received, read_rows,
)

from .policy import policy

__all__ = ["HANDLERS"]

WRITE = policy(roles=EDITOR_ROLES, area="user_area")
TEMPLATE_HEADERS = ("户编号", "成员身份证号", "成员姓名", "政策项目", "金额", "起始日期", "终止日期",
                    "发放部门", "备注")


def _page(account: Account, *, problems: list[str] | None = None, done: str = "",
          status: int = 200) -> Template:
    return Template("measures/import.html", status_code=status, context={
        "account": account, "headers": TEMPLATE_HEADERS, "max_rows": MAX_ROWS,
        "problems": problems or [], "done": done, "key": secrets.token_urlsafe(18)})


@get("/measures/import", opt=WRITE, name="measures_import_page")
async def import_page(account: NamedDependency[Account]) -> Template:
    return _page(account)


@get("/measures/import/template", opt=WRITE, name="measures_import_template")
async def import_template() -> Response[bytes]:
    body = ("\ufeff" + ",".join(TEMPLATE_HEADERS) + "\r\n").encode()
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": "attachment; filename=\"received-measures-template.csv\""})


@post("/measures/import", opt=WRITE, name="measures_import", status_code=200)
async def import_upload(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine]) -> Template:
    form = await request.form()
    upload = form.get("file")
    key = str(form.get("key") or "")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(account, problems=["请选择要导入的文件（.xlsx 或 .csv）"], status=422)
    data = await upload.read()

    def run() -> Template:
        try:
            rows = read_rows(data, upload.filename)
            result = import_received(engine, account, account.username, rows, key)
        except ImportRefused as refused:
            return _page(account, problems=refused.problems, status=422)
        note = "（重复提交，未再次导入）" if result.repeated else ""
        return _page(account, done=f"已导入 {result.records} 条享受记录{note}。")
    return await anyio.to_thread.run_sync(run)


HANDLERS: list[Any] = [import_page, import_template, import_upload]
