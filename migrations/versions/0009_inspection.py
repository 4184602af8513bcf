"""inspection: frozen sampling frames, samples, sample households, visits

Frames, frame members, samples and sample households are append-only: triggers refuse UPDATE
and DELETE on both databases (a drawn sample must stay redrawable from what was stored).
Visits are versioned (edited in place with compare-and-swap).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 18:05:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

APPEND_ONLY = ('inspection_frames', 'inspection_frame_members', 'inspection_samples',
               'inspection_sample_households')


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('inspection_frames',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frame_key', _s(64), nullable=False),
    sa.Column('county_code', _s(6), nullable=False),
    sa.Column('area_code', _s(12), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('failing', sa.Integer(), nullable=False),
    sa.Column('created_by', _s(64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection_frames', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_frames_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_frames_frame_key'), ['frame_key'], unique=True)

    op.create_table('inspection_samples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frame_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _s(6), nullable=False),
    sa.Column('area_code', _s(12), nullable=False),
    sa.Column('seed', _s(64), nullable=False),
    sa.Column('stratify', _s(10), nullable=False),
    sa.Column('per_stratum', sa.Integer(), nullable=True),
    sa.Column('fraction', _s(12), nullable=True),
    sa.Column('overweight', _s(12), nullable=False),
    sa.Column('algorithm', _s(40), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('drawn_by', _s(64), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stratify IN ('village','township')", name='ck_samples_stratify'),
    sa.ForeignKeyConstraint(['frame_id'], ['inspection_frames.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection_samples', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_samples_county_drawn', ['county_code', 'drawn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_samples_frame_id'), ['frame_id'], unique=False)

    op.create_table('inspection_frame_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frame_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _s(6), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('household_number', _s(32), nullable=False),
    sa.Column('village_code', _s(12), nullable=False),
    sa.Column('township_code', _s(12), nullable=False),
    sa.Column('status', _s(8), nullable=False),
    sa.CheckConstraint("status IN ('meets','unknown','fails','none')", name='ck_frame_members_status'),
    sa.ForeignKeyConstraint(['frame_id'], ['inspection_frames.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('frame_id', 'household_number', name='uq_frame_members_number')
    )
    with op.batch_alter_table('inspection_frame_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_frame_members_frame_id'), ['frame_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_frame_members_household_id'), ['household_id'], unique=False)

    op.create_table('inspection_sample_households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _s(6), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('household_number', _s(32), nullable=False),
    sa.Column('stratum_code', _s(12), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('recorded_status', _s(8), nullable=False),
    sa.Column('recorded', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['inspection_samples.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sample_id', 'household_id', name='uq_sample_households_household')
    )
    with op.batch_alter_table('inspection_sample_households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_sample_households_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_sample_households_sample_id'), ['sample_id'], unique=False)

    op.create_table('inspection_visits',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _s(6), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitor', _s(64), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('recorded_by', _s(64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['inspection_samples.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sample_id', 'household_id', name='uq_visits_sample_household')
    )
    with op.batch_alter_table('inspection_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_visits_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_visits_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_visits_sample_id'), ['sample_id'], unique=False)

    _guard_append_only()


def downgrade() -> None:
    _drop_guards()
    with op.batch_alter_table('inspection_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_visits_sample_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_visits_household_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_visits_county_code'))
    op.drop_table('inspection_visits')
    with op.batch_alter_table('inspection_sample_households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_sample_households_sample_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_sample_households_household_id'))
    op.drop_table('inspection_sample_households')
    with op.batch_alter_table('inspection_frame_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_frame_members_household_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_frame_members_frame_id'))
    op.drop_table('inspection_frame_members')
    with op.batch_alter_table('inspection_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_samples_frame_id'))
        batch_op.drop_index('ix_inspection_samples_county_drawn')
    op.drop_table('inspection_samples')
    with op.batch_alter_table('inspection_frames', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_frames_frame_key'))
        batch_op.drop_index(batch_op.f('ix_inspection_frames_county_code'))
    op.drop_table('inspection_frames')


def _guard_append_only() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute("CREATE FUNCTION inspection_append_only() RETURNS trigger LANGUAGE plpgsql "
                   "AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$")
    for table in APPEND_ONLY:
        if sqlite:
            for verb in ("update", "delete"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        else:
            op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION inspection_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION inspection_append_only()")


def _drop_guards() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS inspection_append_only()")
