"""Counts of proven workflow calls, printed in pytest's terminal summary (and quoted in reports)."""

from __future__ import annotations

from collections import Counter


class Figures:
    def __init__(self):
        self.counts: Counter = Counter()

    def add(self, scope: str, engine: str, expect: str, held: bool) -> None:
        self.counts[(scope, engine, expect, held)] += 1

    def lines(self) -> list[str]:
        out = []
        for scope in sorted({k[0] for k in self.counts}):
            for engine in sorted({k[1] for k in self.counts if k[0] == scope}):
                c = {(e, h): n for (s, g, e, h), n in self.counts.items() if s == scope and g == engine}
                out.append(f"{scope} / {engine}: {c.get(('allow', True), 0)} calls allowed "
                           f"(of {c.get(('allow', True), 0) + c.get(('allow', False), 0)}), "
                           f"{c.get(('deny', True), 0)} boundary variants denied "
                           f"(of {c.get(('deny', True), 0) + c.get(('deny', False), 0)})")
        return out


FIGURES = Figures()
