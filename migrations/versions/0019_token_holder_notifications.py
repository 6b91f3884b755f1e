"""On PostgreSQL, a change to users, units or api_tokens notifies the tracker_auth channel at
commit, so that every process forgets the token holders it remembers (tracker/auth/holders.py)

Revision ID: 0019_token_holder_notifications
Revises: 0018_transfer_item_count
Create Date: 2026-12-04 15:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_token_holder_notifications'
down_revision = '0018_transfer_item_count'
branch_labels = None
depends_on = None

TABLES = ('users', 'units', 'api_tokens')


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION tracker_auth_changed() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('tracker_auth', '');
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
    """)
    for table in TABLES:
        op.execute(f"""
            CREATE TRIGGER {table}_notify_tracker_auth
            AFTER UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION tracker_auth_changed()
        """)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_tracker_auth ON {table}")
    op.execute("DROP FUNCTION tracker_auth_changed()")
