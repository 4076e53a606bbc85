from policygen.lint.families import DeclaredPathDenied


class BusRejectsSource(DeclaredPathDenied):
    """An event rule forwards to a bus whose policy does not accept the source account.

    **Anti-pattern**: the spoke's rule targets the hub's bus (the forwarder role may call
    `events:PutEvents`), but the hub's bus policy lists other accounts. EventBridge drops the
    events silently; model approvals never reach the hub.

    **Best practice**: the bus policy allows `events:PutEvents` to every declared source, scoped by
    account or `aws:PrincipalOrgID`.
    """

    id = "XA204"
    severity = "error"
    summary = "Event bus does not accept a declared source"
    url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html"
    target_kinds = ("event-bus",)
    levels = ("put-events",)
    what = "events to the bus would be dropped"


RULE = BusRejectsSource()
