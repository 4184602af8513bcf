"""certificates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:05:00

Benefit certificates (append-only: triggers refuse UPDATE and DELETE on both databases), the background batches that print them, and each finished
batch's PDF (see casework/models/certificates.py).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('certificate_batches',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', _str(length=6), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('mode', _str(length=8), nullable=False),
    sa.Column('household_ids', sa.JSON(), nullable=False),
    sa.Column('requested_by', _str(length=64), nullable=False),
    sa.Column('requested_by_name', _str(length=64), nullable=False),
    sa.Column('status', _str(length=8), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('phase', _str(length=40), nullable=False),
    sa.Column('message', _str(length=400), nullable=True),
    sa.Column('resume_of', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worker', _str(length=80), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('certificates', sa.Integer(), nullable=True),
    sa.CheckConstraint("mode IN ('issue','reprint')", name='ck_certificate_batches_mode'),
    sa.CheckConstraint("status IN ('queued','running','done','failed')", name='ck_certificate_batches_status'),
    sa.ForeignKeyConstraint(['resume_of'], ['certificate_batches.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['areas.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_batches_village', ['village_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_batches_county_code'), ['county_code'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', _str(length=24), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _str(length=6), nullable=False),
    sa.Column('household_number', _str(length=32), nullable=False),
    sa.Column('policy_year', sa.Integer(), nullable=False),
    sa.Column('pack', _str(length=40), nullable=False),
    sa.Column('pack_version', _str(length=20), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', _str(length=64), nullable=False),
    sa.Column('issued_by', _str(length=64), nullable=False),
    sa.Column('issued_by_name', _str(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['certificate_batches.id'], ),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_household_year', ['household_id', 'policy_year', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_serial'), ['serial'], unique=True)
        batch_op.create_index(batch_op.f('ix_certificates_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_batch_id'), ['batch_id'], unique=False)

    op.create_table('certificate_batch_pdfs',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', _str(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['certificate_batches.id'], ),
    sa.PrimaryKeyConstraint('batch_id')
    )
    _guard_certificates()


def downgrade() -> None:
    _drop_guard()
    op.drop_table('certificate_batch_pdfs')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_batch_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_county_code'))
        batch_op.drop_index(batch_op.f('ix_certificates_serial'))
        batch_op.drop_index('ix_certificates_household_year')
    op.drop_table('certificates')
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batches_county_code'))
        batch_op.drop_index('ix_certificate_batches_village')
    op.drop_table('certificate_batches')


_SQLITE_GUARDS = [
    "CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates "
    "BEGIN SELECT RAISE(ABORT, 'certificates are immutable'); END",
    "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates "
    "BEGIN SELECT RAISE(ABORT, 'certificates are immutable'); END",
]
_PG_GUARDS = [
    "CREATE FUNCTION certificates_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'certificates are immutable'; END $$",
    "CREATE TRIGGER certificates_no_change BEFORE UPDATE OR DELETE ON certificates "
    "FOR EACH ROW EXECUTE FUNCTION certificates_refuse()",
    "CREATE TRIGGER certificates_no_truncate BEFORE TRUNCATE ON certificates "
    "FOR EACH STATEMENT EXECUTE FUNCTION certificates_refuse()",
]


def _guard_certificates() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_GUARDS if dialect == "sqlite" else _PG_GUARDS:
        op.execute(statement)


def _drop_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS certificates_no_update")
        op.execute("DROP TRIGGER IF EXISTS certificates_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS certificates_no_change ON certificates")
        op.execute("DROP TRIGGER IF EXISTS certificates_no_truncate ON certificates")
        op.execute("DROP FUNCTION IF EXISTS certificates_refuse()")
