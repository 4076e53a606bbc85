from policygen.lint.rule import Hit, Rule


class SetOperatorMisuse(Rule):
    """ForAllValues/ForAnyValue on a single-valued key, or ForAllValues in an Allow.

    **Anti-pattern**: `"ForAllValues:StringEquals": {"aws:TagKeys": [...]}` in an Allow is true
    when the request has no tags at all, so it allows more than it seems to. A set operator on a
    single-valued key such as `aws:SourceVpce` is a misunderstanding of what it compares.

    **Best practice**: use set operators only with multivalued keys (ArrayOf... types). In an
    Allow with ForAllValues, add a `Null` check that the key is present.
    """

    id = "SY009"
    severity = "warning"
    fix = 'Use ForAnyValue/ForAllValues only on multivalued keys, and pair ForAllValues in an Allow with a Null check.'
    summary = "Set operator on a single-valued key, or ForAllValues in an Allow without a Null check"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"

    def check_statement(self, statement, doc, ctx):
        nulls = {c.key.lower() for c in statement.conditions if c.base == "Null"}
        for condition in statement.conditions:
            if not condition.qualifier or not condition.key:
                continue
            key_type = ctx.catalogue.key_type(condition.key)
            if key_type and not key_type.startswith("ArrayOf"):
                yield Hit(f"{condition.qualifier} on single-valued key '{condition.key}' ({key_type})", condition.line, statement)
            elif condition.qualifier == "ForAllValues" and statement.allows and condition.key.lower() not in nulls:
                yield Hit(f"ForAllValues on '{condition.key}' in an Allow is true when the key is absent; add a Null check",
                          condition.line, statement)


RULE = SetOperatorMisuse()
