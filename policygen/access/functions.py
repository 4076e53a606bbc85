"""Lambda functions and the roles they run as, and when one role is stronger than another.

Whoever may replace a function's code (lambda:UpdateFunctionCode) runs code as the function's role. That is an
escalation only when the role may do more than the caller: the same notion of "stronger" the escalation proof
uses for sts:AssumeRole and iam:PassRole (`access.escalation`), and LP117 for hand-written input.
"""

from __future__ import annotations

from policygen.policydoc.corpus import Corpus


def functions_of(corpus: Corpus) -> dict[str, str]:
    """Function ARN -> the ARN of the role it runs as, for the functions the corpus's templates declare."""
    return {fn: role["Arn"] for role in corpus.roles for fn in role.get("Functions", ())}


def granted_actions(docs) -> set[str]:
    """The actions (lower case, as written) of the Allow statements of these identity documents."""
    out: set[str] = set()
    for doc in docs:
        for statement in doc.statements:
            if statement.effect == "Allow":
                acts = statement.raw.get("Action", [])
                out |= {str(a).lower() for a in ([acts] if isinstance(acts, str) else acts)}
    return out


def stronger(world, other: str, than: str) -> bool:
    """Whether role `other` may do something role `than` may not: an action of its own policies the other's do not
    list (a role nobody here knows, such as OrganizationAccountAccessRole, counts as stronger)."""
    if other not in world.principals:
        return True
    mine = world.principals.get(than)
    return not granted_actions(world.principals[other].identity) <= granted_actions(mine.identity if mine else [])
