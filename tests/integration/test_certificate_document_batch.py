"""Several households in one PDF: each from a new page, in order, also when the batch is split
over worker processes and the parts are joined (casework.printing.parallel)."""

from __future__ import annotations

import re
from pathlib import Path

from casework.printing import certificate_content, certificate_pdf, pdf_page_count
from tests.integration.test_certificate_document import (YEAR, Registry, pdf_fonts, pdf_text,
                                                         registry, stamp)

__all__ = ["registry"]  # the module fixture, shared


def test_one_pdf_for_several_households_each_from_a_new_page(registry: Registry,
                                                             tmp_path: Path) -> None:
    typical = certificate_content(registry.engine, registry.typical, YEAR)
    large = certificate_content(registry.engine, registry.large, YEAR)
    pdf = certificate_pdf([(typical, stamp("511922-2018-000001")), (large, stamp("511922-2018-000002")),
                           (typical, stamp("511922-2018-000003"))])
    pages = pdf_text(pdf, tmp_path).split("\f")
    assert pdf_page_count(pdf) == 4
    assert "王德明" in pages[0] and "511922-2018-000001" in pages[0]
    assert "赵永福" in pages[1] and "赵永福" in pages[2] and "王德明" not in pages[2]
    assert "511922-2018-000003" in pages[3]


def test_a_long_batch_on_two_workers_gives_the_same_pages_in_order(registry: Registry,
                                                                  tmp_path: Path) -> None:
    typical = certificate_content(registry.engine, registry.typical, YEAR)
    large = certificate_content(registry.engine, registry.large, YEAR)
    items = [(content, stamp(f"511922-2018-{n:06d}"))
             for n, content in enumerate((typical, large, typical, large, typical), start=1)]
    pdf = certificate_pdf(items, workers=2)
    assert pdf_page_count(pdf) == 7
    pages = pdf_text(pdf, tmp_path).split("\f")[:7]
    serials = [re.findall(r"511922-2018-(\d{6})", page) for page in pages]
    assert [set(found) for found in serials] == [{"000001"}, {"000002"}, {"000002"}, {"000003"},
                                                 {"000004"}, {"000004"}, {"000005"}]
    assert any("Noto-Sans-CJK-SC" in row[0] for row in pdf_fonts(pdf, tmp_path))
