"""Classification codes used by rule conditions (not policy numbers): disability grades under
GB/T 26341-2010 (1 is the most severe) and the categories of the contract's enums."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["GRADE_1", "GRADE_2", "DISABILITY_GRADES", "SEVERE_DISABILITY_GRADES",
           "DANGEROUS_HOUSE_GRADES", "RELOCATING", "LABOUR_CAPABLE", "COMPULSORY_STAGES"]

GRADE_1 = Decimal(1)
GRADE_2 = Decimal(2)
DISABILITY_GRADES = (Decimal(1), Decimal(2), Decimal(3), Decimal(4))
SEVERE_DISABILITY_GRADES = (GRADE_1, GRADE_2)
"""一级、二级 are the "severe" (重度) grades."""
DANGEROUS_HOUSE_GRADES = ("C", "D")
"""C 级 (局部危险) and D 级 (整体危险) are 危房."""
RELOCATING = ("planned", "building", "moved_in")
LABOUR_CAPABLE = ("normal", "skilled", "weak")
"""普通、技能、弱（半）劳动力: members with labour capacity."""
COMPULSORY_STAGES = ("primary", "junior")
