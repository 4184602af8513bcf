"""casework.ids: GB 11643-1999 resident ID numbers, their check character and their masks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.ids import (
    PROVINCE_CODES,
    InvalidResidentId,
    ResidentId,
    check_character,
    mask_detail,
    mask_list,
)

TODAY = dt.date(2025, 6, 30)
ALPHABET = "0123456789X"
HEAVY = settings(max_examples=200, deadline=None)


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


def make(area: str = "511922", born: str = "20100103", seq: str = "002") -> str:
    return with_check(area + born + seq)


def parse(raw: str) -> ResidentId:
    return ResidentId.parse(raw, today=TODAY)


def reason_for(raw: str) -> str:
    with pytest.raises(InvalidResidentId) as caught:
        parse(raw)
    return caught.value.reason


areas = st.builds(
    lambda province, rest: province + f"{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(1, 9999),
)
births = st.dates(min_value=dt.date(1880, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999)


@st.composite
def valid_ids(
    draw: st.DrawFn, born: st.SearchStrategy[dt.date] = births
) -> tuple[str, dt.date, int]:
    """A valid ID, its birth date and its sequence number."""
    date, seq = draw(born), draw(sequences)
    return with_check(draw(areas) + date.strftime("%Y%m%d") + f"{seq:03d}"), date, seq


# --- the check character -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "expected"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("51192220100103002", "5")],
)
def test_check_character_matches_published_examples(first17: str, expected: str) -> None:
    assert check_character(first17) == expected


def test_check_character_needs_exactly_17_digits() -> None:
    with pytest.raises(ValueError):
        check_character("1101051949123100")


# --- valid numbers -------------------------------------------------------------------------


@HEAVY
@given(valid_ids())
def test_valid_id_round_trips_with_derived_birth_date_and_sex(
    case: tuple[str, dt.date, int],
) -> None:
    raw, born, seq = case
    resident = parse(raw)
    assert resident.value == raw
    assert parse(resident.value) == resident
    assert resident.birth_date == born
    assert resident.sex == ("M" if seq % 2 else "F")
    assert resident.area_code == raw[:6]
    assert resident.last4 == raw[-4:]
    assert ResidentId.is_valid(raw, today=TODAY)


def test_lower_case_x_and_surrounding_spaces_are_normalised() -> None:
    assert parse(" 11010519491231002x\n").value == "11010519491231002X"


def test_sex_follows_the_parity_of_the_seventeenth_digit() -> None:
    assert parse(make(seq="001")).sex == "M"
    assert parse(make(seq="002")).sex == "F"


def test_leap_day_in_a_leap_year_is_accepted() -> None:
    assert parse(make(born="20000229")).birth_date == dt.date(2000, 2, 29)


def test_born_today_is_accepted_but_tomorrow_is_in_the_future() -> None:
    assert parse(make(born=TODAY.strftime("%Y%m%d"))).birth_date == TODAY
    tomorrow = (TODAY + dt.timedelta(days=1)).strftime("%Y%m%d")
    assert reason_for(make(born=tomorrow)) == f"birth date {tomorrow} is in the future"


# --- errors the check character catches ----------------------------------------------------


@HEAVY
@given(valid_ids())
def test_every_single_character_substitution_is_rejected(case: tuple[str, dt.date, int]) -> None:
    raw = case[0]
    for position, original in enumerate(raw):
        for replacement in ALPHABET.replace(original, ""):
            mutated = raw[:position] + replacement + raw[position + 1 :]
            assert not ResidentId.is_valid(mutated, today=TODAY), (position, replacement)


@HEAVY
@given(valid_ids())
def test_every_adjacent_transposition_of_different_characters_is_rejected(
    case: tuple[str, dt.date, int],
) -> None:
    raw = case[0]
    for i in range(17):
        if raw[i] != raw[i + 1]:
            swapped = raw[:i] + raw[i + 1] + raw[i] + raw[i + 2 :]
            assert not ResidentId.is_valid(swapped, today=TODAY), i


def test_wrong_check_character_names_both() -> None:
    assert reason_for("110105194912310023") == "check digit is 3, expected X"
    with pytest.raises(InvalidResidentId) as caught:
        parse("110105194912310023")
    assert caught.value.message_zh == "身份证号码校验位为3，应为X，请核对号码"


# --- malformed numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "1101051949123100", "1101051949123100211", "1" * 16])
def test_wrong_length_is_rejected(raw: str) -> None:
    assert reason_for(raw) == f"must be 18 characters, got {len(raw)}"


@pytest.mark.parametrize("position", [0, 7, 16])
def test_letters_are_rejected_except_a_final_x(position: int) -> None:
    raw = make()
    mutated = raw[:position] + "A" + raw[position + 1 :]
    assert reason_for(mutated) == "only digits, with X allowed as the last character"


@pytest.mark.parametrize(
    "digit", ["\uff11", "\u0661", "\u00b9"], ids=["fullwidth", "arabic", "superscript"]
)
@pytest.mark.parametrize("position", [3, 9, 15])
def test_non_ascii_digits_are_rejected_not_stored(digit: str, position: int) -> None:
    """Regression: str.isdigit() accepted these; full-width ones were stored as they were and
    superscripts crashed with a plain ValueError."""
    raw = make(area="511912", born="20100111", seq="012")
    mutated = raw[:position] + digit + raw[position + 1 :]
    assert reason_for(mutated) == "only digits, with X allowed as the last character"
    assert not ResidentId.is_valid(mutated, today=TODAY)


@pytest.mark.parametrize(
    "born", ["20230230", "20231301", "19990229", "20230431", "20230001", "19000229"]
)
def test_impossible_birth_dates_are_rejected(born: str) -> None:
    assert reason_for(make(born=born)) == f"birth date {born} is not a real date"


@HEAVY
@given(
    valid_ids(
        born=st.dates(min_value=TODAY + dt.timedelta(days=1), max_value=dt.date(9999, 12, 31))
    )
)
def test_future_birth_dates_are_rejected(case: tuple[str, dt.date, int]) -> None:
    assert reason_for(case[0]).endswith("is in the future")


def test_birth_before_1880_is_rejected() -> None:
    assert reason_for(make(born="18791231")) == "birth date 18791231 is implausibly early"


@pytest.mark.parametrize("area", ["001922", "101922", "991922", "510000"])
def test_unknown_area_codes_are_rejected(area: str) -> None:
    assert reason_for(make(area=area)) == f"unknown area code {area}"


# --- 15-digit legacy numbers ---------------------------------------------------------------


@HEAVY
@given(valid_ids(born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31))))
def test_legacy_15_digit_number_becomes_the_18_character_one(
    case: tuple[str, dt.date, int],
) -> None:
    raw, born, _ = case
    legacy = raw[:6] + raw[8:17]
    resident = parse(legacy)
    assert resident.value == raw
    assert resident.birth_date == born


def test_legacy_number_with_a_letter_is_rejected() -> None:
    assert reason_for("11010549123100X") == "a 15-digit ID has only digits"


def test_legacy_number_with_an_impossible_date_is_rejected() -> None:
    assert reason_for("511922990229002") == "birth date 19990229 is not a real date"


# --- masks and printing --------------------------------------------------------------------


def test_masks_match_the_documented_examples() -> None:
    raw = "51192220100102002X"
    resident = parse(raw)
    assert resident.masked_detail() == "511922********002X"
    assert resident.masked_list() == "**************002X"
    assert mask_detail(raw) == "511922********002X"
    assert mask_list(raw) == "**************002X"


@pytest.mark.parametrize(
    ("raw", "detail", "listed"),
    [
        (None, "", ""),
        ("", "", ""),
        ("1234", "****", "****"),
        ("1234567890", "**********", "******7890"),
    ],
)
def test_masks_of_missing_or_short_values_never_leak(
    raw: str | None, detail: str, listed: str
) -> None:
    assert mask_detail(raw) == detail
    assert mask_list(raw) == listed


@HEAVY
@given(valid_ids())
def test_str_and_repr_never_reveal_the_number_or_birth_date(case: tuple[str, dt.date, int]) -> None:
    raw = case[0]
    resident = parse(raw)
    for shown in (
        str(resident),
        repr(resident),
        f"{resident}",
        repr([resident]),
        str({"id": resident}),
    ):
        assert raw not in shown
        assert raw[6:14] not in shown
        assert raw[-4:] in shown
    assert resident.masked_detail() == raw[:6] + "*" * 8 + raw[-4:]
    assert resident.masked_list() == "*" * 14 + raw[-4:]
    assert mask_detail(raw) == resident.masked_detail()
    assert mask_list(raw) == resident.masked_list()


@HEAVY
@given(valid_ids(), st.integers(0, 16))
def test_errors_never_quote_the_whole_number(case: tuple[str, dt.date, int], position: int) -> None:
    raw = case[0]
    mutated = raw[:position] + str((int(raw[position]) + 1) % 10) + raw[position + 1 :]
    with pytest.raises(InvalidResidentId) as caught:
        parse(mutated)
    assert mutated not in str(caught.value)
    assert mutated not in caught.value.message_zh
