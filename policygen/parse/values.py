"""The located values every reader returns: strings, mappings and lists that know the 1-based line
and column they start at (see `located.py`); a mapping knows its keys' places, its keys are plain strings. Apart, so that both the YAML and the JSON reader build them."""

from __future__ import annotations


class LStr(str):
    line: int = 0
    col: int = 0


def _unplaced(value, name: str) -> int:
    """An unset line or column: 0, as for a value made up, not read. Slots rather than an instance
    dictionary: a 5,000-account build's documents hold 800,000 mappings and lists (a dictionary each
    would be 130 MB)."""
    if name in ("line", "col"):
        return 0
    raise AttributeError(f"{type(value).__name__} has no attribute {name!r}")


class LDict(dict):
    __slots__ = ("line", "col", "key_lines", "key_cols")  # key_cols may be absent on a mapping built by hand
    line: int
    col: int
    key_lines: dict
    key_cols: dict

    __getattr__ = _unplaced

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
    __slots__ = ("line", "col")
    line: int
    col: int

    __getattr__ = _unplaced


def _str(value: str, line: int, col: int = 0) -> LStr:
    out = LStr(value)
    out.line, out.col = line, col
    return out
