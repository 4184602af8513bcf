"""Resident identity numbers (居民身份证号码) under GB 11643-1999.

An 18-character number is: a 6-digit administrative area code (GB/T 2260), an 8-digit birth date
(YYYYMMDD), a 3-digit sequence whose last digit is odd for men and even for women, and a check
character computed with ISO 7064 MOD 11-2 (``0``-``9`` or ``X``).

A 15-digit number issued before 1999 (area, YYMMDD in the 1900s, sequence; no check character) is
converted to the 18-character form on parsing; it is never kept as it is.

The area code is checked at province level against GB/T 2260 (the first two digits name a real
province-level division, the rest are digits and not all zero); county-level code lists change
every year and an old ID keeps the code of its issue, so a finer check would refuse real people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["InvalidResidentId", "ResidentId", "check_character", "PROVINCE_CODES"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

PROVINCE_CODES: frozenset[str] = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
"""First two digits of every province-level division in GB/T 2260 (incl. Taiwan, HK, Macao)."""


class InvalidResidentId(ValueError):
    """A resident ID that fails GB 11643-1999; ``reason`` is a short English phrase for the
    machine contract and ``message_zh`` a sentence for people."""

    def __init__(self, reason: str, message_zh: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_zh = message_zh


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A validated 18-character resident ID. Build it with :meth:`parse`."""

    value: str

    @classmethod
    def parse(cls, raw: str, *, today: dt.date | None = None) -> "ResidentId":
        """Validate ``raw`` (18 characters, or a legacy 15-digit number which is converted)."""
        text = (raw or "").strip().upper()
        if len(text) == 15:
            text = _upgrade_legacy(text)
        if len(text) != 18:
            raise InvalidResidentId(
                f"must be 18 characters, got {len(text)}", f"身份证号码应为18位，实际为{len(text)}位"
            )
        if not _digits(text[:17]) or not (_digits(text[17]) or text[17] == "X"):
            raise InvalidResidentId(
                "only digits, with X allowed as the last character",
                "身份证号码只能由数字组成，最后一位可以是X",
            )
        _check_area(text[:6])
        _check_birth_date(text[6:14], today or dt.date.today())
        expected = check_character(text[:17])
        if text[17] != expected:
            raise InvalidResidentId(
                f"check digit is {text[17]}, expected {expected}",
                f"身份证号码校验位为{text[17]}，应为{expected}，请核对号码",
            )
        return cls(text)

    @classmethod
    def is_valid(cls, raw: str, *, today: dt.date | None = None) -> bool:
        try:
            cls.parse(raw, today=today)
        except InvalidResidentId:
            return False
        return True

    @property
    def area_code(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> dt.date:
        v = self.value
        return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def sex(self) -> str:
        """``"M"`` when the sequence's last digit is odd, ``"F"`` when even."""
        return "M" if int(self.value[16]) % 2 else "F"

    @property
    def last4(self) -> str:
        return self.value[-4:]

    def masked_detail(self) -> str:
        """The form shown on a household's own page: area code and last four, e.g.
        ``511922********002X``."""
        return self.value[:6] + "*" * 8 + self.value[-4:]

    def masked_list(self) -> str:
        """The form shown in lists and on paper: only the last four, ``**************002X``."""
        return "*" * 14 + self.value[-4:]

    def __str__(self) -> str:  # never print the full number by accident
        return self.masked_list()

    def __repr__(self) -> str:
        return f"ResidentId({self.masked_list()!r})"


def mask_detail(raw: str | None) -> str:
    """Mask a stored ID for a detail page; empty when there is none."""
    if not raw:
        return ""
    return raw[:6] + "*" * (len(raw) - 10) + raw[-4:] if len(raw) > 10 else "*" * len(raw)


def mask_list(raw: str | None) -> str:
    """Mask a stored ID for lists and paper; empty when there is none."""
    if not raw:
        return ""
    return "*" * (len(raw) - 4) + raw[-4:] if len(raw) > 4 else "*" * len(raw)


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts full-width and superscript digits."""
    return text.isascii() and text.isdigit()


def _upgrade_legacy(text: str) -> str:
    if not _digits(text):
        raise InvalidResidentId("a 15-digit ID has only digits", "15位身份证号码只能由数字组成")
    first17 = text[:6] + "19" + text[6:]
    return first17 + check_character(first17)


def _check_area(area: str) -> None:
    if area[:2] not in PROVINCE_CODES or area[2:] == "0000":
        raise InvalidResidentId(
            f"unknown area code {area}", f"身份证号码前6位地区码{area}不是有效的行政区划代码"
        )


def _check_birth_date(text: str, today: dt.date) -> None:
    try:
        born = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InvalidResidentId(
            f"birth date {text} is not a real date", f"身份证号码中的出生日期{text}不是有效日期"
        ) from None
    if born > today:
        raise InvalidResidentId(
            f"birth date {text} is in the future", f"身份证号码中的出生日期{text}晚于今天"
        )
    if born.year < 1880:
        raise InvalidResidentId(
            f"birth date {text} is implausibly early", f"身份证号码中的出生日期{text}早于1880年"
        )


__all__ += ["mask_detail", "mask_list"]
