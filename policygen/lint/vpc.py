"""Does a resource policy refuse requests that do not come through its VPC endpoints?"""

from __future__ import annotations

from policygen.iamdb import Catalogue
from policygen.lint.conditions import is_concrete
from policygen.policydoc.document import PolicyDoc

ENDPOINT_KEYS = {"aws:sourcevpce", "aws:sourcevpc", "aws:sourcevpcarn"}


def has_endpoint_deny(doc: PolicyDoc, action: str, catalogue: Catalogue) -> bool:
    wanted = action.lower()
    for statement in doc.statements:
        if not statement.ok or statement.effect != "Deny" or not statement.public:
            continue
        if not any(wanted == name.lower() for value in statement.actions for name in catalogue.expand(value)):
            continue
        for condition in statement.conditions:
            if (condition.key.lower() in ENDPOINT_KEYS and condition.base in ("StringNotEquals", "StringNotLike")
                    and condition.qualifier != "ForAllValues" and condition.values and all(is_concrete(v) for v in condition.values)):
                return True
    return False
