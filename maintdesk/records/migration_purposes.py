"""Schema 12, a step of maintdesk.records.migrations: a work order's nature may be `showing` (showing the
unit to a prospective buyer or tenant), an entry purpose with its own notice rules in several places.
Kept apart because SQLite cannot change a CHECK in place: the table is rebuilt."""

from __future__ import annotations

_COLUMNS = ("work_order_id, nature, vacate_days, print_delivery, tenants_agreed, slot_minutes, buffer_minutes, "
            "day_start, day_end, breaks, slot_order, slot_rules_saved, updated_at")
PURPOSES = (
    """CREATE TABLE work_order_terms_new (
        work_order_id INTEGER PRIMARY KEY REFERENCES work_orders(id) ON DELETE CASCADE,
        nature TEXT NOT NULL DEFAULT 'auto' CHECK (nature IN
            ('auto', 'inspection', 'repair', 'maintenance', 'major', 'modernisation', 'showing')),
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
    f"INSERT INTO work_order_terms_new ({_COLUMNS}) SELECT {_COLUMNS} FROM work_order_terms",
    "DROP TABLE work_order_terms",
    "ALTER TABLE work_order_terms_new RENAME TO work_order_terms",
)
