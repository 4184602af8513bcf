"""The spot-check pages: who may see them, the draw form's refusals, a sample's page, redraw and
verify, the printed visit list and the exports (no ID numbers anywhere)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from casework.db import read_session
from casework.models import AuditEvent
from casework.models.inspection import Sample
from tests.integration.test_sampling_world import (  # noqa: F401  (fixtures)
    COUNTY, draw_on_web, ssessions, sworld,
)
from tests.integration.test_web_world import Sessions, World, csrf_token

SampledWorld = tuple[World, dict[str, str]]


def _samples(world: World) -> int:
    with read_session(world.engine) as s:
        return int(s.scalar(select(func.count()).select_from(Sample)) or 0)


@pytest.mark.parametrize("username", ["cadre", "township"])
def test_other_roles_are_refused(ssessions: Sessions, username: str) -> None:
    client = ssessions(username)
    assert client.get("/inspect/samples").status_code == 403
    form = {"_csrf_token": csrf_token(client), "area": COUNTY, "stratify": "village",
            "per_stratum": "2", "seed": "x"}
    assert client.post("/inspect/samples", data=form).status_code == 403


def test_inspector_of_another_county_gets_not_found(sworld: SampledWorld,
                                                    ssessions: Sessions) -> None:
    sample_id = draw_on_web(ssessions("inspector"))
    other = ssessions("inspector_tj")
    household_id = next(iter(sworld[0].households.values()))
    for path in ("", "/verify", "/pdf", "/json", "/export/households?format=csv",
                 f"/visits/{household_id}"):
        assert other.get(f"/inspect/samples/{sample_id}{path}").status_code == 404, path
    assert f"第{sample_id}号" not in other.get("/inspect/samples").text
    form = {"_csrf_token": csrf_token(other), "area": COUNTY, "stratify": "village",
            "per_stratum": "2", "seed": "x"}
    before = _samples(sworld[0])
    refused = other.post("/inspect/samples", data=form)
    assert refused.status_code == 422 and "只能在本区县内抽样" in refused.text
    assert _samples(sworld[0]) == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("per_stratum", "abc", "每层户数"),
    ("fraction", "2", "抽样比例"),
    ("overweight", "0.5", "未达标户加权"),
    ("seed", "", "随机种子"),
    ("stratify", "parish", "分层方式"),
])
def test_draw_form_refuses_bad_input_and_keeps_it(sworld: SampledWorld, ssessions: Sessions,
                                                  field: str, value: str, message: str) -> None:
    client = ssessions("inspector")
    form = {"_csrf_token": csrf_token(client), "area": COUNTY, "stratify": "village",
            "per_stratum": "2", "fraction": "", "overweight": "1", "seed": "keep-me",
            field: value}
    before = _samples(sworld[0])
    answer = client.post("/inspect/samples", data=form)
    assert answer.status_code == 422
    assert message in answer.text and "没有抽样" in answer.text
    if field != "seed":
        assert 'value="keep-me"' in answer.text
    assert _samples(sworld[0]) == before


def test_a_double_submitted_draw_makes_one_sample(sworld: SampledWorld,
                                                  ssessions: Sessions) -> None:
    client = ssessions("admin")
    key = "draw-key-0123456789abcdef"
    first = draw_on_web(client, key=key, seed="twice")
    before = _samples(sworld[0])
    assert draw_on_web(client, key=key, seed="twice") == first
    assert _samples(sworld[0]) == before


def test_sample_page_lists_households_by_stratum(sworld: SampledWorld,
                                                 ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, per_stratum="4", seed="page")
    page = client.get(f"/inspect/samples/{sample_id}")
    assert page.status_code == 200
    numbers = re.findall(r'data-number="([^"]+)"', page.text)
    assert len(numbers) == 4 + 4 + 4  # 小田村 30, 五郎沟村 5, 凤凰村 4
    for stratum in ("小田村", "五郎沟村", "凤凰村"):
        assert f"{stratum} <span" in page.text
    assert all(world.head_of[n] in page.text for n in numbers)
    assert not any(i in page.text for i in world.full_ids)
    assert "page" in page.text and "39 户在册户" in page.text
    listing = client.get("/inspect/samples").text
    assert f'href="/inspect/samples/{sample_id}"' in listing


def test_redraw_and_verify_says_it_matches(ssessions: Sessions) -> None:
    client = ssessions("inspector")
    sample_id = draw_on_web(client, overweight="4", fraction="0.2", seed="verify")
    page = client.get(f"/inspect/samples/{sample_id}/verify")
    assert page.status_code == 200
    assert 'data-verified="yes"' in page.text and "不一致" not in page.text.split("如何自行核验")[0]


def test_visit_list_pdf_has_the_households_and_no_id_numbers(
        sworld: SampledWorld, ssessions: Sessions, tmp_path: Path) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, per_stratum="2", seed="pdf")
    answer = client.get(f"/inspect/samples/{sample_id}/pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    path = tmp_path / "list.pdf"
    path.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    numbers = re.findall(r'data-number="([^"]+)"', client.get(f"/inspect/samples/{sample_id}").text)
    assert numbers and all(n in text for n in numbers)
    assert all(world.head_of[n] in text for n in numbers)
    assert "走访结果" in text and "走访人签字" in text
    assert not any(i in text or i[-6:] in text for i in world.full_ids)
    assert "高血压" not in text and "肺炎" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK" in fonts
    with read_session(world.engine) as s:
        printed = s.scalar(select(func.count()).where(
            AuditEvent.action == "export", AuditEvent.entity_id == str(sample_id),
            AuditEvent.detail == "走访清单 pdf"))
    assert printed == 1


def test_exports_are_chinese_masked_and_audited(sworld: SampledWorld,
                                                ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, per_stratum="2", seed="export")
    csv = client.get(f"/inspect/samples/{sample_id}/export/households?format=csv")
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert body.startswith("层,抽中顺序,户编号,户主")
    assert len(body.strip().splitlines()) == 1 + 6
    xlsx = client.get(f"/inspect/samples/{sample_id}/export/visits?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == ["户编号", "户主", "村"]
    frame = client.get(f"/inspect/samples/{sample_id}/export/frame?format=csv")
    assert len(frame.content.decode("utf-8-sig").strip().splitlines()) == 1 + 39
    for answer in (csv, xlsx, frame):
        assert not any(i in answer.content.decode("latin-1") for i in world.full_ids)
    assert client.get(f"/inspect/samples/{sample_id}/export/households?format=pdf"
                      ).status_code == 400
    with read_session(world.engine) as s:
        exports = s.scalar(select(func.count()).where(
            AuditEvent.action == "export", AuditEvent.entity == "inspection_samples",
            AuditEvent.entity_id == str(sample_id)))
    assert exports == 3


def test_an_odd_seed_is_shown_escaped_and_printed(ssessions: Sessions) -> None:
    client = ssessions("inspector")
    seed = '<b>x</b>"\\&种子'
    sample_id = draw_on_web(client, per_stratum="1", seed=seed)
    page = client.get(f"/inspect/samples/{sample_id}").text
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert client.get(f"/inspect/samples/{sample_id}/json").json()["seed"] == seed
    assert client.get(f"/inspect/samples/{sample_id}/pdf").status_code == 200
    assert 'data-verified="yes"' in client.get(f"/inspect/samples/{sample_id}/verify").text


def test_an_auditor_redoes_the_draw_from_the_exported_frame(ssessions: Sessions) -> None:
    """Only the frame CSV, the JSON and the documented recipe: no project code."""
    import csv
    import hashlib
    import hmac
    import math

    client = ssessions("admin")
    sample_id = draw_on_web(client, per_stratum="2", fraction="0.3", overweight="2.5",
                            seed="审计")
    document = client.get(f"/inspect/samples/{sample_id}/json").json()
    exported = client.get(f"/inspect/samples/{sample_id}/export/frame?format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]
    lines = sorted("\t".join(row) + "\n" for row in rows)
    text = f"casework-frame-v1\narea {document['area']['code']}\n" + "".join(lines)
    key = hashlib.sha256(text.encode()).hexdigest()
    assert key == document["frame"]["key"]
    strata: dict[str, list[tuple[str, bool]]] = {}
    for number, village, _township, status in rows:
        strata.setdefault(village, []).append((number, status == "fails"))
    redone = {}
    for village, members in strata.items():
        k = min(len(members), max(2, math.ceil(len(members) * 3 / 10)))
        keyed = []
        for number, failing in members:
            d = hmac.new("审计".encode(), f"{key}|{number}".encode(), hashlib.sha256).digest()
            u = ((int.from_bytes(d[:8], "big") >> 12) * 2 + 1) / 2**53
            keyed.append((-math.log(u) / (2.5 if failing else 1), number))
        redone[village] = [n for _, n in sorted(keyed)[:k]]
    assert redone == {code: s["households"] for code, s in document["strata"].items()}
