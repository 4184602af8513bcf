"""Import received measures from a spreadsheet (.xlsx or .csv), all or nothing.

Headers (first row, Chinese; order free; extra columns refused so a typo is not silently lost):

    户编号* · 成员身份证号 · 成员姓名 · 政策项目* · 金额 · 起始日期* · 终止日期 · 发放部门* · 备注

A member is named by 成员身份证号 (preferred; matched against the household's members) or by
成员姓名 when the name is unique in the household; household-level measures leave both empty.
政策项目 is the rule ID (``EDU-BZ-05``) or its exact title. Every row is checked; if any row is
wrong, nothing is written and every problem comes back as ``第N行 …`` (N the spreadsheet row).
Messages never repeat an ID number (only its last four characters). Households outside the
user's area are refused exactly like unknown ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from ..db import read_session
from ..editing import KEY_PATTERN
from ..ids import ResidentId
from ..models import Household, Submission, utcnow
from ..models.received_measures import ReceivedMeasure
from ..queries import Scoped, area_scope
from ..uow import UnitOfWork
from .catalog import Catalog, catalog_for_county
from .listing import member_choices
from .records import EDITOR_ROLES, overlapping
from .validation import FIELD_LABELS, Entry, check_entry

__all__ = ["HEADERS", "MAX_ROWS", "MAX_BYTES", "ImportResult", "ImportRefused", "read_rows",
           "import_received"]

HEADERS = {"户编号": "number", "成员身份证号": "id_number", "成员姓名": "name",
           "政策项目": "rule", "政策编号": "rule", "金额": "amount_yuan", "起始日期": "since",
           "终止日期": "until", "发放部门": "payer", "备注": "note"}
REQUIRED = ("户编号", "政策项目", "起始日期", "发放部门")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


class ImportRefused(ValueError):
    """The file was refused; ``problems`` are Chinese sentences, row-numbered where they can be."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    records: int
    households: int
    repeated: bool = False


Row = tuple[int, dict[str, str]]


def read_rows(data: bytes, filename: str) -> list[Row]:
    """The data rows (spreadsheet row number, field -> text); refuses unreadable files."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），请分批导入"])
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        table = list(_xlsx_cells(data))
    elif lower.endswith(".csv"):
        table = list(_csv_cells(data))
    else:
        raise ImportRefused(["只能导入 .xlsx 或 .csv 文件"])
    if not table:
        raise ImportRefused(["文件是空的"])
    keys = _header(table[0])
    rows = [(n, {keys[i]: c for i, c in enumerate(cells) if i < len(keys) and keys[i]})
            for n, cells in enumerate(table[1:], start=2) if any(c.strip() for c in cells)]
    if not rows:
        raise ImportRefused(["文件中没有数据行"])
    if len(rows) > MAX_ROWS:
        raise ImportRefused([f"一次最多导入 {MAX_ROWS} 行，本文件有 {len(rows)} 行，请分批导入"])
    return rows


def _header(cells: list[str]) -> list[str]:
    names = [c.strip() for c in cells]
    unknown = [n for n in names if n and n not in HEADERS]
    missing = [h for h in REQUIRED if h not in names and not (h == "政策项目" and "政策编号" in names)]
    problems = []
    if unknown:
        problems.append(f"第1行 表头中有无法识别的列：{'、'.join(unknown)}；可用的列为："
                        + "、".join(HEADERS))
    if missing:
        problems.append(f"第1行 表头缺少必填列：{'、'.join(missing)}")
    if len({HEADERS[n] for n in names if n in HEADERS}) < len([n for n in names if n in HEADERS]):
        problems.append("第1行 表头有重复的列")
    if problems:
        raise ImportRefused(problems)
    return [HEADERS.get(n, "") for n in names]


def _xlsx_cells(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise ImportRefused(["无法读取该 Excel 文件，请确认是 .xlsx 格式"]) from None
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield [_cell_text(v) for v in row]
    book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else "NaN"
    return str(value).strip()


def _csv_cells(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(["无法识别 CSV 文件的编码，请另存为 UTF-8 编码的 CSV"])
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error:
        raise ImportRefused(["CSV 文件格式有误，无法读取"]) from None


@dataclass(frozen=True)
class _Checked:
    row: int
    household_id: int
    county: str
    entry: Entry


def import_received(engine: Engine, user: Scoped, actor: str, rows: list[Row], key: str,
                    today: dt.date | None = None) -> ImportResult:
    """Check every row, then write them all in one unit of work (or raise ImportRefused and
    write nothing). ``key`` makes a repeated upload of the same form answer with the first
    result."""
    if user.role not in EDITOR_ROLES:
        raise PermissionError("only township staff import received measures")
    if not KEY_PATTERN.fullmatch(key):
        raise ImportRefused(["提交编号无效，请刷新页面后重新上传"])
    today = today or dt.date.today()
    checked = _check_rows(engine, user, rows, today)
    with UnitOfWork(actor, engine) as uow:
        first = uow.session.get(Submission, key)
        if first is not None:
            if first.action != "import_received":
                raise ImportRefused(["提交编号已用于其他操作，请刷新页面后重新上传"])
            return ImportResult(int(first.result_id or 0), 0, repeated=True)
        problems = []
        for item in checked:
            clash = overlapping(uow, item.household_id, item.entry, None)
            if clash is not None:
                problems.append(f"第{item.row}行 起始日期：同一成员的此项政策已有 {clash.since} 至 "
                                f"{clash.until or '至今'} 的记录（系统中或本文件前面的行），期间不能重叠")
                continue
            uow.add(ReceivedMeasure(household_id=item.household_id, county_code=item.county,
                                    created_by=actor, updated_at=utcnow(),
                                    **_entry_columns(item.entry)))
            uow.flush()
        if problems:
            raise ImportRefused(problems)
        uow.record("import", "received_measures",
                   detail=f"imported {len(checked)} received measures")
        uow.add(Submission(key=key, username=actor, household_id=None, action="import_received",
                           result_id=str(len(checked)), at=utcnow()))
        uow.commit()
    return ImportResult(len(checked), len({c.household_id for c in checked}))


def _entry_columns(entry: Entry) -> dict[str, object]:
    return {"rule_id": entry.rule_id, "member_id": entry.member_id,
            "amount_yuan": entry.amount_yuan, "since": entry.since, "until": entry.until,
            "payer": entry.payer, "note": entry.note}


def _check_rows(engine: Engine, user: Scoped, rows: list[Row], today: dt.date) -> list[_Checked]:
    households = _households(engine, user, {r.get("number", "").strip() for _n, r in rows})
    catalogs: dict[str, Catalog | None] = {}
    problems: list[str] = []
    checked: list[_Checked] = []
    for n, row in rows:
        number = row.get("number", "").strip()
        household = households.get(number)
        if household is None:
            problems.append(f"第{n}行 户编号：{'为空' if not number else f'“{number[:32]}”不存在或不在您负责的范围内'}")
            continue
        county = household.county_code
        if county not in catalogs:
            catalogs[county] = catalog_for_county(engine, county)
        catalog = catalogs[county] or Catalog("", ())
        raw, row_problems = _raw_entry(row, household, catalog)
        entry, errors = check_entry(raw, catalog, member_choices(household), today)
        row_problems += [f"{FIELD_LABELS.get(k, '')}：{v}" for k, v in errors.items()
                         if not (k == "rule_id" and any(p.startswith("政策项目") for p in row_problems))
                         and not (k == "member_id" and any(p.startswith("成员") for p in row_problems))]
        problems += [f"第{n}行 {p}" for p in row_problems]
        if entry is not None and not row_problems:
            checked.append(_Checked(n, int(household.id), county, entry))  # type: ignore[arg-type]
    if problems:
        raise ImportRefused(problems)
    return checked


def _households(engine: Engine, user: Scoped, numbers: set[str]) -> dict[str, Household]:
    found: dict[str, Household] = {}
    wanted = sorted(n for n in numbers if n)
    with read_session(engine) as s:
        for start in range(0, len(wanted), 500):
            stmt = (select(Household).where(Household.number.in_(wanted[start:start + 500]),
                                            Household.active, area_scope(user))
                    .options(selectinload(Household.members)))  # type: ignore[arg-type]
            found.update((h.number, h) for h in s.scalars(stmt))
    return found


def _raw_entry(row: dict[str, str], household: Household,
               catalog: Catalog) -> tuple[dict[str, str], list[str]]:
    problems: list[str] = []
    rule_text = row.get("rule", "").strip()
    measure = catalog.get(rule_text) or next(
        (m for m in catalog.measures if m.title == rule_text), None)
    if rule_text and measure is None:
        problems.append(f"政策项目：“{rule_text[:40]}”不是本县政策包中的项目，请填写政策编号（如 EDU-BZ-05）或完整名称")
    member_id = _member_of(row, household, problems)
    raw = {"rule_id": measure.rule_id if measure else rule_text, "member_id": member_id,
           "amount_yuan": row.get("amount_yuan", ""), "since": row.get("since", ""),
           "until": row.get("until", ""), "payer": row.get("payer", ""), "note": row.get("note", "")}
    return raw, problems


def _member_of(row: dict[str, str], household: Household, problems: list[str]) -> str:
    id_text = row.get("id_number", "").strip().upper()
    name = row.get("name", "").strip()
    if id_text:
        try:
            parsed = ResidentId.parse(id_text)
        except ValueError:
            problems.append(f"成员身份证号：格式有误（尾号{id_text[-4:]}），请核对；"
                            "Excel 中请将该列设为文本格式，以免号码被改成科学计数")
            return ""
        match = [m for m in household.members if m.id_number == parsed.value]
        if not match:
            problems.append(f"成员身份证号：尾号{parsed.last4}的人不是户{household.number}的成员")
            return ""
        if name and match[0].name != name:
            problems.append(f"成员姓名：“{name[:20]}”与身份证号（尾号{parsed.last4}）登记的姓名不一致")
            return ""
        return str(match[0].id)
    if name:
        match = [m for m in household.members if m.name == name]
        if not match:
            problems.append(f"成员姓名：“{name[:20]}”不是户{household.number}的成员")
        elif len(match) > 1:
            problems.append(f"成员姓名：户{household.number}有多位成员叫“{name[:20]}”，请填写成员身份证号")
        else:
            return str(match[0].id)
    return ""
