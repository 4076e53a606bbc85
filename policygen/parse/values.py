"""The located values every reader returns: strings, mappings and lists that know the 1-based line
and column they start at (see `located.py`). Apart, so that both the YAML and the JSON reader build them."""

from __future__ import annotations


class LStr(str):
    line: int = 0
    col: int = 0


class LDict(dict):
    line: int = 0
    col: int = 0
    key_lines: dict
    key_cols: dict  # may be absent on a mapping built by hand: its keys' columns are then unknown

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def col_of(self, key: str) -> int:
        """The key's column; the mapping's own where the key is absent (as `line_of`), 0 when unknown."""
        cols = getattr(self, "key_cols", None) or {}
        if key in cols:
            return cols[key]
        return 0 if key in self.key_lines else self.col  # a line without its column stays without one

    def position_of(self, key: str) -> tuple[int, int]:
        return self.line_of(key), self.col_of(key)


class LList(list):
    line: int = 0
    col: int = 0


def _str(value: str, line: int, col: int = 0) -> LStr:
    out = LStr(value)
    out.line, out.col = line, col
    return out
