"""The tables. Import from here: ``from casework.models import Household``."""

from sqlmodel import SQLModel

from .areas import AREA_LEVELS, Area
from .audit import AuditEvent
from .base import Money, Versioned, utcnow
from .households import HospitalStay, Household, IncomeRecord, Member
from .users import ROLES, User

metadata = SQLModel.metadata

__all__ = [
    "AREA_LEVELS",
    "Area",
    "AuditEvent",
    "HospitalStay",
    "Household",
    "IncomeRecord",
    "Member",
    "Money",
    "ROLES",
    "User",
    "Versioned",
    "metadata",
    "utcnow",
]
