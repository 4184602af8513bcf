"""Tables for download: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and Excel (.xlsx).

Every list in the app that people can take away goes through here, so the rules hold in one
place: Chinese headers, numbers as numbers, dates as dates, and never a full resident ID number.
A value that contains a valid 18-character resident ID is refused with :class:`UnmaskedIdError`;
callers mask IDs first (``casework.ids.mask_list``).

Spreadsheet formula injection is neutralised: in CSV a text cell starting with ``= + - @`` (or a
tab / carriage return) gets a leading apostrophe; in Excel such text is stored as a string cell,
never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .ids import ResidentId

__all__ = ["Column", "Table", "UnmaskedIdError", "to_csv", "to_xlsx", "cell_text"]

_ID_CANDIDATE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE = 2000
"""Rows looked at to size the Excel columns."""
_MAX_WIDTH = 60


class UnmaskedIdError(ValueError):
    """A table cell holds a full resident ID number; mask it before exporting."""


@dataclass(frozen=True)
class Column:
    """One column: ``key`` reads the row mapping, ``header_zh`` is what people see."""

    key: str
    header_zh: str


@dataclass(frozen=True)
class Table:
    """A titled table; rows are mappings from column key to value (missing key = empty)."""

    title_zh: str
    columns: tuple[Column, ...]
    rows: Sequence[Mapping[str, object]]


def to_csv(table: Table) -> bytes:
    """The table as CSV: UTF-8 with BOM, CRLF lines, one header row in Chinese."""
    _refuse_full_ids(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_safe(c.header_zh) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_safe(cell_text(row.get(c.key))) for c in table.columns])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook: one sheet named after the title, a bold frozen header row,
    columns sized to their content, numbers and dates as real numbers and dates."""
    _refuse_full_ids(table)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(table.title_zh))
    book.properties.title = table.title_zh
    sheet.freeze_panes = "A2"
    for number, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.header_zh)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, row.get(c.key)) for c in table.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell_text(value: object) -> str:
    """How a value reads in CSV (and on screen): dates ISO, yes/no in Chinese, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _refuse_full_ids(table: Table) -> None:
    """Checked before anything is written, so a refused table leaves no half-built file."""
    for index, row in enumerate(table.rows, start=1):
        for column in table.columns:
            value = row.get(column.key)
            if isinstance(value, str) and _has_full_id(value):
                raise UnmaskedIdError(
                    f"row {index}, column {column.key!r}: a full resident ID number; mask it first"
                )


def _has_full_id(text: str) -> bool:
    return any(ResidentId.is_valid(m.group(0)) for m in _ID_CANDIDATE.finditer(text))


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _xlsx_cell(sheet: object, value: object) -> object:
    """Plain values where openpyxl's own typing is right (fast); a styled cell for money and
    dates, and for text openpyxl would take for a formula."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    if isinstance(value, (float, Decimal)):
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
        return cell
    if isinstance(value, (dt.date, dt.datetime)):
        plain = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
        cell = WriteOnlyCell(sheet, value=plain)  # type: ignore[arg-type]
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else "yyyy-mm-dd"
        return cell
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(table: Table) -> list[float]:
    widths = [_display_width(c.header_zh) for c in table.columns]
    for row in table.rows[:_WIDTH_SAMPLE]:
        for i, column in enumerate(table.columns):
            widths[i] = max(widths[i], _display_width(cell_text(row.get(column.key))))
    return [min(w + 2, _MAX_WIDTH) for w in widths]


def _sheet_title(title: str) -> str:
    clean = _SHEET_FORBIDDEN.sub("_", title).strip("'") or "Sheet"
    return clean[:31]
