"""Timing helpers: repeat, report the median and the best."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    median: float
    best: float
    unit: str
    note: str = ""
    target: float | None = None    # the bound for the median, in `unit`
    above: bool = False            # the target is a floor (a speed-up), not a ceiling

    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.median >= self.target if self.above else self.median <= self.target

    def target_cell(self) -> str:
        if self.target is None:
            return ""
        bound = f"{'≥' if self.above else '≤'} {self.target:,g} {self.unit}"
        return f"{bound}: {'met' if self.met() else '**not met**'}"

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.name, f"{self.median:,.1f} {self.unit}", f"{self.best:,.1f} {self.unit}", self.target_cell(),
                self.note)


class CpuHog:
    """One busy core beside a benchmark: a Python process spinning until the block ends."""

    def __enter__(self) -> CpuHog:
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(0.2)   # let it get going
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


def measure(name: str, action: Callable[[], object], repeat: int = 5, unit: str = "ms", note: str = "",
            setup: Callable[[], object] | None = None) -> Figure:
    scale = {"ms": 1000.0, "s": 1.0}[unit]
    samples = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * scale)
    return Figure(name, statistics.median(samples), min(samples), unit, note)
