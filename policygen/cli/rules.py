"""`policygen rules`: the rule catalogue."""

from __future__ import annotations

import click


@click.command(name="rules")
@click.option("--markdown", is_flag=True, help="Print docs/rules.md (the generated rule reference).")
def command(markdown):
    """List every lint rule: id, severity and summary."""
    from policygen.lint import meta
    from policygen.lint.engine import load_rules
    from policygen.report.rules_doc import rules_markdown

    rules = load_rules()
    if markdown:
        click.echo(rules_markdown(rules, meta.META_RULES), nl=False)
        return 0
    for rule in [*rules, *meta.META_RULES]:
        click.echo(f"{rule.id}  {rule.severity:<7}  {rule.summary}")
    return 0
