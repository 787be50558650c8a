"""The records wing: what MaintDesk keeps, and the only code that speaks SQL.

The database file and its schema steps (`db`, `migrations`), the `Store` that reads and writes
every record in one transaction per change, the record types (`models`, `terms`, `agreements`),
the checks at the boundary (`validation`), the JSON interchange, the demo data, and the plain
views the command line prints. It imports only the shared basics at the top of `maintdesk`.
"""
