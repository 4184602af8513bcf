"""Issuing, superseding and verifying certificates on SQLite and PostgreSQL (issue 5): the
record is immutable (the database refuses UPDATE and DELETE), its hash matches its content,
every issue is audited, a repeated submission issues once, concurrent issues get distinct
serials, and verification tells genuine and current, genuine but superseded, and not genuine
apart — the last the same for a wrong code, an unknown serial and a row changed behind the
system's back. A batch stores one PDF. One world per database for the module; each test uses
its own households."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from casework.certificates import (
    BatchNotFound, BatchRequest, CertificateRefused, CertificateSettings, HouseholdNotFound,
    NotAllowed, batch_pdf, check_code, content_hash, issue_certificate, records_of, run_batch,
    start_batch, verify,
)
from casework.certificates.codes import pretty_code
from casework.db import forget_engines, get_engine, read_session
from casework.models import Area, AuditEvent
from casework.models.certificates import Certificate, CertificateBatch, CertificateBatchPdf
from tests.integration.certificate_support import (
    account, build_certificate_world, issuer, pdf_pages,
)
from tests.integration.test_web_world import World

SECRET = "certificate-test-secret-" + "x" * 20
FENGHUANG = "5119221010010036"
"""A household of 凤凰村 (桥亭镇): outside 关坝镇's township staff's area."""


def xiaotian(n: int) -> str:
    """Household number ``n`` (1–30) of 小田村 (关坝镇, 南江县)."""
    return f"5119221000010{n:03d}"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def cw(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        url, server = f"sqlite:///{tmp_path_factory.mktemp('certs') / 'c.db'}", None
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database()
    world = build_certificate_world(url)
    yield world
    get_engine(url).dispose()
    if server is not None:
        forget_engines()
        server.drop_database(url)


def serials_of(cw: World, number: str) -> list[str]:
    with read_session(cw.engine) as s:
        return list(s.scalars(select(Certificate.serial).where(
            Certificate.household_id == cw.households[number]).order_by(Certificate.id)))


def test_issue_stores_an_immutable_audited_record_whose_hash_matches(cw: World) -> None:
    household_id = cw.households[xiaotian(1)]
    issued = issue_certificate(cw.engine, issuer(cw, "township"), household_id, 2018)
    record = issued.certificate
    assert not issued.repeated and record.current and record.intact
    assert record.serial.startswith("511922-2018-")
    assert (record.household_id, record.policy_year, record.pack) == (household_id, 2018,
                                                                      "bazhong-2018")
    assert record.content["head_name"] == cw.head_of[xiaotian(1)]
    assert record.content_hash == content_hash(
        serial=record.serial, household_id=household_id, household_number=xiaotian(1),
        policy_year=2018, pack=record.pack, pack_version=record.pack_version,
        issued_by="township", issued_by_name="测试township", issued_at=record.issued_at,
        content=record.content)
    assert record.issued_by == "township" and record.issued_by_name == "测试township"
    with read_session(cw.engine) as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.entity == "certificates",
                                                   AuditEvent.entity_id == str(record.id))).all()
    assert [(a.action, a.actor) for a in audit] == [("create", "township")]
    assert audit[0].after["serial"] == record.serial
    for statement in ("UPDATE certificates SET policy_year = 2017", "DELETE FROM certificates"):
        with pytest.raises(Exception, match="immutable"):
            with cw.engine.begin() as conn:
                conn.execute(text(statement))
    with read_session(cw.engine) as s:
        assert s.scalar(select(Certificate.policy_year).where(Certificate.id == record.id)) == 2018


def test_reissue_supersedes_the_old_certificate_which_stays(cw: World) -> None:
    household_id = cw.households[xiaotian(2)]
    who = issuer(cw, "township")
    first = issue_certificate(cw.engine, who, household_id, 2018).certificate
    other_year = issue_certificate(cw.engine, who, household_id, 2019).certificate
    second = issue_certificate(cw.engine, who, household_id, 2018).certificate
    assert int(second.serial[-6:]) > int(first.serial[-6:])
    assert other_year.serial.startswith("511922-2019-")
    with read_session(cw.engine) as s:
        shown = {r.serial: r for r in records_of(s, household_id)}
    assert [r for r in shown] == [second.serial, other_year.serial, first.serial]
    assert shown[first.serial].superseded_by == second.serial
    assert shown[first.serial].superseded_at == second.issued_at
    assert shown[second.serial].current and shown[other_year.serial].current
    assert shown[first.serial].content == first.content and shown[first.serial].intact


def test_verification_says_current_superseded_or_not_genuine(cw: World) -> None:
    number = xiaotian(3)
    who = issuer(cw, "township")
    old = issue_certificate(cw.engine, who, cw.households[number], 2018).certificate
    old_code = check_code(SECRET, old.serial, old.content_hash)
    now = verify(cw.engine, SECRET, old.serial, pretty_code(old_code).lower())
    assert now.state == "current"
    head = cw.head_of[number]
    assert now.head_name_masked == head[0] + "*" * (len(head) - 2) + head[-1]
    assert (now.township_zh, now.policy_year) == ("关坝镇", 2018)
    assert now.total_annual_yuan == old.content["total_annual_yuan"]
    new = issue_certificate(cw.engine, who, cw.households[number], 2018).certificate
    later = verify(cw.engine, SECRET, old.serial, old_code)
    assert later.state == "superseded" and later.superseded_on == new.issued_on
    new_code = check_code(SECRET, new.serial, new.content_hash)
    assert verify(cw.engine, SECRET, new.serial, new_code).state == "current"
    wrong = verify(cw.engine, SECRET, new.serial, old_code)
    unknown = verify(cw.engine, SECRET, "511922-2018-999999", new_code)
    other_key = verify(cw.engine, "another-secret-" + "y" * 30, new.serial, new_code)
    assert wrong == unknown == other_key and wrong.state == "not_genuine"
    assert wrong.township_zh == wrong.head_name_masked == wrong.total_annual_yuan == ""


def test_a_repeated_submission_key_issues_once(cw: World) -> None:
    household_id = cw.households[xiaotian(4)]
    who = issuer(cw, "township")
    key = "k" * 24
    first = issue_certificate(cw.engine, who, household_id, 2018, key=key)
    again = issue_certificate(cw.engine, who, household_id, 2018, key=key)
    assert again.repeated and again.certificate.serial == first.certificate.serial
    assert serials_of(cw, xiaotian(4)) == [first.certificate.serial]
    with pytest.raises(CertificateRefused):  # the key belongs to another household's issue
        issue_certificate(cw.engine, who, cw.households[xiaotian(5)], 2018, key=key)
    assert serials_of(cw, xiaotian(5)) == []


def test_cadres_cannot_issue_and_other_areas_are_not_found(cw: World) -> None:
    target = cw.households[xiaotian(6)]
    with pytest.raises(NotAllowed):
        issue_certificate(cw.engine, issuer(cw, "cadre"), target, 2018)
    with pytest.raises(NotAllowed):
        issue_certificate(cw.engine, issuer(cw, "inspector"), target, 2018)
    with pytest.raises(HouseholdNotFound):
        issue_certificate(cw.engine, issuer(cw, "township"), cw.households[FENGHUANG], 2018)
    with pytest.raises(HouseholdNotFound):
        issue_certificate(cw.engine, issuer(cw, "cadre"), cw.households[FENGHUANG], 2018)
    with pytest.raises(CertificateRefused, match="政策年度"):
        issue_certificate(cw.engine, issuer(cw, "township"), target, 2031)
    with pytest.raises(CertificateRefused, match="不适用于2017年度"):  # before the pack
        issue_certificate(cw.engine, issuer(cw, "township"), target, 2017)
    assert serials_of(cw, xiaotian(6)) == serials_of(cw, FENGHUANG) == []


def test_concurrent_issues_get_distinct_serials(cw: World) -> None:
    """Four households of one county issued at once: PostgreSQL's numbering collisions are
    retried, SQLite's writers queue; either way every serial is different."""
    who = issuer(cw, "township")
    numbers = [xiaotian(n) for n in range(12, 16)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        issued = list(pool.map(
            lambda n: issue_certificate(cw.engine, who, cw.households[n], 2020), numbers))
    serials = sorted(i.certificate.serial for i in issued)
    assert serials == [f"511922-2020-{k:06d}" for k in range(1, 5)]


def test_a_batch_stores_one_pdf_with_a_page_per_household(cw: World, tmp_path: Path) -> None:
    township = account(cw, "township")
    with read_session(cw.engine) as s:
        village = s.scalar(select(Area.id).where(Area.code == "511922100002"))
    chosen = sorted(cw.households[n] for n in cw.numbers_in("511922100002"))[:2]
    request = BatchRequest(village or 0, 2018, "issue", chosen, "db-batch-key-0123456789")
    batch_id, new = start_batch(cw.engine, township, "township", "测试township", request)
    assert new and start_batch(cw.engine, township, "township", "测试township",
                               request) == (batch_id, False)
    run_batch(cw.engine, batch_id, CertificateSettings(SECRET, None))
    pdf = batch_pdf(cw.engine, township, batch_id)
    assert pdf is not None and pdf_pages(pdf, tmp_path) >= 2
    with read_session(cw.engine) as s:
        row = s.get(CertificateBatch, batch_id)
        stored = s.get(CertificateBatchPdf, batch_id)
        issued = s.scalar(select(func.count()).select_from(Certificate)
                          .where(Certificate.batch_id == batch_id))
    assert row is not None and row.status == "done" and row.certificates == issued == 2
    assert stored is not None and stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    with pytest.raises(BatchNotFound):
        batch_pdf(cw.engine, account(cw, "cadre"), batch_id)  # another village's batch


def test_a_row_changed_behind_the_systems_back_is_not_genuine(cw: World) -> None:
    record = issue_certificate(cw.engine, issuer(cw, "township"), cw.households[xiaotian(7)],
                               2018).certificate
    code = check_code(SECRET, record.serial, record.content_hash)
    forged = {**record.content, "total_annual_yuan": "99999.00"}
    postgres = cw.engine.dialect.name == "postgresql"
    guard_off = ("ALTER TABLE certificates DISABLE TRIGGER certificates_no_change" if postgres
                 else "DROP TRIGGER certificates_no_update")
    guard_on = ("ALTER TABLE certificates ENABLE TRIGGER certificates_no_change" if postgres
                else "CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates "
                     "BEGIN SELECT RAISE(ABORT, 'certificates are immutable'); END")
    with cw.engine.begin() as conn:
        conn.execute(text(guard_off))
        conn.execute(Certificate.__table__.update()
                     .where(Certificate.__table__.c.id == record.id).values(content=forged))
        conn.execute(text(guard_on))
    assert verify(cw.engine, SECRET, record.serial, code).state == "not_genuine"
