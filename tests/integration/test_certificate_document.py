"""The certificate document (casework.printing) over a real SQLite registry: content from the
rules engine, PDFs read back with poppler (pdftotext, pdffonts, pdftoppm) and zbarimg.

The registry is built here through the unit of work (areas of 南江县, a Bazhong county, and two
households: a typical six-member one and a nine-member one with many measures); it does not
import the web app, so these tests run whatever state the web package is in. Rendered pages are kept as PNGs under test-output/certificates/ (the same
git-ignored folder convention as the browser tests' screenshots) for people to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from casework.decision_view import pack_named
from casework import migrate
from casework.db import get_engine
from casework.ids import ResidentId, check_character
from casework.models import Area, DecisionRun, HospitalStay, Household, Member
from casework.printing import (CertificateContent, Stamp, certificate_content, certificate_pdf,
                               pdf_page_count)
from casework.printing.assembly import CHECKS
from casework.printing.document import print_rows
from casework.registry import to_snapshot
from casework.settings import PROJECT_ROOT
from casework.uow import UnitOfWork
from rules.decision import ELIGIBLE
from rules.engine import evaluate

LOCAL_PARAMS = PROJECT_ROOT / "casework" / "demo" / "local-params.yaml"
OUTPUT = PROJECT_ROOT / "test-output" / "certificates"
YEAR = 2018
ISSUED = dt.date(2018, 11, 20)
COUNTY = "511922"


@dataclass
class Registry:
    engine: Engine
    typical: int
    """Six members, at most twelve printed measure rows."""
    large: int
    """Nine members and many measures."""
    full_ids: list[str]


def stamp(serial: str = "511922-2018-000042", *, preview: bool = False) -> Stamp:
    return Stamp(serial=serial, check_code="ABCDEFGH", issued_on=ISSUED, issued_by_zh="张晓燕",
                 verify_url=f"http://127.0.0.1:8000/verify/{serial}?code=ABCDEFGH",
                 preview=preview)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    url = f"sqlite:///{tmp_path_factory.mktemp('certificates') / 'casework.db'}"
    migrate.upgrade(url)
    engine = get_engine(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEWORK_LOCAL_PARAMS", str(LOCAL_PARAMS))
        pack_named.cache_clear()
        with UnitOfWork("test:certificates", engine) as uow:
            village = _areas(uow)
            ids: list[str] = []
            typical = _typical_household(uow, village, ids)
            large = _large_household(uow, village, ids)
            uow.commit()
        yield Registry(engine, typical, large, ids)
    pack_named.cache_clear()


# --- households -----------------------------------------------------------------------------

def _areas(uow: UnitOfWork) -> Area:
    """四川省 › 巴中市 › 南江县 (pack bazhong-2018) › 关坝镇 › 五郎沟村; returns the village."""
    parent: Area | None = None
    for code, name, level in (("510000", "四川省", "province"), ("511900", "巴中市", "city"),
                              (COUNTY, "南江县", "county"), ("511922100", "关坝镇", "township"),
                              ("511922100002", "五郎沟村", "village")):
        parent = uow.add(Area(code=code, name=name, level=level,
                              parent_id=parent.id if parent else None,
                              pack="bazhong-2018" if level == "county" else None))
        uow.flush()
    assert parent is not None
    return parent


def resident_id(county: str, born: dt.date, sequence: int) -> str:
    first17 = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def _household(uow: UnitOfWork, village: Area, number: str, grade: str) -> Household:
    household = uow.add(Household(
        number=number, county_code=COUNTY, village_id=village.id, registered_poor=True,
        poverty_status="poor", dibao=True, economic_difficulty=True, poverty_causes=["因病"],
        per_capita_net_income_yuan=Decimal("2800.00"), housing_safety_grade=grade,
        housing_renovated=False, relocation_status="none", water_safe=True, food_secure=True,
        clothing_secure=True, pairing_cadre="南江县农业农村局 刘明"))
    uow.flush()
    return household


def _person(uow: UnitOfWork, household: Household, ids: list[str], key: str, name: str,
            born: dt.date, relation: str, sequence: int, **fields: object) -> Member:
    id_number = resident_id(COUNTY, born, sequence)
    ids.append(id_number)
    parsed = ResidentId.parse(id_number)
    values: dict[str, object] = {"medical_insurance": True, "critical_illness_insurance": True,
                                 "pension_insured": False, "labor": "none", "employment": "none"}
    member = uow.add(Member(
        household_id=household.id, county_code=COUNTY, member_key=key, name=name,
        id_number=id_number, id_last4=parsed.last4, sex=parsed.sex, birth_date=born,
        relation=relation, **{**values, **fields}))
    uow.flush()
    return member


def _pupil(stage: str, boarding: bool, fee: str | None = None, enrolled: int | None = None
           ) -> dict[str, object]:
    return {"school_stage": stage, "school_boarding": boarding, "school_public": True,
            "school_fee_yuan": Decimal(fee) if fee else None, "school_enrolled_year": enrolled}


def _typical_household(uow: UnitOfWork, village: Area, ids: list[str]) -> int:
    h = _household(uow, village, "511922100001-T001", "B")
    _person(uow, h, ids, "m1", "王德明", dt.date(1974, 5, 3), "head", 611, labor="normal",
            disability_grade=2, annual_income_yuan=Decimal("1200"))
    _person(uow, h, ids, "m2", "李秀英", dt.date(1976, 8, 9), "spouse", 622, labor="normal")
    _person(uow, h, ids, "m3", "王小军", dt.date(2008, 3, 1), "child", 633,
            **_pupil("primary", True))
    _person(uow, h, ids, "m4", "王小燕", dt.date(2005, 6, 2), "child", 644,
            **_pupil("junior", True))
    _person(uow, h, ids, "m5", "王大伟", dt.date(1999, 1, 5), "child", 655, labor="normal")
    _person(uow, h, ids, "m6", "张桂兰", dt.date(1946, 2, 7), "parent", 666)
    assert h.id is not None
    return h.id


def _large_household(uow: UnitOfWork, village: Area, ids: list[str]) -> int:
    h = _household(uow, village, "511922100001-L001", "C")
    head = _person(uow, h, ids, "m1", "赵永福", dt.date(1968, 4, 12), "head", 711,
                   labor="normal", disability_grade=1, annual_income_yuan=Decimal("900"))
    spouse = _person(uow, h, ids, "m2", "钱翠兰", dt.date(1970, 9, 30), "spouse", 722,
                     labor="normal")
    _person(uow, h, ids, "m3", "赵小花", dt.date(2014, 2, 2), "child", 734,
            **_pupil("preschool", False, fee="1800"))
    _person(uow, h, ids, "m4", "赵小明", dt.date(2009, 7, 7), "child", 745,
            **_pupil("primary", True))
    _person(uow, h, ids, "m5", "赵小刚", dt.date(2005, 3, 3), "child", 755,
            **_pupil("junior", True))
    _person(uow, h, ids, "m6", "赵春花", dt.date(2002, 10, 10), "child", 766,
            **_pupil("senior", True, fee="1600"))
    _person(uow, h, ids, "m7", "赵国华", dt.date(2000, 12, 1), "child", 777,
            **_pupil("vocational", True))
    _person(uow, h, ids, "m8", "赵建国", dt.date(1998, 6, 6), "child", 789,
            **_pupil("college", False, enrolled=2016))
    _person(uow, h, ids, "m9", "孙玉梅", dt.date(1940, 1, 20), "parent", 798,
            disability_grade=2)
    for member, month, total in ((head, 3, "9200.00"), (spouse, 7, "5600.00")):
        uow.add(HospitalStay(member_id=member.id, county_code=COUNTY, kind="inpatient",
                             admitted_on=dt.date(YEAR, month, 2), in_county=True,
                             hospital_level="county", public=True, diagnosis="肺炎",
                             total_cost_yuan=Decimal(total), out_of_catalog_yuan=Decimal("700"),
                             reimbursed_yuan=Decimal(total) * Decimal("0.7")))
    assert h.id is not None
    return h.id


# --- reading PDFs back ----------------------------------------------------------------------

def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


def flat(text: str) -> str:
    """pdftotext output (``-raw``: in drawing order, so a table cell's wrapped lines stay
    together) without spaces and line breaks."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


def page_png(pdf: bytes, name: str, page: int = 1, dpi: int = 110) -> Path:
    """Page ``page`` as a PNG kept under test-output/certificates/ (returns its path)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    source = OUTPUT / f"{name}.pdf"
    source.write_bytes(pdf)
    stem = OUTPUT / f"{name}-page{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", str(source), str(stem)], check=True)
    return stem.with_suffix(".png")


def engine_result(registry: Registry, household_id: int, on: dt.date):  # type: ignore[no-untyped-def]
    from casework.db import read_session

    with read_session(registry.engine) as s:
        household = s.get(Household, household_id)
        assert household is not None
        snapshot = to_snapshot(household)
    return evaluate(snapshot, pack_named("bazhong-2018"), on)


# --- content --------------------------------------------------------------------------------

def test_total_equals_the_engines_total_for_the_same_date(registry: Registry) -> None:
    for household_id in (registry.typical, registry.large):
        content = certificate_content(registry.engine, household_id, YEAR)
        result = engine_result(registry, household_id, content.computed_on)
        assert content.total_annual_yuan == result.total > 0
        assert content.total_annual_yuan == sum(
            (m.annual_yuan or Decimal(0) for m in content.measures if m.in_total), Decimal(0))
        shown = sorted((m.rule_id, m.annual_yuan) for m in content.measures)
        eligible = sorted((d.rule_id, d.annual_yuan) for d in result.decisions
                          if d.status == ELIGIBLE and d.rule_id not in CHECKS)
        assert shown == eligible


def test_the_year_is_judged_at_the_current_runs_date_or_the_years_last_day(
        registry: Registry) -> None:
    content = certificate_content(registry.engine, registry.typical, YEAR,
                                  today=dt.date(2026, 1, 1))
    assert content.computed_on == dt.date(YEAR, 12, 31)
    running = certificate_content(registry.engine, registry.typical, YEAR,
                                  today=dt.date(YEAR, 6, 1))
    assert running.computed_on == dt.date(YEAR, 6, 1)
    with UnitOfWork("test:certificates", registry.engine) as uow:
        run = uow.add(DecisionRun(county_code=COUNTY, pack="bazhong-2018", pack_version="2018.1",
                                  on_date=dt.date(YEAR, 9, 1), actor="test", status="current"))
        uow.commit()
    try:
        assert certificate_content(registry.engine, registry.typical, YEAR).computed_on == \
            dt.date(YEAR, 9, 1)
        assert certificate_content(registry.engine, registry.typical, 2019,
                                   today=dt.date(2026, 1, 1)).computed_on == dt.date(2019, 12, 31)
    finally:
        with UnitOfWork("test:certificates", registry.engine) as uow:
            uow.session.delete(uow.session.get(DecisionRun, run.id))
            uow.commit()


def test_a_year_before_the_pack_or_an_unknown_household_is_refused(registry: Registry) -> None:
    with pytest.raises(ValueError, match="不适用于2017年度"):
        certificate_content(registry.engine, registry.typical, 2017)
    with pytest.raises(LookupError):
        certificate_content(registry.engine, 987654, YEAR)


def test_content_survives_its_json_round_trip(registry: Registry) -> None:
    import json

    content = certificate_content(registry.engine, registry.large, YEAR)
    stored = json.loads(json.dumps(content.to_json(), sort_keys=True, ensure_ascii=False))
    assert CertificateContent.from_json(stored) == content
    with pytest.raises(ValueError):
        CertificateContent.from_json({**stored, "format": 99})


def test_members_are_masked_and_named_in_the_assessment(registry: Registry) -> None:
    content = certificate_content(registry.engine, registry.large, YEAR)
    assert [m.id_masked[-4:] for m in content.members] == \
        [i[-4:] for i in registry.full_ids[6:]]
    assert all(re.fullmatch(r"\*{14}[0-9X]{4}", m.id_masked) for m in content.members)
    housing = next(line for line in content.assessment if line.dimension_zh == "住房安全有保障")
    assert housing.status_zh == "未达标" and "危房" in housing.reason_zh
    assert content.assessment_zh == "存在未达标项"


# --- the PDF --------------------------------------------------------------------------------

def test_typical_household_fits_one_page_and_says_everything(registry: Registry,
                                                             tmp_path: Path) -> None:
    content = certificate_content(registry.engine, registry.typical, YEAR)
    assert len(content.members) == 6 and len([r for c in print_rows(content.measures, 6)
                                              for r in c.rows]) <= 12
    pdf = certificate_pdf([(content, stamp())])
    assert pdf_page_count(pdf) == 1
    _assert_says_everything(content, pdf_text(pdf, tmp_path), registry.full_ids)
    png = page_png(pdf, "typical-household")
    assert png.stat().st_size > 20_000


def test_large_household_flows_onto_a_second_page_with_the_header_repeated(
        registry: Registry, tmp_path: Path) -> None:
    content = certificate_content(registry.engine, registry.large, YEAR)
    assert len(content.members) == 9 and len(content.measures) > 30
    pdf = certificate_pdf([(content, stamp())])
    assert pdf_page_count(pdf) == 2
    text = pdf_text(pdf, tmp_path)
    _assert_says_everything(content, text, registry.full_ids)
    second = flat(text.split("\f")[1])
    assert "享受扶贫政策明白卡（续）" in second and "户主赵永福" in second
    assert "政策项目" in second and "年度金额（元）" in second  # the table's header row
    assert "人民政府（盖章）" in second  # the closing block is on the last page
    page_png(pdf, "large-household", page=1)
    page_png(pdf, "large-household", page=2)


def _assert_says_everything(content: CertificateContent, text: str, full_ids: list[str]) -> None:
    joined = flat(text)
    assert content.head_name in joined and content.household_number in joined
    for m in content.measures:
        assert m.measure_zh.replace(" ", "") in joined
        assert flat(m.section_zh) in joined and flat(m.document_zh) in joined
        if m.annual_yuan:
            assert f"{m.annual_yuan:,.2f}" in joined or _in_a_row_sum(m, content, joined)
    assert f"{content.total_annual_yuan:,.2f}" in joined
    for member in content.members:
        assert member.name in joined and member.id_masked in joined
    for full in full_ids:
        assert full not in joined and full[6:14] not in joined
    for secret in ("肺炎", "高血压", "残疾等级"):
        assert secret not in joined
    for word in ("户主签字", "经办人", "人民政府（盖章）", "证明编号", "两不愁三保障"):
        assert word in joined


def _in_a_row_sum(m, content: CertificateContent, joined: str) -> bool:  # type: ignore[no-untyped-def]
    """A measure merged with others of the same standard shows its per-person amount."""
    return m.amount_yuan is not None and f"{m.amount_yuan.normalize():f}" in joined


def test_fonts_are_noto_cjk_and_embedded(registry: Registry, tmp_path: Path) -> None:
    pdf = certificate_pdf([(certificate_content(registry.engine, registry.typical, YEAR),
                            stamp())])
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # emb column
    assert any("Noto-Sans-CJK-SC" in row[0] for row in fonts)


def test_qr_code_holds_the_verify_url_and_a_preview_has_none(registry: Registry,
                                                             tmp_path: Path) -> None:
    content = certificate_content(registry.engine, registry.typical, YEAR)
    issued = stamp("511922-2018-000077")
    png = page_png(certificate_pdf([(content, issued)]), "qr-issued", dpi=150)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                             text=True)
    assert decoded.stdout.strip() == issued.verify_url
    preview = replace(issued, serial="样张（未签发）", check_code="", preview=True)
    pdf = certificate_pdf([(content, preview)])
    png = page_png(pdf, "preview", dpi=150)
    none = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                          text=True)
    assert none.returncode != 0 and none.stdout == ""
    text = flat(pdf_text(pdf, tmp_path))
    assert "样张" in text and "不可核验" in text and "核验码" not in text

