"""The unit of work on both databases: rolls back unless committed; every committed row change
is audited in the same transaction (actor, UTC time, entity, id, before/after, ID numbers
masked); stale edits are refused with both versions; id/version cannot be set; no password hash
or full ID number ever reaches the audit trail; one active household per resident ID."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from casework.db import get_engine, read_session
from casework.models import AuditEvent, Household, Member, User
from casework.passwords import hash_password
from casework.uow import NotFound, StaleVersion, UnitOfWork
from tests.support.storage import (
    COUNTY, audit_rows, audit_text, seed_household, seed_village, valid_id,
)

FULL_ID = re.compile(r"[0-9]{17}[0-9Xx]")


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


@pytest.fixture
def shanghai_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with a local time 8 hours off UTC, so a local timestamp cannot pass for UTC."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _count(engine: Engine, model: type) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _as_utc(at: dt.datetime) -> dt.datetime:
    """SQLite hands timestamps back without a zone (stored as UTC); PostgreSQL with one."""
    return at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at


def _member(household_id: int, key: str, id_number: str | None, active: bool = True) -> Member:
    return Member(household_id=household_id, county_code=COUNTY, member_key=key,
                  id_number=id_number, id_last4=id_number[-4:] if id_number else None,
                  active=active)


# --- rolls back unless committed -------------------------------------------------------------

def test_without_commit_nothing_is_saved(engine: Engine) -> None:
    village = seed_village(engine)
    events_before = len(audit_rows(engine))
    with UnitOfWork("cadre1", engine) as uow:
        uow.add(Household(number="H-9", county_code=COUNTY, village_id=village))
        uow.flush()  # the row and its audit event exist inside the transaction
        assert len(audit_rows(engine)) == events_before  # …but not outside it
    assert _count(engine, Household) == 0
    assert len(audit_rows(engine)) == events_before


def test_an_exception_rolls_everything_back(engine: Engine) -> None:
    household_id = seed_household(engine)
    events_before = len(audit_rows(engine))
    with pytest.raises(RuntimeError, match="boom"):
        with UnitOfWork("cadre1", engine) as uow:
            household = uow.get(Household, household_id)
            uow.update(household, expected_version=1, address="新地址")
            uow.add(_member(household_id, "m1", valid_id(1)))
            uow.flush()
            raise RuntimeError("boom")
    with read_session(engine) as s:
        household = s.get(Household, household_id)
        assert (household.address, household.version) == (None, 1)
    assert _count(engine, Member) == 0
    assert len(audit_rows(engine)) == events_before


def test_a_failed_commit_leaves_no_row_and_no_audit_event(engine: Engine) -> None:
    seed_household(engine, number="H-1")
    village = seed_village(engine)
    events_before = len(audit_rows(engine))
    with pytest.raises(IntegrityError):
        with UnitOfWork("cadre1", engine) as uow:
            uow.add(Household(number="H-2", county_code=COUNTY, village_id=village))
            uow.add(Household(number="H-1", county_code=COUNTY, village_id=village))  # duplicate
            uow.commit()
    assert _count(engine, Household) == 1
    assert len(audit_rows(engine)) == events_before


def test_a_unit_of_work_needs_an_actor(engine: Engine) -> None:
    with pytest.raises(ValueError):
        UnitOfWork("", engine)


def test_get_of_a_missing_row_is_not_found(engine: Engine) -> None:
    with UnitOfWork("cadre1", engine) as uow, pytest.raises(NotFound):
        uow.get(Household, 424242)


# --- the audit trail ------------------------------------------------------------------------

def test_create_update_delete_are_audited_with_actor_utc_time_and_changes(
    engine: Engine, shanghai_clock: None
) -> None:
    village = seed_village(engine)
    started = dt.datetime.now(dt.timezone.utc)
    with UnitOfWork("cadre-create", engine) as uow:
        household = uow.add(Household(number="H-7", county_code=COUNTY, village_id=village))
        uow.flush()
        uow.add(_member(household.id, "m1", valid_id(11)))  # type: ignore[arg-type]
        uow.commit()
    household_id, member_id = household.id, _only_member_id(engine)
    with UnitOfWork("cadre-update", engine) as uow:
        household = uow.get(Household, household_id)
        uow.update(household, expected_version=1, address="五郎沟村3组", dibao=True)
        uow.commit()
    with UnitOfWork("cadre-delete", engine) as uow:
        uow.delete(uow.get(Member, member_id), expected_version=1)
        uow.commit()
    finished = dt.datetime.now(dt.timezone.utc)

    events = [e for e in audit_rows(engine) if e["actor"].startswith("cadre-")]
    assert [(e["actor"], e["action"], e["entity"], e["entity_id"]) for e in events] == [
        ("cadre-create", "create", "households", str(household_id)),
        ("cadre-create", "create", "members", str(member_id)),
        ("cadre-update", "update", "households", str(household_id)),
        ("cadre-delete", "delete", "members", str(member_id)),
    ]
    for event in events:
        assert started - dt.timedelta(seconds=1) <= _as_utc(event["at"]) <= finished
        assert event["county_code"] == COUNTY
    created, _, updated, deleted = events
    assert created["before"] is None and created["after"]["number"] == "H-7"
    assert created["after"]["id"] == household_id
    changed = {k for k in updated["after"]}
    assert changed == {"address", "dibao", "updated_at", "version"}
    assert (updated["before"]["address"], updated["after"]["address"]) == (None, "五郎沟村3组")
    assert (updated["before"]["dibao"], updated["after"]["dibao"]) == (None, True)
    assert (updated["before"]["version"], updated["after"]["version"]) == (1, 2)
    assert deleted["before"]["member_key"] == "m1" and deleted["after"] is None
    assert deleted["before"]["id_number"] == "*" * 14 + valid_id(11)[-4:]


def _only_member_id(engine: Engine) -> int:
    with read_session(engine) as s:
        return s.scalars(select(Member.id)).one()


def test_orphaned_and_cascaded_deletes_are_audited(engine: Engine) -> None:
    household_id = seed_household(engine)
    with UnitOfWork("cadre1", engine) as uow:
        household = uow.get(Household, household_id)
        household.members.extend(
            [_member(household_id, "m1", valid_id(21)), _member(household_id, "m2", None)]
        )
        uow.commit()
    with UnitOfWork("cadre-orphan", engine) as uow:
        household = uow.get(Household, household_id)
        household.members.remove(household.members[1])  # delete-orphan
        uow.commit()
    with UnitOfWork("cadre-cascade", engine) as uow:
        uow.delete(uow.get(Household, household_id), expected_version=1)
        uow.commit()
    assert _count(engine, Member) == 0 and _count(engine, Household) == 0
    deletes = [(e["actor"], e["entity"]) for e in audit_rows(engine, action="delete")]
    assert sorted(deletes) == [
        ("cadre-cascade", "households"), ("cadre-cascade", "members"), ("cadre-orphan", "members")
    ]


def test_an_update_that_changes_nothing_bumps_nothing_and_audits_nothing(engine: Engine) -> None:
    household_id = seed_household(engine, address="老地址")
    with UnitOfWork("cadre1", engine) as uow:
        uow.update(uow.get(Household, household_id), expected_version=1, address="老地址")
        uow.commit()
    with read_session(engine) as s:
        assert s.get(Household, household_id).version == 1
    assert audit_rows(engine, action="update") == []


def test_no_full_id_number_anywhere_in_the_audit_trail(engine: Engine) -> None:
    household_id = seed_household(engine)
    first, second, third = valid_id(31), valid_id(32), valid_id(33, born="20100505")
    with UnitOfWork("cadre1", engine) as uow:
        uow.add(_member(household_id, "m1", first))
        uow.add(_member(household_id, "m2", second))
        uow.commit()
    with UnitOfWork("cadre1", engine) as uow:
        member = uow.session.scalars(select(Member).where(Member.member_key == "m1")).one()
        uow.update(member, expected_version=1, id_number=third, id_last4=third[-4:],
                   name=f"张三（原号{first}）")  # an ID typed into free text as well
        uow.record("reveal", "members", entity_id=str(member.id), detail=f"查看 {second}")
        uow.commit()
    with UnitOfWork("cadre1", engine) as uow:
        member = uow.session.scalars(select(Member).where(Member.member_key == "m2")).one()
        uow.delete(member, expected_version=1)
        uow.commit()

    rows = audit_text(engine)
    assert len(rows) >= 6
    leaks = [row for row in rows if FULL_ID.search(row)]
    assert leaks == []
    masked = " ".join(rows)
    for id_number in (first, second, third):
        assert "*" * 14 + id_number[-4:] in masked  # masked, but still traceable by last four


def test_password_hashes_never_reach_the_audit_trail(engine: Engine) -> None:
    village = seed_village(engine)
    first_hash, second_hash = hash_password("correct horse"), hash_password("battery staple")
    with UnitOfWork("admin", engine) as uow:
        user = uow.add(User(username="cadre9", display_name="李四", password_hash=first_hash,
                            role="village_cadre", area_id=village))
        uow.commit()
    with UnitOfWork("admin", engine) as uow:
        uow.update(uow.get(User, user.id), expected_version=1, password_hash=second_hash)
        uow.commit()
    with UnitOfWork("admin", engine) as uow:
        uow.delete(uow.get(User, user.id), expected_version=2)
        uow.commit()
    events = audit_rows(engine, entity="users")
    assert [e["action"] for e in events] == ["create", "update", "delete"]
    assert events[1]["after"]["password_hash"] == "***"  # the change itself is recorded
    for row in audit_text(engine):
        assert first_hash not in row and second_hash not in row
        assert "$argon2" not in row


# --- compare-and-swap on version ------------------------------------------------------------

def test_a_stale_update_is_refused_with_both_versions_and_changes_nothing(engine: Engine) -> None:
    household_id = seed_household(engine)
    with read_session(engine) as s:
        seen_version = s.get(Household, household_id).version  # the form was opened at v1
    with UnitOfWork("cadre-a", engine) as uow:
        uow.update(uow.get(Household, household_id), expected_version=seen_version, address="甲")
        uow.commit()
    with pytest.raises(StaleVersion) as caught:
        with UnitOfWork("cadre-b", engine) as uow:
            household = uow.get(Household, household_id)
            uow.update(household, expected_version=seen_version, address="乙")
            uow.commit()
    stale = caught.value
    assert (stale.entity, stale.entity_id, stale.expected, stale.actual) == (
        "households", household_id, 1, 2)
    assert "第1版" in stale.message_zh and "第2版" in stale.message_zh
    with read_session(engine) as s:
        household = s.get(Household, household_id)
        assert (household.address, household.version) == ("甲", 2)
    assert [e["actor"] for e in audit_rows(engine, action="update")] == ["cadre-a"]


def test_a_stale_delete_is_refused(engine: Engine) -> None:
    household_id = seed_household(engine)
    with UnitOfWork("cadre-a", engine) as uow:
        uow.update(uow.get(Household, household_id), expected_version=1, address="甲")
        uow.commit()
    with pytest.raises(StaleVersion) as caught:
        with UnitOfWork("cadre-b", engine) as uow:
            uow.delete(uow.get(Household, household_id), expected_version=1)
            uow.commit()
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert _count(engine, Household) == 1
    assert audit_rows(engine, action="delete") == []


@pytest.mark.postgres
def test_a_conflict_found_by_the_database_is_a_stale_version(pg_url: str) -> None:
    """Without the FOR UPDATE lock the in-memory check passes; the UPDATE … WHERE version = ?
    then hits no row, and that too comes back as StaleVersion with both versions."""
    engine = get_engine(pg_url)
    household_id = seed_household(engine)
    with pytest.raises(StaleVersion) as caught:
        with UnitOfWork("cadre-b", engine) as uow:
            household = uow.get(Household, household_id, for_update=False)
            with UnitOfWork("cadre-a", engine) as other:
                other.update(other.get(Household, household_id), expected_version=1, address="甲")
                other.commit()
            uow.update(household, expected_version=1, address="乙")
            uow.commit()
    assert (caught.value.entity, caught.value.expected, caught.value.actual) == ("households", 1, 2)
    with read_session(engine) as s:
        assert s.get(Household, household_id).address == "甲"
    assert [e["actor"] for e in audit_rows(engine, action="update")] == ["cadre-a"]


@pytest.mark.parametrize("field", ["id", "version", "members", "no_such_field", "model_dump"])
def test_update_refuses_fields_that_are_not_plain_columns(engine: Engine, field: str) -> None:
    household_id = seed_household(engine)
    with UnitOfWork("cadre1", engine) as uow:
        household = uow.get(Household, household_id)
        with pytest.raises(AttributeError, match=field):
            uow.update(household, expected_version=1, address="被拒绝", **{field: 99})
        assert household.address is None  # nothing of the refused call was applied
        uow.commit()
    with read_session(engine) as s:
        household = s.get(Household, household_id)
        assert (household.id, household.version, household.address) == (household_id, 1, None)
    assert audit_rows(engine, action="update") == []


# --- one active household per resident ID ---------------------------------------------------

def test_a_resident_id_is_active_in_one_household_only(engine: Engine) -> None:
    first = seed_household(engine, number="H-1")
    second = seed_household(engine, number="H-2")
    person = valid_id(41)
    with UnitOfWork("cadre1", engine) as uow:
        uow.add(_member(first, "m1", person))
        uow.commit()
    with pytest.raises(IntegrityError):
        with UnitOfWork("cadre1", engine) as uow:
            uow.add(_member(second, "m1", person))
            uow.commit()
    with UnitOfWork("cadre1", engine) as uow:  # the person moves: old row inactive, new active
        old = uow.session.scalars(select(Member).where(Member.household_id == first)).one()
        uow.update(old, expected_version=1, active=False)
        uow.add(_member(second, "m1", person))
        uow.commit()
    with UnitOfWork("cadre1", engine) as uow:  # inactive duplicates are history, allowed
        uow.add(_member(first, "m2", person, active=False))
        uow.commit()
    with read_session(engine) as s:
        rows = s.execute(select(Member.household_id, Member.active)
                         .where(Member.id_number == person).order_by(Member.id)).all()
    assert [tuple(r) for r in rows] == [(first, False), (second, True), (first, False)]
    assert _count(engine, AuditEvent) > 0


def test_sqlite_writers_of_a_process_take_turns_without_the_busy_handler(sqlite_url: str) -> None:
    """A second unit of work waits for the first to finish (woken at once, not by SQLite's
    sleeping busy handler), and a failed one lets the next go."""
    import threading

    engine = get_engine(sqlite_url)
    order: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with UnitOfWork("test:first", engine) as uow:
            uow.record("test", "turns", detail="first")  # takes SQLite's write lock
            first_in.set()
            time.sleep(0.3)
            order.append("first commits")
            uow.commit()

    def second() -> None:
        first_in.wait(5)
        with UnitOfWork("test:second", engine) as uow:
            order.append("second begins")
            uow.record("test", "turns", detail="second")
            uow.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert order == ["first commits", "second begins"]
    with pytest.raises(RuntimeError), UnitOfWork("test:fails", engine):
        raise RuntimeError("a use case failed")
    done = threading.Thread(target=lambda: UnitOfWork("test:after", engine).__enter__().__exit__())
    done.start()
    done.join(5)
    assert not done.is_alive()  # the failed unit of work gave its turn back
    with read_session(engine) as s:
        written = list(s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "turns")
                                 .order_by(AuditEvent.id)))
    assert written == ["first", "second"]
