"""Error pages in Chinese, without stack traces; 401 sends the user to the login page."""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Template

from .auth import HOME, safe_next
from .logs import redact

__all__ = ["EXCEPTION_HANDLERS", "MESSAGES"]

log = logging.getLogger("casework.web")

CSRF_FAILED = "CSRF token verification failed"
MESSAGES = {
    400: ("请求有误", "提交的内容无法识别，请返回上一页检查后重试。"),
    403: ("无权访问", "您的账号没有访问此页面的权限。"),
    404: ("未找到", "您要找的页面或户档案不存在，或不在您负责的范围内。"),
    405: ("操作不允许", "此页面不支持该操作，请返回上一页。"),
    500: ("系统出错", "系统暂时出现问题，错误已记录，请稍后重试。"),
}
CSRF_MESSAGE = ("页面已过期", "页面已过期或无法确认请求来自本系统，请返回并刷新页面后重试。")


def error_page(status: int, title: str, message: str) -> Template:
    return Template(
        "errors/error.html",
        context={"status": status, "title": title, "message": message},
        status_code=status,
    )


def login_required(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    """To the login page, and back afterwards: an htmx save returns to its form (the page's
    script keeps what was typed), a page to itself."""
    if request.headers.get("hx-request") == "true":
        back = request.url.path if request.method != "GET" else _path_of(
            request.headers.get("hx-current-url", ""))
        return Response(b"", status_code=401, headers={"HX-Redirect": _login_url(back)})
    return Redirect(_login_url(request.url.path if request.method == "GET" else ""),
                    status_code=303)


def _login_url(back: str) -> str:
    after = safe_next(back)
    return "/login" if after == HOME else f"/login?next={after}"


def _path_of(url: str) -> str:
    return urlsplit(url).path if url else ""


def forbidden(_request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Template:
    if exc.detail == CSRF_FAILED:
        return error_page(403, *CSRF_MESSAGE)
    return error_page(403, *MESSAGES[403])


def http_error(_request: Request[Any, Any, Any], exc: HTTPException) -> Template:
    known = exc.status_code if exc.status_code in MESSAGES else 400 if exc.status_code < 500 else 500
    return error_page(exc.status_code, *MESSAGES[known])


def not_found(_request: Request[Any, Any, Any], _exc: NotFoundException) -> Template:
    return error_page(404, *MESSAGES[404])


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Template:
    trace = "".join(traceback.format_exception(exc))
    route = request.scope.get("path_template")
    log.error("unhandled error on %s %s\n%s", request.method, route, redact(trace))
    return error_page(500, *MESSAGES[500])


EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotAuthorizedException: login_required,
    PermissionDeniedException: forbidden,
    NotFoundException: not_found,
    HTTPException: http_error,
    Exception: server_error,
}
