"""Options several commands share, declared once."""

from __future__ import annotations

import click


def jobs_option(what: str):
    """`--jobs N` / `-j N`: how many processes the command's parallel parts use (None: one per core).
    what: the parts, for the help text ("Processes for ...")."""
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help=f"Processes for {what}; the results are the same with any number. [default: every core]")
