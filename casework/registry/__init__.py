"""Stored households <-> the engine's :class:`rules.snapshot.Household`.

* :func:`to_snapshot` reads one stored household (active members ordered by id, each member's
  hospital stays ordered by id).
* :func:`apply_snapshot` creates or updates a household's rows from a snapshot, loss-free:
  ``to_snapshot(apply_snapshot(…, snap, …)) == canonical(snap)``.
* :func:`iter_snapshots` streams many households in pages (export, recompute).
* :func:`export_lines` / :func:`import_file`: the JSON Lines exchange format (calc-v1 household
  plus ``county_code``, ``township_code``, ``village_code``, ``pack``), behind
  ``casework export`` and ``casework import``.

Decisions where the brief left room:

* A member missing from a newer snapshot is **deactivated** (``active = False``), never deleted:
  the person moved, married out or died, and their record and audit history stay. A member key
  that comes back reactivates the same row (the key is unique per household, active or not).
* Hospital stays carry no key in the contract, so a member's stays are **replaced**: the leading
  stays that are unchanged keep their rows (and their non-contract ``diagnosis``); the rest are
  deleted and inserted anew.
* Only changed columns are written, so applying the same snapshot again writes nothing (no
  version bump, no audit event); any change also sets ``updated_at``.
* Member order: a new household's members are stored in the snapshot's order. Members already
  stored keep their registry (id) order when a snapshot lists them differently; new members
  follow them.
* A nested object with nothing recorded (``"housing": {}``) is stored as no object:
  :func:`canonical` gives the stored form.
* Values the contract allows but the columns cannot hold exactly (amounts finer than a fen or
  above ``Numeric(14, 2)``, over-long names and keys, NUL characters) are refused up front
  (:func:`storable_problems`), naming the field.
* ``Household.active`` is not part of the snapshot and is left alone.
"""

from casework.registry._apply import (
    ClaimedElsewhere, apply_snapshot, county_code_of, release_members,
)
from casework.registry._bulk import HouseholdInfo, Place, iter_snapshots, load_places
from casework.registry._import import ImportRefused, ImportResult, import_file
from casework.registry._jsonl import PLACE_KEYS, LineError, export_line, export_lines, read_lines
from casework.registry._mapping import UNSTORED, canonical, to_snapshot
from casework.registry._storable import MAX_MONEY, check_storable, storable_problems

__all__ = [
    "ClaimedElsewhere", "HouseholdInfo", "ImportRefused", "ImportResult", "LineError",
    "MAX_MONEY", "PLACE_KEYS", "Place", "UNSTORED", "apply_snapshot", "canonical",
    "check_storable", "county_code_of", "export_line", "export_lines", "import_file",
    "iter_snapshots", "load_places", "read_lines", "release_members", "storable_problems",
    "to_snapshot",
]
