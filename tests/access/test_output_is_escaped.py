"""Names and values from the input are escaped in graph, diff and explain output, as in every message."""

from __future__ import annotations

import json

from policygen.cli.main import main

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Metadata": {"policygen": {"account_id": "111111111111"}},
    "Resources": {
        "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "evil\u001b[2J\u202ename"}},
        "DataPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Data"}, "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                           "Action": "s3:GetObject", "Resource": "arn:aws:s3:::evil\u001b[2J\u202ename/*"}]}}},
    },
}


def test_graph_and_diff_tables_escape_control_and_bidi_characters(tmp_path, capsys):
    head = tmp_path / "head"
    head.mkdir()
    (head / "t.json").write_text(json.dumps(TEMPLATE))
    base = tmp_path / "base"
    base.mkdir()
    for command in (["graph", str(head)], ["diff", str(base), str(head)]):
        main(command)
        out = capsys.readouterr().out
        assert "evil" in out and "\x1b" not in out and "\u202e" not in out, command
        assert "\\x1b" in out or "\\u202e" in out
