"""The frame's canonical text and its key (``casework-frame-v1``).

The canonical text is UTF-8, one line per item, each ending in ``\\n``::

    casework-frame-v1
    area <area code>
    <household number>\\t<village code>\\t<township code>\\t<status>
    …

with the household lines sorted by household number (as UTF-8 bytes; numbers are ASCII digits)
and ``status`` the stored assessment status when the frame was frozen (``meets``, ``unknown``,
``fails``, or ``none`` for a household without one). The frame key is the lowercase hex SHA-256
of that text: ``sha256sum`` of a file holding it gives the same key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from .draw import Candidate

__all__ = ["FRAME_FORMAT", "FrameEntry", "canonical_text", "frame_key", "candidates"]

FRAME_FORMAT = "casework-frame-v1"
STATUSES = ("meets", "unknown", "fails", "none")


class FrameEntry(NamedTuple):
    """One household of a frame."""

    household_id: int
    number: str
    village_code: str
    township_code: str
    status: str

    def line(self) -> str:
        for part in (self.number, self.village_code, self.township_code):
            if not part or "\t" in part or "\n" in part:
                raise ValueError(f"frame field {part!r} cannot be written canonically")
        if self.status not in STATUSES:
            raise ValueError(f"unknown assessment status {self.status!r}")
        return f"{self.number}\t{self.village_code}\t{self.township_code}\t{self.status}\n"


def canonical_text(area_code: str, entries: Iterable[FrameEntry]) -> str:
    lines = sorted((e.line() for e in entries), key=lambda line: line.encode("utf-8"))
    return f"{FRAME_FORMAT}\narea {area_code}\n" + "".join(lines)


def frame_key(area_code: str, entries: Iterable[FrameEntry]) -> str:
    return hashlib.sha256(canonical_text(area_code, entries).encode("utf-8")).hexdigest()


def candidates(entries: Iterable[FrameEntry], stratify: str) -> list[Candidate]:
    """The frame as the draw sees it, stratified by village or township."""
    return [
        Candidate(e.number, e.village_code if stratify == "village" else e.township_code,
                  e.status == "fails")
        for e in entries
    ]
