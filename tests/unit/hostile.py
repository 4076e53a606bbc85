"""What the hostile-input tests share: running the CLI in process, and a located error's shape."""

from __future__ import annotations

import re

from policygen.cli.main import main

LOCATED = re.compile(r"^(?:error: )?(\S.*?):(\d+):(\d+): ", re.M)
TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n'
ORG_HEAD = "version: 1\n"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def located_error(capsys, path, *command) -> str:
    """Run the command on path; it must exit 2 with one message naming path:line:column."""
    code, out, err = run(capsys, *command, path)
    assert code == 2, out + err
    match = LOCATED.search(err)
    assert match and match.group(1) == str(path), err
    return err


