from policygen.lint.families import VpcOnlyWithoutEndpointDeny
from policygen.policydoc.document import KEY


class VpcOnlyKeyWithoutEndpointDeny(VpcOnlyWithoutEndpointDeny):
    """A KMS key declared vpc_only has no Deny for calls from outside its VPC endpoints.

    **Anti-pattern**: the key that encrypts vpc_only data can be used from anywhere, so the
    bucket's endpoint deny is the only barrier, and a copy of the ciphertext is readable elsewhere.

    **Best practice**: a Deny for Principal `*` on kms:Decrypt (and the other cryptographic
    actions) with `"StringNotEquals": {"aws:SourceVpce": [...]}` and an exemption for calls AWS
    services make on the caller's behalf (`"Bool": {"aws:ViaAWSService": "false"}`).
    """

    id = "DP304"
    severity = "error"
    summary = "vpc_only key without its aws:SourceVpce deny"
    url = "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-aws.html"
    kinds = frozenset({KEY})
    action = "kms:Decrypt"


RULE = VpcOnlyKeyWithoutEndpointDeny()
