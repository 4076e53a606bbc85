from policygen.lint.actions import shorten
from policygen.iamdb.catalogue import is_provider_key
from policygen.lint.rule import Hit, Rule

# Keys AWS's own generated policies use although the condition-key reference does not list them:
# SNS's default topic policy pins "*" with AWS:SourceOwner (aws:SourceAccount is its documented successor).
LEGACY_KEYS = {"aws:sourceowner"}


class UnknownConditionKey(Rule):
    """A condition key is not documented for any action of the statement.

    **Anti-pattern**: `"s3:x-amz-server-side-encryption"` on `kms:Decrypt`, or a typo such as
    `"aws:SourceVPCe"` spelled as a new key. A key the request never carries makes a positive
    condition always false and a negated one always true: an Allow that never applies, or a Deny
    that always does (or never does).

    `aws:SourceOwner`, which SNS's default topic policy uses, is accepted.

    **Best practice**: use the global keys, or the keys the Service Authorization Reference lists
    for the action and its resource types.
    """

    id = "SY005"
    severity = "error"
    summary = "Condition key not documented for the statement's actions"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"

    def check_statement(self, statement, doc, ctx):
        catalogue = ctx.catalogue
        actions = [a for value in statement.actions if value != "*" for a in catalogue.actions(value)]
        open_ended = "*" in statement.actions or bool(statement.not_actions)
        for condition in statement.conditions:
            key = condition.key
            if not key or key.lower() in LEGACY_KEYS:
                continue
            known_type = catalogue.key_type(key)
            if open_ended or not actions:
                if known_type is None and not is_provider_key(key):
                    yield _hit(statement, condition, f"condition key '{key}' is not documented for any service")
                continue
            if not any(catalogue.key_allowed(action, key) for action in actions):
                names = sorted({a.full for a in actions})
                shown = shorten(names)
                yield _hit(statement, condition, f"condition key '{key}' is not documented for {shown}")


def _hit(statement, condition, message):
    return Hit(message, condition.line or statement.line, statement)


RULE = UnknownConditionKey()
