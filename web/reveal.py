"""The audited reveal of a member's full ID (issue 4).

``GET …/members/{member_id}/reveal`` asks why; ``POST`` to the same address (CSRF-checked) with a
reason writes the audit event and shows the full ID once, in that response only: it is never
put in a URL, a redirect or a cookie, and the answer is marked ``no-store``. Every role that can
see the household may reveal (inspectors included, see :mod:`casework.reveal`); out of area, or a
member of another household, answers 404.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy import Engine

from casework.audit import mask_ids_in_text
from casework.queries import Account
from casework.reveal import (
    MAX_NOTE,
    REVEAL_REASONS,
    RevealCommand,
    RevealRefused,
    member_to_reveal,
    reveal_id,
)

from .policy import policy

__all__ = ["reveal_form", "reveal_submit", "REVEAL_PATH"]

REVEAL_PATH = "/households/{household_id:int}/members/{member_id:int}/reveal"
NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache"}
MAX_FIELD = 400


@get(REVEAL_PATH, opt=policy(), name="reveal_form")
async def reveal_form(
    account: NamedDependency[Account], engine: NamedDependency[Engine],
    household_id: FromPath[int], member_id: FromPath[int],
) -> Template:
    member = await anyio.to_thread.run_sync(member_to_reveal, engine, account, household_id,
                                            member_id)
    if member is None:
        raise NotFoundException("member not found")
    return _form(account, member, "", "", None, 200)


@post(REVEAL_PATH, opt=policy(), name="reveal_submit", status_code=200)
async def reveal_submit(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], household_id: FromPath[int], member_id: FromPath[int],
) -> Template:
    form = await request.form()
    reason = str(form.get("reason") or "")[:MAX_FIELD]
    note = str(form.get("note") or "")[:MAX_FIELD]
    command = RevealCommand(household_id, member_id, reason, note)
    try:
        revealed = await anyio.to_thread.run_sync(reveal_id, engine, account, command)
    except RevealRefused as refused:
        member = await anyio.to_thread.run_sync(member_to_reveal, engine, account,
                                                household_id, member_id)
        if member is None:
            raise NotFoundException("member not found") from None
        return _form(account, member, reason, note, refused, 422)
    if revealed is None:
        raise NotFoundException("member not found")
    context = {"account": account, "member": revealed.member, "full_id": revealed.id_number,
               "reason_text": revealed.reason_text}
    return Template("history/revealed.html", context=context, headers=NO_STORE)


def _form(
    account: Account, member: Any, reason: str, note: str, refused: RevealRefused | None,
    status: int,
) -> Template:
    errors = {refused.field: refused.message_zh} if refused else {}
    context = {
        "account": account, "member": member, "reasons": REVEAL_REASONS, "reason": reason,
        "note": mask_ids_in_text(note[:MAX_NOTE * 2]), "errors": errors, "max_note": MAX_NOTE,
    }
    return Template("history/reveal_form.html", context=context, status_code=status,
                    headers=NO_STORE)
