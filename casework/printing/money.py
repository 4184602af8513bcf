"""Money on paper: ``1,234.50`` and the capital form cashiers write (人民币大写)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["yuan", "rmb_upper"]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def yuan(value: Decimal | None) -> str:
    """``1234.5`` -> ``1,234.50``; empty for None."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def rmb_upper(value: Decimal) -> str:
    """``8809.64`` -> ``捌仟捌佰零玖元陆角肆分``; ``100`` -> ``壹佰元整`` (amounts ≥ 0)."""
    fen = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen < 0:
        raise ValueError("negative amount")
    whole, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    text = (_integer_upper(whole) + "元") if whole else ""
    if jiao == 0 and cents == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    return text + (_DIGITS[cents] + "分" if cents else "")


def _integer_upper(number: int) -> str:
    groups: list[int] = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text, zero_pending = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _group_upper(group) + _GROUPS[index]
        zero_pending = False
    return text


def _group_upper(group: int) -> str:
    text, zero = "", False
    for position in reversed(range(4)):
        digit = group // 10 ** position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
        text += _DIGITS[digit] + _UNITS[position]
        zero = False
    return text
