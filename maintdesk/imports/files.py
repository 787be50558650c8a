"""Reading a tenant list as the user sees it in the spreadsheet: CSV (any way Excel writes it) or XLSX.

Decoding is deterministic, never guessed by a detector: a byte-order mark names the encoding;
without one the file is strict UTF-8 if it decodes as such, else Windows-1252 (what Excel on
Windows writes for "CSV"); the user can name another. The delimiter is found by csv.Sniffer among
comma, semicolon (French Excel) and tab, or given. Row numbers are the spreadsheet's (header = the
row it is on, usually 1), so a problem can be found where the user looks for it.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from maintdesk.errors import InvalidInput
from maintdesk.imports.mapping import header_field

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252",
                  "utf-16": "UTF-16", "utf-32": "UTF-32"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class SourceRow:
    number: int  # the spreadsheet's row number (1 = the first line of the file)
    cells: list[str]


@dataclass
class Table:
    """The file's header and data rows as text; `numeric` names the cells an XLSX held as numbers."""

    source: str
    format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[SourceRow]
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    numeric: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)
    sheets: list[str] = field(default_factory=list)  # every sheet of an XLSX workbook, in its order

    def describe(self) -> str:
        if self.format == "xlsx":
            return f'XLSX, sheet "{self.sheet}"'
        return (f"CSV, {ENCODING_NAMES.get(self.encoding, self.encoding)}, "
                f"{DELIMITERS.get(self.delimiter, repr(self.delimiter))}-separated")


def read_table(path: Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file; raises InvalidInput with a sentence when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data.startswith(_XLS_MAGIC):
        raise InvalidInput(f"{path.name} is an old Excel 97-2003 workbook (.xls): save it as .xlsx or CSV first")
    if data.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data, sheet)
    if delimiter is not None and delimiter not in DELIMITERS:
        named = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t"}.get(delimiter.lower())
        if named is None:
            raise InvalidInput(f'delimiter "{delimiter}": use one of , ; tab')
        delimiter = named
    text, used = decode(data, encoding, path.name)
    return _read_csv(path.name, text, used, delimiter)


def decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """The text and the encoding used: the given one, else BOM → strict UTF-8 → Windows-1252."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(f'encoding "{encoding}" is unknown; try utf-8, cp1252 or utf-16') from None
        candidates = [encoding]
    else:
        bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
        candidates = [bom] if bom else ["utf-8", "cp1252"]
    error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        return text.lstrip("\ufeff"), candidate
    assert error is not None
    line = data[:error.start].count(b"\n") + 1
    tried = " nor ".join(ENCODING_NAMES.get(c, c) for c in candidates)
    raise InvalidInput(f"{name}: line {line} is not {tried} (byte 0x{data[error.start]:02x}); "
                       "name the file's encoding with --encoding")


def _read_csv(name: str, text: str, encoding: str, delimiter: str | None) -> Table:
    head, _, rest = text.partition("\n")
    if head.strip().lower().startswith("sep=") and len(head.strip()) == 5:
        # Excel's hint line: Excel reads the delimiter from it and does not show it as a row.
        delimiter = delimiter or head.strip()[4]
        text = rest
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [SourceRow(number, [cell.strip() for cell in cells]) for number, cells in enumerate(records, start=1)]
    return _with_header(Table(name, "csv", [], rows, encoding=encoding, delimiter=delimiter))


def sniff_delimiter(text: str) -> str:
    """csv.Sniffer's choice among , ; and tab; when it cannot tell, the one the header line has most of."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
    header = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS and found in header:
        return found
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():  # exports often lack styles openpyxl expects: nothing to tell the user
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{path.name} is not an Excel workbook that can be read ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInput(f'{path.name} has no sheet "{sheet}"; its sheets are {", ".join(book.sheetnames)}')
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows, numeric = [], set()
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = []
            for column, value in enumerate(values):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    numeric.add((number, column))
                cells.append(cell_text(value))
            rows.append(SourceRow(number, cells))
        title, sheets = worksheet.title, list(book.sheetnames)
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{path.name} is a damaged workbook ({exc})") from None
    finally:
        book.close()
    return _with_header(Table(path.name, "xlsx", [], rows, sheet=title, numeric=numeric, sheets=sheets))


def cell_text(value: object) -> str:
    """An XLSX cell as the text a user typed: 612345678.0 → '612345678', a date → '2026-03-02'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _with_header(table: Table) -> Table:
    """Take the header row: the first row in which two cells are known headers (exports often
    start with a title and blank rows), else the first non-empty row."""
    rows = table.rows
    chosen = next((i for i, r in enumerate(rows[:30]) if sum(1 for c in r.cells if c and header_field(c)) >= 2), None)
    if chosen is None:
        chosen = next((i for i, r in enumerate(rows) if any(r.cells)), None)
    if chosen is None:
        raise InvalidInput(f"{table.source} is empty: it has no header row and no tenants")
    header = rows[chosen]
    width = max(len(header.cells), 1)
    table.headers = [c.strip() for c in header.cells]
    table.header_row = header.number
    table.rows = [SourceRow(r.number, (r.cells + [""] * width)[:max(width, len(r.cells))])
                  for r in rows[chosen + 1:]]
    return table
