"""Schema 10, a step of maintdesk.records.migrations: senders (a letterhead per office), the crew
sheet's language, German and Spanish, the demo mark. Kept apart because it rebuilds two tables."""

from __future__ import annotations

_LANGUAGE_CODES = "('en', 'fr', 'de', 'es')"
SENDERS = (
    # A sender is a letterhead: who a building's letters come from, on which paper, signed by whom.
    f"""CREATE TABLE senders (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE CHECK (trim(label) <> ''),
        name TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        website TEXT NOT NULL DEFAULT '',
        logo_path TEXT NOT NULL DEFAULT '',
        window_layout TEXT NOT NULL DEFAULT 'din5008'
            CHECK (window_layout IN ('din5008', 'nf-z11-001', 'us-10', 'canada')),
        default_language TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN {_LANGUAGE_CODES}),
        time_format TEXT NOT NULL DEFAULT 'locale' CHECK (time_format IN ('locale', '24h', '12h')),
        signer_name TEXT NOT NULL DEFAULT '',
        signer_titles TEXT NOT NULL DEFAULT '{{}}',
        email_from TEXT NOT NULL DEFAULT '',
        reply_to TEXT NOT NULL DEFAULT ''
    )""",
    # The organization's single letterhead, if it was filled in, becomes the first sender; the one
    # title it had is taken to be in the organization's language.
    """INSERT INTO senders (id, label, name, address, phone, email, website, logo_path, window_layout,
                           default_language, signer_name, signer_titles, email_from, reply_to)
       SELECT 1, CASE WHEN trim(name) <> '' THEN name ELSE 'Main office' END, name, address, phone, email,
              website, logo_path, CASE paper_size WHEN 'Letter' THEN 'us-10' ELSE 'din5008' END,
              default_language, sender_name,
              CASE WHEN trim(sender_title) <> '' THEN json_object(default_language, sender_title) ELSE '{}' END,
              sender_email, reply_to
       FROM organization
       WHERE trim(name || address || phone || email || website || logo_path || sender_name || sender_title
                  || sender_email || reply_to) <> ''""",
    # Without a sender of its own, a building's letters come from the first sender.
    "ALTER TABLE properties ADD COLUMN sender_id INTEGER REFERENCES senders(id) ON DELETE RESTRICT",
    "UPDATE properties SET sender_id = (SELECT min(id) FROM senders)",
    # The crew sheet's language, chosen per work order ('' = the building's language).
    """ALTER TABLE work_orders ADD COLUMN crew_language TEXT NOT NULL DEFAULT ''
        CHECK (crew_language IN ('', 'en', 'fr', 'de', 'es'))""",
    # The organization keeps its name and language (the rest moved to the sender) and says whether
    # its records are the made-up demo.
    f"""CREATE TABLE organization_v10 (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL DEFAULT '',
        default_language TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN {_LANGUAGE_CODES}),
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
    )""",
    "INSERT INTO organization_v10 (id, name, default_language) SELECT id, name, default_language FROM organization",
    "DROP TABLE organization",
    "ALTER TABLE organization_v10 RENAME TO organization",
    # Tenants may read German and Spanish.
    f"""CREATE TABLE tenants_v10 (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        salutation TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN {_LANGUAGE_CODES}),
        channel TEXT NOT NULL DEFAULT 'print' CHECK (channel IN ('print', 'email', 'both')),
        mailing_address TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        large_print INTEGER NOT NULL DEFAULT 0 CHECK (large_print IN (0, 1)),
        access_notes TEXT NOT NULL DEFAULT ''
    )""",
    """INSERT INTO tenants_v10 (id, unit_id, name, salutation, email, phone, language, channel, mailing_address,
                               active, large_print, access_notes)
       SELECT id, unit_id, name, salutation, email, phone, language, channel, mailing_address,
              active, large_print, access_notes FROM tenants""",
    "DROP TABLE tenants",
    "ALTER TABLE tenants_v10 RENAME TO tenants",
    "CREATE INDEX tenants_by_unit ON tenants (unit_id)",
    "CREATE INDEX tenants_by_email ON tenants (email COLLATE NOCASE) WHERE email <> ''",
)
