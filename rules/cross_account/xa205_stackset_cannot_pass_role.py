from policygen.access.blame import blame
from policygen.access.evaluate import evaluate
from policygen.lint.rule import CorpusRule, PairHit
from policygen.model import names


class StackSetCannotPassRole(CorpusRule):
    """The StackSet execution role cannot pass the role its template gives to SageMaker.

    **Anti-pattern**: the StackSet creates SageMaker models that run as the model execution role,
    but the execution role's policy lacks `iam:PassRole` on it (or scopes `iam:PassedToService`
    to another service). Stack instances fail in every target account.

    **Best practice**: allow `iam:PassRole` on exactly that role ARN, with
    `iam:PassedToService = sagemaker.amazonaws.com`.
    """

    id = "XA205"
    severity = "error"
    summary = "StackSet execution role cannot pass the role its template uses"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html"

    def check_world(self, world, ctx):
        for arn in sorted(world.principals):
            if not arn.endswith(":role/" + names.STACKSET_EXECUTION_ROLE):
                continue
            passed = arn.rsplit(":role/", 1)[0] + ":role/" + names.MODEL_EXECUTION_ROLE
            if passed not in world.principals:
                continue
            request = world.request(arn, "iam:PassRole", passed, {"iam:PassedToService": "sagemaker.amazonaws.com"})
            inputs = world.inputs(request)
            inputs.resource, inputs.is_key = None, False  # PassRole is decided by the caller's identity policy alone
            decision = evaluate(request, inputs)
            if not decision.allowed:
                at, others = blame(decision, inputs)
                yield PairHit(f"{arn} cannot pass {passed} to SageMaker ({decision.reason})", at, tuple(others))


RULE = StackSetCannotPassRole()
