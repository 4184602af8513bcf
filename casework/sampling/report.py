"""A draw as stable JSON: what ``casework sample`` prints and what the web page offers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, select

from casework.db import read_session
from casework.models import Area

from .design import decimal_text
from .draw import ALGORITHM
from .frame import FRAME_FORMAT
from .store import Drawn

__all__ = ["draw_document", "dumps", "area_names"]


def area_names(engine: Engine, codes: list[str]) -> dict[str, str]:
    with read_session(engine) as s:
        return dict(s.execute(select(Area.code, Area.name).where(Area.code.in_(codes))).all())


def draw_document(drawn: Drawn, names: Mapping[str, str],
                  sample_id: int | None = None) -> dict[str, Any]:
    """Sorted, self-describing: the frame key, the seed, the design and the numbers drawn per
    stratum in rank order."""
    design = drawn.request.design
    document: dict[str, Any] = {
        "algorithm": ALGORITHM,
        "area": {"code": drawn.frame.area_code, "name": names.get(drawn.frame.area_code, "")},
        "frame": {"format": FRAME_FORMAT, "key": drawn.frame.key,
                  "households": len(drawn.frame.entries), "failing": drawn.frame.failing},
        "seed": drawn.request.seed,
        "parameters": {
            "stratify": design.stratify, "per_stratum": design.per_stratum,
            "fraction": None if design.fraction is None else decimal_text(design.fraction),
            "overweight_failing": decimal_text(design.overweight),
        },
        "strata": {
            code: {"name": names.get(code, ""), "frame_households": drawn.sizes[code],
                   "households": list(numbers)}
            for code, numbers in drawn.strata.items()
        },
        "households_drawn": sum(len(v) for v in drawn.strata.values()),
    }
    if sample_id is not None:
        document["sample_id"] = sample_id
    return document


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2)
