"""A schema step of maintdesk.records.migrations: SMS as a notice channel, tenants' consent to SMS,
quiet hours per building, tenants flagged for paper, and what came back to the office mailbox.
Kept apart because it rebuilds the notices table (SQLite cannot change a CHECK in place)."""

from __future__ import annotations

_NOTICE_COLUMNS = (
    "id, work_order_id, tenant_id, unit_id, kind, language, channel, recipient_name, recipient_address, "
    "recipient_email, subject, body_html, body_text, pdf_path, pdf_sha256, state, created_at, sent_at, "
    "delivered_at, delivery_method, delivered_by, error, message_id, batch_id, property_name, unit_label, "
    "corrects_notice_id"
)
# What an issued notice says and to whom: never changed once archived (the state columns may change).
NOTICE_CONTENT_COLUMNS = (
    "work_order_id", "kind", "language", "channel", "recipient_name", "recipient_address",
    "recipient_email", "subject", "body_html", "body_text", "pdf_path", "pdf_sha256", "created_at",
    "property_name", "unit_label", "corrects_notice_id", "recipient_phone",
)

CHANNELS = (
    # Notices may go by SMS; an SMS names the number it went to (recipient_phone, E.164).
    """CREATE TABLE notices_new (
        id INTEGER PRIMARY KEY,
        work_order_id INTEGER NOT NULL REFERENCES work_orders(id) ON DELETE RESTRICT,
        tenant_id INTEGER REFERENCES tenants(id) ON DELETE SET NULL,
        unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'reminder', 'final-reminder', 'emergency', 'update',
            'postponed', 'cancelled', 'completed')),
        language TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('print', 'email', 'eml', 'sms')),
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
        batch_id TEXT NOT NULL DEFAULT '',
        property_name TEXT NOT NULL DEFAULT '',
        unit_label TEXT NOT NULL DEFAULT '',
        corrects_notice_id INTEGER REFERENCES notices(id) ON DELETE RESTRICT,
        recipient_phone TEXT NOT NULL DEFAULT ''
    )""",
    f"INSERT INTO notices_new ({_NOTICE_COLUMNS}) SELECT {_NOTICE_COLUMNS} FROM notices",
    "DROP TABLE notices",
    "ALTER TABLE notices_new RENAME TO notices",
    "CREATE INDEX notices_by_work_order ON notices (work_order_id, created_at)",
    "CREATE INDEX notices_by_tenant ON notices (tenant_id)",
    "CREATE INDEX notices_by_message_id ON notices (message_id) WHERE message_id <> ''",
    f"""CREATE TRIGGER notices_are_immutable
        BEFORE UPDATE OF {", ".join(NOTICE_CONTENT_COLUMNS)} ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be changed; issue a new notice instead'); END""",
    """CREATE TRIGGER notices_are_kept BEFORE DELETE ON notices
        BEGIN SELECT RAISE(ABORT, 'issued notices cannot be deleted'); END""",
    # A tenant's consent to SMS: the day and how it was given ("signed form", "replied YES").
    """ALTER TABLE tenants ADD COLUMN sms_consent_on TEXT
        CHECK (sms_consent_on IS NULL OR sms_consent_on IS date(sms_consent_on))""",
    "ALTER TABLE tenants ADD COLUMN sms_consent_how TEXT NOT NULL DEFAULT ''",
    # A tenant whose email bounced gets paper until a person clears the flag (why, and since when).
    "ALTER TABLE tenants ADD COLUMN paper_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE tenants ADD COLUMN paper_since TEXT",
    # No SMS at night except for emergencies: the building's quiet hours, local time ('' = none).
    """ALTER TABLE properties ADD COLUMN quiet_start TEXT NOT NULL DEFAULT '21:00'
        CHECK (quiet_start = '' OR quiet_start GLOB '[0-2][0-9]:[0-5][0-9]')""",
    """ALTER TABLE properties ADD COLUMN quiet_end TEXT NOT NULL DEFAULT '08:00'
        CHECK (quiet_end = '' OR quiet_end GLOB '[0-2][0-9]:[0-5][0-9]')""",
    # What came back to the office mailbox, each message once: bounces, replies, unreadable reports.
    """CREATE TABLE inbound_messages (
        id INTEGER PRIMARY KEY,
        message_key TEXT NOT NULL UNIQUE,
        folder TEXT NOT NULL DEFAULT '',
        uidvalidity INTEGER NOT NULL DEFAULT 0,
        uid INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL CHECK (kind IN ('bounce', 'delay', 'reply', 'auto-reply', 'malformed', 'other')),
        notice_id INTEGER REFERENCES notices(id) ON DELETE RESTRICT,
        tenant_id INTEGER REFERENCES tenants(id) ON DELETE SET NULL,
        sender TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        body_text TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL,
        read_at TEXT
    )""",
    "CREATE INDEX inbound_by_notice ON inbound_messages (notice_id)",
    "CREATE INDEX inbound_by_uid ON inbound_messages (folder, uidvalidity, uid)",
)
