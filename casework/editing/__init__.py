"""A cadre's edits of a household (issue 4): commands, checks and use cases.

``save(engine, user, actor, command)`` is the one entry: it applies a command in one unit of work
(compare-and-swap on the household's version, audit, recompute into the county's current run,
idempotent on the form's one-time key) and returns :class:`Saved`.
"""

from casework.editing.checks import CHOICES
from casework.editing.commands import (
    ACTIONS, END_REASONS, JOIN_REASONS, AddMember, ChangeHead, Command, CorrectStay,
    EditMember, EndMembership, RecordIncome, RecordStay, RemoveStay, UpdateFacts,
)
from casework.editing.errors import FORM, ValidationFailed
from casework.editing.labels import FIELD_ZH, VALUE_ZH, field_zh, value_zh
from casework.editing.refresh import DecisionChange, judging_date
from casework.editing.service import KEY_PATTERN, Saved, save

__all__ = [
    "ACTIONS", "CHOICES", "END_REASONS", "FIELD_ZH", "FORM", "JOIN_REASONS", "KEY_PATTERN",
    "VALUE_ZH", "AddMember", "ChangeHead", "Command", "CorrectStay", "DecisionChange",
    "EditMember", "EndMembership", "RecordIncome", "RecordStay", "RemoveStay", "Saved",
    "UpdateFacts", "ValidationFailed", "field_zh", "judging_date", "save", "value_zh",
]
