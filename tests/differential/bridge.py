"""Talk to @cloud-copilot/iam-simulate (Node) and translate our evaluator's inputs into its Simulation."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from policygen.access.evaluate import Inputs, Request, effective_context

HERE = Path(__file__).parent
RESULTS = {"Allowed": "allow", "ImplicitlyDenied": "implicit-deny", "ExplicitlyDenied": "explicit-deny"}


def available() -> bool:
    return shutil.which("node") is not None and (HERE / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir()


class IamSimulate:
    """One long-running Node process; a line of JSON in, a line of JSON out."""

    def __init__(self):
        self.process = subprocess.Popen(["node", str(HERE / "simulate.cjs")], cwd=HERE, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)

    def decide(self, request: Request, inputs: Inputs, scp_ids: list[str]) -> str:
        self.process.stdin.write(json.dumps(simulation(request, inputs, scp_ids)) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return RESULTS[answer["result"]]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def _plain(doc) -> dict:
    return json.loads(json.dumps(doc.body))


def simulation(request: Request, inputs: Inputs, scp_ids: list[str]) -> dict:
    context = effective_context(request)  # the keys our evaluator adds (aws:PrincipalArn, ...), made explicit
    return {
        "request": {
            "principal": request.principal,
            "action": request.action,
            "resource": {"resource": request.resource, "accountId": request.resource_account or "000000000000"},
            "contextVariables": context,
        },
        "identityPolicies": [{"name": f"p{i}", "policy": _plain(d)} for i, d in enumerate(inputs.identity)],
        "serviceControlPolicies": [
            {"orgIdentifier": scp_ids[i], "policies": [{"name": f"{d.name or 'scp'}{j}", "policy": _plain(d)} for j, d in enumerate(level)]}
            for i, level in enumerate(inputs.scp_levels)
        ],
        "resourceControlPolicies": [],
        **({"resourcePolicy": _plain(inputs.resource)} if inputs.resource is not None else {}),
    }
