"""Reading a draw's parameters from text (a form or the command line), with Chinese messages
naming the field. Everything is checked before anything is read from the database."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import InputRefused

from .draw import STRATIFY, Design

__all__ = ["DrawRequest", "parse_request", "decimal_text", "MAX_PER_STRATUM", "MAX_OVERWEIGHT"]

MAX_PER_STRATUM = 10_000
MAX_OVERWEIGHT = Decimal(100)
MAX_SEED = 64
_AREA = re.compile(r"\d{6}|\d{9}")
_INT = re.compile(r"\d{1,6}")
_DECIMAL = re.compile(r"\d{1,4}(\.\d{1,4})?")


@dataclass(frozen=True)
class DrawRequest:
    area_code: str
    seed: str
    design: Design


def decimal_text(value: Decimal) -> str:
    """``Decimal('0.10')`` → ``'0.1'``, ``Decimal('3.0')`` → ``'3'`` (never exponent form)."""
    text = format(value.normalize(), "f")
    return text


def parse_request(area: str | None, stratify: str | None, per_stratum: str | None,
                  fraction: str | None, overweight: str | None, seed: str | None) -> DrawRequest:
    """A checked request, or :class:`InputRefused` with every problem found."""
    errors: dict[str, str] = {}
    area_code = (area or "").strip()
    if not _AREA.fullmatch(area_code):
        errors["area"] = "抽样范围：请填写6位区县代码或9位乡镇代码"
    strat = (stratify or "").strip()
    if strat not in STRATIFY:
        errors["stratify"] = "分层方式：只能按村（village）或按乡镇（township）分层"
    elif strat == "township" and len(area_code) == 9:
        errors["stratify"] = "分层方式：在一个乡镇内抽样只能按村分层"
    n = _per_stratum(per_stratum, errors)
    f = _fraction(fraction, errors)
    if "per_stratum" not in errors and "fraction" not in errors and n is None and f is None:
        errors["per_stratum"] = "每层户数：请填写每层抽取的户数，或填写抽样比例"
    w = _overweight(overweight, errors)
    seed_text = _seed(seed, errors)
    if errors:
        raise InputRefused(errors)
    return DrawRequest(area_code, seed_text, Design(strat, n, f, w))


def _per_stratum(text: str | None, errors: dict[str, str]) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not _INT.fullmatch(value) or not 1 <= int(value) <= MAX_PER_STRATUM:
        errors["per_stratum"] = f"每层户数：应为 1 到 {MAX_PER_STRATUM} 之间的整数"
        return None
    return int(value)


def _fraction(text: str | None, errors: dict[str, str]) -> Decimal | None:
    value = (text or "").strip()
    if not value:
        return None
    number = _decimal(value)
    if number is None or not Decimal(0) < number <= Decimal(1):
        errors["fraction"] = "抽样比例：应为大于0、不超过1的小数（最多4位小数），如 0.1 表示10%"
        return None
    return number


def _overweight(text: str | None, errors: dict[str, str]) -> Decimal:
    value = (text or "").strip()
    if not value:
        return Decimal(1)
    number = _decimal(value)
    if number is None or not Decimal(1) <= number <= MAX_OVERWEIGHT:
        errors["overweight"] = (f"未达标户加权：应为 1 到 {MAX_OVERWEIGHT} 之间的数"
                                "（1 表示不加权，3 表示未达标户被抽中的权重是其他户的3倍）")
        return Decimal(1)
    return number


def _decimal(text: str) -> Decimal | None:
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _seed(text: str | None, errors: dict[str, str]) -> str:
    value = unicodedata.normalize("NFC", (text or "").strip())
    if not value:
        errors["seed"] = "随机种子：请填写（可用当天公开的彩票开奖号码等，事后可查）"
    elif len(value) > MAX_SEED:
        errors["seed"] = f"随机种子：不超过{MAX_SEED}个字符"
    elif any(unicodedata.category(ch).startswith("C") for ch in value):
        errors["seed"] = "随机种子：不能含有控制字符或换行"
    return value
