"""a household's assessment of a run by (household, run); drop the decisions' plain household
index (ix_decisions_household_rule of 0008 leads with the household)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 18:20:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_assessments_household_run', 'assessments', ['household_id', 'run_id'],
                    unique=True)
    op.drop_index('ix_decisions_household_id', table_name='decisions')


def downgrade() -> None:
    op.create_index('ix_decisions_household_id', 'decisions', ['household_id'], unique=False)
    op.drop_index('ix_assessments_household_run', table_name='assessments')
