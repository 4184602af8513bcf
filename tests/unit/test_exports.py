"""The shared export layer: Chinese headers, masked IDs only, files Excel can open."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest

from casework.exports import Column, Table, UnmaskedIdError, to_csv, to_xlsx
from casework.ids import check_character, mask_list
from web.inspector.exporting import export_response

FIRST17 = "51192219900101123"
FULL_ID = FIRST17 + check_character(FIRST17)

COLUMNS = (
    Column("number", "户编号"),
    Column("name", "姓名"),
    Column("id", "身份证号"),
    Column("amount", "金额（元）"),
    Column("count", "人数"),
    Column("since", "起始日期"),
    Column("dibao", "低保户"),
)


def _table(rows: list[dict[str, object]]) -> Table:
    return Table("应享未享清单", COLUMNS, rows)


ROWS: list[dict[str, object]] = [
    {"number": "500154-000001", "name": "张三", "id": mask_list(FULL_ID),
     "amount": Decimal("1500.00"), "count": 4, "since": dt.date(2018, 9, 1), "dibao": True},
    {"number": "500154-000002", "name": "=HYPERLINK(\"http://x\")", "id": None,
     "amount": None, "count": 0, "since": None, "dibao": False},
]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_csv_has_chinese_headers_and_values() -> None:
    rows = _csv_rows(to_csv(_table(ROWS)))
    assert rows[0] == ["户编号", "姓名", "身份证号", "金额（元）", "人数", "起始日期", "低保户"]
    assert rows[1] == ["500154-000001", "张三", "**************" + FULL_ID[-4:], "1500.00", "4",
                       "2018-09-01", "是"]
    assert rows[2][4] == "0" and rows[2][6] == "否" and rows[2][3] == ""


def test_csv_neutralises_formulas() -> None:
    rows = _csv_rows(to_csv(_table(ROWS)))
    assert rows[2][1] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_opens_with_header_bold_frozen_and_typed_values() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_table(ROWS))))
    sheet = book.active
    assert sheet.title == "应享未享清单"
    assert [c.value for c in sheet[1]] == [c.header_zh for c in COLUMNS]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    amount, count, since = sheet["D2"].value, sheet["E2"].value, sheet["F2"].value
    assert amount == 1500 and isinstance(amount, (int, float))
    assert count == 4 and isinstance(count, int)
    assert isinstance(since, dt.datetime) and since.date() == dt.date(2018, 9, 1)
    assert sheet["G2"].value == "是" and sheet["C2"].value.endswith(FULL_ID[-4:])
    assert sheet.column_dimensions["A"].width >= len("500154-000001")


def test_xlsx_keeps_formula_like_text_as_text() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(_table(ROWS)))).active
    assert sheet["B3"].data_type == "s"
    assert sheet["B3"].value == "=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("value", [FULL_ID, f"张三 {FULL_ID}", FULL_ID.lower(), f"身份证:{FULL_ID}。"])
@pytest.mark.parametrize("writer", [to_csv, to_xlsx])
def test_full_resident_id_is_refused(value: str, writer: object) -> None:
    table = _table([{"number": "1", "name": value}])
    with pytest.raises(UnmaskedIdError):
        writer(table)  # type: ignore[operator]


def test_numbers_that_are_not_ids_pass() -> None:
    wrong_check = FIRST17 + ("0" if FULL_ID[-1] != "0" else "1")
    rows = _csv_rows(to_csv(_table([{"number": wrong_check}, {"number": "1" * 20}])))
    assert rows[1][0] == wrong_check and rows[2][0] == "1" * 20


def test_empty_table_still_has_headers() -> None:
    assert _csv_rows(to_csv(_table([]))) == [[c.header_zh for c in COLUMNS]]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(_table([])))).active
    assert sheet.max_row == 1


def test_sheet_title_is_sanitised() -> None:
    table = Table("a/b:c*d?[e]" + "长" * 40, COLUMNS[:1], [])
    title = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active.title
    assert len(title) <= 31 and not set("/:*?[]") & set(title)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_response_is_a_named_uncached_download(fmt: str) -> None:
    response = export_response(_table(ROWS), fmt, "应享未享")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "应享未享-" in unquote(disposition.split("filename*=UTF-8''")[1])
    assert unquote(disposition).endswith(f".{fmt}")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.media_type.startswith("text/csv" if fmt == "csv" else "application/vnd.open")


def test_export_response_refuses_unknown_format() -> None:
    from litestar.exceptions import HTTPException

    with pytest.raises(HTTPException) as caught:
        export_response(_table(ROWS), "pdf", "x")
    assert caught.value.status_code == 400
