"""ARNs of everything an organization declares, from its names."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.model.org import Org


class CfnToken(str):
    """A value only CloudFormation knows (a KMS key ARN). Reads as a placeholder ARN.

    In plain JSON documents it prints as its placeholder (key/<org key name>), a
    valid ARN shape; the template writer replaces it with the intrinsic function.
    """

    cfn: dict

    def __new__(cls, placeholder: str, cfn: dict):
        obj = super().__new__(cls, placeholder)
        obj.cfn = cfn
        return obj


@dataclass(frozen=True)
class Arns:
    org: Org
    compact: bool = True  # policies may use the compact encodings (generate/principals.py); False: enumerate

    @property
    def partition(self) -> str:
        return self.org.organization.partition

    @property
    def region(self) -> str:
        return self.org.organization.home_region

    def account_id(self, account: str) -> str:
        return self.org.accounts[account].id

    def root(self, account: str) -> str:
        return f"arn:{self.partition}:iam::{self.account_id(account)}:root"

    def role(self, account: str, name: str) -> str:
        return f"arn:{self.partition}:iam::{self.account_id(account)}:role/{name}"

    def bucket(self, bucket: str) -> str:
        return f"arn:{self.partition}:s3:::{self.org.buckets[bucket].bucket_name}"

    def objects(self, bucket: str) -> str:
        return self.bucket(bucket) + "/*"

    def keys_in(self, account: str) -> str:
        return f"arn:{self.partition}:kms:{self.region}:{self.account_id(account)}:key/*"

    def key_alias(self, key: str) -> str:
        return f"alias/{key}"

    def key(self, key: str) -> CfnToken:
        account = self.org.keys[key].account
        placeholder = f"arn:{self.partition}:kms:{self.region}:{self.account_id(account)}:key/{key}"
        return CfnToken(placeholder, {"Fn::GetAtt": [logical_id("key", key), "Arn"]})

    def repository(self, repo: str) -> str:
        account = self.org.repositories[repo].account
        return f"arn:{self.partition}:ecr:{self.region}:{self.account_id(account)}:repository/{repo}"

    def sagemaker(self, account: str, resource: str) -> str:
        return f"arn:{self.partition}:sagemaker:{self.region}:{self.account_id(account)}:{resource}"

    def model_package_group(self, account: str, group: str) -> str:
        return self.sagemaker(account, f"model-package-group/{group}")

    def model_packages(self, account: str, group: str) -> str:
        return self.sagemaker(account, f"model-package/{group}/*")

    def event_bus(self, account: str, name: str) -> str:
        return f"arn:{self.partition}:events:{self.region}:{self.account_id(account)}:event-bus/{name}"

    def default_bus_rule(self, account: str, name: str) -> str:
        return f"arn:{self.partition}:events:{self.region}:{self.account_id(account)}:rule/{name}"

    def service(self, name: str) -> str:
        suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        return f"{name}.{suffix}"


def logical_id(*parts: str) -> str:
    """A CloudFormation logical id from name parts: ('bucket', 'hub-models') -> BucketHubModels."""
    out = []
    for part in parts:
        for word in part.replace("_", "-").replace(".", "-").split("-"):
            out.append(word[:1].upper() + word[1:])
    return "".join(ch for ch in "".join(out) if ch.isalnum())


def sid(*parts: str) -> str:
    """A statement id from name parts, alphanumeric as IAM requires."""
    return logical_id(*parts)
