"""Run every benchmark, print a table, and write bench/RESULTS.md.

How to add one: a module in bench/ with `run(folder: Path) -> list[Figure]`, listed in SECTIONS.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from bench import machine, records
from bench.timing import Figure

RESULTS = Path(__file__).with_name("RESULTS.md")
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
)


def table(figures: list[Figure]) -> str:
    lines = ["| figure | median | best | note |", "|---|---:|---:|---|"]
    lines += ["| " + " | ".join(f.cells()) + " |" for f in figures]
    return "\n".join(lines)


def main() -> None:
    facts = machine.facts()
    sections = []
    with records.temporary_folder() as tmp:
        folder = Path(tmp)
        for title, module_name in SECTIONS:
            module = importlib.import_module(module_name)
            figures = module.run(folder)
            print(f"\n## {title}\n\n{table(figures)}", flush=True)
            sections.append((title, figures))
    text = ["# Benchmark results", "", "Written by `make bench` (`python -m bench`); the latest run replaces this file.", ""]
    text += [f"- {key}: {value}" for key, value in facts.items()]
    for title, figures in sections:
        text += ["", f"## {title}", "", table(figures)]
    RESULTS.write_text("\n".join(text) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
