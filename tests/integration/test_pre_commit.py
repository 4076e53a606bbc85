"""The real pre-commit framework runs our hooks (pre-commit try-repo) in a throw-away git repository.

try-repo installs policygen into a fresh virtualenv, as a user's pre-commit would, so this
test needs the package index. The pinned constraints keep that install reproducible, and
PRE_COMMIT_HOME under .cache/ lets a second run reuse the environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import REFERENCE, ROOT

BAD = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
GOOD = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "Reader", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
     "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/reader"}}}]}


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory, hooks_repo):
    path = tmp_path_factory.mktemp("platform")
    git(path, "init", "-q")
    git(path, "config", "user.email", "ci@example.com")
    git(path, "config", "user.name", "ci")
    (path / "bad.json").write_text(json.dumps(BAD, indent=2))
    (path / "good.json").write_text(json.dumps(GOOD, indent=2))
    (path / "notes.yaml").write_text("just: notes\n")
    shutil.copy(REFERENCE, path / "org.yaml")
    (path / ".policygen.yaml").write_text("build:\n  org: org.yaml\n  output: out\n")
    subprocess.run([sys.executable, "-m", "policygen", "build", "--no-summary"], cwd=path, check=True, capture_output=True)
    git(path, "add", "-A")
    git(path, "commit", "-qm", "platform")
    return Repo(path, hooks_repo)


class Repo(type(ROOT)):
    """The platform repository's path, carrying the hooks snapshot to try."""

    def __new__(cls, path, hooks):
        self = super().__new__(cls, path)
        self.hooks = hooks
        return self


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory):
    """A committed snapshot of this checkout, uncommitted edits included.

    try-repo would make such a snapshot itself on every call, each with a new commit id and
    so a new hook environment to install; one snapshot per module installs once.
    """
    snapshot = tmp_path_factory.mktemp("policygen")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qm", "snapshot")
    return snapshot


def try_repo(repo, hook, *args):
    env = {**os.environ, "PRE_COMMIT_HOME": str(ROOT / ".cache" / "pre-commit"),
           "PIP_CONSTRAINT": str(ROOT / "constraints.txt")}
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or "pre-commit"
    return subprocess.run([pre_commit, "try-repo", str(repo.hooks), hook, *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def runs(repo, tmp_path_factory):
    """All hook runs at once: try-repo installs a fresh environment per call, so run them side by side."""
    stale = tmp_path_factory.mktemp("stale")
    shutil.copytree(repo, stale, dirs_exist_ok=True)
    org = stale / "org.yaml"
    org.write_text(org.read_text().replace("vpc_only: true", "vpc_only: false", 1))
    stale = Repo(stale, repo.hooks)
    calls = {
        "bad": (repo, "policygen-lint", "--files", "bad.json", "notes.yaml"),
        "good": (repo, "policygen-lint", "--files", "good.json", "notes.yaml", "out/policies/dev/bucket-policy/data.json"),
        "fresh": (repo, "policygen-build-fresh", "--all-files"),
        "stale": (stale, "policygen-build-fresh", "--all-files"),
    }
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = {name: pool.submit(try_repo, *args) for name, args in calls.items()}
        return {name: future.result() for name, future in futures.items()}


def test_lint_hook_fails_on_a_bad_policy(runs):
    result = runs["bad"]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "policygen lint" in result.stdout and "Failed" in result.stdout
    assert "DP301" in result.stdout and "bad.json" in result.stdout


def test_lint_hook_passes_on_a_good_policy(runs):
    result = runs["good"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_build_fresh_hook(runs):
    assert runs["fresh"].returncode == 0, runs["fresh"].stdout
    assert runs["stale"].returncode == 1 and "is stale" in runs["stale"].stdout
