from policygen.lint.principals import is_own_root
from policygen.policydoc.document import KEY
from policygen.lint.rule import Rule, hit


class KeyAdminBeyondRoot(Rule):
    """A key policy grants `kms:*` to someone other than the account root or the declared key admins.

    **Anti-pattern**: `"Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:*"`.
    The application role can change the key policy, schedule the key's deletion, or grant the
    key to anyone.

    **Best practice**: `kms:*` only for the account root (which delegates to IAM policies);
    administrators get the administrative actions, users the cryptographic ones.
    """

    id = "DP305"
    severity = "error"
    fix = "Give kms:* only to the key's own account root; give administrators the administrative actions and users the cryptographic ones."
    supersedes = ('DP309', 'LP114')
    summary = "Key policy grants kms:* beyond the account root or key admins"
    url = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"
    kinds = frozenset({KEY})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows or not any(a in ("*", "kms:*") for a in statement.actions):
            return
        admins = set(doc.declared.admins or ())
        for value in statement.principal_values("AWS"):
            if value == "*" or not (is_own_root(value, doc) or value in admins):
                yield hit(statement, f"kms:* granted to {value}, which is neither the key's own account root nor a key admin", node=value)
        for value in statement.principal_values("Service"):
            yield hit(statement, f"kms:* granted to service {value}", node=value)


RULE = KeyAdminBeyondRoot()
