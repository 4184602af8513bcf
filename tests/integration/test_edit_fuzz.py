"""Hypothesis-driven fuzzing of every edit endpoint through the real app with a signed-in cadre:
random and garbage values for the form's fields (and fields no form has) never give a 500, and
a refused save (anything but 200) leaves every row of the household as it was."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.editing import KEY_PATTERN
from tests.integration.editing_support import digest, editing_world, household, key, members, stays
from tests.integration.test_web_world import Sessions, World, csrf_token
from tests.integration.test_web_world import sessions  # noqa: F401  (fixture, on this module's world)
from web.editing.forms import FORMS

HX = {"HX-Request": "true"}
SLUG_PATHS = {  # form -> (household number, path under /households/{id}/)
    "facts": ("5119221000010005", "facts"),
    "income": ("5119221000010006", "income"),
    "add_member": ("5119221000010007", "members/new"),
    "edit_member": ("5119221000010008", "members/{child}/edit"),
    "end_member": ("5119221000010009", "members/{child}/end"),
    "change_head": ("5119221000010010", "head"),
    "add_stay": ("5119221000010011", "stays/new"),
    "edit_stay": ("5119221000010012", "stays/{stay}/edit"),
    "remove_stay": ("5119221000010013", "stays/{stay}/delete"),
}
VALID = {  # a form that saves, which the fuzzer then spoils a few fields of
    "facts": {"relocation_status": "none"},
    "income": {"year": "2017", "wage_income_yuan": "5000"},
    "add_member": {"join_reason": "birth", "name": "新生儿", "birth_date": "2018-08-01",
                   "sex": "M", "relation": "grandchild"},
    "edit_member": {"name": "张三", "relation": "child"},
    "end_member": {"end_reason": "moved_out", "ended_on": "2018-08-01"},
    "change_head": {"new_head_id": "{child}", "former_head_relation": "parent"},
    "add_stay": {"member_id": "{head}", "kind": "inpatient", "admitted_on": "2018-07-01"},
    "edit_stay": {"member_id": "{head}", "kind": "inpatient", "admitted_on": "2018-03-02"},
    "remove_stay": {},
}
EXTRA_NAMES = ("id", "household_id", "member_key", "active", "version", "county_code",
               "updated_at", "end_reason", "relation", "id_last4")

garbage = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "-.Xx ", max_size=25),
    st.sampled_from(["", "0", "1", "-1", "1e9", "NaN", "inf", "99999999999999999999",
                     "2018-02-30", "2999-01-01", "1800-01-01", "2018-07-01", "１２", "0.001",
                     "head", "junior", "inpatient", "county", "death", "birth", "A", "D",
                     "511922199001010015", "51192219900101001X", "\x00", "<script>"]),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = editing_world(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'casework.db'}")
    yield built
    built.engine.dispose()



def _url(world: World, slug: str) -> tuple[int, str, dict[str, str]]:
    """The household, the endpoint and the valid form, with today's member and stay ids."""
    number, path = SLUG_PATHS[slug]
    hid = world.households[number]
    active = [m for m in members(world.engine, hid) if m.active]
    ids = {"child": next((m.id for m in active if m.relation != "head"), 0),
           "head": next((m.id for m in active if m.relation == "head"), 0),
           "stay": next((s.id for s in stays(world.engine, hid)), 0)}
    valid = {k: v.format(**ids) for k, v in VALID[slug].items()}
    return hid, f"/households/{hid}/" + path.format(**ids), valid


def _field_values(slug: str) -> st.SearchStrategy[tuple[bool, dict[str, str]]]:
    """(start from the valid form?, field values): a few spoilt fields, or all random."""
    names = [f.name for f in FORMS[slug].fields]
    options = {f.name: [code for code, _ in f.options] for f in FORMS[slug].fields if f.options}
    value = lambda name: st.one_of(garbage, st.sampled_from(options.get(name) or [""]))  # noqa: E731
    spoilt = st.dictionaries(st.sampled_from((*names, *EXTRA_NAMES)), garbage, max_size=3)
    random = st.fixed_dictionaries({}, optional={n: value(n) for n in (*names, *EXTRA_NAMES)})
    return st.one_of(st.tuples(st.just(True), spoilt), st.tuples(st.just(False), random))


_sometimes = st.integers(0, 4).map(lambda n: n == 0)
"""True one time in five: a stale version, a malformed key."""
ONE_SHOT = ("end_member", "remove_stay")
"""After their first save the member or stay is gone: later posts are 404s (and write nothing)."""


@pytest.mark.parametrize("slug", sorted(SLUG_PATHS))
def test_fuzzed_forms_never_fail_and_refusals_write_nothing(
        world: World, sessions: Sessions, slug: str) -> None:
    client = sessions("cadre")
    statuses: Counter[int] = Counter()

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(values=_field_values(slug), stale=_sometimes, bad_key=_sometimes)
    def run(values: tuple[bool, dict[str, str]], stale: bool, bad_key: bool) -> None:
        hid, url, valid = _url(world, slug)
        values = (valid if values[0] else {}) | values[1]
        version = household(world.engine, hid).version - (1 if stale else 0)
        form = values | {"_csrf_token": csrf_token(client), "household_version": str(version),
                         "key": "x" if bad_key else key()}
        before = digest(world.engine, hid)
        answer = client.post(url, data=form, headers=HX)
        assert answer.status_code in (200, 404, 409, 422), (answer.status_code, values)
        statuses[answer.status_code] += 1
        if answer.status_code != 200:
            assert digest(world.engine, hid) == before, (answer.status_code, values)
        else:
            assert not bad_key and not stale and KEY_PATTERN.fullmatch(form["key"])
            assert "已保存" in answer.text

    run()
    print(slug, dict(statuses))
    assert statuses[200] > 0  # the fuzzing reached saves, and refusals:
    assert statuses[404 if slug in ONE_SHOT else 422] > 0
