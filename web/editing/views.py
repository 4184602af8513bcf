"""What an edit response shows: the form (new, or refused with the typed values and a message
per field), the saved result (recomputed decisions, changes highlighted) or the conflict screen
(both values side by side). Sync functions, run in a worker thread by the handlers."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlalchemy import Engine

from casework.decision_view import household_decisions
from casework.editing import DecisionChange, Saved, judging_date
from casework.ids import mask_detail
from casework.models import Household
from casework.queries import Account, HouseholdRecord, household_record
from casework.uow import NotFound

from .fields import Field
from .forms import FORMS, Form, Target, member_options

__all__ = ["Edit", "load", "form_view", "saved_view", "conflict_view", "new_key"]

EDITOR_ROLES = frozenset({"village_cadre", "township_staff"})


def new_key() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Edit:
    """One edit request: the form, the household as loaded, the row edited and the URLs."""

    form: Form
    record: HouseholdRecord
    target: Target
    path: dict[str, int]
    action: str
    fragment: bool
    on: dt.date
    """The date the household is judged at (its county's current run, else today)."""

    @property
    def household(self) -> Household:
        return self.record.household

    @property
    def back(self) -> str:
        return f"/households/{self.household.id}"

    def fields(self) -> tuple[Field, ...]:
        return tuple(self._resolved(f) for f in self.form.fields)

    def groups(self) -> list[tuple[str, tuple[Field, ...]]]:
        return [(legend, tuple(self._resolved(f) for f in group))
                for legend, group in self.form.groups]

    def _resolved(self, field: Field) -> Field:
        if field.kind != "member":
            return field
        return field.with_options(member_options(self.household,
                                                 skip_head=field.name == "new_head_id"))


def load(engine: Engine, account: Account, slug: str, household_id: int, path: dict[str, int],
         action: str, fragment: bool) -> Edit:
    """The edit's household (in the user's area) and target row; 404 otherwise."""
    record = household_record(engine, account, household_id)
    if record is None:
        raise NotFoundException("household not found")
    try:
        target = _target(record.household, path)
    except NotFound:
        raise NotFoundException("row not found") from None
    on = judging_date(engine, record.household.county_code, _today())
    return Edit(FORMS[slug], record, target, path, action, fragment, on)


def _target(household: Household, path: Mapping[str, int]) -> Target:
    if "member_id" in path:
        for m in household.members:
            if m.id == path["member_id"] and m.active:
                return m
        raise NotFound("member")
    if "stay_id" in path:
        for m in household.members:
            for s in m.hospital_stays if m.active else ():
                if s.id == path["stay_id"]:
                    return s
        raise NotFound("stay")
    return None


def _today() -> dt.date:
    return dt.date.today()


def _base(edit: Edit, account: Account) -> dict[str, Any]:
    household = edit.household
    head = next((m for m in household.members if m.active and m.relation == "head"), None)
    target = edit.target
    return {
        "account": account, "edit": edit, "form": edit.form, "household": household,
        "head_name": head.name if head else None, "village_name": edit.record.village_name,
        "target_name": getattr(target, "name", None),
        "target_id_masked": mask_detail(getattr(target, "id_number", None)),
        "today": _today().isoformat(),
    }


def _render(edit: Edit, name: str, context: dict[str, Any], status: int = 200) -> Template:
    if edit.fragment:
        return Template(f"editing/_{name}.html", context=context, status_code=status)
    return Template("editing/page.html", context={**context, "view": name}, status_code=status)


def form_view(edit: Edit, account: Account, values: Mapping[str, str] | None = None,
              errors: Mapping[str, str] | None = None, version: int | None = None,
              key: str | None = None, status: int = 200) -> Template:
    on = edit.on
    context = _base(edit, account) | {
        "groups": edit.groups(),
        "values": dict(values) if values is not None else edit.form.current(
            edit.household, edit.target, on),
        "errors": dict(errors or {}), "version": version or edit.household.version,
        "key": key or new_key(),
    }
    return _render(edit, "form", context, status)


def saved_view(engine: Engine, account: Account, edit: Edit, saved: Saved) -> Template:
    record = household_record(engine, account, edit.household.id or 0)
    if record is None:
        raise NotFoundException("household not found")
    household = record.household
    names = {m.member_key: m.name for m in household.members}
    context = _base(edit, account) | {
        "household": household, "saved": saved,
        "decisions": household_decisions(engine, household),
        "changed": {(c.rule_id, c.member_key): c for c in saved.changes if c.kind != "removed"},
        "change_lines": [_change_line(c, names) for c in saved.changes],
    }
    return _render(edit, "saved", context)


def _change_line(change: DecisionChange, names: Mapping[str, str | None]) -> dict[str, Any]:
    who = names.get(change.member_key or "") or ("全户" if not change.member_key else change.member_key)
    return {"change": change, "who": who}


def conflict_view(engine: Engine, account: Account, edit: Edit, mine: Mapping[str, str],
                  key: str) -> Template:
    """Both values of every field that differs, the form posting again at the new version."""
    try:
        now = load(engine, account, edit.form.slug, edit.household.id or 0, edit.path,
                   edit.action, edit.fragment)
    except NotFoundException:
        context = _base(edit, account) | {"gone": True, "diffs": [], "same": []}
        return _render(edit, "conflict", context, 409)
    theirs = now.form.current(now.household, now.target, now.on)
    diffs, same = [], []
    for field in now.fields():
        mine_raw = (mine.get(field.name) or "").strip()
        if field.name == "id_number" or mine_raw == theirs.get(field.name, mine_raw):
            same.append((field.name, mine_raw))
        else:
            diffs.append({"field": field, "mine": mine_raw, "theirs": theirs[field.name],
                          "mine_shown": _shown(field, mine_raw),
                          "theirs_shown": _shown(field, theirs[field.name])})
    context = _base(now, account) | {"gone": False, "diffs": diffs, "same": same,
                                     "version": now.household.version, "key": key}
    return _render(now, "conflict", context, 409)


def _shown(field: Field, raw: str) -> str:
    if raw == "":
        return "未填写"
    return dict(field.options).get(raw, raw)
