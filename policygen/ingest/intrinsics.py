"""CloudFormation intrinsic functions, flattened to strings a rule can reason about.

Values the template computes at deploy time become "${...}" placeholders: a
`!GetAtt Key.Arn` resource is neither "*" nor a literal ARN, and the ARN matcher
treats the placeholder as unknown text rather than as a wildcard grant.
"""

from __future__ import annotations

from typing import Any

from policygen.parse.located import LDict, LList, LStr, line_of

UNKNOWN = "${?}"


def flatten(value: Any) -> Any:
    """The value with every intrinsic function replaced by the string it stands for."""
    if isinstance(value, dict):
        if len(value) == 1:
            (name, arg), = value.items()
            if name == "Ref" or name.startswith("Fn::"):
                return _located(_intrinsic(name, arg), line_of(value))
        out = LDict({k: flatten(v) for k, v in value.items()})
        out.line, out.key_lines = line_of(value), getattr(value, "key_lines", {})
        return out
    if isinstance(value, list):
        out = LList(flatten(v) for v in value)
        out.line = line_of(value)
        return out
    return value


def _located(text: str, line: int) -> LStr:
    out = LStr(text)
    out.line = line
    return out


def _intrinsic(name: str, arg: Any) -> str:
    if name == "Ref":
        return "${%s}" % arg if isinstance(arg, str) else UNKNOWN
    if name == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else [str(p) for p in arg] if isinstance(arg, list) else []
        return "${%s}" % ".".join(parts) if parts else UNKNOWN
    if name == "Fn::Sub":
        template = arg[0] if isinstance(arg, list) and arg else arg
        return str(template) if isinstance(template, str) else UNKNOWN
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        return str(arg[0]).join(_as_text(flatten(part)) for part in arg[1])
    return UNKNOWN


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else UNKNOWN
