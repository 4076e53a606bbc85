"""`json.dumps(value, indent=2, ensure_ascii=...)`, byte for byte, without the pure-Python encoder.

CPython uses its C encoder only when `indent` is None; with an indent every token goes through a
chain of nested generators (one per level of nesting), which made indented JSON a fifth of a
1,000-account build. This emitter appends to one list and joins once, quotes strings with the same
C functions json uses, and prints numbers with the same reprs, so its output is json.dumps's
(tests/property/test_json_emit.py checks that on random values). What it does not do: detect a
circular reference (json raises ValueError, this RecursionError), call a `default`, sort keys or
skip keys; the build writes trees of plain values, and a type json cannot write is the same
TypeError here.
"""

from __future__ import annotations

from json.encoder import encode_basestring, encode_basestring_ascii

_INDENT = "  "
_float_repr = float.__repr__
_int_repr = int.__repr__
_INFINITY = float("inf")


def dumps(value, ensure_ascii: bool = True) -> str:
    """What json.dumps(value, indent=2, ensure_ascii=ensure_ascii) returns."""
    parts: list[str] = []
    _value(value, "\n", parts, encode_basestring_ascii if ensure_ascii else encode_basestring)
    return "".join(parts)


def _float(o: float) -> str:
    # json.encoder's floatstr with allow_nan=True: NaN and the infinities as JavaScript spells them
    if o != o:
        return "NaN"
    if o == _INFINITY:
        return "Infinity"
    if o == -_INFINITY:
        return "-Infinity"
    return _float_repr(o)


def _atom(o) -> str | None:
    """A scalar as json writes it, in json's order of checks (bool before int: True is an int); None
    for a container."""
    if isinstance(o, str):
        return None  # the caller quotes strings itself (it knows ensure_ascii)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return _int_repr(o)
    if isinstance(o, float):
        return _float(o)
    if isinstance(o, (list, tuple, dict)):
        return None
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _value(o, newline: str, parts: list[str], quote) -> None:
    """Append o at the nesting whose line break (and indent) is `newline`."""
    if isinstance(o, str):
        parts.append(quote(o))
    elif isinstance(o, (list, tuple)):
        _list(o, newline, parts, quote)
    elif isinstance(o, dict):
        _dict(o, newline, parts, quote)
    else:
        parts.append(_atom(o))


def _list(o, newline: str, parts: list[str], quote) -> None:
    if not o:
        parts.append("[]")
        return
    inner = newline + _INDENT
    try:  # the common case, a list of strings: one join (quote raises TypeError on anything else)
        parts.append("[" + inner + ("," + inner).join(map(quote, o)) + newline + "]")
        return
    except TypeError:
        pass
    append = parts.append
    comma = "," + inner
    separator = "[" + inner
    for item in o:
        append(separator)
        separator = comma
        _value(item, inner, parts, quote)
    append(newline + "]")


def _dict(o: dict, newline: str, parts: list[str], quote) -> None:
    if not o:
        parts.append("{}")
        return
    inner = newline + _INDENT
    append = parts.append
    comma = "," + inner
    separator = "{" + inner
    for key, item in o.items():
        head = separator + quote(key if isinstance(key, str) else _key(key)) + ": "
        separator = comma
        if isinstance(item, str):
            append(head + quote(item))
        elif isinstance(item, (list, tuple)):
            append(head)
            _list(item, inner, parts, quote)
        elif isinstance(item, dict):
            append(head)
            _dict(item, inner, parts, quote)
        else:
            append(head + _atom(item))
    append(newline + "}")


def _key(key) -> str:
    """A key that is not a string, as json converts it (skipkeys=False): a scalar as its JSON."""
    if key is None or isinstance(key, (int, float)):  # bool is an int
        return _atom(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
