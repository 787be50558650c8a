"""A schema step of maintdesk.records.migrations: each issued notice records who issued it.

On SQLite `issued_by` is the desk's user name, given by the store. On PostgreSQL it is the
session's database role (`current_user`), filled by the server itself (pg_schema.EXTRA_FORMS), as
are the `voided_by` of a void and the `decided_by` of an accepted finding: a desk cannot write
another person's name there (the database's owner writes what it is given: imports and restores
keep the names, or none, as they were). Every table also tells the desks listening that it changed
(NOTIFY maintdesk_changes), so their windows refresh.

Schema 15 does the same on the server for who recorded a tenant's entry agreement and who withdrew
an accepted finding or an agreement (`withdrawn_by`, filled when `withdrawn_at` is first set). On
SQLite the store already writes the desk's user name there, so that step changes nothing.
"""

from __future__ import annotations

ISSUERS = (
    "ALTER TABLE notices ADD COLUMN issued_by TEXT NOT NULL DEFAULT ''",
    """CREATE TRIGGER notices_issuer_is_kept BEFORE UPDATE OF issued_by ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
    "CREATE INDEX notices_by_work_order_kind ON notices (work_order_id, kind, batch_id)",
)

# PostgreSQL: who did it is the session's role, unless the database's owner writes it.
ISSUERS_ON_SERVER = (
    """CREATE OR REPLACE FUNCTION maintdesk_speaks_for_others() RETURNS BOOLEAN STABLE LANGUAGE sql AS $$
        SELECT pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()),
                           'MEMBER') $$""",
    """CREATE OR REPLACE FUNCTION maintdesk_who_did_it() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        col TEXT := TG_ARGV[0];
    BEGIN
        IF maintdesk_speaks_for_others() THEN  -- the database's owner: imports and restores keep what they say
            RETURN NEW;
        END IF;
        RETURN jsonb_populate_record(NEW, jsonb_build_object(col, current_user::text));
    END $$""",
    """CREATE TRIGGER notices_issued_by_role BEFORE INSERT ON notices FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_did_it('issued_by')""",
    """CREATE TRIGGER notice_voids_by_role BEFORE INSERT ON notice_voids FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_did_it('voided_by')""",
    """CREATE TRIGGER finding_overrides_by_role BEFORE INSERT ON finding_overrides FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_did_it('decided_by')""",
    # Other desks learn of every change (LISTEN maintdesk_changes; the payload is the table's name).
    """CREATE OR REPLACE FUNCTION maintdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('maintdesk_changes', TG_TABLE_NAME);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION maintdesk_watch_tables() RETURNS VOID LANGUAGE plpgsql AS $$
    DECLARE
        t TEXT;
    BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                 AND tablename <> 'schema_version' LOOP
            EXECUTE format('DROP TRIGGER IF EXISTS maintdesk_changes ON %I', t);
            EXECUTE format('CREATE TRIGGER maintdesk_changes AFTER INSERT OR UPDATE OR DELETE ON %I '
                           'FOR EACH STATEMENT EXECUTE FUNCTION maintdesk_notify_change()', t);
        END LOOP;
    END $$""",
    "SELECT maintdesk_watch_tables()",
)

# Schema 15, PostgreSQL only: who recorded an agreement and who withdrew a finding or an agreement.
WITHDRAWERS = ()
WITHDRAWERS_ON_SERVER = (
    """CREATE OR REPLACE FUNCTION maintdesk_who_withdrew() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL AND NOT maintdesk_speaks_for_others() THEN
            NEW.withdrawn_by := current_user::text;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER entry_agreements_by_role BEFORE INSERT ON entry_agreements FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_did_it('recorded_by')""",
    """CREATE TRIGGER entry_agreements_withdrawn_by_role BEFORE UPDATE ON entry_agreements FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_withdrew()""",
    """CREATE TRIGGER finding_overrides_withdrawn_by_role BEFORE UPDATE ON finding_overrides FOR EACH ROW
        EXECUTE FUNCTION maintdesk_who_withdrew()""",
)
