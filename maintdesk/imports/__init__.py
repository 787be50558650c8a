"""The imports wing: tenant lists from spreadsheets.

Reading a CSV or XLSX file with a known encoding and delimiter (`files`), matching its columns to
the fields MaintDesk knows (`mapping`), cleaning one cell (`values`) and one row (`rows`), the
report the preview shows (`report`), and the import itself, all rows or none (`tenants`). It
imports the records wing and the shared basics; never letters, mail, planning or anything above.
"""
