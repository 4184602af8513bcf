"""Spot checks (抽查): the list of samples and the draw form, a sample's page with its discrepancy
roll-up, redraw-and-verify, the printable visit list, the draw's JSON and the exports.

Inspectors and county administrators, their own county only: a sample of another county is
"not found" (404). Visit forms live in :mod:`web.inspector.sampling_visits`.

Routes::

    GET  /inspect/samples                              list + draw form
    POST /inspect/samples                              draw (303 to the new sample)
    GET  /inspect/samples/{sample_id}                  households by stratum, roll-up
    GET  /inspect/samples/{sample_id}/verify           redraw from the stored frame and seed
    GET  /inspect/samples/{sample_id}/pdf              printable visit list
    GET  /inspect/samples/{sample_id}/json             the draw as ``casework sample`` prints it
    GET  /inspect/samples/{sample_id}/export/households|visits|frame   ?format=csv|xlsx
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import Engine

from casework.db import read_session
from casework.queries import Account
from casework.sampling import AreaNotFound, InputRefused, draw_document, draw_sample, dumps
from casework.sampling.design import parse_request
from casework.sampling.queries import (
    SamplePage, list_samples, sample_page, sampling_areas, scoped_sample, stored_drawn,
)
from casework.sampling.report import area_names
from casework.sampling.store import save_draw, verify_sample
from casework.sampling.tables import (
    EXPORTS, frame_table, households_table, record_export, visits_table,
)

from ..policy import policy
from . import sampling_visits
from .exporting import export_response
from .sampling_view import sample_context

__all__ = ["HANDLERS", "SAMPLING"]

SAMPLING = policy(roles=frozenset({"inspector", "county_admin"}), area="user_area")
FIELDS = ("area", "stratify", "per_stratum", "fraction", "overweight", "seed")


def _new_seed() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def _list_view(engine: Engine, account: Account, values: Mapping[str, str],
               errors: Mapping[str, str], status: int) -> Template:
    areas = sampling_areas(engine, account)
    defaults = {"area": areas[0][0] if areas else "", "stratify": "village", "per_stratum": "3",
                "fraction": "", "overweight": "1", "seed": _new_seed()}
    shown = {**defaults, **{k: v for k, v in values.items() if k in FIELDS}}
    return Template("inspect/samples.html", status_code=status, context={
        "account": account, "samples": list_samples(engine, account), "areas": areas,
        "values": shown, "errors": errors, "key": secrets.token_urlsafe(24)})


@get("/inspect/samples", opt=SAMPLING, name="inspect_samples")
async def samples_page(account: NamedDependency[Account],
                       engine: NamedDependency[Engine]) -> Template:
    return await anyio.to_thread.run_sync(_list_view, engine, account, {}, {}, 200)


def _draw(engine: Engine, account: Account, raw: Mapping[str, str]) -> Response[Any]:
    try:
        request = parse_request(*(raw.get(name) for name in FIELDS))
    except InputRefused as refused:
        return _list_view(engine, account, raw, refused.errors, 422)
    allowed = [code for code, _ in sampling_areas(engine, account)]
    if request.area_code not in allowed:
        return _list_view(engine, account, raw, {"area": "抽样范围：只能在本区县内抽样"}, 422)
    try:
        drawn = draw_sample(engine, request, allowed[0])
    except AreaNotFound:
        return _list_view(engine, account, raw, {"area": "抽样范围：没有该区县或乡镇"}, 422)
    if not drawn.frame.entries:
        return _list_view(engine, account, raw, {"area": "抽样范围：该范围内没有在册户，无法抽样"}, 422)
    key = (raw.get("key") or "").strip() or None
    try:
        sample_id = save_draw(engine, account.username, drawn, key)
    except InputRefused as refused:
        return _list_view(engine, account, raw, refused.errors, 422)
    return Redirect(f"/inspect/samples/{sample_id}", status_code=303)


@post("/inspect/samples", opt=SAMPLING, name="inspect_samples_draw", status_code=200)
async def draw_page(request: Request[Any, Any, Any], account: NamedDependency[Account],
                    engine: NamedDependency[Engine]) -> Response[Any]:
    form = await request.form()
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    return await anyio.to_thread.run_sync(_draw, engine, account, raw)


def _page(engine: Engine, account: Account, sample_id: int) -> SamplePage:
    page = sample_page(engine, account, sample_id)
    if page is None:
        raise NotFoundException("sample not found")
    return page


def _detail(engine: Engine, account: Account, sample_id: int) -> Template:
    page = _page(engine, account, sample_id)
    return Template("inspect/sample.html", context=sample_context(account, page))


@get("/inspect/samples/{sample_id:int}", opt=SAMPLING, name="inspect_sample")
async def sample_detail(account: NamedDependency[Account], engine: NamedDependency[Engine],
                        sample_id: FromPath[int]) -> Template:
    return await anyio.to_thread.run_sync(_detail, engine, account, sample_id)


def _verify(engine: Engine, account: Account, sample_id: int) -> Template:
    page = _page(engine, account, sample_id)
    with read_session(engine) as s:
        sample = scoped_sample(s, account, sample_id)
        assert sample is not None
        result = verify_sample(s, sample)
    return Template("inspect/sample_verify.html", context={
        "account": account, "page": page, "result": result})


@get("/inspect/samples/{sample_id:int}/verify", opt=SAMPLING, name="inspect_sample_verify")
async def sample_verify(account: NamedDependency[Account], engine: NamedDependency[Engine],
                        sample_id: FromPath[int]) -> Template:
    return await anyio.to_thread.run_sync(_verify, engine, account, sample_id)


def _json(engine: Engine, account: Account, sample_id: int) -> Response[Any]:
    found = stored_drawn(engine, account, sample_id)
    if found is None:
        raise NotFoundException("sample not found")
    drawn, sid = found
    names = area_names(engine, [drawn.frame.area_code, *drawn.strata])
    body = dumps(draw_document(drawn, names, sid)) + "\n"
    return Response(body.encode("utf-8"), media_type="application/json; charset=utf-8")


@get("/inspect/samples/{sample_id:int}/json", opt=SAMPLING, name="inspect_sample_json")
async def sample_json(account: NamedDependency[Account], engine: NamedDependency[Engine],
                      sample_id: FromPath[int]) -> Response[Any]:
    return await anyio.to_thread.run_sync(_json, engine, account, sample_id)


def _export(engine: Engine, account: Account, sample_id: int, what: str,
            fmt: str) -> Response[Any]:
    if what not in EXPORTS:
        raise NotFoundException("no such list")
    page = _page(engine, account, sample_id)
    table = (households_table(page) if what == "households" else visits_table(page)
             if what == "visits" else frame_table(engine, page))
    response = export_response(table, fmt, f"抽查{sample_id}-{EXPORTS[what]}")
    record_export(engine, account.username, page, what, fmt)
    return response


def _export_route(what: str) -> Any:
    @get(f"/inspect/samples/{{sample_id:int}}/export/{what}", opt=SAMPLING,
         name=f"inspect_sample_export_{what}")
    async def sample_export(account: NamedDependency[Account], engine: NamedDependency[Engine],
                            sample_id: FromPath[int],
                            format: FromQuery[str] = "xlsx") -> Response[Any]:  # noqa: A002
        return await anyio.to_thread.run_sync(_export, engine, account, sample_id, what, format)
    return sample_export


def _pdf(engine: Engine, account: Account, sample_id: int) -> Response[Any]:
    from casework.printing.visit_list import visit_list_pdf  # WeasyPrint only when printing

    page = _page(engine, account, sample_id)
    pdf = visit_list_pdf(page)
    record_export(engine, account.username, page, "visit_list", "pdf")
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="sample-{sample_id}-visit-list.pdf"'})


@get("/inspect/samples/{sample_id:int}/pdf", opt=SAMPLING, name="inspect_sample_pdf")
async def sample_pdf(account: NamedDependency[Account], engine: NamedDependency[Engine],
                     sample_id: FromPath[int]) -> Response[Any]:
    return await anyio.to_thread.run_sync(_pdf, engine, account, sample_id)


HANDLERS: list[Any] = [
    samples_page, draw_page, sample_detail, sample_verify, sample_json,
    *(_export_route(what) for what in EXPORTS), sample_pdf, *sampling_visits.HANDLERS,
]
