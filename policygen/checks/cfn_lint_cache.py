"""cfn-lint, run once per distinct template: results cached by content hash, misses linted in parallel.

cfn-lint takes about a second per template, so a build of a thousand accounts cannot be re-linted
on every commit. Results are stored under the cache directory (POLICYGEN_CACHE_DIR, else
$XDG_CACHE_HOME/policygen, else ~/.cache/policygen), in a folder named after the cfn-lint and
policygen versions, the entry format and the regions: a version change starts an empty folder rather than trusting
old answers. Each entry is written to a temporary file and renamed into place, so concurrent runs
never read a half-written entry; two runs linting the same template both write the same answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from policygen.parallel import jobs_for
from policygen.progress import track
from pathlib import Path

from policygen import __version__


def cache_dir() -> Path:
    if os.environ.get("POLICYGEN_CACHE_DIR"):
        return Path(os.environ["POLICYGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policygen"


def _folder(regions: tuple[str, ...]) -> Path:
    from importlib.metadata import version  # importing cfnlint itself takes a second

    cfn_lint_version = version("cfn-lint")
    # "v2": entries carry the column; a folder of older entries is not read.
    return cache_dir() / f"cfn-lint-{cfn_lint_version}-policygen-{__version__}-v2-{'_'.join(regions)}"


def _lint_one(args: tuple[str, tuple[str, ...]]) -> list[dict]:
    text, regions = args
    from cfnlint.api import lint

    return [{"rule": m.rule.id, "level": m.rule.severity, "line": m.linenumber, "column": m.columnnumber,
             "message": m.message}
            for m in lint(text, regions=list(regions))]


def lint_templates(texts: dict[str, str], regions: tuple[str, ...] = ("us-east-1",), jobs: int | None = None) -> tuple[dict[str, list[dict]], int]:
    """{name: cfn-lint matches} for every template, and how many were linted (not cached) this time."""
    folder = _folder(regions)
    folder.mkdir(parents=True, exist_ok=True)
    keys = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in texts.items()}
    results: dict[str, list[dict]] = {}
    missing: dict[str, str] = {}
    for name, key in keys.items():
        entry = folder / f"{key}.json"
        try:
            results[name] = json.loads(entry.read_text())
        except (OSError, ValueError):  # absent, or unreadable: lint it again
            missing.setdefault(key, name)
    if missing:
        names = list(missing.values())
        work = [(texts[n], regions) for n in names]
        workers = jobs_for(jobs)
        if workers > 1 and len(work) > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(work))) as pool:
                answers = list(track(pool.map(_lint_one, work), "cfn-lint", len(work)))
        else:
            answers = [_lint_one(w) for w in track(work, "cfn-lint")]
        for name, answer in zip(names, answers):
            _store(folder / f"{keys[name]}.json", answer)
    for name, key in keys.items():
        if name not in results:
            results[name] = json.loads((folder / f"{key}.json").read_text())
    return results, len(missing)


def _store(path: Path, answer: list[dict]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        json.dump(answer, handle)
    os.replace(tmp, path)
