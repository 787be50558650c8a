"""Timing helpers: repeat, report the median and the best."""

from __future__ import annotations

import statistics
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

    def cells(self) -> tuple[str, str, str, str]:
        return self.name, f"{self.median:,.1f} {self.unit}", f"{self.best:,.1f} {self.unit}", self.note


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
