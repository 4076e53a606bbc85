from policygen.lint.cfn_lint_findings import cfn_lint_hits
from policygen.lint.rule import CorpusRule


class CfnLintWarning(CorpusRule):
    """cfn-lint warns about a CloudFormation template (with `--cfn-lint`).

    **Anti-pattern**: patterns that deploy but misbehave: a deprecated runtime, a hard-coded
    partition, a resource without a deletion policy where data lives.

    **Best practice**: fix or suppress each warning with a reason; policygen's generated templates
    have none.
    """

    id = "SY020"
    severity = "warning"
    summary = "cfn-lint warning in a template (--cfn-lint)"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html"
    context_flags = {"cfn_lint": True}  # what the fixture test turns on, as --cfn-lint does

    def check_world(self, world, ctx):
        yield from cfn_lint_hits(ctx, "warning")


RULE = CfnLintWarning()
