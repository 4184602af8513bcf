"""Chinese names for the contract's fields and coded values, used to word ``message_zh``.

Keys are JSON paths with the list indices taken out (``members.hospital_stays.kind``).
"""

from __future__ import annotations

import re

__all__ = ["FIELD_LABELS", "VALUE_LABELS", "subject_zh", "prefix_zh", "schema_key"]

FIELD_LABELS: dict[str, str] = {
    "household_id": "户编号",
    "registered_poor": "是否建档立卡贫困户",
    "poverty_status": "脱贫状态",
    "exit_year": "脱贫年度",
    "dibao": "是否农村低保户",
    "tekun": "是否特困供养",
    "tekun_mode": "特困供养方式",
    "economic_difficulty": "是否家庭经济困难",
    "per_capita_net_income_yuan": "年人均纯收入",
    "housing": "住房信息",
    "housing.safety_grade": "住房安全等级",
    "housing.renovated": "危房是否已改造",
    "relocation": "易地扶贫搬迁信息",
    "relocation.status": "易地扶贫搬迁状态",
    "relocation.mode": "搬迁安置方式",
    "relocation.house_area_m2": "安置住房面积",
    "relocation.build_cost_yuan": "建房成本",
    "relocation.subsidy_yuan": "建房补助",
    "relocation.self_funded_yuan": "自筹资金",
    "water_safe": "饮水是否安全",
    "power_ok": "生活用电是否达标",
    "tv_access": "是否通广播电视",
    "food_secure": "是否不愁吃",
    "clothing_secure": "是否不愁穿",
    "members": "家庭成员",
    "members.member_id": "成员编号",
    "members.name": "姓名",
    "members.id_number": "身份证号码",
    "members.birth_date": "出生日期",
    "members.sex": "性别",
    "members.relation": "与户主关系",
    "members.school": "就学信息",
    "members.school.stage": "就读学段",
    "members.school.boarding": "是否寄宿",
    "members.school.public": "是否公办学校",
    "members.school.key_school": "是否重点高中",
    "members.school.enrolled_year": "入学年份",
    "members.school.fee_yuan": "实际收费",
    "members.school.school_days": "在校天数",
    "members.out_of_school": "是否失学辍学",
    "members.orphan": "是否孤儿",
    "members.disability_grade": "残疾等级",
    "members.annual_income_yuan": "个人年收入",
    "members.medical_insurance": "是否参加城乡居民医保",
    "members.critical_illness_insurance": "是否参加大病保险",
    "members.family_doctor": "是否签约家庭医生",
    "members.pension_insured": "是否参加城乡居民养老保险",
    "members.labor": "劳动能力",
    "members.employment": "就业情况",
    "members.hospital_stays": "就医记录",
    "members.hospital_stays.kind": "就医类型",
    "members.hospital_stays.admitted_on": "入院日期",
    "members.hospital_stays.in_county": "是否县域内就医",
    "members.hospital_stays.hospital_level": "医院级别",
    "members.hospital_stays.public": "是否公立医院",
    "members.hospital_stays.total_cost_yuan": "医疗总费用",
    "members.hospital_stays.out_of_catalog_yuan": "医保目录外费用",
    "members.hospital_stays.reimbursed_yuan": "已报销金额",
    "members.hospital_stays.childbirth": "是否住院分娩",
}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "poverty_status": {"poor": "未脱贫", "exited": "已脱贫", "returned": "返贫"},
    "tekun_mode": {"centralized": "集中供养", "dispersed": "分散供养"},
    "housing.safety_grade": {"A": "A级", "B": "B级", "C": "C级危房", "D": "D级危房"},
    "relocation.status": {
        "none": "不搬迁",
        "planned": "计划搬迁",
        "building": "建设中",
        "moved_in": "已入住",
    },
    "relocation.mode": {"centralized": "集中安置", "dispersed": "分散安置"},
    "members.sex": {"M": "男", "F": "女"},
    "members.relation": {
        "head": "户主",
        "spouse": "配偶",
        "child": "子女",
        "parent": "父母",
        "grandchild": "孙子女",
        "sibling": "兄弟姐妹",
        "other": "其他",
    },
    "members.school.stage": {
        "preschool": "学前",
        "primary": "小学",
        "junior": "初中",
        "senior": "普通高中",
        "vocational": "中职",
        "college": "本专科/高职",
        "none": "不在校",
    },
    "members.labor": {
        "normal": "普通劳动力",
        "skilled": "技能劳动力",
        "weak": "弱(半)劳动力",
        "lost": "丧失劳动力",
        "none": "无劳动力",
    },
    "members.employment": {
        "stable": "稳定就业",
        "temporary": "临时务工",
        "public_post": "公益性岗位",
        "self_employed": "自主创业",
        "none": "未就业",
    },
    "members.hospital_stays.kind": {"inpatient": "住院", "chronic_outpatient": "门诊慢特病"},
    "members.hospital_stays.hospital_level": {
        "township": "乡镇",
        "county": "县级",
        "city": "市级",
        "provincial": "省级",
    },
}

_INDEXED = re.compile(r"(members|hospital_stays)\[(\d+)\]")
_ORDINAL = {"members": "第{}位成员的", "hospital_stays": "第{}条就医记录的"}


def schema_key(path: str) -> str:
    """``members[1].school.stage`` -> ``members.school.stage``."""
    return re.sub(r"\[\d+\]", "", path)


def prefix_zh(path: str) -> str:
    """Whose field it is: ``members[1].hospital_stays[0].kind`` ->
    ``第2位成员的第1条就医记录的``."""
    return "".join(_ORDINAL[m[1]].format(int(m[2]) + 1) for m in _INDEXED.finditer(path))


def subject_zh(path: str) -> str:
    """The field named for people, e.g. ``第2位成员的就读学段``; an unknown key is quoted."""
    if path == "$":
        return "户信息"
    if path.endswith("]"):
        return prefix_zh(path) + "信息"
    label = FIELD_LABELS.get(schema_key(path))
    if label is None:
        label = f"字段“{path.rsplit('.', 1)[-1]}”"
    return prefix_zh(path) + label
