"""Administrative areas: province → city → county → township → village."""


from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Area", "AREA_LEVELS"]

AREA_LEVELS = ("province", "city", "county", "township", "village")


class Area(SQLModel, table=True):
    """One administrative division. Codes follow GB/T 2260 in shape: 6 digits down to county,
    9 for a township, 12 for a village (统计用区划代码)."""

    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint(
            "level IN ('province','city','county','township','village')", name="ck_areas_level"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, index=True)
    """Division code; a child's code starts with its parent's."""
    name: str = Field(max_length=64)
    """Official name, e.g. 南江县, 关坝镇, 五郎沟村."""
    level: str = Field(max_length=10)
    """One of AREA_LEVELS."""
    parent_id: int | None = Field(default=None, foreign_key="areas.id", index=True)
    pack: str | None = Field(default=None, max_length=40)
    """Policy pack that applies in this county (set on counties), e.g. ``bazhong-2018``."""
    poor_village: bool | None = Field(default=None)
    """贫困村 (villages only; None where the sources do not say)."""
