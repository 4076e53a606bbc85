from policygen.lint.families import CfnLintLevel


class CfnLintWarning(CfnLintLevel):
    """cfn-lint warns about a CloudFormation template (with `--cfn-lint`).

    **Anti-pattern**: patterns that deploy but misbehave: a deprecated runtime, a hard-coded
    partition, a resource without a deletion policy where data lives.

    **Best practice**: fix or suppress each warning with a reason; policygen's generated templates
    have none.
    """

    id = "SY020"
    severity = "warning"
    fix = 'Fix the cfn-lint warning, or suppress it with a reason.'
    summary = "cfn-lint warning in a template (--cfn-lint)"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html"
    level = "warning"


RULE = CfnLintWarning()
