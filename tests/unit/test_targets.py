"""Inspector targets: the packs' files load with citations; the strict loader refuses bad files
naming file and line; the gap is measured exactly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from casework.dashboards.figures import Figures
from casework.dashboards.targets import METRICS, _measure, measure_targets
from casework.models.tallies import TALLY_COUNTS
from rules.strict_yaml import LoaderError
from rules.targets import load_targets, pack_targets

GOOD = """\
targets:
  - id: T-XX-01
    metric: people_family_doctor
    title: 家庭医生签约率
    comparison: at_least
    percent: 100
    year: 2018
    phrase: 签约率达到 100%
    citation:
      document: 某文件
      section: 一、目标
      seed: 000.txt
      lines: "12"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inspector-targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packs_targets_are_the_catalogs_household_level_ones() -> None:
    bazhong = {t.id: t for t in pack_targets("bazhong-2018", METRICS)}
    kaizhou = {t.id: t for t in pack_targets("kaizhou-2016-2020", METRICS)}
    assert sorted(bazhong) == ["T-BZ-01", "T-BZ-02", "T-BZ-19", "T-BZ-24"]
    assert sorted(kaizhou) == ["T-KZ-08", "T-KZ-14", "T-KZ-27"]
    assert bazhong["T-BZ-02"].citation.lines == "1321"
    assert bazhong["T-BZ-02"].citation.document == "巴委办〔2018〕11号"
    assert kaizhou["T-KZ-14"].year == 2017 and kaizhou["T-KZ-27"].year is None
    for target in [*bazhong.values(), *kaizhou.values()]:
        assert target.percent == Decimal(100) and target.comparison == "at_least"
        assert target.phrase and target.citation.seed.endswith(".txt")


def test_a_pack_without_a_targets_file_has_none() -> None:
    assert pack_targets("no-such-pack", METRICS) == ()


@pytest.mark.parametrize(("change", "line", "message"), [
    (("    year: 2018\n", "    year: 2018\n    colour: red\n"), 8, "unknown key 'colour'"),
    (("    metric: people_family_doctor\n", "    metric: happiness\n"), 3, "unknown metric 'happiness'"),
    (("    percent: 100\n", "    percent: 120\n"), 6, "must be between 0 and 100"),
    (("    percent: 100\n", "    percent: \"100%\"\n"), 6, "must be a number of percent"),
    (("    comparison: at_least\n", "    comparison: about\n"), 5, "must be one of at_least, at_most"),
    (("    year: 2018\n", "    year: 18\n"), 7, "must be a year"),
    (("    phrase: 签约率达到 100%\n", ""), 2, "missing key 'phrase'"),
    (("      lines: \"12\"\n", "      lines: \"12\"\n      lines: \"13\"\n"), 14, "duplicate key 'lines'"),
])
def test_the_loader_refuses_bad_files_naming_the_line(
        tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(LoaderError) as refused:
        load_targets(path, METRICS)
    assert refused.value.line == line and message in refused.value.message
    assert refused.value.file == str(path)


def test_duplicate_target_ids_are_refused(tmp_path: Path) -> None:
    twice = GOOD + GOOD[len("targets:\n"):]
    with pytest.raises(LoaderError, match="duplicate target id 'T-XX-01' \\(first at line 2\\)"):
        load_targets(_write(tmp_path, twice), METRICS)


def _figures(**counts: int) -> Figures:
    return Figures({**dict.fromkeys(TALLY_COUNTS, 0), **counts})


def test_the_gap_is_the_people_still_to_reach() -> None:
    doctor = next(t for t in pack_targets("bazhong-2018", METRICS) if t.id == "T-BZ-02")
    status = _measure(doctor, METRICS["people_family_doctor"],
                      _figures(people=1000, people_family_doctor=999, people_family_doctor_unknown=1))
    assert (status.percent, status.gap_points, status.gap_count) == (Decimal("99.9"), Decimal("0.1"), 1)
    assert status.met is False and status.unknown == 1
    nearly = _measure(doctor, METRICS["people_family_doctor"],
                      _figures(people=100_000, people_family_doctor=99_999))
    assert nearly.percent == Decimal("100.0") and nearly.gap_count == 1 and nearly.met is False
    assert nearly.gap_points == Decimal("0.1")  # never shown as 0 while someone is missing
    done = _measure(doctor, METRICS["people_family_doctor"],
                    _figures(people=7, people_family_doctor=7))
    assert done.met is True and done.gap_count == 0 and done.gap_points == 0
    empty = _measure(doctor, METRICS["people_family_doctor"], _figures())
    assert empty.percent is None and empty.met is None


def test_pupils_enrolled_counts_the_children_out_of_school_as_the_gap() -> None:
    school = next(t for t in pack_targets("bazhong-2018", METRICS) if t.id == "T-BZ-19")
    status = _measure(school, METRICS["pupils_enrolled"],
                      _figures(pupils_compulsory=97, pupils_out_of_school=3))
    assert (status.achieved, status.population, status.gap_count) == (97, 100, 3)


def test_stable_employment_follows_the_packs_parameter() -> None:
    figures = _figures(hh_labour=10, hh_labour_stable=4, hh_labour_stable_or_post=6)
    measured = {s.target.id: s for s in measure_targets("bazhong-2018", None, figures)}
    assert measured["T-BZ-24"].achieved == 4  # the pack's value is "stable" (only 稳定就业)
