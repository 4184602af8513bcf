"""Serial numbers, content hashes and check codes of certificates.

* **Serial** ``CCCCCC-YYYY-NNNNNN``: the county code, the policy year and a sequence within them,
  e.g. ``511922-2018-000042`` — easy to read out over the phone and to type. Serials alone are
  guessable on purpose: what makes a certificate verifiable is the check code.
* **Content hash**: SHA-256 (hex) of the canonical JSON (sorted keys, no spaces, UTF-8) of the
  serial, household, policy year, pack, issuer (username and printed name), issue time and the
  printed content: everything the paper shows.
* **Check code**: the first 8 characters of HMAC-SHA256(key, serial | content hash) in a
  32-letter alphabet without 0/O/1/I (40 bits), printed as ``ABCD-EFGH`` and accepted in any
  case, with or without the dash or spaces. The key is derived from ``CASEWORK_SECRET_KEY``
  (the web app's secret), which the web app and the command line both read: a certificate
  issued by one verifies on the other. Rotating the secret invalidates every printed code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from typing import Any

__all__ = [
    "SERIAL_PATTERN", "CODE_ALPHABET", "CODE_LENGTH", "format_serial", "canonical_json",
    "content_hash", "check_code", "check_code_matches", "normalise_code", "pretty_code",
    "is_serial", "KEY_PATTERN",
]

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""A form's one-time submission key (as in ``casework.editing``)."""
SERIAL_PATTERN = re.compile(r"^(\d{6})-(\d{4})-(\d{6})$")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_KEY_LABEL = b"casework certificate check code v1"


def format_serial(county_code: str, year: int, sequence: int) -> str:
    return f"{county_code}-{year:04d}-{sequence:06d}"


def is_serial(text: str) -> bool:
    return bool(SERIAL_PATTERN.match(text))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(
    *, serial: str, household_id: int, household_number: str, policy_year: int, pack: str,
    pack_version: str, issued_by: str, issued_by_name: str, issued_at: dt.datetime,
    content: dict[str, Any],
) -> str:
    """The hash stored with (and recomputable from) a certificate row."""
    document = {
        "serial": serial, "household_id": household_id, "household_number": household_number,
        "policy_year": policy_year, "pack": pack, "pack_version": pack_version,
        "issued_by": issued_by, "issued_by_name": issued_by_name,
        "issued_at": _utc_text(issued_at), "content": content,
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), _KEY_LABEL, hashlib.sha256).digest()


def check_code(secret: str, serial: str, digest: str) -> str:
    """The 8-character check code of a certificate (without the dash)."""
    mac = hmac.new(_key(secret), f"{serial}|{digest}".encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(mac[:5], "big")  # 40 bits, 5 per character
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def normalise_code(text: str) -> str:
    """What a person typed (any case, with dashes or spaces) as a bare code, or '' when it
    cannot be a code."""
    bare = re.sub(r"[\s\-]", "", text or "").upper()
    if len(bare) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in bare):
        return ""
    return bare


def check_code_matches(secret: str, serial: str, digest: str, typed: str) -> bool:
    expected = check_code(secret, serial, digest)
    return hmac.compare_digest(expected, normalise_code(typed) or "-" * CODE_LENGTH)


def pretty_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
