"""Entry point. Dispatches only; commands import their dependencies lazily so --help stays fast."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import traceback

import click

COMMANDS = {
    "validate": ("policygen.cli.validate", "Check an organization file; print every problem with file:line:column."),
    "build": ("policygen.cli.build", "Compile an organization file into policies, templates and a manifest."),
    "schema": ("policygen.cli.schema", "Print the JSON Schema of the organization file format."),
    "init": ("policygen.cli.init", "Write a starter organization file to edit (--minimal: two accounts) and its JSON Schema."),
    "lint": ("policygen.cli.lint", "Check organization files, builds, templates and policies; text, JSON, SARIF or JUnit."),
    "rules": ("policygen.cli.rules", "List the lint rules."),
    "graph": ("policygen.cli.graph", "The effective access graph: who can do what to which resource, from which network."),
    "diff": ("policygen.cli.diff", "Access granted and removed between two versions; --fail-on-new-access gates pull requests."),
    "report": ("policygen.cli.report", "A security review in one HTML file or a pull-request comment: access across accounts, findings, changes."),
    "explain": ("policygen.cli.explain", "Would AWS allow this request? The decision, each policy layer, the deciding statements."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        import importlib

        return importlib.import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policygen")
def cli():
    """policygen: compile one organization file into every IAM, S3, KMS, ECR, SageMaker,
    EventBridge, RAM and SCP policy of a multi-account ML platform, and check them."""


RESERVE = 1 << 20  # bytes held while a command runs and given back when memory runs out, to report it
# A build or lint holds millions of long-lived objects (documents, located values) and makes few cycles.
# With Python's default thresholds (700, 10, 10) every full collection walks the whole heap again:
# at 1,000 accounts 17 of them took 4 s of a 29 s lint. Collections still run, just less often.
GC_THRESHOLDS = (50_000, 20, 100)


def main(argv: list[str] | None = None) -> int:
    """Run a command; return its exit code. Never raises and never prints a traceback: an input too large
    or too deep is exit 2, anything unexpected is a crash log and exit 3, even when that log cannot be
    written or the terminal cannot be written to."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*before)  # a caller in the same process (tests, an editor plugin) keeps its own


def entry() -> None:
    """The `policygen` command: main(), then leave without taking the heap apart object by object.
    A large lint holds millions of located values; freeing them one by one at exit took seconds that
    nobody waits for. Everything a command writes is closed by then; the standard streams are flushed here."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed pipe: nothing more can reach it
            pass
    os._exit(code)


def _main(argv: list[str] | None) -> int:
    reserve = bytearray(RESERVE)
    details = None
    try:
        return _dispatch(argv)
    except MemoryError:
        failure = "memory"
    except RecursionError:
        failure = "recursion"
        details = _traceback_text()
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: never a traceback on the terminal
        failure = "crash"
        details = _traceback_text()
    del reserve  # the failed command's frames are gone with the except block; this gives a little more room
    gc.collect()
    if failure == "memory":
        _say("error: out of memory: the input is too large to process on this machine")
        return 2
    if failure == "recursion":
        where = _crash_log(details)
        _say("error: the input is nested too deeply to process (Python's recursion limit); "
             + (f"if it is not, this is a bug: details are in {where}" if where else "no crash log could be written"))
        return 2
    where = _crash_log(details)
    _say(f"policygen crashed; this is a bug. Details were written to {where}" if where
         else f"policygen crashed; this is a bug ({_last_line(details)}); the crash log could not be written")
    return 3


def _dispatch(argv: list[str] | None) -> int:
    from policygen.errors import PolicygenError

    try:
        result = cli.main(args=argv, standalone_mode=False, prog_name="policygen")
        return result if isinstance(result, int) else 0
    except PolicygenError as exc:
        text = str(exc)
        _say(f"error: {text}" if "\n" not in text else "error:\n" + text)
        return exc.exit_code
    except click.exceptions.Abort:
        _say("aborted")
        return 130
    except click.ClickException as exc:
        try:
            exc.show()
        except Exception:  # noqa: BLE001 - a closed terminal
            pass
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code


def _say(text: str) -> None:
    """One message on standard error; if that stream is gone, the raw descriptor; if that fails, nothing."""
    try:
        click.echo(text, err=True)
        return
    except Exception:  # noqa: BLE001
        pass
    try:
        os.write(2, (text + "\n").encode("utf-8", "replace"))
    except Exception:  # noqa: BLE001
        pass


def _traceback_text() -> str | None:
    try:
        return traceback.format_exc()
    except BaseException:  # noqa: BLE001 - formatting can run out of memory too
        return None


def _last_line(details: str | None) -> str:
    line = details.strip().splitlines()[-1] if details and details.strip() else "no details"
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in line[:300])


def _crash_log(details: str | None) -> str | None:
    """Write details to a fresh crash log; its path, or None when nothing could be written."""
    if details is None:
        return None
    try:
        fd, path = tempfile.mkstemp(prefix="policygen-crash-", suffix=".log")
    except Exception:  # noqa: BLE001
        return None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as log:
            log.write(details)
        return path
    except Exception:  # noqa: BLE001
        return None


if __name__ == "__main__":
    sys.exit(main())
