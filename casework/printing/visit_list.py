"""The printable visit list of a spot-check sample (入户抽查走访清单): households grouped by
stratum with the head's name, village and address to find the home, the record's assessment at
the draw, and blank columns for the visit. No ID numbers, no illness details, no phone numbers
(none are stored)."""

from __future__ import annotations

import datetime as dt

from casework.sampling.queries import SamplePage
from casework.sampling.tables import STATUS_ZH
from casework.sampling.visits import DIMENSION_ZH

from .pdf import render_pdf
from .templating import render_template

__all__ = ["visit_list_html", "visit_list_pdf", "SHORT_DIMENSIONS"]

SHORT_DIMENSIONS = ("吃穿", "义务教育", "基本医疗", "住房安全", "饮水安全", "收入")
"""Column heads for the six dimensions (same order as ``rules.assessment.DIMENSIONS``)."""


def visit_list_html(page: SamplePage, printed_on: dt.date | None = None) -> str:
    sample = page.sample
    design = (f"{'按村' if sample.stratify == 'village' else '按乡镇'}分层"
              + (f"，每层至少{sample.per_stratum}户" if sample.per_stratum else "")
              + (f"，每层至少比例{sample.fraction}" if sample.fraction else "")
              + ("" if sample.overweight == "1" else f"，未达标户权重{sample.overweight}"))
    return render_template(
        "visit_list.html", page=page, sample=sample, frame=page.frame, design=design,
        status_zh=STATUS_ZH, dimensions=SHORT_DIMENSIONS, dimension_names=DIMENSION_ZH,
        printed_on=printed_on or dt.date.today(),
    )


def visit_list_pdf(page: SamplePage, printed_on: dt.date | None = None) -> bytes:
    return render_pdf(visit_list_html(page, printed_on))
