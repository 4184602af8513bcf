"""The registry's JSON Lines exchange format: one calc-v1 household per line, plus where it is.

A line is the contract JSON of the household (:func:`casework.contract.dump_household`) with
four more keys right after ``household_id``: ``county_code``, ``township_code``,
``village_code`` and ``pack`` (the county's policy pack, ``null`` when none is set). Lines are
UTF-8 with Chinese unescaped, compact, ending in ``\\n``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rules import snapshot as s

from sqlalchemy.orm import Session

from casework.contract import ContractError, dump_household
from casework.registry._bulk import HouseholdInfo, Place, iter_snapshots, load_places

__all__ = ["PLACE_KEYS", "LineError", "export_line", "export_lines", "read_lines"]

PLACE_KEYS = ("county_code", "township_code", "village_code", "pack")


@dataclass(frozen=True, slots=True)
class LineError:
    """A problem with one line of a file: ``line N: path: reason`` plus a Chinese sentence."""

    line: int
    path: str
    reason: str
    message_zh: str

    @classmethod
    def of(cls, line: int, err: ContractError) -> LineError:
        """From a contract error; a JSON syntax error's position is given within the line."""
        reason = err.reason.replace("malformed JSON at line 1 column", "malformed JSON at column")
        message_zh = err.message_zh.replace("（第1行第", "（第")
        return cls(line, err.path, reason, message_zh)

    def __str__(self) -> str:
        return f"line {self.line}: {self.path}: {self.reason}"

    def zh(self) -> str:
        return f"第{self.line}行：{self.message_zh}"


def export_line(place: Place, household: s.Household) -> str:
    """One line of the exchange format, newline included."""
    doc: dict[str, Any] = dump_household(household)
    line = {
        "household_id": doc.pop("household_id"),
        "county_code": place.county_code,
        "township_code": place.township_code,
        "village_code": place.village_code,
        "pack": place.pack,
        **doc,
    }
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_lines(
    session: Session, *, county_code: str | None = None, village_code: str | None = None,
    chunk: int = 1000,
) -> Iterator[tuple[HouseholdInfo, s.Household, str]]:
    """``(info, snapshot, line)`` for the (active) households in the county and/or village, in
    household-number order, streamed page by page."""
    places = load_places(session)
    for info, household in iter_snapshots(
        session, county_code=county_code, village_code=village_code, chunk=chunk
    ):
        yield info, household, export_line(places[info.village_id], household)


def read_lines(path: Path) -> Iterator[tuple[int, str | LineError]]:
    """``(line number, text)`` for each non-blank line (a leading byte-order mark is dropped);
    a line that is not UTF-8 comes as a :class:`LineError` instead of text."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield number, LineError(
                    number, "$", f"not valid UTF-8 at byte {err.start}",
                    f"第{number}行不是有效的UTF-8文本（第{err.start + 1}个字节）",
                )
                continue
            if text.strip():
                yield number, text
