"""Role names in grants and trusts are checked against the planner's roles (the one list of
generated roles) and the file's own: an unknown one or a clash is a located problem, exit 2."""

from __future__ import annotations

import pytest
from policygen.errors import InputError
from policygen.generate.validate import validate_text
from policygen.model import names

from tests.conftest import PACKAGED_REFERENCE

REFERENCE = PACKAGED_REFERENCE.read_text()


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_text(text, "org.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_reference_names_only_known_roles():
    validated = validate_text(REFERENCE, "org.yaml")
    assert ("shared", "ci-pipeline") in validated.plan.roles


def test_unknown_grant_principal_is_located_and_suggests():
    text = REFERENCE.replace("  - principal: shared/role/ci-pipeline", "  - principal: shared/role/ci-pipelin")
    [message] = problems(text)
    line = line_of(text, "  - principal: shared/role/ci-pipelin")
    assert message.startswith(f"org.yaml:{line}:")
    assert "unknown role 'shared/role/ci-pipelin'" in message
    assert "ci-pipeline" in message  # the suggestion and the listing name the real role


def test_generated_team_role_may_be_named_in_a_grant():
    role = names.team_role("team1")
    text = REFERENCE.replace("  - principal: shared/role/ci-pipeline", f"  - principal: dev/role/{role}")
    validated = validate_text(text, "org.yaml")
    assert any(a.principal.name == role and a.target.name == "models" for a in validated.plan.accesses)


def test_declared_role_may_not_take_a_generated_name():
    # The schema's lower-case role names cannot spell a generated (CamelCase) name today; the planner
    # still refuses a clash, so a future name rule cannot silently merge two roles.
    from dataclasses import replace

    from policygen.generate.plan import build_plan
    from policygen.loader import load_org_text

    org = load_org_text(REFERENCE, "org.yaml")
    custom = org.roles["ci-pipeline"]
    clash = replace(custom, name=names.MODEL_EXECUTION_ROLE, account=org.deployment.targets[0])
    with pytest.raises(InputError) as info:
        build_plan(replace(org, roles={**org.roles, "clash": clash}))
    [message] = [str(p) for p in info.value.problems]
    assert message.startswith(f"org.yaml:{custom.span.line}:")
    assert f"role '{names.MODEL_EXECUTION_ROLE}' in {clash.account} clashes with a role policygen generates" in message


def test_validate_and_build_both_refuse_an_unknown_role(tmp_path):
    import subprocess
    import sys

    org = tmp_path / "org.yaml"
    org.write_text(REFERENCE.replace("principal: shared/role/ci-pipeline", "principal: shared/role/nobody"))
    for args in (["validate", str(org)], ["build", str(org), "-o", str(tmp_path / "out")]):
        result = subprocess.run([sys.executable, "-m", "policygen", *args], capture_output=True, text=True)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        line = line_of(org.read_text(), "  - principal: shared/role/nobody")
        assert f"{org}:{line}:16: unknown role 'shared/role/nobody'" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
