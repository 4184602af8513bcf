"""Resident ID numbers (GB 11643-1999) built to agree with the person: area code, birth date, a
sequence whose last digit is odd for men and even for women, and the check character. Unique
across the registry. (Faker's ``ssn`` is slow and would not agree with the member's record.)"""

from __future__ import annotations

import datetime as dt
import random

from casework.ids import check_character

__all__ = ["IdNumbers"]


class IdNumbers:
    """Issues unique resident IDs for one generated registry."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def issue(self, area_code: str, born: dt.date, sex: str) -> str:
        """An unused ID for a person born on ``born`` of ``sex`` registered in ``area_code``."""
        stem = f"{area_code}{born.year:04d}{born.month:02d}{born.day:02d}"
        odd = sex == "M"
        # sequence 001–999: men odd, women even (000 is never issued)
        seq = self._rng.randrange(500) * 2 + 1 if odd else self._rng.randrange(1, 500) * 2
        for _ in range(500):
            first17 = f"{stem}{seq:03d}"
            if first17 not in self._used:
                self._used.add(first17)
                return first17 + check_character(first17)
            seq += 2
            if seq > 999:
                seq = 1 if odd else 2
        raise RuntimeError(f"no free sequence number left for {area_code} {born}")
