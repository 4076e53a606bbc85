from policygen.policydoc.document import EVENT_BUS
from policygen.lint.rule import Rule, hit


class EventBusWildcardAction(Rule):
    """An event bus policy allows `events:*`.

    **Anti-pattern**: another account may then create rules and targets on your bus, not just put
    events, and route your model-approval events wherever it likes.

    **Best practice**: allow `events:PutEvents` only, for named accounts or an organization.
    """

    id = "DP306"
    severity = "error"
    supersedes = ('LP101', 'LP114')
    summary = "events:* in an event bus policy"
    url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html"
    kinds = frozenset({EVENT_BUS})

    def check_statement(self, statement, doc, ctx):
        if statement.allows:
            for value in statement.actions:
                if value in ("*", "events:*"):
                    yield hit(statement, f"'{value}' lets other accounts manage rules on this bus", node=value)


RULE = EventBusWildcardAction()
