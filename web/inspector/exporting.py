"""Download responses for any list: ``?format=csv`` or ``?format=xlsx``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from litestar import Response
from litestar.exceptions import HTTPException

from casework.exports import Table, to_csv, to_xlsx

__all__ = ["EXPORT_FORMATS", "export_response"]

EXPORT_FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(table: Table, fmt: str, filename_stem: str) -> Response[Any]:
    """The table as a file download; ``fmt`` is ``csv`` or ``xlsx`` (anything else: 400).

    The file name is ``<stem>-<YYYYMMDD>.<fmt>``; a Chinese stem is sent as RFC 5987
    ``filename*`` with an ASCII fallback. Exports hold personal data: never cached."""
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(status_code=400, detail="unknown export format")
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    name = f"{filename_stem}-{dt.date.today():%Y%m%d}.{fmt}"
    return Response(
        content=body,
        media_type=EXPORT_FORMATS[fmt],
        headers={
            "Content-Disposition": _disposition(name, fmt),
            "Cache-Control": "no-store",
        },
    )


def _disposition(name: str, fmt: str) -> str:
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    if not any(ch.isalnum() for ch in fallback.rsplit(".", 1)[0]):
        fallback = f"export.{fmt}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
