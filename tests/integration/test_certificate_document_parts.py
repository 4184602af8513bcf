"""Pieces of the certificate document that need no database: merging decisions into printed
rows, money in capitals, the evaluation date, the assessment's reasons per dimension, and a
certificate with nothing to list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from casework.printing import CertificateContent, CertificateMeasure, certificate_pdf, pdf_page_count
from casework.printing.assembly import _assessment_lines, evaluation_date
from casework.printing.document import print_rows
from casework.printing.money import rmb_upper
from rules.assessment import DIMENSIONS, Assessment
from tests.integration.test_certificate_document import flat, pdf_text, stamp


def measure(rule: str, member: str | None, amount: str, per: str = "每年",
            period: str = "2018年度", payer: str = "政府") -> CertificateMeasure:
    value = Decimal(amount)
    return CertificateMeasure(
        rule_id=rule, measure_zh=f"措施{rule}", member_name=member, amount_yuan=value,
        per_zh=per, annual_yuan=value * (12 if per == "每月" else 1), period_zh=period,
        payer_zh=payer, document_zh="巴委办〔2018〕11号", section_zh="某专项 一、", category_zh="教育扶贫",
        in_total=payer == "政府")


def test_same_standard_decisions_share_a_row_and_a_whole_household_is_named_so() -> None:
    rows = print_rows([
        measure("A", "甲", "180"), measure("A", "乙", "180"), measure("A", "丙", "180"),
        measure("B", "甲", "180"), measure("B", "乙", "200"),
        measure("C", None, "0"), measure("D", "甲", "0", per="每次就医", period="2018年3月就医"),
        measure("D", "甲", "0", per="每次就医", period="2018年5月就医"),
        measure("E", "乙", "8000", payer="银行贷款"),
    ], household_size=3)[0].rows
    assert [(r.measure_zh, r.who_zh, r.standard_zh, r.annual_yuan) for r in rows] == [
        ("措施A", "全家 3 人", "每人每年 180 元", Decimal(540)),
        ("措施B", "甲", "每年 180 元", Decimal(180)),
        ("措施B", "乙", "每年 200 元", Decimal(200)),
        ("措施C", "全户", "按规定享受", None),
        ("措施D", "甲", "2 次就医，按规定享受", None),
        ("措施E", "乙", "每年 8000 元", Decimal(8000)),
    ]
    assert rows[-1].note_zh == "银行贷款，不计入合计" and rows[0].note_zh == ""


def test_two_of_three_members_are_named() -> None:
    row = print_rows([measure("A", "甲", "100"), measure("A", "乙", "100")], 3)[0].rows[0]
    assert row.who_zh == "甲、乙（2人）" and row.standard_zh == "每人每年 100 元"


@pytest.mark.parametrize("amount, capitals", [
    ("8809.64", "捌仟捌佰零玖元陆角肆分"), ("100", "壹佰元整"), ("0", "零元整"),
    ("1005", "壹仟零伍元整"), ("10010", "壹万零壹拾元整"), ("20304.07", "贰万零叁佰零肆元零柒分"),
    ("1000000", "壹佰万元整"), ("0.5", "伍角"),
])
def test_money_in_capitals(amount: str, capitals: str) -> None:
    assert rmb_upper(Decimal(amount)) == capitals


def test_the_evaluation_date_of_a_policy_year() -> None:
    assert evaluation_date(dt.date(2018, 9, 1), 2018, dt.date(2026, 1, 1)) == dt.date(2018, 9, 1)
    assert evaluation_date(dt.date(2018, 9, 1), 2019, dt.date(2026, 1, 1)) == dt.date(2019, 12, 31)
    assert evaluation_date(None, 2018, dt.date(2018, 3, 5)) == dt.date(2018, 3, 5)
    assert evaluation_date(None, 2020, dt.date(2018, 3, 5)) == dt.date(2020, 1, 1)


def test_each_dimension_gets_its_own_reasons_with_members_named() -> None:
    dims = dict.fromkeys(DIMENSIONS, "pass") | {
        "compulsory_education": "fail", "basic_medical": "fail", "housing": "unknown"}
    reasons = ("成员 m2 为义务教育阶段失学辍学儿童", "成员 m3 为义务教育阶段失学辍学儿童",
               "成员 m1 未参加城乡居民医保", "成员 m2 未参加城乡居民医保", "未记录住房安全等级")
    lines = _assessment_lines(Assessment(dims, "fails", reasons),
                              {"m1": "张三", "m2": "李四", "m3": "王五"})
    by_name = {line.dimension_zh: line for line in lines}
    assert by_name["义务教育有保障"].reason_zh == \
        "成员李四为义务教育阶段失学辍学儿童；成员王五为义务教育阶段失学辍学儿童"
    assert by_name["基本医疗有保障"].reason_zh == "成员张三未参加城乡居民医保；成员李四未参加城乡居民医保"
    assert by_name["住房安全有保障"] == ("住房安全有保障", "待核实", "未记录住房安全等级")
    assert by_name["收入达标"] == ("收入达标", "达标", "")


def test_a_household_with_nothing_to_list_still_gets_its_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = CertificateContent(
        county_zh="南江县", township_zh="关坝镇", village_zh="五郎沟村", household_number="H-1",
        head_name="张三", members=(), measures=(), total_annual_yuan=Decimal(0), assessment=(),
        assessment_zh="部分情况待核实", pairing_cadre="未登记", policy_year=2018,
        pack="bazhong-2018", pack_version="2018.1", pack_title_zh="巴中", computed_on=dt.date(2018, 12, 31))
    pdf = certificate_pdf([(content, stamp())])
    assert pdf_page_count(pdf) == 1
    text = flat(pdf_text(pdf, tmp_path))
    assert "本年度暂无享受的政策项目" in text and "零元整" in text and "已作废" not in text
    void = certificate_pdf([(content, dataclasses.replace(stamp(), superseded=True))])
    assert "已作废（已重新签发）" in flat(pdf_text(void, tmp_path, "void"))
