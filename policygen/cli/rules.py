"""`policygen rules`: the rule catalogue."""

from __future__ import annotations

import click


@click.command(name="rules")
@click.argument("rule_ids", nargs=-1)
@click.option("--markdown", is_flag=True, help="Print docs/rules.md (the generated rule reference).")
def command(rule_ids, markdown):
    """List every lint rule (id, severity, summary), or print the documentation of the rules named (policygen rules LP101)."""
    from policygen.errors import InputError, Problem
    from policygen.lint import meta
    from policygen.lint.engine import load_rules
    from policygen.report.rules_doc import rule_markdown, rules_markdown

    rules = load_rules()
    if rule_ids:
        by_id = {r.id: r for r in [*rules, *meta.META_RULES]}
        unknown = [i for i in rule_ids if i.upper() not in by_id]
        if unknown:
            raise InputError(Problem(f"no rule {', '.join(unknown)}; `policygen rules` lists them"))
        click.echo("\n".join(rule_markdown(by_id[i.upper()]) for i in rule_ids), nl=False)
        return 0
    if markdown:
        click.echo(rules_markdown(rules, meta.META_RULES), nl=False)
        return 0
    for rule in [*rules, *meta.META_RULES]:
        click.echo(f"{rule.id}  {rule.severity:<7}  {rule.summary}")
    return 0
