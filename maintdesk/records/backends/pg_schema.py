"""The migration steps of maintdesk.records.migrations in PostgreSQL's dialect.

The steps are written once, for SQLite; `postgres_steps()` translates every statement of every
step, so both databases go through the same steps to the same schema version. What differs:
- `id INTEGER PRIMARY KEY` (SQLite's rowid) is an identity column; after a statement that writes
  ids itself, the id sequence is moved past the highest id (`maintdesk_follow_ids`);
- `COLLATE NOCASE` is an ICU collation named `nocase` (case-insensitive, also for UNIQUE);
- `x IS date(x)` is `maintdesk_is_date(x)`, `GLOB 'pattern'` a regular expression, `IS NOT`
  between values `IS DISTINCT FROM`, `json_object` a function of the same name;
- a trigger `BEGIN SELECT RAISE(ABORT, '…'); END` is a PL/pgSQL function raising the same
  words (SQLSTATE 23000, an integrity error) and a row trigger calling it;
- a table rebuilt the SQLite way (create the new table, copy, DROP, RENAME) keeps the foreign
  keys other tables had on it: they are saved before the DROP and put back after the RENAME.
A statement the translation does not know stops with UntranslatableStatement; give that step a
PostgreSQL form of its own in `OWN_FORMS` (version: statements).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from maintdesk.records.migration_issuers import ISSUERS_ON_SERVER, WITHDRAWERS_ON_SERVER
from maintdesk.records.migrations import MIGRATIONS, Migration

# Steps whose SQLite statements cannot be translated statement by statement: version → statements.
OWN_FORMS: dict[int, tuple[str, ...]] = {}
# Statements a step has on PostgreSQL only, after its translated ones: version → statements.
EXTRA_FORMS: dict[int, tuple[str, ...]] = {14: ISSUERS_ON_SERVER, 15: WITHDRAWERS_ON_SERVER}

PREAMBLE = (
    """CREATE TABLE IF NOT EXISTS schema_version (
        singleton INTEGER PRIMARY KEY DEFAULT 1 CHECK (singleton = 1),
        version INTEGER NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )""",
    "INSERT INTO schema_version (singleton, version) VALUES (1, 0) ON CONFLICT DO NOTHING",
    """DO $$ BEGIN
        CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
    r"""CREATE OR REPLACE FUNCTION maintdesk_is_date(value TEXT) RETURNS BOOLEAN
        IMMUTABLE LANGUAGE plpgsql AS $$
    BEGIN
        RETURN value ~ '^\d{4}-\d{2}-\d{2}$' AND to_char(to_date(value, 'YYYY-MM-DD'), 'YYYY-MM-DD') = value;
    EXCEPTION WHEN others THEN RETURN false;
    END $$""",
    """CREATE OR REPLACE FUNCTION json_object(key TEXT, value TEXT) RETURNS TEXT
        IMMUTABLE LANGUAGE sql AS $$ SELECT jsonb_build_object(key, value)::text $$""",
    """CREATE OR REPLACE FUNCTION maintdesk_follow_ids(tbl TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
    DECLARE
        seq TEXT := pg_get_serial_sequence(tbl, 'id');
        top BIGINT;
    BEGIN
        IF seq IS NULL THEN RETURN; END IF;
        EXECUTE format('SELECT coalesce(max(id), 0) FROM %I', tbl) INTO top;
        top := greatest(top, coalesce(pg_sequence_last_value(seq::regclass), 0));
        IF top > 0 THEN PERFORM setval(seq, top, true); END IF;
    END $$""",
)


class UntranslatableStatement(ValueError):
    """A migration statement with no PostgreSQL form: add one to OWN_FORMS."""


@dataclass(frozen=True)
class PostgresStep:
    version: int
    changes: str
    statements: tuple[str, ...]


_CREATE_TABLE = re.compile(r"^CREATE\s+TABLE\s+(\w+)", re.IGNORECASE)
_ALTER_ADD = re.compile(r"^ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\b", re.IGNORECASE)
_RENAME = re.compile(r"^ALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+)\s*$", re.IGNORECASE)
_DROP_TABLE = re.compile(r"^DROP\s+TABLE\s+(\w+)\s*$", re.IGNORECASE)
_CREATE_INDEX = re.compile(r"^CREATE\s+(UNIQUE\s+)?INDEX\b", re.IGNORECASE)
_DML = re.compile(r"^(INSERT\s+INTO\s+(\w+)|UPDATE\s+\w+|DELETE\s+FROM\s+\w+)", re.IGNORECASE)
_TRIGGER = re.compile(
    r"^CREATE\s+TRIGGER\s+(?P<name>\w+)\s+(?P<when>BEFORE|AFTER)\s+(?P<event>UPDATE(?:\s+OF\s+[\w\s,]+?)?|DELETE|INSERT)"
    r"\s+ON\s+(?P<table>\w+)\s*(?:WHEN\s+(?P<condition>.*?))?\s*BEGIN\s+SELECT\s+RAISE\(\s*ABORT\s*,\s*"
    r"'(?P<message>(?:[^']|'')*)'\s*\)\s*;\s*END\s*$", re.IGNORECASE | re.DOTALL)
_DROP_TRIGGER = re.compile(r"^DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s*$", re.IGNORECASE)
_ROWID = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_IS_DATE = re.compile(r"\b(\w+)\s+IS\s+date\(\s*\1\s*\)", re.IGNORECASE)
_GLOB = re.compile(r"\bGLOB\s+'((?:[^']|'')*)'", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_END_COLUMN = re.compile(r"(?<![\w\"])end(?=\s+TEXT\b|\s*[<>=])")


def _glob_to_regex(pattern: str) -> str:
    out = []
    for char in pattern:
        out.append(".*" if char == "*" else "." if char == "?" else char if char in "[]-^" or char.isalnum()
                   else "''" if char == "'" else re.escape(char))
    return "~ '^" + "".join(out).replace("''''", "''") + "$'"


def _expressions(sql: str) -> str:
    sql = _IS_DATE.sub(lambda m: f"maintdesk_is_date({m[1]})", sql)
    sql = _GLOB.sub(lambda m: _glob_to_regex(m[1]), sql)
    sql = _IS_NOT.sub("IS DISTINCT FROM ", sql)
    return _END_COLUMN.sub('"end"', sql)


class _Translator:
    """Translates statements in migration order: it remembers which table each trigger is on and
    which tables have an `id` column."""

    def __init__(self) -> None:
        self.trigger_tables: dict[str, str] = {}
        self.id_tables: set[str] = set()

    def statement(self, sql: str) -> list[str]:
        text = sql.strip().rstrip(";").strip()
        if match := _CREATE_TABLE.match(text):
            table = match[1].lower()
            if _ROWID.search(text):
                self.id_tables.add(table)
                text = _ROWID.sub("id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text, count=1)
            text = re.sub(r"\)\s*WITHOUT\s+ROWID\s*$", ")", text, flags=re.IGNORECASE)
            return [_expressions(text)]
        if match := _RENAME.match(text):
            old, new = match[1].lower(), match[2].lower()
            if old in self.id_tables:
                self.id_tables.discard(old)
                self.id_tables.add(new)
            return [text, _restore_keys(old, new)] + ([f"SELECT maintdesk_follow_ids('{new}')"]
                                                      if new in self.id_tables else [])
        if match := _DROP_TABLE.match(text):
            table = match[1].lower()
            self.id_tables.discard(table)
            return [_SAVE_KEYS_TABLE, _save_keys(table), f"DROP TABLE {table} CASCADE"]
        if _ALTER_ADD.match(text) or _CREATE_INDEX.match(text):
            return [_expressions(text)]
        if match := _TRIGGER.match(text):
            return self._trigger(match)
        if match := _DROP_TRIGGER.match(text):
            name = match[1].lower()
            table = self.trigger_tables.pop(name, None)
            if table is None:
                raise UntranslatableStatement(f"DROP TRIGGER {name}: no earlier step created it")
            return [f"DROP TRIGGER IF EXISTS {name} ON {table}"]
        if match := _DML.match(text):
            table = (match[2] or "").lower()
            follow = [f"SELECT maintdesk_follow_ids('{table}')"] if table in self.id_tables else []
            return [_expressions(text)] + follow
        raise UntranslatableStatement(f"no PostgreSQL form for: {text[:80]}…")

    def _trigger(self, match: re.Match[str]) -> list[str]:
        name, table = match["name"].lower(), match["table"].lower()
        self.trigger_tables[name] = table
        event = re.sub(r"\s+", " ", match["event"].strip())
        condition = f" WHEN ({_expressions(match['condition'].strip())})" if match["condition"] else ""
        function = f"maintdesk_refuse_{name}"
        return [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $refuse$
                BEGIN RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '{match['message']}'; END $refuse$""",
            f"CREATE TRIGGER {name} {match['when'].upper()} {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {function}()",
        ]


_SAVE_KEYS_TABLE = ("CREATE TEMP TABLE IF NOT EXISTS maintdesk_saved_keys "
                    "(tbl TEXT, name TEXT, target TEXT, def TEXT) ON COMMIT DROP")


def _save_keys(table: str) -> str:
    return (f"INSERT INTO maintdesk_saved_keys SELECT conrelid::regclass::text, conname, '{table}', "
            f"pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND confrelid = '{table}'::regclass "
            f"AND conrelid <> '{table}'::regclass")


def _restore_keys(old: str, new: str) -> str:
    """After `ALTER TABLE old RENAME TO new`: the keys saved when `new` was dropped come back,
    on their tables (the renamed one under its new name)."""
    return f"""DO $$ DECLARE k RECORD; BEGIN
        FOR k IN SELECT * FROM maintdesk_saved_keys WHERE target = '{new}' LOOP
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                           CASE WHEN k.tbl = '{old}' THEN '{new}' ELSE k.tbl END, k.name, k.def);
        END LOOP;
        DELETE FROM maintdesk_saved_keys WHERE target = '{new}';
    EXCEPTION WHEN undefined_table THEN NULL;
    END $$"""


def postgres_steps(steps: Iterable[Migration] = MIGRATIONS) -> tuple[PostgresStep, ...]:
    """Every migration step in PostgreSQL's form, in order; UntranslatableStatement names the first
    statement that has none."""
    translator = _Translator()
    out = []
    for step in steps:
        if step.version in OWN_FORMS:
            statements = list(OWN_FORMS[step.version])
        else:
            statements = []
            for sql in step.statements:
                try:
                    statements += translator.statement(sql)
                except UntranslatableStatement as exc:
                    raise UntranslatableStatement(f"schema step {step.version}: {exc}") from None
        statements += EXTRA_FORMS.get(step.version, ())
        out.append(PostgresStep(step.version, step.changes, tuple(statements)))
    return tuple(out)
