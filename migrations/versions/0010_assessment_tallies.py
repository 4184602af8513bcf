"""monthly assessment tallies for trends; dimension columns on assessments

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 18:05:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

DIMENSIONS = ('food_clothing', 'compulsory_education', 'basic_medical', 'housing',
              'drinking_water', 'income')
COUNTS = (
    'households', 'people', 'assessed', 'status_meets', 'status_fails', 'status_unknown',
    *(f'{d}_{s}' for d in DIMENSIONS for s in ('pass', 'fail', 'unknown')),
    'people_insured_both', 'people_insured_unknown', 'people_uninsured',
    'people_family_doctor', 'people_family_doctor_unknown', 'people_no_family_doctor',
    'pupils_compulsory', 'pupils_out_of_school',
    'hh_dangerous', 'hh_dangerous_fixed', 'hh_paired',
    'hh_labour', 'hh_labour_stable', 'hh_labour_stable_or_post',
)


def upgrade() -> None:
    op.create_table('assessment_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
    sa.ForeignKeyConstraint(['village_id'], ['areas.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('village_id', 'month', name='uq_tallies_village_month')
    )
    with op.batch_alter_table('assessment_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_tallies_county_month', ['county_code', 'month'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        for name in DIMENSIONS:
            batch_op.add_column(sa.Column(
                name, sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.create_index('ix_assessments_run_status', ['run_id', 'status', 'household_id'],
                              unique=False)
    _backfill_dimensions()


def _backfill_dimensions() -> None:
    """Stored assessments written before this revision get their columns from the JSON."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for name in DIMENSIONS:
        value = (f"json_extract(dimensions, '$.{name}')" if sqlite
                 else f"(dimensions::json ->> '{name}')")
        op.execute(f'UPDATE assessments SET {name} = {value} WHERE {name} IS NULL')


def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_run_status')
        for name in reversed(DIMENSIONS):
            batch_op.drop_column(name)
    with op.batch_alter_table('assessment_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_tallies_county_month')
    op.drop_table('assessment_tallies')
