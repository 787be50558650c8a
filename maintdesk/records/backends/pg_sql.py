"""The store's statements, written for SQLite, in PostgreSQL's dialect.

The store speaks a small, portable SQL; what differs is rewritten here, statement by statement
(and cached):
- `?` placeholders become `%s` (and a literal `%` becomes `%%`), outside quoted text;
- `x IS NOT ?` (SQLite's null-safe comparison) becomes `x IS DISTINCT FROM %s`;
- a bare `0` condition (an empty `IN` list) becomes FALSE;
- `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` an upsert on the
  table's primary key;
- an INSERT into a table with an `id` column returns it (`RETURNING id`: SQLite's lastrowid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+(?P<or>IGNORE|REPLACE)\s+)?INTO\s+(?P<table>\w+)\s*"
                     r"(?:\((?P<columns>[^)]*)\))?", re.IGNORECASE | re.DOTALL)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_BARE_ZERO = re.compile(r"\b(WHERE|AND|OR)\s+0(?=\s+(?:AND|OR|ORDER|GROUP|LIMIT)\b|\s*$|\s*\))", re.IGNORECASE)
_OR_CONFLICT = re.compile(r"^\s*INSERT\s+OR\s+\w+\s+INTO", re.IGNORECASE)
_SCALAR_MAX = re.compile(r"\bmax\((?=\s*coalesce\()", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    sql: str
    table: str | None = None          # the table an INSERT writes
    returns_id: bool = False          # RETURNING id was added: the cursor's lastrowid
    explicit_id: bool = False         # the INSERT names the id: the table's id sequence must follow


def _rewrite(sql: str) -> str:
    pieces = _QUOTED.split(sql)
    return "".join(piece.replace("%", "%%") if index % 2 else _placeholders(piece)
                   for index, piece in enumerate(pieces))


def _placeholders(piece: str) -> str:
    piece = _IS_NOT.sub("IS DISTINCT FROM ", piece)
    piece = _BARE_ZERO.sub(lambda m: f"{m[1]} FALSE", piece)
    piece = _SCALAR_MAX.sub("greatest(", piece)
    return piece.replace("%", "%%").replace("?", "%s")


@lru_cache(maxsize=2048)
def translate(sql: str, id_tables: frozenset[str], primary_keys: tuple[tuple[str, tuple[str, ...]], ...]) -> Statement:
    """`sql` for PostgreSQL; `id_tables`: the tables with an `id` column, `primary_keys`: each
    table's key columns (for INSERT OR REPLACE)."""
    text = _rewrite(sql)
    insert = _INSERT.match(text)
    if insert is None:
        return Statement(text)
    table = insert["table"].lower()
    columns = [c.strip().strip('"').lower() for c in (insert["columns"] or "").split(",") if c.strip()]
    text = _OR_CONFLICT.sub("INSERT INTO", text, count=1)
    text = text.rstrip().rstrip(";")
    conflict = (insert["or"] or "").upper()
    if conflict == "IGNORE":
        text += " ON CONFLICT DO NOTHING"
    elif conflict == "REPLACE":
        keys = dict(primary_keys).get(table, ("id",))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
        text += f" ON CONFLICT ({', '.join(keys)}) " + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
    returns_id = table in id_tables and "RETURNING" not in text.upper()
    if returns_id:
        text += " RETURNING id"
    return Statement(text, table, returns_id, "id" in columns)
