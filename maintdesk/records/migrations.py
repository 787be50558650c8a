"""The database schema, as an ordered list of small steps.

How to add a step: append a `Migration` with the next version number, a one-line "changes" text
and its SQL statements; never edit a step that has shipped. Add a fixture database written by the
previous version to tests/fixtures/ and a test that opens it (see tests/core/test_migrations.py).
Each step runs in its own transaction together with the bump of PRAGMA user_version.
"""

from __future__ import annotations

from dataclasses import dataclass

from maintdesk.records.migration_channels import CHANNELS
from maintdesk.records.migration_issuers import ISSUERS, WITHDRAWERS
from maintdesk.records.migration_purposes import PURPOSES
from maintdesk.records.migration_senders import SENDERS

NOTICE_CONTENT_COLUMNS = (
    "work_order_id", "kind", "language", "channel", "recipient_name", "recipient_address",
    "recipient_email", "subject", "body_html", "body_text", "pdf_path", "pdf_sha256", "created_at",
)


@dataclass(frozen=True)
class Migration:
    version: int
    changes: str
    statements: tuple[str, ...]
    # A step that rebuilds a table (SQLite cannot change a CHECK in place) runs with foreign keys
    # off, as SQLite's documented procedure asks, and is checked with foreign_key_check before commit.
    rebuilds_tables: bool = False


_V1 = (
    """CREATE TABLE organization (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        website TEXT NOT NULL DEFAULT '',
        logo_path TEXT NOT NULL DEFAULT '',
        default_language TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'fr')),
        paper_size TEXT NOT NULL DEFAULT 'A4' CHECK (paper_size IN ('A4', 'Letter')),
        sender_name TEXT NOT NULL DEFAULT '',
        sender_title TEXT NOT NULL DEFAULT '',
        sender_email TEXT NOT NULL DEFAULT '',
        reply_to TEXT NOT NULL DEFAULT ''
    )""",
    "INSERT INTO organization (id) VALUES (1)",
    """CREATE TABLE properties (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        address_line1 TEXT NOT NULL,
        address_line2 TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL,
        jurisdiction TEXT NOT NULL DEFAULT 'default',
        timezone TEXT NOT NULL,
        manager_name TEXT NOT NULL DEFAULT '',
        manager_phone TEXT NOT NULL DEFAULT '',
        manager_email TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        property_id INTEGER NOT NULL REFERENCES properties(id) ON DELETE CASCADE,
        label TEXT NOT NULL COLLATE NOCASE CHECK (trim(label) <> ''),
        floor INTEGER,
        notes TEXT NOT NULL DEFAULT '',
        UNIQUE (property_id, label)
    )""",
    """CREATE TABLE tenants (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        salutation TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
        channel TEXT NOT NULL DEFAULT 'print' CHECK (channel IN ('print', 'email', 'both')),
        mailing_address TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    )""",
    "CREATE INDEX tenants_by_unit ON tenants (unit_id)",
    "CREATE INDEX tenants_by_email ON tenants (email COLLATE NOCASE) WHERE email <> ''",
    """CREATE TABLE work_orders (
        id INTEGER PRIMARY KEY,
        property_id INTEGER NOT NULL REFERENCES properties(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT 'other',
        description TEXT NOT NULL DEFAULT '{}',
        reason TEXT NOT NULL DEFAULT '{}',
        impact TEXT NOT NULL DEFAULT '{}',
        alternatives TEXT NOT NULL DEFAULT '{}',
        access_conditions TEXT NOT NULL DEFAULT '{}',
        updates_info TEXT NOT NULL DEFAULT '{}',
        emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
        scope TEXT NOT NULL DEFAULT 'units' CHECK (scope IN ('units', 'building')),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
            ('draft', 'scheduled', 'in_progress', 'completed', 'postponed', 'cancelled')),
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL CHECK (window_end > window_start),
        contractor TEXT NOT NULL DEFAULT '',
        contact_name TEXT NOT NULL DEFAULT '',
        contact_phone TEXT NOT NULL DEFAULT '',
        contact_email TEXT NOT NULL DEFAULT '',
        internal_notes TEXT NOT NULL DEFAULT '',
        all_units INTEGER NOT NULL DEFAULT 1 CHECK (all_units IN (0, 1)),
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX work_orders_by_property ON work_orders (property_id, window_start)",
    """CREATE TABLE work_order_units (
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        PRIMARY KEY (work_order_id, unit_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE slots (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        start TEXT NOT NULL,
        end TEXT NOT NULL CHECK (end > start),
        UNIQUE (work_order_id, unit_id)
    )""",
    """CREATE TABLE action_items (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (work_order_id, position)
    )""",
    """CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE RESTRICT,
        tenant_id INTEGER REFERENCES tenants(id) ON DELETE SET NULL,
        unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'reminder', 'final-reminder', 'emergency',
            'postponed', 'cancelled', 'completed')),
        language TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('print', 'email', 'eml')),
        recipient_name TEXT NOT NULL,
        recipient_address TEXT NOT NULL DEFAULT '',
        recipient_email TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL,
        body_html TEXT NOT NULL DEFAULT '',
        body_text TEXT NOT NULL DEFAULT '',
        pdf_path TEXT NOT NULL DEFAULT '',
        pdf_sha256 TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'generated' CHECK (state IN
            ('generated', 'queued', 'sent', 'printed', 'delivered', 'failed', 'unknown')),
        created_at TEXT NOT NULL,
        sent_at TEXT,
        delivered_at TEXT,
        delivery_method TEXT NOT NULL DEFAULT '',
        delivered_by TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        message_id TEXT NOT NULL DEFAULT '',
        batch_id TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX notices_by_work_order ON notices (work_order_id, created_at)",
    "CREATE INDEX notices_by_tenant ON notices (tenant_id)",
    f"""CREATE TRIGGER notices_are_immutable
        BEFORE UPDATE OF {", ".join(NOTICE_CONTENT_COLUMNS)} ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
    """CREATE TRIGGER notices_are_kept BEFORE DELETE ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be deleted'); END""",
)

_V2 = (
    "ALTER TABLE tenants ADD COLUMN large_print INTEGER NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1))",
    "ALTER TABLE tenants ADD COLUMN access_notes TEXT NOT NULL DEFAULT ''",
)

_V3 = (
    # Notice numbers are handed out before rendering, because each letter prints its own number and
    # the archive row (with the PDF's SHA-256) can only be written once the PDF exists.
    """CREATE TABLE notice_numbers (
        id INTEGER PRIMARY KEY,
        reserved_at TEXT NOT NULL
    )""",
    "ALTER TABLE work_orders ADD COLUMN previous_window_start TEXT",
    "ALTER TABLE work_orders ADD COLUMN previous_window_end TEXT",
)

_V4 = (
    # What the notice-law checks and the slot planner need beyond the work order (maintdesk.records.terms).
    """CREATE TABLE work_order_terms (
        work_order_id INTEGER PRIMARY KEY REFERENCES work_orders(id) ON DELETE CASCADE,
        nature TEXT NOT NULL DEFAULT 'auto' CHECK (nature IN
            ('auto', 'inspection', 'repair', 'maintenance', 'major', 'modernisation')),
        vacate_days INTEGER NOT NULL DEFAULT 0 CHECK (vacate_days >= 0),
        print_delivery TEXT NOT NULL DEFAULT 'hand' CHECK (print_delivery IN ('hand', 'mail', 'registered')),
        tenants_agreed INTEGER NOT NULL DEFAULT 0 CHECK (tenants_agreed IN (0, 1)),
        slot_minutes INTEGER NOT NULL DEFAULT 45 CHECK (slot_minutes > 0),
        buffer_minutes INTEGER NOT NULL DEFAULT 15 CHECK (buffer_minutes >= 0),
        day_start TEXT NOT NULL DEFAULT '08:00',
        day_end TEXT NOT NULL DEFAULT '18:00',
        breaks TEXT NOT NULL DEFAULT '["12:00-13:00"]',
        slot_order TEXT NOT NULL DEFAULT 'floor' CHECK (slot_order IN ('floor', 'floor-desc', 'unit')),
        slot_rules_saved INTEGER NOT NULL DEFAULT 0 CHECK (slot_rules_saved IN (0, 1)),
        updated_at TEXT NOT NULL
    )""",
    # A manager accepting a finding of the checks: kept as a record, never edited.
    """CREATE TABLE finding_overrides (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        code TEXT NOT NULL CHECK (trim(code) <> ''),
        reason TEXT NOT NULL CHECK (trim(reason) <> ''),
        decided_by TEXT NOT NULL CHECK (trim(decided_by) <> ''),
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX finding_overrides_by_work_order ON finding_overrides (work_order_id, code)",
)

_NOTICE_COLUMNS = (
    "id, work_order_id, tenant_id, unit_id, kind, language, channel, recipient_name, recipient_address, "
    "recipient_email, subject, body_html, body_text, pdf_path, pdf_sha256, state, created_at, sent_at, "
    "delivered_at, delivery_method, delivered_by, error, message_id, batch_id"
)

_UPDATE_NOTICES = (
    # The progress update joins the notice kinds. SQLite cannot change a CHECK constraint, so the
    # archive is copied into a new table; nothing references notices, and DROP TABLE fires no trigger.
    """CREATE TABLE notices_new (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE RESTRICT,
        tenant_id INTEGER REFERENCES tenants(id) ON DELETE SET NULL,
        unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'reminder', 'final-reminder', 'emergency', 'update',
            'postponed', 'cancelled', 'completed')),
        language TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('print', 'email', 'eml')),
        recipient_name TEXT NOT NULL,
        recipient_address TEXT NOT NULL DEFAULT '',
        recipient_email TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL,
        body_html TEXT NOT NULL DEFAULT '',
        body_text TEXT NOT NULL DEFAULT '',
        pdf_path TEXT NOT NULL DEFAULT '',
        pdf_sha256 TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'generated' CHECK (state IN
            ('generated', 'queued', 'sent', 'printed', 'delivered', 'failed', 'unknown')),
        created_at TEXT NOT NULL,
        sent_at TEXT,
        delivered_at TEXT,
        delivery_method TEXT NOT NULL DEFAULT '',
        delivered_by TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        message_id TEXT NOT NULL DEFAULT '',
        batch_id TEXT NOT NULL DEFAULT ''
    )""",
    f"INSERT INTO notices_new ({_NOTICE_COLUMNS}) SELECT {_NOTICE_COLUMNS} FROM notices",
    "DROP TABLE notices",
    "ALTER TABLE notices_new RENAME TO notices",
    "CREATE INDEX notices_by_work_order ON notices (work_order_id, created_at)",
    "CREATE INDEX notices_by_tenant ON notices (tenant_id)",
    f"""CREATE TRIGGER notices_are_immutable
        BEFORE UPDATE OF {", ".join(NOTICE_CONTENT_COLUMNS)} ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
    """CREATE TRIGGER notices_are_kept BEFORE DELETE ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be deleted'); END""",
)

_WITHDRAWN_OVERRIDES = (
    # An accepted finding can be withdrawn, once, with who, when and why; the decision itself and
    # the withdrawal are kept as recorded (the checks then count the finding again).
    "ALTER TABLE finding_overrides ADD COLUMN withdrawn_at TEXT",
    "ALTER TABLE finding_overrides ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE finding_overrides ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT ''",
    """CREATE TRIGGER finding_overrides_kept BEFORE UPDATE ON finding_overrides
    WHEN OLD.withdrawn_at IS NOT NULL
        OR NEW.work_order_id IS NOT OLD.work_order_id OR NEW.code IS NOT OLD.code
        OR NEW.reason IS NOT OLD.reason OR NEW.decided_by IS NOT OLD.decided_by
        OR NEW.decided_at IS NOT OLD.decided_at
        OR (NEW.withdrawn_at IS NOT NULL AND (trim(NEW.withdrawn_by) = '' OR trim(NEW.withdrawn_reason) = ''))
    BEGIN
        SELECT RAISE(ABORT, 'an accepted finding is kept as recorded and can be withdrawn once');
    END""",
)

_ENTRY_AGREEMENTS = (
    # A tenant's written agreement to a visit outside the lawful days or hours, per work order and
    # unit (maintdesk.records.agreements); kept as recorded like finding_overrides, withdrawn at most once.
    """CREATE TABLE entry_agreements (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        note TEXT NOT NULL CHECK (trim(note) <> ''),
        recorded_by TEXT NOT NULL CHECK (trim(recorded_by) <> ''),
        recorded_at TEXT NOT NULL,
        withdrawn_at TEXT,
        withdrawn_by TEXT NOT NULL DEFAULT '',
        withdrawn_note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX entry_agreements_by_work_order ON entry_agreements (work_order_id, unit_id)",
    # At most one agreement in force per unit of a work order; withdrawn ones stay beside it.
    """CREATE UNIQUE INDEX entry_agreements_in_force ON entry_agreements (work_order_id, unit_id)
        WHERE withdrawn_at IS NULL""",
    """CREATE TRIGGER entry_agreements_kept BEFORE UPDATE ON entry_agreements
    WHEN OLD.withdrawn_at IS NOT NULL
        OR NEW.work_order_id IS NOT OLD.work_order_id OR NEW.unit_id IS NOT OLD.unit_id
        OR NEW.note IS NOT OLD.note OR NEW.recorded_by IS NOT OLD.recorded_by
        OR NEW.recorded_at IS NOT OLD.recorded_at
        OR (NEW.withdrawn_at IS NOT NULL AND (trim(NEW.withdrawn_by) = '' OR trim(NEW.withdrawn_note) = ''))
    BEGIN
        SELECT RAISE(ABORT, 'an entry agreement is kept as recorded and can be withdrawn once');
    END""",
)

_NOTICE_PLACE_COLUMNS = NOTICE_CONTENT_COLUMNS + ("property_name", "unit_label")
_NOTICE_PLACE = (
    # The records name the building and the unit as they were when the notice was issued; notices
    # issued before take the names of the day of the upgrade, the best known.
    "ALTER TABLE notices ADD COLUMN property_name TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE notices ADD COLUMN unit_label TEXT NOT NULL DEFAULT ''",
    """UPDATE notices SET
        property_name = coalesce((SELECT p.name FROM work_orders w JOIN properties p ON p.id = w.property_id
                                  WHERE w.id = notices.work_order_id), ''),
        unit_label = coalesce((SELECT u.label FROM units u WHERE u.id = notices.unit_id), '')""",
    "DROP TRIGGER notices_are_immutable",
    f"""CREATE TRIGGER notices_are_immutable
        BEFORE UPDATE OF {", ".join(_NOTICE_PLACE_COLUMNS)} ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
)

_NOTICE_CORRECTION_COLUMNS = _NOTICE_PLACE_COLUMNS + ("corrects_notice_id",)
_VOIDS_AND_CHECKS = (
    # A correction names the notice it corrects; it is part of the notice, which cannot be changed.
    "ALTER TABLE notices ADD COLUMN corrects_notice_id INTEGER REFERENCES notices(id) ON DELETE RESTRICT",
    "DROP TRIGGER notices_are_immutable",
    f"""CREATE TRIGGER notices_are_immutable
        BEFORE UPDATE OF {", ".join(_NOTICE_CORRECTION_COLUMNS)} ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
    # A void: the notice stays in the archive as it was issued, marked void with why, who and when.
    """CREATE TABLE notice_voids (
        notice_id INTEGER PRIMARY KEY REFERENCES notices(id) ON DELETE RESTRICT,
        reason TEXT NOT NULL CHECK (trim(reason) <> ''),
        voided_by TEXT NOT NULL CHECK (trim(voided_by) <> ''),
        voided_at TEXT NOT NULL
    )""",
    """CREATE TRIGGER notice_voids_are_kept BEFORE UPDATE ON notice_voids
        BEGIN SELECT RAISE(ABORT, 'a void is kept as recorded'); END""",
    """CREATE TRIGGER notice_voids_are_not_deleted BEFORE DELETE ON notice_voids
        BEGIN SELECT RAISE(ABORT, 'a void is kept as recorded'); END""",
    # The checks of a work order as they stood when a batch of its notices was issued.
    """CREATE TABLE issue_checks (
        batch_id TEXT PRIMARY KEY CHECK (trim(batch_id) <> ''),
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE RESTRICT,
        checked_at TEXT NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        report TEXT NOT NULL
    )""",
    "CREATE INDEX issue_checks_by_work_order ON issue_checks (work_order_id, checked_at)",
    """CREATE TRIGGER issue_checks_are_kept BEFORE UPDATE ON issue_checks
        BEGIN SELECT RAISE(ABORT, 'the check made at issue is kept as recorded'); END""",
    """CREATE TRIGGER issue_checks_are_not_deleted BEFORE DELETE ON issue_checks
        BEGIN SELECT RAISE(ABORT, 'the check made at issue is kept as recorded'); END""",
)

_CONSENT_AND_LEASE = (
    # A tenant's written consent to notices by email (the day it was given; where the signed paper
    # is kept), which some laws (Ontario's) ask for before a notice may go by email.
    """ALTER TABLE tenants ADD COLUMN email_consent_on TEXT
        CHECK (email_consent_on IS NULL OR email_consent_on IS date(email_consent_on))""",
    "ALTER TABLE tenants ADD COLUMN email_consent_kept TEXT NOT NULL DEFAULT ''",
    # A lease may ask for a longer notice than the law: '' for none, else a duration as the rules
    # write it (48h, 2d, 1w); the tenant's lease overrides the building's.
    "ALTER TABLE tenants ADD COLUMN lease_notice TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE properties ADD COLUMN lease_notice TEXT NOT NULL DEFAULT ''",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "changes: the first schema: organization, properties, units, tenants, work orders "
                 "with affected units, slots and actions, the notice archive", _V1),
    Migration(2, "changes: tenants get large_print (large-print letters) and access_notes "
                 "(key left, pets, special needs) for the crew sheet", _V2),
    Migration(3, "changes: notice_numbers reserves the numbers printed on letters; work orders keep "
                 "the window they had before a postponement", _V3),
    Migration(4, "changes: work_order_terms (nature of the work, evacuation, print delivery, tenants' "
                 "agreement, slot rules) and finding_overrides (accepted findings with reason, who, when)", _V4),
    Migration(5, "changes: notices accept the kind 'update' (progress updates during long or urgent work)",
              _UPDATE_NOTICES),
    Migration(6, "changes: an accepted finding can be withdrawn (withdrawn_at, withdrawn_by, "
                 "withdrawn_reason); accepted findings cannot be edited otherwise", _WITHDRAWN_OVERRIDES),
    Migration(7, "changes: entry_agreements (a unit's tenant agreed in writing to a visit outside the "
                 "lawful days or hours: note, who, when; withdrawn once, otherwise kept as recorded)",
              _ENTRY_AGREEMENTS),
    Migration(8, "changes: notices keep the building's name and the unit's label of the day they were issued",
              _NOTICE_PLACE),
    Migration(9, "changes: a notice can be voided (notice_voids: why, who, when) and corrected "
                 "(notices.corrects_notice_id); issue_checks keeps the checks as they stood at issue",
              _VOIDS_AND_CHECKS),
    Migration(10, "changes: senders (a letterhead per office: address, logo, window layout, language, time "
                  "format, signer and titles per language, email sender), each property has one; the "
                  "organization's letterhead becomes the first sender; work orders choose the crew sheet's "
                  "language; tenants and the organization may use German and Spanish; a demo database "
                  "says so (organization.demo)",
              SENDERS, rebuilds_tables=True),
    Migration(11, "changes: tenants record their written consent to notices by email (email_consent_on, "
                  "email_consent_kept) and a lease's longer notice period (lease_notice); properties "
                  "record their leases' notice period (lease_notice)", _CONSENT_AND_LEASE),
    Migration(12, "changes: a work order's nature may be 'showing' (showing the unit to a prospective buyer or "
                  "tenant), an entry purpose with its own notice rules; work_order_terms rebuilt for its CHECK",
              PURPOSES, rebuilds_tables=True),
    Migration(13, "changes: notices may go by SMS (channel 'sms', recipient_phone); tenants record their consent "
                  "to SMS (sms_consent_on, sms_consent_how) and are flagged for paper when an email bounces "
                  "(paper_reason, paper_since); properties have quiet hours for SMS (quiet_start, quiet_end); "
                  "inbound_messages keeps the bounces and replies read from the office mailbox",
              CHANNELS, rebuilds_tables=True),
    Migration(14, "changes: each issued notice records who issued it (issued_by: the desk's user name, or on an "
                  "office server the person's database role, as for voids and accepted findings)", ISSUERS),
    Migration(15, "changes: on an office server, who recorded an entry agreement and who withdrew an accepted "
                  "finding or an agreement is the person's database role (nothing changes in a SQLite file)",
              WITHDRAWERS),
)

LATEST_VERSION = MIGRATIONS[-1].version
