"""Builds to review: the reference build as the base, and the same build with one change that grants
an account outside the organization read access to the shared image repository and drops the hub
bucket's TLS deny (an error finding), made once in the template (what a build deploys) and once in
the JSON copies (which then differ from the template: PG007, and no access changes)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

OUT = ROOT / "out"
OUTSIDE = "777777777777"
REPOSITORY_POLICY = "policies/shared/repository-policy/inference-images.json"
HUB_BUCKET_POLICY = "policies/shared/bucket-policy/hub-models.json"
PARTNER = {"Sid": "PartnerReadImages", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
           "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}
PARTNER_YAML = f"""          - Sid: PartnerReadImages
            Effect: Allow
            Principal:
              AWS: arn:aws:iam::{OUTSIDE}:root
            Action:
              - ecr:BatchGetImage
              - ecr:GetDownloadUrlForLayer
"""


def policygen(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policygen", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def edit_json_copies(build: Path) -> None:
    path = build / REPOSITORY_POLICY
    policy = json.loads(path.read_text())
    policy["Statement"].append(PARTNER)
    path.write_text(json.dumps(policy, indent=2) + "\n")
    path = build / HUB_BUCKET_POLICY
    policy = json.loads(path.read_text())
    policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != "DenyInsecureTransport"]
    path.write_text(json.dumps(policy, indent=2) + "\n")


def edit_template(build: Path) -> None:
    path = build / "templates" / "shared.yaml"
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "- Sid: DenyInsecureTransport")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("          - Sid:"))
    del lines[start:end]
    policy = next(i for i, line in enumerate(lines) if "RepositoryPolicyText:" in line)
    last = next(i for i in range(policy, len(lines)) if "666666666666:role/SageMakerModelExecutionRole" in lines[i])
    lines.insert(last + 1, PARTNER_YAML)
    path.write_text("".join(lines))


@pytest.fixture(scope="session")
def base_build(tmp_path_factory) -> Path:
    return Path(shutil.copytree(OUT, tmp_path_factory.mktemp("base") / "out"))


def _scenario(tmp_path_factory, base_build: Path, name: str, edit) -> dict:
    folder = tmp_path_factory.mktemp(name)
    head = Path(shutil.copytree(base_build, folder / "out"))
    edit(head)
    html, md = folder / "report.html", folder / "report.md"
    for target in (html, md):
        result = policygen("report", head, "--base", base_build, "-o", target, "--today", "2026-12-01")
        assert result.returncode == 0, result.stderr
    lint = policygen("lint", head, "--format", "json", "--today", "2026-12-01")
    assert lint.returncode in (0, 1), lint.stderr
    return {"head": head, "html": html, "md": md, "folder": folder, "lint": json.loads(lint.stdout)["findings"]}


@pytest.fixture(scope="session")
def json_edit(tmp_path_factory, base_build) -> dict:
    return _scenario(tmp_path_factory, base_build, "json-edit", edit_json_copies)


@pytest.fixture(scope="session")
def template_edit(tmp_path_factory, base_build) -> dict:
    return _scenario(tmp_path_factory, base_build, "template-edit", edit_template)


@pytest.fixture(scope="session")
def reference_report(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("reference") / "report.html"
    result = policygen("report", OUT, "-o", target, "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    return target
