"""What each household or member actually receives (the payment record), its use cases, the
spreadsheet import and demo data. See :mod:`casework.models.received_measures` for the table."""

from .catalog import Catalog, Measure, catalog_for_county, catalog_for_pack
from .listing import ReceivedLine, member_choices, received_entry, received_lines
from .records import (
    EDITOR_ROLES, AddReceived, EditReceived, EndReceived, RemoveReceived, Saved, save_received,
)
from .validation import FIELD_LABELS, Entry, MemberChoice, check_entry, parse_date

__all__ = [
    "Catalog", "Measure", "catalog_for_county", "catalog_for_pack", "ReceivedLine",
    "member_choices", "received_entry", "received_lines", "EDITOR_ROLES", "AddReceived",
    "EditReceived", "EndReceived", "RemoveReceived", "Saved", "save_received", "FIELD_LABELS",
    "Entry", "MemberChoice", "check_entry", "parse_date",
]
