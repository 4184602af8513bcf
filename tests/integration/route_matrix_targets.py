"""What the route matrix (test_route_matrix.py) fills a route's path parameters with: a
household of a given village with a member, a hospital stay, an income record and a received
measure, and, only for the routes that name them, a certificate, a print batch and a
spot-check sample holding it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from casework.certificates import BatchRequest, Issuer, issue_certificate, start_batch
from casework.db import read_session
from casework.ids import ResidentId
from casework.models import Area, HospitalStay, Household, IncomeRecord, Member
from casework.models.received_measures import ReceivedMeasure
from casework.uow import UnitOfWork
from tests.integration.test_sampling_world import sample_covering
from tests.integration.test_web_world import World, resident_id

__all__ = ["Target", "TARGET_FIELDS", "EXTRAS", "Households"]


@dataclass(frozen=True)
class Target:
    """Ids of one household's rows, by the path parameter names that name them."""

    household_id: int
    member_id: int
    stay_id: int
    income_id: int
    year: int
    serial: str = ""
    """A certificate of the household (only for routes that name one)."""
    batch_id: int = 0
    """A print batch of the household's village (only for routes that name one)."""
    sample_id: int = 0
    """A spot-check sample holding the household (only for routes that name one)."""
    area_code: str = ""
    """The household's village."""
    measure_id: int = 0
    """A measure the household receives (its received-measures record)."""
    list_name: str = "missed"
    """An inspector's list (应享未享; not area-bound, the list is limited to the user's area)."""


TARGET_FIELDS = frozenset({"household_id", "member_id", "stay_id", "income_id",
                           "income_record_id", "year", "serial", "batch_id", "sample_id",
                           "area_code", "measure_id"})
EXTRAS = frozenset({"serial", "batch_id", "sample_id"})
"""Parameters whose rows are made only for the routes that name them (they cost a draw or a
certificate each)."""


class Households:
    """Fresh households (two members, a hospital stay, an income record) built through the
    unit of work, and one kept per village for reads."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.serial = itertools.count(1)
        with read_session(world.engine) as s:
            self.villages = {a.code: a.id for a in s.scalars(select(Area)
                                                             .where(Area.level == "village"))}
        self.kept: dict[str, Target] = {}
        self.kept_extended: dict[tuple[str, frozenset[str]], Target] = {}
        with UnitOfWork("test:matrix", world.engine) as uow:  # certificates need a policy pack
            for county in uow.session.scalars(select(Area).where(Area.level == "county")):
                county.pack = "bazhong-2018"
            uow.commit()

    def target(self, village: str, fresh: bool, params: tuple[str, ...]) -> Target:
        """A household of ``village`` (new for writes) with the rows ``params`` name."""
        needs = frozenset(params) & EXTRAS
        if not needs:
            return self.fresh(village) if fresh else self.for_reading(village)
        if not fresh and (village, needs) in self.kept_extended:
            return self.kept_extended[(village, needs)]
        target = self.fresh(village)
        if needs & {"serial", "batch_id"}:
            target = self._certified(village, target)
        if "sample_id" in needs:
            target = dataclasses.replace(
                target, sample_id=sample_covering(self.world.engine, target.household_id))
        if not fresh:
            self.kept_extended[(village, needs)] = target
        return target

    def _certified(self, village: str, target: Target) -> Target:
        with read_session(self.world.engine) as s:
            county_id = s.scalar(select(Area.id).where(Area.code == village[:6]))
        admin = _Admin(role="county_admin", area_id=county_id or 0)
        issued = issue_certificate(self.world.engine, Issuer("test:matrix", "矩阵", admin),
                                   target.household_id, 2018)
        batch_id, _ = start_batch(self.world.engine, admin, "test:matrix", "矩阵", BatchRequest(
            self.villages[village], 2018, "reprint", [target.household_id],
            f"matrix-{target.household_id:08d}-batch"))
        return dataclasses.replace(target, serial=issued.certificate.serial, batch_id=batch_id)

    def for_reading(self, village: str) -> Target:
        if village not in self.kept:
            self.kept[village] = self.fresh(village)
        return self.kept[village]

    def fresh(self, village: str) -> Target:
        n = next(self.serial)
        county = village[:6]
        with UnitOfWork("test:matrix", self.world.engine) as uow:
            household = uow.add(Household(
                number=f"M{village}{n:04d}", county_code=county,
                village_id=self.villages[village], registered_poor=True, poverty_status="poor"))
            uow.flush()
            born = dt.date(1950, 1, 1) + dt.timedelta(days=41 * n)
            head = self._member(uow, household, "m1", resident_id(county, born, 801), "head")
            child_born = dt.date(2006, 1, 1) + dt.timedelta(days=n)
            self._member(uow, household, "m2", resident_id(county, child_born, 802), "child")
            uow.flush()
            stay = uow.add(HospitalStay(member_id=head.id, county_code=county, kind="inpatient",
                                        admitted_on=dt.date(2018, 3, 2), in_county=True,
                                        total_cost_yuan=Decimal("1000.00")))
            income = uow.add(IncomeRecord(household_id=household.id, county_code=county,
                                          year=2017, total_net_income_yuan=Decimal("5000.00")))
            received = uow.add(ReceivedMeasure(
                household_id=household.id, county_code=county, member_id=head.id,
                rule_id="SOC-BZ-07", amount_yuan=Decimal("600.00"), since=dt.date(2018, 1, 1),
                payer="县残联", created_by="test:matrix"))
            uow.flush()
            target = Target(household.id or 0, head.id or 0, stay.id or 0, income.id or 0, 2017,
                            area_code=village, measure_id=received.id or 0)
            uow.commit()
        return target

    @staticmethod
    def _member(uow: UnitOfWork, household: Household, key: str, id_number: str,
                relation: str) -> Member:
        parsed = ResidentId.parse(id_number)
        return uow.add(Member(
            household_id=household.id, county_code=household.county_code, member_key=key,
            name=f"矩阵{key}", id_number=id_number, id_last4=parsed.last4, sex=parsed.sex,
            birth_date=parsed.birth_date, relation=relation))


@dataclass(frozen=True)
class _Admin:
    """The scope of the county's administrator, for issuing certificates in fixtures."""

    role: str
    area_id: int
