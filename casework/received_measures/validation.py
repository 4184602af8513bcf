"""Reading and checking one received-measure entry, from a web form or a spreadsheet row.

Every problem is a Chinese sentence naming the field; the same checks serve the form (messages
next to the fields) and the import (messages prefixed with the row number)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .catalog import Catalog

__all__ = ["Entry", "FIELD_LABELS", "MAX_AMOUNT", "EARLIEST", "parse_amount", "parse_date",
           "check_entry", "MemberChoice"]

FIELD_LABELS = {
    "rule_id": "政策项目", "member_id": "享受成员", "amount_yuan": "金额", "since": "起始日期",
    "until": "终止日期", "payer": "发放部门", "note": "备注",
}
MAX_AMOUNT = Decimal("1000000")
"""No single measure pays a household a million yuan a period: a bigger figure is a typo."""
EARLIEST = dt.date(2000, 1, 1)
_FUTURE_DAYS = 366
_DATE_FORMS = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
               re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
               re.compile(r"^(\d{4})(\d{2})(\d{2})$"))


@dataclass(frozen=True)
class MemberChoice:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class Entry:
    """A checked entry: exactly the fields a request may set."""

    rule_id: str
    member_id: int | None
    amount_yuan: Decimal | None
    since: dt.date
    until: dt.date | None
    payer: str
    note: str | None


def parse_amount(text: str) -> Decimal | None:
    """Yuan with at most two decimals; raises ValueError with a Chinese message."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("金额应为数字（元），如 1500 或 1500.50") from None
    if not value.is_finite():
        raise ValueError("金额应为数字（元），如 1500 或 1500.50")
    if value < 0:
        raise ValueError("金额不能为负数")
    if value >= MAX_AMOUNT:
        raise ValueError("金额过大（应小于100万元），请核对")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("金额最多保留两位小数（分）")
    return value.quantize(Decimal("0.01"))


def parse_date(text: str, label: str) -> dt.date | None:
    """A date as 2018-09-01, 2018/9/1, 2018.9.1, 2018年9月1日 or 20180901."""
    cleaned = text.strip()
    if not cleaned:
        return None
    for form in _DATE_FORMS:
        found = form.match(cleaned)
        if found:
            try:
                return dt.date(*(int(g) for g in found.groups()))
            except ValueError:
                break
    raise ValueError(f"{label}“{cleaned[:20]}”不是有效日期，请写成 2018-09-01 的形式")


def check_entry(raw: Mapping[str, str], catalog: Catalog, members: Sequence[MemberChoice],
                today: dt.date) -> tuple[Entry | None, dict[str, str]]:
    """The entry, or the problems keyed by field. ``members`` are the household's members."""
    errors: dict[str, str] = {}
    rule_id = (raw.get("rule_id") or "").strip()
    measure = catalog.get(rule_id)
    if not rule_id:
        errors["rule_id"] = "请选择政策项目"
    elif measure is None:
        errors["rule_id"] = "政策项目不在本县政策包中，请从列表中选择"
    member_id = _member(raw.get("member_id") or "", members, errors)
    if measure is not None and "member_id" not in errors:
        if measure.per_member and member_id is None:
            errors["member_id"] = "此项政策按人享受，请选择享受成员"
        elif not measure.per_member and member_id is not None:
            errors["member_id"] = "此项政策按户享受，不选择成员"
    amount = _field(errors, "amount_yuan", lambda: parse_amount(raw.get("amount_yuan") or ""))
    since = _field(errors, "since", lambda: parse_date(raw.get("since") or "", "起始日期"))
    until = _field(errors, "until", lambda: parse_date(raw.get("until") or "", "终止日期"))
    _check_period(since, until, today, errors, required="since" not in errors)
    payer = " ".join((raw.get("payer") or "").split())
    if not payer:
        errors["payer"] = "请填写发放部门，如 县教育局"
    elif len(payer) > 64:
        errors["payer"] = "发放部门最多64个字"
    note = " ".join((raw.get("note") or "").split()) or None
    if note and len(note) > 200:
        errors["note"] = "备注最多200个字"
    if errors:
        return None, errors
    assert since is not None
    return Entry(rule_id, member_id, amount, since, until, payer, note), {}


def _field(errors: dict[str, str], name: str, read: object) -> object:
    try:
        return read()  # type: ignore[operator]
    except ValueError as problem:
        errors[name] = str(problem)
        return None


def _member(text: str, members: Sequence[MemberChoice], errors: dict[str, str]) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) < 12):
        errors["member_id"] = "享受成员无效，请从列表中选择"
        return None
    found = next((m for m in members if m.id == int(cleaned)), None)
    if found is None:
        errors["member_id"] = "享受成员不是本户成员，请从列表中选择"
        return None
    return found.id


def _check_period(since: object, until: object, today: dt.date, errors: dict[str, str],
                  required: bool) -> None:
    latest = today + dt.timedelta(days=_FUTURE_DAYS)
    if since is None:
        if required:
            errors["since"] = "请填写起始日期"
    elif not isinstance(since, dt.date) or not EARLIEST <= since <= latest:
        errors["since"] = f"起始日期应在 {EARLIEST} 至 {latest} 之间"
    if isinstance(until, dt.date):
        if isinstance(since, dt.date) and until < since:
            errors["until"] = "终止日期不能早于起始日期"
        elif not EARLIEST <= until <= latest:
            errors["until"] = f"终止日期应在 {EARLIEST} 至 {latest} 之间"
