"""Talk to @cloud-copilot/iam-simulate (Node) and translate our evaluator's inputs into its Simulation."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from policygen.access.evaluate import Inputs, Request, effective_context, resource_policy

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

    def decide_many(self, cases: list[tuple[Request, Inputs, list[str]]], chunk: int = 250) -> list[str | RuntimeError]:
        """Many simulations, written a chunk at a time before the answers are read: one round trip
        per chunk instead of per request. A chunk's answers (about 40 bytes each) fit the pipe's
        buffer, so Node never blocks writing while we are still writing."""
        out: list[str | RuntimeError] = []
        for start in range(0, len(cases), chunk):
            part = cases[start:start + chunk]
            self.process.stdin.write("".join(json.dumps(simulation(*case)) + "\n" for case in part))
            self.process.stdin.flush()
            for _ in part:
                answer = json.loads(self.process.stdout.readline())
                out.append(RuntimeError(answer["error"]) if "error" in answer else RESULTS[answer["result"]])
        return out

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def _plain(doc) -> dict:
    return json.loads(json.dumps(doc.body))


def _named(docs, prefix: str) -> list[dict]:
    return [{"name": f"{prefix}{i}", "policy": _plain(d)} for i, d in enumerate(docs)]


def simulation(request: Request, inputs: Inputs, scp_ids: list[str]) -> dict:
    context = effective_context(request)  # the keys our evaluator adds (aws:PrincipalArn, ...), made explicit
    policy = resource_policy(request, inputs)  # what AWS consults: no trust policy for iam:PassRole etc.
    principal = {"type": "Anonymous"} if request.principal == "*" else request.principal
    simulated = {
        "request": {
            "principal": principal,
            "action": request.action,
            "resource": {"resource": request.resource, "accountId": request.resource_account or "000000000000"},
            "contextVariables": context,
        },
        "identityPolicies": [] if request.principal == "*" else _named(inputs.identity, "p"),
        "serviceControlPolicies": [] if request.principal == "*" else [
            {"orgIdentifier": scp_ids[i], "policies": [{"name": f"{d.name or 'scp'}{j}", "policy": _plain(d)} for j, d in enumerate(level)]}
            for i, level in enumerate(inputs.scp_levels)
        ],
        # iam-simulate adds RCPFullAWSAccess at every level itself.
        "resourceControlPolicies": [
            {"orgIdentifier": RCP_IDS[i], "policies": _named([d for d in level if d.name != "RCPFullAWSAccess"], f"rcp{i}-")}
            for i, level in enumerate(inputs.rcp_levels)
        ],
        **({"resourcePolicy": _plain(policy)} if policy is not None else {}),
    }
    if inputs.boundary is not None and request.is_identity:
        simulated["permissionBoundaryPolicies"] = _named([inputs.boundary], "boundary")
    if inputs.session is not None and request.is_identity:
        simulated["sessionPolicy"] = _plain(inputs.session)
    if inputs.endpoint is not None:
        simulated["vpcEndpointPolicies"] = _named([inputs.endpoint], "vpce")
    return simulated


RCP_IDS = ["r-ab12", "ou-ab12-rcp", "rcp-account"]
