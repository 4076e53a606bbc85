from policygen.lint.families import CfnLintLevel


class CfnLintError(CfnLintLevel):
    """cfn-lint reports an error in a CloudFormation template (with `--cfn-lint`).

    **Anti-pattern**: a template that CloudFormation rejects or deploys wrongly: a misspelt
    property, a `!GetAtt` of an attribute the resource lacks, a value of the wrong type. The
    stack fails at deploy time, in one account of many.

    **Best practice**: lint templates before they are committed. policygen runs cfn-lint once per
    distinct template (cached by content hash and cfn-lint version), in parallel.
    """

    id = "SY019"
    severity = "error"
    summary = "cfn-lint error in a template (--cfn-lint)"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-reference.html"
    level = "error"


RULE = CfnLintError()
