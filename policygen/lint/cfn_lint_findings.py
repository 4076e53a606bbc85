"""cfn-lint's matches for the templates in a lint run, as PairHits of one level (error or warning)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from policygen.lint.rule import PairHit
from policygen.model.finding import Location

LEVELS = {"error": ("error",), "warning": ("warning",)}


def cfn_lint_hits(ctx, level: str) -> Iterable[PairHit]:
    if not ctx.cfn_lint or not ctx.templates:
        return
    if not hasattr(ctx, "_cfn_lint_results"):
        from policygen.checks.cfn_lint_cache import lint_templates

        texts = {name: (t.read_text(encoding="utf-8") if isinstance(t, Path) else str(t)) for name, t in ctx.templates.items()}
        ctx._cfn_lint_results, ctx.cfn_lint_linted = lint_templates(texts, tuple(ctx.regions), ctx.jobs)
    for name, matches in sorted(ctx._cfn_lint_results.items()):
        for match in matches:
            if match["level"] in LEVELS[level]:
                yield PairHit(f"cfn-lint {match['rule']}: {match['message']}", Location(name, match["line"] or 1))
