"""Chinese words for stored codes, and the template filters that use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

__all__ = ["LABELS", "label", "yes_no", "money", "amount", "date_zh", "ROLE_NAMES", "FILTERS"]

UNRECORDED = "未登记"

ROLE_NAMES = {
    "village_cadre": "村帮扶干部",
    "township_staff": "乡镇扶贫专干",
    "inspector": "督查人员",
    "county_admin": "县级管理员",
}

LABELS: dict[str, dict[str, str]] = {
    "role": ROLE_NAMES,
    "poverty_status": {"poor": "未脱贫", "exited": "已脱贫", "returned": "返贫"},
    "tekun_mode": {"centralized": "集中供养", "dispersed": "分散供养"},
    "relation": {
        "head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
        "grandchild": "孙子女", "sibling": "兄弟姐妹", "other": "其他",
    },
    "sex": {"M": "男", "F": "女"},
    "school_stage": {
        "preschool": "学前教育", "primary": "小学", "junior": "初中", "senior": "普通高中",
        "vocational": "中职", "college": "本专科/高职", "none": "不在校",
    },
    "labor": {
        "normal": "普通劳动力", "skilled": "技能劳动力", "weak": "弱（半）劳动力",
        "lost": "丧失劳动力", "none": "无劳动力",
    },
    "employment": {
        "stable": "稳定就业", "temporary": "临时务工", "public_post": "公益性岗位",
        "self_employed": "自主创业", "none": "未就业",
    },
    "relocation_status": {
        "none": "不搬迁", "planned": "计划搬迁", "building": "正在建设", "moved_in": "已入住",
    },
    "relocation_mode": {"centralized": "集中安置", "dispersed": "分散安置"},
    "stay_kind": {"inpatient": "住院", "chronic_outpatient": "门诊慢特病"},
    "hospital_level": {"township": "乡镇级", "county": "县级", "city": "市级", "provincial": "省级"},
    "housing_grade": {"A": "A级（安全）", "B": "B级（基本安全）", "C": "C级（危房）", "D": "D级（危房）"},
    "disability_grade": {"1": "一级", "2": "二级", "3": "三级", "4": "四级"},
    "per": {"year": "每年", "month": "每月", "day": "每天", "once": "一次性", "episode": "每次就医"},
    "payer": {"government": "政府", "hospital": "医院承担", "bank": "银行贷款"},
    "measure": {
        "education": "教育", "medical": "医疗", "social": "社会保障", "relocation": "易地搬迁",
        "housing": "住房", "jobs": "就业", "finance": "金融",
    },
    "dimension": {
        "food_clothing": "不愁吃、不愁穿", "compulsory_education": "义务教育有保障",
        "basic_medical": "基本医疗有保障", "housing": "住房安全有保障",
        "drinking_water": "饮水安全", "income": "收入达标",
    },
    "verdict": {"pass": "达标", "fail": "未达标", "unknown": "待核实"},
    "assessment": {"meets": "两不愁三保障达标", "fails": "存在未达标项", "unknown": "部分情况待核实"},
}


def label(value: Any, kind: str) -> str:
    """The Chinese word for a stored code; the code itself when unknown, 未登记 when None."""
    if value is None or value == "":
        return UNRECORDED
    return LABELS.get(kind, {}).get(str(value), str(value))


def yes_no(value: bool | None) -> str:
    if value is None:
        return UNRECORDED
    return "是" if value else "否"


def money(value: Decimal | float | int | None) -> str:
    """``1,234.50 元``; 未登记 when None."""
    if value is None:
        return UNRECORDED
    return f"{Decimal(value):,.2f} 元"


def amount(value: Decimal | float | int | None) -> str:
    """``1,234.50`` (for table cells whose header names the unit); 未登记 when None."""
    if value is None:
        return UNRECORDED
    return f"{Decimal(value):,.2f}"


def date_zh(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return UNRECORDED
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: dt.date | dt.datetime | None) -> str:
    """``2018-03-02`` (compact, for table cells)."""
    return UNRECORDED if value is None else f"{value:%Y-%m-%d}"


def or_unrecorded(value: Any) -> Any:
    return UNRECORDED if value is None or value == "" else value


FILTERS = {
    "label": label, "yes_no": yes_no, "money": money, "amount": amount, "date_zh": date_zh,
    "iso_date": iso_date,
    "or_unrecorded": or_unrecorded,
}
