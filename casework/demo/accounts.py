"""The demo accounts, one per role, all in 南江县: a cadre of 关坝镇 五郎沟村 (a 贫困村, BZ L530),
the staff member of its township, and the county's inspector and administrator."""

from __future__ import annotations

from dataclasses import dataclass

from .geography import county_by_code, township_code, village_code

__all__ = ["DemoAccount", "DEMO_ACCOUNTS", "CADRE_VILLAGE_CODE", "ROLE_LABELS"]

_NANJIANG = county_by_code("511922")
_GUANBA = next(t for t in _NANJIANG.townships if t.name == "关坝镇")
_WULANGGOU = next(v for v in _GUANBA.villages if v.name == "五郎沟村")

CADRE_VILLAGE_CODE = village_code(_NANJIANG, _GUANBA, _WULANGGOU)
"""南江县 关坝镇 五郎沟村 (synthetic 12-digit code)."""

ROLE_LABELS = {
    "village_cadre": "村干部",
    "township_staff": "乡镇扶贫专干",
    "inspector": "督查",
    "county_admin": "县级管理员",
}


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    area_code: str
    area_label: str


DEMO_ACCOUNTS = (
    DemoAccount("cadre1", "village_cadre", "张建国（演示）", CADRE_VILLAGE_CODE,
                "南江县关坝镇五郎沟村"),
    DemoAccount("township1", "township_staff", "李秀英（演示）",
                township_code(_NANJIANG, _GUANBA), "南江县关坝镇"),
    DemoAccount("inspector1", "inspector", "王志强（演示）", _NANJIANG.code, "南江县"),
    DemoAccount("admin", "county_admin", "刘海燕（演示）", _NANJIANG.code, "南江县"),
)
