"""Log lines never carry a resident ID number."""

from __future__ import annotations

import logging

import pytest

from web.logs import RedactIds, redact

ID = "51192219650101001X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"id={ID} end", "id=511922********001X end"),
        ("legacy 511922650101001 here", "legacy 511922*****1001 here"),
        (f"path /households/{ID.lower()}", "path /households/511922********001x"),
        ("household 42, page 3, year 2018", "household 42, page 3, year 2018"),
    ],
)
def test_redact_masks_id_shaped_runs_only(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_filter_masks_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("casework.test.redact")
    handler_filter = RedactIds()
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    keep.addFilter(handler_filter)
    logger.addHandler(keep)
    try:
        logger.warning("member %s refused", ID)
        try:
            raise ValueError(f"bad id {ID}")
        except ValueError:
            logger.exception("while saving")
    finally:
        logger.removeHandler(keep)
    formatted = "\n".join(logging.Formatter().format(r) for r in records)
    assert ID not in formatted and "511922********001X" in formatted
    assert "ValueError" in formatted
