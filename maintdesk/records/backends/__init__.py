"""The database servers behind the same `Store`: SQLite is maintdesk.records.db and .sharing;
PostgreSQL is `postgres` (connection, transactions, errors), `pg_sql` (the store's statements in
PostgreSQL's dialect) and `pg_schema` (the migration steps in PostgreSQL's dialect)."""
