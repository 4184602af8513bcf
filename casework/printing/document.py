"""The certificate as paper: content plus stamp (serial, check code, QR) to HTML and to PDF.

All households of a batch go into ONE HTML document (one WeasyPrint layout pass), each starting
on a new page. On paper, decisions that differ only in the member (e.g. the medical premium paid
for each of six people) share one row naming everyone, with the per-person standard and the
row's sum; every decision's amount and clause still appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rules.decision import yuan_text

from .content import CertificateContent, CertificateMeasure
from .parallel import chunked, join_pdfs, render_chunks, workers_available
from .pdf import render_pdf
from .qr import qr_png_data_url
from .templating import render_template

__all__ = ["Stamp", "PrintRow", "CategoryRows", "print_rows", "certificate_html",
           "certificate_pdf"]


@dataclass(frozen=True)
class Stamp:
    """What issuing adds to the content: serial, check code, issue date, issuer, QR address.
    A ``preview`` (样张) prints with a watermark and neither QR code nor check code."""

    serial: str
    check_code: str
    issued_on: dt.date
    issued_by_zh: str
    verify_url: str
    preview: bool
    superseded: bool = False

    @property
    def check_code_zh(self) -> str:
        code = self.check_code
        return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


@dataclass(frozen=True)
class PrintRow:
    measure_zh: str
    who_zh: str
    standard_zh: str
    annual_yuan: Decimal | None
    """The row's yearly sum; None for an entitlement without money."""
    document_zh: str
    section_zh: str
    note_zh: str
    """Payer remark for what is not counted in the total (loans, hospital-borne costs)."""


@dataclass(frozen=True)
class CategoryRows:
    category_zh: str
    rows: tuple[PrintRow, ...]


def _group_key(m: CertificateMeasure) -> tuple[object, ...]:
    """Decisions sharing this key print as one row. A service without money merges over members
    and hospital stays alike; money merges only when amount and period are the same."""
    if not m.has_money:
        return (m.rule_id, m.per_zh, m.payer_zh, m.in_total, m.member_name is None)
    return (m.rule_id, m.amount_yuan, m.per_zh, m.period_zh, m.payer_zh, m.in_total,
            m.member_name is None)


def print_rows(measures: Sequence[CertificateMeasure],
               household_size: int = 0) -> tuple[CategoryRows, ...]:
    """The measures as printed rows, consecutive same-standard decisions merged, by category.
    A row covering every one of ``household_size`` (> 1) members says 全家 N 人."""
    groups: list[list[CertificateMeasure]] = []
    for m in measures:
        if groups and _group_key(groups[-1][0]) == _group_key(m):
            groups[-1].append(m)
        else:
            groups.append([m])
    by_category: dict[str, list[PrintRow]] = {}
    for group in groups:
        by_category.setdefault(group[0].category_zh, []).append(_row(group, household_size))
    return tuple(CategoryRows(c, tuple(rows)) for c, rows in by_category.items())


def _row(group: list[CertificateMeasure], household_size: int) -> PrintRow:
    first = group[0]
    names = list(dict.fromkeys(m.member_name for m in group if m.member_name))
    who = _who(names, household_size)
    annuals = [m.annual_yuan for m in group if m.annual_yuan is not None]
    annual = sum(annuals, Decimal(0)) if first.has_money and annuals else None
    note = "" if first.in_total else f"{first.payer_zh}，不计入合计"
    return PrintRow(first.measure_zh, who, _standard(first, len(group), len(names)), annual,
                    first.document_zh, first.section_zh, note)


def _who(names: list[str], household_size: int) -> str:
    if not names:
        return "全户"
    if len(names) == household_size > 1:
        return f"全家 {household_size} 人"
    return "、".join(names) + (f"（{len(names)}人）" if len(names) > 1 else "")


def _standard(m: CertificateMeasure, decisions: int, people: int) -> str:
    each = "每人" if people > 1 else ""
    if not m.has_money:
        if m.per_zh == "每次就医":
            return f"{m.period_zh}，按规定享受" if decisions == 1 else f"{decisions} 次就医，按规定享受"
        return "按规定享受"
    amount = yuan_text(m.amount_yuan or Decimal(0))
    if m.per_zh in ("每月", "每天"):
        return each + m.period_zh
    if m.per_zh == "每次就医":
        return f"{m.period_zh}，{amount} 元"
    return f"{each}{m.per_zh} {amount} 元"


def _context(content: CertificateContent, stamp: Stamp) -> dict[str, object]:
    categories = print_rows(content.measures, len(content.members))
    return {
        "c": content, "stamp": stamp, "categories": categories,
        "rows": sum(len(c.rows) for c in categories),
        "qr": None if stamp.preview else qr_png_data_url(stamp.verify_url),
    }


def certificate_html(items: Sequence[tuple[CertificateContent, Stamp]]) -> str:
    """One HTML document holding every ``(content, stamp)``, each on new pages."""
    if not items:
        raise ValueError("no certificate to print")
    return render_template("certificate.html", compact=True,
                           certificates=[_context(c, s) for c, s in items])


PARALLEL_FROM = 24
"""Batches of at least this many households render on several cores (:mod:`.parallel`)."""


def certificate_pdf(items: Sequence[tuple[CertificateContent, Stamp]], *,
                    workers: int | None = None) -> bytes:
    """One PDF of every ``(content, stamp)``, in order (see :func:`certificate_html`). A long
    batch is split over ``workers`` processes (default: the cores available) and joined."""
    workers = workers if workers is not None else (
        workers_available() if len(items) >= PARALLEL_FROM else 1)
    if workers <= 1 or len(items) < 2:
        return _chunk_pdf(items)
    parts = render_chunks(_chunk_pdf, chunked(items, workers), workers)
    return join_pdfs(parts)


def _chunk_pdf(items: Sequence[tuple[CertificateContent, Stamp]]) -> bytes:
    return render_pdf(certificate_html(items))
