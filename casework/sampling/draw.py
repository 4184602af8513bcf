"""The draw: a pure, documented, language-independent algorithm (``casework-sample-v1``).

An auditor can redo a draw by hand or in any language from the frame (its members and key, see
:mod:`casework.sampling.frame`), the seed and the design:

1. **Strata.** Group the frame's households by village code (``stratify=village``) or township
   code (``stratify=township``).
2. **Stratum size.** For a stratum of ``n`` households, ``k = min(n, max(N, ceil(F × n)))``
   where ``N`` is ``per_stratum`` (0 when not given) and ``F`` the ``fraction`` (0 when not
   given), computed exactly on the decimal ``F`` as written (``0.1 × 25 = 2.5 → 3``). So the
   fraction rounds up (a non-empty stratum with a fraction gets at least one household), ``N``
   is a floor, and a stratum smaller than ``N`` is taken whole.
3. **A uniform number per household.** ``d = HMAC-SHA256(key, message)`` with ``key`` the
   UTF-8 bytes of the seed as recorded (trimmed, Unicode NFC) and ``message`` the UTF-8 bytes
   of ``"<frame key>|<household number>"``; ``x`` = the first 52 bits of ``d`` read as a
   big-endian integer (``int(d[:8]) >> 12``); ``u = (2x + 1) / 2^53``, which lies strictly
   between 0 and 1 and is exact in IEEE-754 double precision.
4. **Weight.** ``w = W`` (``overweight_failing``) for a household whose stored assessment was
   ``fails`` when the frame was frozen, else ``w = 1``.
5. **Key.** The Efraimidis–Spirakis key ``u^(1/w)``, compared through its logarithm
   ``ln(u) / w`` (same order, better conditioned): weighted sampling without replacement where
   each successive pick takes a household with probability proportional to its weight among
   those left. With every ``w = 1`` this is a uniform random sample of size ``k``.
6. **Order.** Within a stratum, sort by key descending, ties (practically impossible) by
   household number ascending; the sample is the first ``k``. That order is each household's
   *rank*; a larger sample from the same frame and seed extends a smaller one.

Python's :mod:`random` is deliberately not used (its streams may change between versions).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

__all__ = [
    "ALGORITHM", "STRATIFY", "Design", "Candidate", "uniform", "draw_key", "stratum_size",
    "draw", "rank_stratum",
]

ALGORITHM = "casework-sample-v1"
STRATIFY = ("village", "township")
_TWO_53 = float(2**53)


@dataclass(frozen=True)
class Design:
    """How to draw: strata, size per stratum and the weight of failing households."""

    stratify: str
    per_stratum: int | None = None
    fraction: Decimal | None = None
    overweight: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.stratify not in STRATIFY:
            raise ValueError(f"stratify must be one of {STRATIFY}")
        if self.per_stratum is None and self.fraction is None:
            raise ValueError("a design needs per_stratum or fraction")
        if self.per_stratum is not None and self.per_stratum < 1:
            raise ValueError("per_stratum must be at least 1")
        if self.fraction is not None and not Decimal(0) < self.fraction <= Decimal(1):
            raise ValueError("fraction must lie in (0, 1]")
        if self.overweight < 1:
            raise ValueError("overweight must be at least 1")


class Candidate(NamedTuple):
    """A frame member as the draw sees it."""

    number: str
    stratum: str
    failing: bool


def uniform(seed: str, frame_key: str, number: str) -> float:
    """Step 3: the household's number ``u`` in (0, 1), exact in double precision."""
    return _uniform(seed.encode("utf-8"), f"{frame_key}|{number}".encode("utf-8"))


def _uniform(key: bytes, message: bytes) -> float:
    x = int.from_bytes(hmac.digest(key, message, hashlib.sha256)[:8], "big") >> 12
    return (2 * x + 1) / _TWO_53


def draw_key(u: float, weight: Decimal) -> float:
    """Step 5: ``ln(u) / w`` (larger is drawn first)."""
    return math.log(u) / float(weight)


def stratum_size(design: Design, size: int) -> int:
    """Step 2: how many of a stratum of ``size`` households are drawn."""
    floor = design.per_stratum or 0
    share = 0
    if design.fraction is not None:
        share = math.ceil(Fraction(design.fraction) * size)
    return min(size, max(floor, share))


def rank_stratum(seed: str, frame_key: str, members: Iterable[Candidate],
                 overweight: Decimal) -> list[str]:
    """Step 6: every household number of one stratum in draw order."""
    key, prefix, heavy = seed.encode("utf-8"), f"{frame_key}|", float(overweight)

    def order(c: Candidate) -> tuple[float, str]:
        u = _uniform(key, (prefix + c.number).encode("utf-8"))
        return (-(math.log(u) / (heavy if c.failing else 1.0)), c.number)
    return [c.number for c in sorted(members, key=order)]


def draw(seed: str, frame_key: str, members: Sequence[Candidate],
         design: Design) -> dict[str, list[str]]:
    """The sample: stratum code → household numbers drawn, in rank order (strata sorted)."""
    strata: dict[str, list[Candidate]] = {}
    for member in members:
        strata.setdefault(member.stratum, []).append(member)
    return {
        code: rank_stratum(seed, frame_key, strata[code], design.overweight)[
            : stratum_size(design, len(strata[code]))]
        for code in sorted(strata)
    }


def stratum_sizes(members: Iterable[Candidate]) -> Mapping[str, int]:
    """Households per stratum."""
    sizes: dict[str, int] = {}
    for member in members:
        sizes[member.stratum] = sizes.get(member.stratum, 0) + 1
    return dict(sorted(sizes.items()))
