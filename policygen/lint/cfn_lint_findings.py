"""cfn-lint's matches for the templates in a lint run, as PairHits of one level (error or warning)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping

from policygen.lint.rule import PairHit
from policygen.model.finding import Location


@dataclass(frozen=True)
class CfnLintRun:
    """The templates of one lint run and, once asked for, cfn-lint's matches for them (both SY019 and SY020 read them)."""

    templates: Mapping[str, object]  # shown name -> text, or Path to read
    regions: tuple[str, ...] = ("us-east-1",)
    jobs: int | None = None  # processes for cfn-lint; None: every core

    @cached_property
    def matches(self) -> dict[str, list[dict]]:
        from policygen.checks.cfn_lint_cache import lint_templates

        texts = {name: (t.read_text(encoding="utf-8") if isinstance(t, Path) else str(t)) for name, t in self.templates.items()}
        results, _linted = lint_templates(texts, tuple(self.regions), self.jobs)
        return results


def cfn_lint_hits(ctx, level: str) -> Iterable[PairHit]:
    run = ctx.cfn_lint
    if run is None or not run.templates:
        return
    for name, matches in sorted(run.matches.items()):
        for match in matches:
            if match["level"] == level:
                yield PairHit(f"cfn-lint {match['rule']}: {match['message']}", Location(name, match["line"] or 1),
                              column=match.get("column") or None)
