"""Run the benchmarks, print a table, and write bench/RESULTS.md.

`python -m bench` runs every section and writes the whole file; `python -m bench mail letters_pdf`
runs only those sections (bench/<name>.py) and replaces them in the file, keeping the others and
saying when each was measured. bench/NOTES.md (before/after, what else ran) is copied at the end.
How to add one: a module in bench/ with `run(folder: Path) -> list[Figure]`, listed in SECTIONS.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from bench import machine, records
from bench.timing import Figure

RESULTS = Path(__file__).with_name("RESULTS.md")
NOTES = Path(__file__).with_name("NOTES.md")
SECTIONS = (
    ("Records (SQLite)", "bench.records"),
    ("GUI (offscreen)", "bench.gui"),
    ("Draft preview in the letters dialog (offscreen)", "bench.preview"),
    ("Letters: templates and PDF", "bench.letters_real"),
    ("Letters: 1,000-letter batch against the naive way", "bench.letters_pdf"),
    ("Tenant import", "bench.importing"),
    ("Records export and PDF/A", "bench.records_export"),
    ("A 1,000-unit building: records export", "bench.big_building"),
    ("Email", "bench.mail"),
    ("Office server: two desks issuing and sending 1,000 notices (PostgreSQL) beside one process (SQLite)",
     "bench.office_server"),
)
HEADER = ["# Benchmark results", "", "Written by `make bench` (`python -m bench`); the latest run replaces this file.", ""]


def table(figures: list[Figure]) -> str:
    lines = ["| figure | median | best | target | note |", "|---|---:|---:|---|---|"]
    lines += ["| " + " | ".join(f.cells()) + " |" for f in figures]
    return "\n".join(lines)


def _earlier_sections() -> dict[str, str]:
    """The sections of the current RESULTS.md by title (their text after the title)."""
    if not RESULTS.exists():
        return {}
    parts = re.split(r"^## (.+)$", RESULTS.read_text(encoding="utf-8"), flags=re.M)
    return {title.strip(): body.strip() for title, body in zip(parts[1::2], parts[2::2])}


def main(names: list[str]) -> None:
    chosen = [(t, m) for t, m in SECTIONS if not names or m.removeprefix("bench.") in names]
    if names and len(chosen) != len(names):
        raise SystemExit(f"unknown section in {names}; the sections: {[m.removeprefix('bench.') for _, m in SECTIONS]}")
    facts = machine.facts()
    measured = {}
    with records.temporary_folder() as tmp:
        folder = Path(tmp)
        for title, module_name in chosen:
            module = importlib.import_module(module_name)
            figures = module.run(folder)
            print(f"\n## {title}\n\n{table(figures)}", flush=True)
            measured[title] = table(figures)
    earlier = _earlier_sections() if names else {}
    text = HEADER + [f"- {key}: {value}" for key, value in facts.items()]
    if names:
        text.append(f"- sections measured on this date: {', '.join(measured)}; the others are from earlier runs")
    for title, _ in SECTIONS:
        if title in measured:
            text += ["", f"## {title}", "", measured[title]]
        elif title in earlier:
            body = earlier[title]
            if "measured on" not in body.splitlines()[0]:
                body = "(measured on an earlier date, see the git history of this file)\n\n" + body
            text += ["", f"## {title}", "", body]
    if NOTES.exists():
        text += ["", NOTES.read_text(encoding="utf-8").strip()]
    RESULTS.write_text("\n".join(text) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
