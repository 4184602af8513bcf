"""Chinese words printed on paper for the codes the registry and the rules engine store.

``casework`` may not import ``web`` (where the screens' labels live), so paper keeps its own
small vocabulary; the words are the same as on screen.
"""

from __future__ import annotations

__all__ = [
    "RELATION_ZH", "SEX_ZH", "PER_ZH", "PAYER_ZH", "CATEGORY_ZH", "DIMENSION_ZH", "VERDICT_ZH",
    "ASSESSMENT_ZH", "UNRECORDED", "word",
]

UNRECORDED = "未登记"

RELATION_ZH = {
    "head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
    "grandchild": "孙子女", "sibling": "兄弟姐妹", "other": "其他",
}
SEX_ZH = {"M": "男", "F": "女"}
PER_ZH = {"year": "每年", "month": "每月", "day": "每天", "once": "一次性", "episode": "每次就医"}
PAYER_ZH = {"government": "政府", "hospital": "医疗机构承担", "bank": "银行贷款"}
CATEGORY_ZH = {
    "education": "教育扶贫", "medical": "健康扶贫", "social": "社会保障",
    "relocation": "易地扶贫搬迁", "housing": "住房保障", "jobs": "就业扶贫", "finance": "金融扶贫",
}
DIMENSION_ZH = {
    "food_clothing": "不愁吃、不愁穿", "compulsory_education": "义务教育有保障",
    "basic_medical": "基本医疗有保障", "housing": "住房安全有保障",
    "drinking_water": "饮水安全有保障", "income": "收入达标",
}
VERDICT_ZH = {"pass": "达标", "fail": "未达标", "unknown": "待核实"}
ASSESSMENT_ZH = {"meets": "两不愁三保障达标", "fails": "存在未达标项", "unknown": "部分情况待核实"}


def word(table: dict[str, str], code: str | None) -> str:
    """The Chinese word for ``code``; 未登记 when nothing is recorded, the code when unknown."""
    if code is None or code == "":
        return UNRECORDED
    return table.get(code, code)
