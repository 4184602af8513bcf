"""The draw (casework.sampling.draw / frame): reproducible, sized as asked, weighted the right
way, and redoable from the documented recipe alone."""

from __future__ import annotations

import hashlib
import hmac
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.sampling import InputRefused, parse_request
from casework.sampling.draw import Candidate, Design, draw, stratum_size, uniform
from casework.sampling.frame import FrameEntry, canonical_text, candidates, frame_key

KEY = "f" * 64


def _frame(sizes: dict[str, int], failing_every: int = 0) -> list[Candidate]:
    members = []
    for stratum, size in sizes.items():
        for i in range(size):
            failing = failing_every > 0 and i % failing_every == 0
            members.append(Candidate(f"{stratum}{i:04d}", stratum, failing))
    return members


def test_same_frame_and_seed_give_the_same_sample() -> None:
    members = _frame({"A": 40, "B": 25})
    design = Design("village", per_stratum=5)
    assert draw("2018", KEY, members, design) == draw("2018", KEY, list(reversed(members)), design)


def test_different_seeds_and_frames_give_different_samples() -> None:
    members = _frame({"A": 200})
    design = Design("village", per_stratum=10)
    samples = {tuple(draw(str(seed), KEY, members, design)["A"]) for seed in range(20)}
    assert len(samples) == 20
    assert draw("1", KEY, members, design) != draw("1", "e" * 64, members, design)


@pytest.mark.parametrize(("per_stratum", "fraction", "size", "expected"), [
    (5, None, 30, 5),
    (5, None, 3, 3),            # a stratum smaller than N is taken whole
    (None, "0.1", 25, 3),       # 2.5 rounds up
    (None, "0.1", 30, 3),       # exact: no rounding up past it
    (None, "0.1", 1, 1),        # a non-empty stratum with a fraction gives at least one
    (2, "0.5", 10, 5),          # both: the larger
    (8, "0.5", 10, 8),
    (None, "1", 7, 7),
    (None, "0.3333", 3, 1),     # 0.9999 → 1
    (None, "0.3334", 3, 2),     # 1.0002 → 2 (exact decimal, no float error)
])
def test_stratum_size_rule(per_stratum: int | None, fraction: str | None, size: int,
                           expected: int) -> None:
    design = Design("village", per_stratum, Decimal(fraction) if fraction else None)
    assert stratum_size(design, size) == expected


def test_stratum_sizes_in_a_draw_are_as_asked() -> None:
    members = _frame({"A": 30, "B": 2, "C": 11})
    drawn = draw("s", KEY, members, Design("village", per_stratum=4, fraction=Decimal("0.2")))
    assert {k: len(v) for k, v in drawn.items()} == {"A": 6, "B": 2, "C": 4}
    assert all(len(set(v)) == len(v) for v in drawn.values())
    assert all(n.startswith(k) for k, v in drawn.items() for n in v)


def test_overweighting_raises_the_chance_of_failing_households() -> None:
    """100 households, 20 failing, 10 drawn: unweighted a failing household is drawn with
    probability 0.1 (about 2 per sample); with weight 5 far more often. Fixed seeds 0..299."""
    members = _frame({"A": 100}, failing_every=5)
    failing = {m.number for m in members if m.failing}

    def mean_failing(weight: str) -> float:
        design = Design("village", per_stratum=10, overweight=Decimal(weight))
        return sum(len(failing & set(draw(str(s), KEY, members, design)["A"]))
                   for s in range(300)) / 300

    plain, heavy = mean_failing("1"), mean_failing("5")
    assert 1.6 < plain < 2.4  # 10 × 20/100 = 2
    assert heavy > 4.5        # weight 5: roughly 5.4 expected
    assert mean_failing("1.0") == plain


def test_uniform_follows_the_documented_recipe() -> None:
    digest = hmac.new(b"seed", f"{KEY}|511922-000001".encode(), hashlib.sha256).digest()
    x = int(digest[:8].hex(), 16) >> 12
    assert uniform("seed", KEY, "511922-000001") == (2 * x + 1) / 2**53
    assert 0 < uniform("", KEY, "") < 1


def test_an_independent_reimplementation_gives_the_same_sample() -> None:
    """Redo the draw from the docstring alone (weighted, by logarithms) and compare."""
    members = _frame({"A": 50, "B": 9}, failing_every=3)
    design = Design("village", per_stratum=4, fraction=Decimal("0.15"), overweight=Decimal(3))
    expected = {}
    for stratum in ("A", "B"):
        group = [m for m in members if m.stratum == stratum]
        k = min(len(group), max(4, math.ceil(len(group) * 15 / 100)))
        keyed = []
        for m in group:
            d = hmac.new(b"7", f"{KEY}|{m.number}".encode(), hashlib.sha256).digest()
            u = ((int.from_bytes(d[:8], "big") >> 12) * 2 + 1) / 2**53
            keyed.append((math.log(u) / (3 if m.failing else 1), m.number))
        keyed.sort(key=lambda t: (-t[0], t[1]))
        expected[stratum] = [n for _, n in keyed[:k]]
    assert draw("7", KEY, members, design) == expected


def test_frame_key_is_sha256_of_the_documented_text() -> None:
    entries = [FrameEntry(2, "B-2", "V2", "T1", "fails"), FrameEntry(1, "A-1", "V1", "T1", "none")]
    text = canonical_text("511922", entries)
    assert text == "casework-frame-v1\narea 511922\nA-1\tV1\tT1\tnone\nB-2\tV2\tT1\tfails\n"
    assert frame_key("511922", entries) == hashlib.sha256(text.encode()).hexdigest()
    assert frame_key("511922", reversed(entries)) == frame_key("511922", entries)
    changed = [FrameEntry(2, "B-2", "V2", "T1", "meets"), entries[1]]
    assert frame_key("511922", changed) != frame_key("511922", entries)
    assert [c.stratum for c in candidates(entries, "township")] == ["T1", "T1"]


@pytest.mark.parametrize(("args", "field"), [
    (("51192", "village", "3", "", "", "s"), "area"),
    (("511922", "county", "3", "", "", "s"), "stratify"),
    (("511922100", "township", "3", "", "", "s"), "stratify"),
    (("511922", "village", "0", "", "", "s"), "per_stratum"),
    (("511922", "village", "", "", "", "s"), "per_stratum"),
    (("511922", "village", "", "1.5", "", "s"), "fraction"),
    (("511922", "village", "", "0", "", "s"), "fraction"),
    (("511922", "village", "3", "", "0.5", "s"), "overweight"),
    (("511922", "village", "3", "", "1e3", "s"), "overweight"),
    (("511922", "village", "3", "", "", "  "), "seed"),
    (("511922", "village", "3", "", "", "a\nb"), "seed"),
    (("511922", "village", "3", "", "", "x" * 65), "seed"),
])
def test_bad_parameters_are_refused_naming_the_field(args: tuple[str, ...], field: str) -> None:
    with pytest.raises(InputRefused) as refused:
        parse_request(*args)
    assert field in refused.value.errors
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in refused.value.errors.values())


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.dictionaries(st.sampled_from("ABCDE"), st.integers(1, 40), min_size=1),
    per_stratum=st.one_of(st.none(), st.integers(1, 50)),
    fraction=st.one_of(st.none(), st.decimals("0.01", "1", places=2)),
    weight=st.decimals("1", "10", places=1),
    seed=st.text(min_size=1, max_size=10),
)
def test_draw_invariants(sizes: dict[str, int], per_stratum: int | None,
                         fraction: Decimal | None, weight: Decimal, seed: str) -> None:
    if per_stratum is None and fraction is None:
        per_stratum = 1
    members = _frame(sizes, failing_every=2)
    design = Design("village", per_stratum, fraction, weight)
    drawn = draw(seed, KEY, members, design)
    assert sorted(drawn) == sorted(sizes)
    for stratum, numbers in drawn.items():
        assert len(numbers) == stratum_size(design, sizes[stratum]) <= sizes[stratum]
        assert len(set(numbers)) == len(numbers)
        assert {n[:1] for n in numbers} == {stratum}
    bigger = Design("village", (per_stratum or 0) + 1, fraction, weight)
    for stratum, numbers in draw(seed, KEY, members, bigger).items():
        assert numbers[: len(drawn[stratum])] == drawn[stratum]  # a larger sample extends it
