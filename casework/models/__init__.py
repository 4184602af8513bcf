"""The tables. Import from here: ``from casework.models import Household``."""

from sqlmodel import SQLModel

from .areas import AREA_LEVELS, Area
from .audit import AuditEvent
from .base import Money, Versioned, utcnow
from .decisions import RUN_STATUSES, DecisionRun, StoredAssessment, StoredDecision
from .households import HospitalStay, Household, IncomeRecord, Member
from .submissions import Submission
from .web_sessions import WebSession
from . import certificates, inspection, received_measures, tallies  # noqa: F401  (register tables)
from .users import ROLES, User

metadata = SQLModel.metadata

__all__ = [
    "AREA_LEVELS",
    "Area",
    "AuditEvent",
    "DecisionRun",
    "HospitalStay",
    "Household",
    "IncomeRecord",
    "Member",
    "Money",
    "ROLES",
    "RUN_STATUSES",
    "StoredAssessment",
    "StoredDecision",
    "Submission",
    "User",
    "Versioned",
    "WebSession",
    "metadata",
    "utcnow",
]
