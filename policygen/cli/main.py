"""Entry point. Dispatches only; commands import their dependencies lazily so --help stays fast."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback

import click

COMMANDS = {
    "validate": ("policygen.cli.validate", "Check an organization file; print every problem with file:line:column."),
    "build": ("policygen.cli.build", "Compile an organization file into policies, templates and a manifest."),
    "schema": ("policygen.cli.schema", "Print the JSON Schema of the organization file format."),
    "init": ("policygen.cli.init", "Write a starter organization file (the reference platform) to edit."),
    "lint": ("policygen.cli.lint", "Check organization files, builds, templates and policies; text, JSON, SARIF or JUnit."),
    "rules": ("policygen.cli.rules", "List the lint rules."),
    "graph": ("policygen.cli.graph", "The effective access graph: who can do what to which resource, from which network."),
    "diff": ("policygen.cli.diff", "Access granted and removed between two versions; --fail-on-new-access gates pull requests."),
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


def main(argv: list[str] | None = None) -> int:
    from policygen.errors import PolicygenError

    try:
        result = cli.main(args=argv, standalone_mode=False, prog_name="policygen")
        return result if isinstance(result, int) else 0
    except PolicygenError as exc:
        click.echo(f"error: {exc}" if "\n" not in str(exc) else "error:\n" + str(exc), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Exception:  # noqa: BLE001 - the last line of defence: never a traceback on the terminal
        fd, path = tempfile.mkstemp(prefix="policygen-crash-", suffix=".log")
        with os.fdopen(fd, "w") as log:
            traceback.print_exc(file=log)
        click.echo(f"policygen crashed; this is a bug. Details were written to {path}", err=True)
        return 3


if __name__ == "__main__":
    sys.exit(main())
