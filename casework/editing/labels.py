"""Chinese names of the command fields, taken from the calc contract's labels where the field is
a contract field (so a field is named the same in every message), plus the editing-only ones."""

from __future__ import annotations

from casework.contract._labels import FIELD_LABELS, VALUE_LABELS

__all__ = ["FIELD_ZH", "VALUE_ZH", "field_zh", "value_zh"]

_CONTRACT_PATHS = {
    "registered_poor": "registered_poor", "poverty_status": "poverty_status",
    "exit_year": "exit_year", "dibao": "dibao", "tekun": "tekun", "tekun_mode": "tekun_mode",
    "housing_safety_grade": "housing.safety_grade", "housing_renovated": "housing.renovated",
    "relocation_status": "relocation.status", "relocation_mode": "relocation.mode",
    "relocation_house_area_m2": "relocation.house_area_m2",
    "relocation_build_cost_yuan": "relocation.build_cost_yuan",
    "relocation_subsidy_yuan": "relocation.subsidy_yuan",
    "relocation_self_funded_yuan": "relocation.self_funded_yuan",
    "water_safe": "water_safe", "power_ok": "power_ok", "tv_access": "tv_access",
    "food_secure": "food_secure", "clothing_secure": "clothing_secure",
    "name": "members.name", "id_number": "members.id_number",
    "birth_date": "members.birth_date", "sex": "members.sex", "relation": "members.relation",
    "school_stage": "members.school.stage", "school_boarding": "members.school.boarding",
    "school_public": "members.school.public", "school_key_school": "members.school.key_school",
    "school_enrolled_year": "members.school.enrolled_year",
    "school_fee_yuan": "members.school.fee_yuan", "school_days": "members.school.school_days",
    "out_of_school": "members.out_of_school", "orphan": "members.orphan",
    "disability_grade": "members.disability_grade",
    "medical_insurance": "members.medical_insurance",
    "critical_illness_insurance": "members.critical_illness_insurance",
    "family_doctor": "members.family_doctor", "pension_insured": "members.pension_insured",
    "labor": "members.labor", "employment": "members.employment",
    "annual_income_yuan": "members.annual_income_yuan",
    "kind": "members.hospital_stays.kind", "admitted_on": "members.hospital_stays.admitted_on",
    "in_county": "members.hospital_stays.in_county",
    "hospital_level": "members.hospital_stays.hospital_level",
    "public": "members.hospital_stays.public", "childbirth": "members.hospital_stays.childbirth",
    "total_cost_yuan": "members.hospital_stays.total_cost_yuan",
    "out_of_catalog_yuan": "members.hospital_stays.out_of_catalog_yuan",
    "reimbursed_yuan": "members.hospital_stays.reimbursed_yuan",
}

FIELD_ZH: dict[str, str] = {
    **{name: FIELD_LABELS[path] for name, path in _CONTRACT_PATHS.items()},
    "year": "收入年度", "wage_income_yuan": "工资性收入", "production_income_yuan": "生产经营性收入",
    "transfer_income_yuan": "转移性收入", "property_income_yuan": "财产性收入",
    "join_reason": "加入原因", "end_reason": "减少原因", "ended_on": "减少日期",
    "member_id": "成员", "new_head_id": "新户主", "former_head_relation": "原户主与新户主的关系",
    "stay_id": "就医记录", "household_version": "版本", "key": "提交编号",
}

VALUE_ZH: dict[str, dict[str, str]] = {
    **{name: VALUE_LABELS[path] for name, path in _CONTRACT_PATHS.items() if path in VALUE_LABELS},
    "join_reason": {"birth": "出生", "married_in": "婚入", "moved_in": "迁入"},
    "end_reason": {"death": "死亡", "married_out": "婚出", "moved_out": "迁出", "split": "分户"},
    "former_head_relation": {k: v for k, v in VALUE_LABELS["members.relation"].items()
                             if k != "head"},
    "disability_grade": {"1": "一级", "2": "二级", "3": "三级", "4": "四级"},
}


def field_zh(name: str) -> str:
    return FIELD_ZH.get(name, name)


def value_zh(name: str, value: object) -> str:
    return VALUE_ZH.get(name, {}).get(str(value), str(value))
