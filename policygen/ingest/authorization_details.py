"""The JSON of `aws iam get-account-authorization-details`: one account's roles, users and groups
with their inline and managed policies, read offline.

Roles become principals (identity policies) and resources (their trust policy); users become
principals with their own, their groups' and their attached policies. The account id is read
from the ARNs. Documents the raw API returns URL-encoded are decoded (the CLI already decodes
them); those then point at the line of the entry that holds them.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from policygen.errors import InputError, Problem
from policygen.model.finding import Location
from policygen.model.kinds import IDENTITY, TRUST
from policygen.model.span import Span
from policygen.parse.located import line_of
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import PolicyDoc

TOP_KEYS = ("UserDetailList", "RoleDetailList", "GroupDetailList", "Policies")
IAM_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):")  # AWS managed policies (iam::aws:) name no account


def is_authorization_details(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" not in data and any(
        isinstance(data.get(key), list) for key in TOP_KEYS) and all(
        key in TOP_KEYS or key in ("IsTruncated", "Marker") for key in data)


def read_authorization_details(data: dict, file: str, corpus: Corpus) -> None:
    account = _account(data, file)
    reader = _Reader(data, file, account, corpus)
    for role in data.get("RoleDetailList") or []:
        reader.role(role)
    for user in data.get("UserDetailList") or []:
        reader.user(user)


def _account(data: dict, file: str) -> str:
    for key in TOP_KEYS:
        for entry in data.get(key) or []:
            found = IAM_ARN.match(str(entry.get("Arn", ""))) if isinstance(entry, dict) else None
            if found:
                return found.group(1)
    raise InputError(Problem(f"{file}: authorization details without an account ARN", Span(file, 1, 1)))


class _Reader:
    def __init__(self, data: dict, file: str, account: str, corpus: Corpus):
        self.file, self.account, self.corpus = file, account, corpus
        self.managed = {str(p.get("Arn")): p for p in data.get("Policies") or [] if isinstance(p, dict)}
        self.groups = {str(g.get("GroupName")): g for g in data.get("GroupDetailList") or [] if isinstance(g, dict)}
        self.added: set[str] = set()

    def role(self, role: dict) -> None:
        name = str(role.get("RoleName") or role.get("Arn", "").rsplit("/", 1)[-1])
        trust = _document(role.get("AssumeRolePolicyDocument"))
        if trust is not None:
            self._add(PolicyDoc(TRUST, trust, self._at(trust, role), name=name, account_id=self.account))
        names = self._inline(f"role/{name}", role.get("RolePolicyList")) + self._attached(role)
        self.corpus.roles.append({"Arn": str(role.get("Arn")), "TrustPolicy": name if trust is not None else "",
                                  "Policies": names, "AccountId": self.account})

    def user(self, user: dict) -> None:
        name = str(user.get("UserName") or user.get("Arn", "").rsplit("/", 1)[-1])
        names = self._inline(f"user/{name}", user.get("UserPolicyList")) + self._attached(user)
        for group_name in user.get("GroupList") or []:
            group = self.groups.get(str(group_name))
            if group is not None:
                names += self._inline(f"group/{group_name}", group.get("GroupPolicyList")) + self._attached(group)
        self.corpus.roles.append({"Arn": str(user.get("Arn")), "TrustPolicy": "", "Policies": list(dict.fromkeys(names)),
                                  "AccountId": self.account})

    def _inline(self, owner: str, entries) -> list[str]:
        names = []
        for entry in entries or []:
            body = _document((entry or {}).get("PolicyDocument"))
            if body is None:
                continue
            name = f"{owner}/{entry.get('PolicyName')}"
            self._add(PolicyDoc(IDENTITY, body, self._at(body, entry), name=name, account_id=self.account))
            names.append(name)
        return names

    def _attached(self, holder: dict) -> list[str]:
        names = []
        for attached in holder.get("AttachedManagedPolicies") or []:
            arn = str((attached or {}).get("PolicyArn"))
            policy = self.managed.get(arn)
            version = _default_version(policy) if policy else None
            body = _document(version.get("Document")) if version else None
            if body is None:
                continue  # an AWS managed policy the export did not include: nothing to read
            self._add(PolicyDoc(IDENTITY, body, self._at(body, version), name=arn, account_id=self.account))
            names.append(arn)
        return names

    def _add(self, doc: PolicyDoc) -> None:
        key = f"{doc.kind}:{doc.name}"
        if key not in self.added:
            self.added.add(key)
            self.corpus.docs.append(doc)

    def _at(self, body, holder) -> Location:
        return Location(self.file, line_of(body, 0) or line_of(holder, 1))


def _default_version(policy: dict) -> dict | None:
    versions = [v for v in policy.get("PolicyVersionList") or [] if isinstance(v, dict)]
    return next((v for v in versions if v.get("IsDefaultVersion")), versions[0] if versions else None)


def _document(value):
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            decoded = json.loads(urllib.parse.unquote(value))
        except ValueError:
            return None
        return decoded if isinstance(decoded, dict) else None
    return None
