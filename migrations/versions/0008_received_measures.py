"""received measures (payment records)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 18:05:00

What each household or member actually receives (casework/models/received_measures.py), read
against the stored decisions by the inspector's payment-gap lists.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('received_measures',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('county_code', _str(length=6), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', _str(length=40), nullable=False),
    sa.Column('amount_yuan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('payer', _str(length=64), nullable=False),
    sa.Column('note', _str(length=200), nullable=True),
    sa.Column('created_by', _str(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_yuan >= 0', name='ck_received_amount'),
    sa.CheckConstraint('until IS NULL OR until >= since', name='ck_received_period'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('received_measures', schema=None) as batch_op:
        batch_op.create_index('ix_received_household_rule', ['household_id', 'rule_id', 'member_id', 'since', 'until'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_measures_member_id'), ['member_id'], unique=False)
    # the 不应享而享 list probes decisions by (household, rule); see the model module
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_household_rule', ['household_id', 'rule_id', 'run_id', 'status', 'member_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_household_rule')
    with op.batch_alter_table('received_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_measures_member_id'))
        batch_op.drop_index('ix_received_household_rule')

    op.drop_table('received_measures')
