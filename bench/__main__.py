"""Run every benchmark, print a table, and write bench/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

from bench import gui, machine, records
from bench.timing import Figure

RESULTS = Path(__file__).with_name("RESULTS.md")


def table(figures: list[Figure]) -> str:
    lines = ["| figure | median | best | note |", "|---|---:|---:|---|"]
    lines += ["| " + " | ".join(f.cells()) + " |" for f in figures]
    return "\n".join(lines)


def main() -> None:
    facts = machine.facts()
    with records.temporary_folder() as tmp:
        folder = Path(tmp)
        sections = [("Records (SQLite)", records.run(folder)), ("GUI (offscreen)", gui.run(folder))]
    text = ["# Benchmark results", "", "Written by `make bench` (`python -m bench`); the latest run replaces this file.", ""]
    text += [f"- {key}: {value}" for key, value in facts.items()]
    for title, figures in sections:
        text += ["", f"## {title}", "", table(figures)]
    output = "\n".join(text) + "\n"
    RESULTS.write_text(output, encoding="utf-8")
    print(output)


if __name__ == "__main__":
    main()
