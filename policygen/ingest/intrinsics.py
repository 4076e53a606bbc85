"""CloudFormation intrinsic functions, flattened to values a rule can reason about.

Values the template computes at deploy time become "${...}" placeholders: a
`!GetAtt Key.Arn` resource is neither "*" nor a literal ARN, and the ARN matcher
treats the placeholder as unknown text rather than as a wildcard grant.

- `Ref AWS::AccountId` (and `${AWS::AccountId}` in `Fn::Sub`) stays the marker `OWN_ACCOUNT`:
  "the account this template deploys into". The linter's principal helpers
  (`lint/principals.py`) read `arn:${AWS::Partition}:iam::${AWS::AccountId}:root` as the own root.
- `Ref Param` and `${Param}` become the parameter's `Default` when it has one (a list
  parameter's default becomes a list), so a literal account id in a default counts.
- `Fn::If` is not flattened: `variants()` first resolves every `Fn::If` to one branch per
  assignment of its conditions (the same condition name takes the same value everywhere),
  dropping `AWS::NoValue` from lists and mappings. Each variant is a document CloudFormation
  can really deploy, so a rule sees real documents only: a statement list `[!If [C, {...},
  !Ref AWS::NoValue]]` is one statement or none, and a Condition that differs per branch is
  checked in both shapes. A finding that holds in several variants is reported once (the
  engine keeps one finding per rule, message and line).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from policygen.parse.located import KEEP, LDict, LList, located_str, map_tree, placed_like, position_of

UNKNOWN = "${?}"
OWN_ACCOUNT = "${AWS::AccountId}"  # the template's own account: kept as written, recognised by lint/principals.py
MAX_CONDITIONS = 4  # up to 2**4 variants; with more conditions, only "all true" and "all false"

_NO_VALUE = object()
_SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")


# Fn::If ---------------------------------------------------------------------------
def variants(value: Any) -> list[Any]:
    """The value once per assignment of the conditions its `Fn::If`s name; one value when there are none."""
    found: list[str] = []
    _if_conditions(value, found)
    names = list(dict.fromkeys(found))
    if not names:
        return [value]
    if len(names) <= MAX_CONDITIONS:
        assignments = list(itertools.product((True, False), repeat=len(names)))
    else:
        assignments = [(True,) * len(names), (False,) * len(names)]
    out, seen = [], set()
    for assignment in assignments:
        chosen = choose(value, dict(zip(names, assignment)))
        if chosen is _NO_VALUE:
            continue
        fingerprint = json.dumps(chosen, sort_keys=True, default=str)
        if fingerprint not in seen:
            seen.add(fingerprint)
            out.append(chosen)
    return out


def _if_conditions(value: Any, found: list[str]) -> None:
    """The condition names of the value's `Fn::If`s, in the order written, into `found`."""
    if isinstance(value, dict):
        if len(value) == 1 and "Fn::If" in value and isinstance(value["Fn::If"], list) and len(value["Fn::If"]) == 3:
            found.append(str(value["Fn::If"][0]))
        for item in value.values():
            if isinstance(item, (dict, list)):
                _if_conditions(item, found)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _if_conditions(item, found)


def choose(value: Any, truth: dict[str, bool]) -> Any:
    """The value with each `Fn::If` replaced by the branch `truth` picks; `AWS::NoValue` removed."""
    def visit(node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            (name, arg), = node.items()
            if name == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
                return choose(arg[1] if truth.get(str(arg[0]), True) else arg[2], truth)
            if name == "Ref" and arg == "AWS::NoValue":
                return _NO_VALUE
        return KEEP

    return map_tree(value, visit, omit=_NO_VALUE)


# Parameters -----------------------------------------------------------------------
def parameter_defaults(template: Any) -> dict[str, Any]:
    """Parameter name -> its Default (a list for list-typed parameters), for those that have one."""
    params = template.get("Parameters") if isinstance(template, dict) else None
    out: dict[str, Any] = {}
    for name, spec in (params or {}).items() if isinstance(params, dict) else ():
        if not isinstance(spec, dict) or spec.get("Default") is None or isinstance(spec.get("Default"), (dict, list)):
            continue
        if str(spec["Default"]) == "":  # an empty default means "not given": keep the placeholder
            continue
        default = str(spec["Default"]).lower() if isinstance(spec["Default"], bool) else str(spec["Default"])
        kind = str(spec.get("Type", ""))
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            out[str(name)] = [part.strip() for part in default.split(",")]
        else:
            out[str(name)] = default
    return out


# Flattening -----------------------------------------------------------------------
def flatten(value: Any, params: dict[str, Any] | None = None) -> Any:
    """A copy of the value with every intrinsic function replaced by the value it stands for.

    Mappings and lists are copied with their places (as `map_tree` copies), scalars kept: every
    document read from a template gets a tree of its own. Written out rather than through map_tree,
    which would call a visitor on each of the 260,000 values of a 1,000-account build's documents."""
    params = params or {}
    if isinstance(value, dict):
        if len(value) == 1:
            (name, arg), = value.items()
            if name == "Ref" or name.startswith("Fn::"):
                return _located(_intrinsic(name, arg, params), value)
        mapping = LDict()
        for key, item in value.items():
            mapping[key] = flatten(item, params) if isinstance(item, (dict, list)) else item
        return placed_like(mapping, value)
    if isinstance(value, list):
        sequence = LList(flatten(item, params) if isinstance(item, (dict, list)) else item for item in value)
        return placed_like(sequence, value)
    return value


def _located(value: Any, where: Any) -> Any:
    """An intrinsic's value, standing where the intrinsic was written."""
    if isinstance(value, list):
        return placed_like(LList(_located(v, where) for v in value), where)
    if isinstance(value, (LDict, LList)):
        return value
    return located_str(value, *position_of(where))


def _intrinsic(name: str, arg: Any, params: dict[str, Any]) -> Any:
    if name == "Ref":
        if isinstance(arg, str) and arg in params:
            return params[arg]
        return "${%s}" % arg if isinstance(arg, str) and arg != "AWS::NoValue" else UNKNOWN
    if name == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else [str(p) for p in arg] if isinstance(arg, list) else []
        return "${%s}" % ".".join(parts) if parts else UNKNOWN
    if name == "Fn::Sub":
        template = arg[0] if isinstance(arg, list) and arg else arg
        names = dict(params)
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            for key, item in arg[1].items():
                flat = flatten(item, params)
                names[str(key)] = flat if isinstance(flat, str) else UNKNOWN
        return _substitute(template, names) if isinstance(template, str) else UNKNOWN
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
        parts = flatten(arg[1], params)
        if isinstance(parts, list):
            return str(arg[0]).join(_as_text(part) for part in parts)
        return UNKNOWN
    if name == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
        items = flatten(arg[1], params)
        try:
            index = int(str(arg[0]))
        except ValueError:
            return UNKNOWN
        return _as_text(items[index]) if isinstance(items, list) and 0 <= index < len(items) else UNKNOWN
    return UNKNOWN


def _substitute(template: str, names: dict[str, Any]) -> str:
    """Fn::Sub: known names replaced (a list parameter is joined by commas, as CloudFormation does); `${!x}` -> `${x}`."""
    def one(match: re.Match) -> str:
        value = names.get(match.group(1))
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return str(value) if isinstance(value, str) else match.group(0)

    return _SUB_NAME.sub(one, template).replace("${!", "${")


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else UNKNOWN
