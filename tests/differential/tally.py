"""Counts of agreements between the two engines, printed in pytest's terminal summary."""

from __future__ import annotations

from collections import Counter


class Tally:
    def __init__(self):
        self.counts = Counter()
        self.refusals = Counter()

    def record(self, agreed: bool, decision: str = "") -> None:
        self.counts["agree" if agreed else "disagree"] += 1
        self.counts[decision] += 1

    def refused(self, reason: str) -> None:
        self.refusals[reason[:120]] += 1

    def summary(self) -> str | None:
        total = self.counts["agree"] + self.counts["disagree"]
        if not total and not self.refusals:
            return None
        return (f"policygen vs @cloud-copilot/iam-simulate: {self.counts['agree']} of {total} requests agree, "
                f"{self.counts['disagree']} disagree (ours: {self.counts['allow']} allow, "
                f"{self.counts['implicit-deny']} implicit deny, {self.counts['explicit-deny']} explicit deny); "
                f"{sum(self.refusals.values())} refused by iam-simulate")


TALLY = Tally()
