"""Small helpers over one ``random.Random``: weighted tables, money, dates. Everything the generator
draws goes through the one generator it is given, so a seed fixes the whole registry."""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal
from typing import Generic, TypeVar

__all__ = ["Table", "Draw", "yuan"]

T = TypeVar("T")


class Table(Generic[T]):
    """Values with weights, drawn with one uniform number (cumulative weights precomputed)."""

    __slots__ = ("values", "_cum")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        values: list[T] = []
        cum: list[float] = []
        total = 0.0
        for value, weight in pairs:
            total += weight
            values.append(value)
            cum.append(total)
        self.values = tuple(values)
        self._cum = tuple(cum)

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect_right(self._cum, rng.random() * self._cum[-1])]


def yuan(amount: float) -> Decimal:
    """Yuan rounded to the fen, with two decimals."""
    return Decimal(round(amount * 100)).scaleb(-2)


class Draw:
    """The generator's random source with the shapes it needs."""

    __slots__ = ("rng",)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return self.rng.randint(low, high)

    def uniform(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.rng.gauss(0.0, sigma))

    def choice(self, options: tuple[T, ...] | list[T]) -> T:
        return options[int(self.rng.random() * len(options))]

    def birth_date(self, age: int, on: dt.date) -> dt.date:
        """A birth date that makes the person exactly ``age`` on ``on``."""
        start = dt.date(on.year - age - 1, on.month, on.day).toordinal() + 1
        end = dt.date(on.year - age, on.month, on.day).toordinal()
        return dt.date.fromordinal(start + int(self.rng.random() * (end - start + 1)))

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        return dt.date.fromordinal(first.toordinal() + self.between(0, (last - first).days))
