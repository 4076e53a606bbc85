"""A lint suppression: which rule, why, until when, and which findings it covers."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass

from policygen.model.finding import Finding, Location


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    expires: dt.date | None
    where: Location  # where the suppression is written
    source: str  # "org", "cfn" or "config"
    # org and cfn: findings located (or originating) in this file between these lines
    scope_file: str | None = None
    first_line: int = 0
    last_line: int = 0
    # config: findings whose file matches one of these globs (relative to the config's folder)
    paths: tuple[str, ...] = ()
    base_dir: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def covers(self, finding: Finding, relative_file: str | None = None) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        if self.source == "config":
            target = relative_file if relative_file is not None else finding.file
            return any(fnmatch.fnmatchcase(target, pattern) for pattern in self.paths)
        places = [finding.location, *([finding.origin] if finding.origin else [])]
        return any(self._in_scope(place) for place in places)

    def _in_scope(self, place: Location) -> bool:
        return place.file == self.scope_file and self.first_line <= place.line <= self.last_line
