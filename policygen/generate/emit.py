"""What generators emit, before rendering: CloudFormation resources and policy documents.

Generators never format text. They hand these values to render/, which decides
file layout and serialisation, so every generator's output is ordered the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policygen.model.policy import PolicyDocument
from policygen.model.span import Span

STACKSET_SCOPE = "stackset"  # "stackset:<target account>": deployed by the model-deployment StackSet


@dataclass
class CfnResource:
    scope: str  # account name, or "stackset:<target account>"
    logical_id: str
    type: str
    properties: dict[str, Any]
    source: Span
    depends_on: tuple[str, ...] = ()
    comment: str | None = None
    retain: bool = False  # DeletionPolicy/UpdateReplacePolicy Retain: data must outlive its stack


@dataclass
class Document:
    """A policy document written as its own JSON file and recorded in the manifest."""

    kind: str  # identity-policy, trust-policy, bucket-policy, key-policy, repository-policy, ...
    account: str | None
    name: str
    policy: PolicyDocument
    source: Span


@dataclass
class DataFile:
    """A non-policy JSON artifact (an IAM role summary, a resource share)."""

    kind: str
    account: str | None
    name: str
    data: dict[str, Any]
    source: Span


@dataclass
class Emission:
    resources: list[CfnResource] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)

    def extend(self, other: "Emission") -> None:
        self.resources += other.resources
        self.documents += other.documents
        self.files += other.files
