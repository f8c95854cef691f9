"""The ``amity`` command: the typer app, shared options and the one place errors become one line.

Only this module wires the application to a store. Heavy imports happen inside commands so that
``amity --help`` starts fast. No Python traceback ever reaches a user: expected failures are
``AmityError`` (exit 1), usage errors exit 2, anything else is reported as an internal error.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated, Optional

import typer
from typer.main import get_command

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as cx
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as cx

app = typer.Typer(
    name="amity",
    help="Amity: an event-sourced ledger of city diplomacy.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Store = Annotated[Optional[str], typer.Option("--store", envvar="AMITY_STORE", help="Ledger store: a file path, sqlite:///path or postgresql://user@host:port/db (default: amity.db).")]
Json = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on stdout.")]


_OPENED: list = []  # ledgers this command opened: their connections are closed when it ends


def open_ledger(store: str | None, mode: str = "read"):
    """The ledger at ``store``: "read" needs it to exist; "write" creates a SQLite file; "init" also a PostgreSQL schema."""
    from amity.ledger.app import Ledger

    ledger = Ledger(store, mode=mode)
    _OPENED.append(ledger)
    return ledger


def _close_opened() -> None:
    while _OPENED:
        try:
            _OPENED.pop().close()
        except Exception:  # noqa: BLE001 - closing is best effort; the command's answer stands
            pass


def _version(value: bool) -> None:
    if value:
        from amity import LEDGER_FORMAT_VERSION, __version__

        typer.echo(f"amity {__version__} (ledger format {LEDGER_FORMAT_VERSION})")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and the ledger format version.")] = False,
) -> None:
    """Amity: an event-sourced ledger of city diplomacy."""


COMMANDS = {  # each command's module: `amity COMMAND` imports only that one (tests/test_cli.py checks the table)
    "status": "answers", "audit": "answers", "rebuild": "answers", "anniversaries": "answers",
    "import": "importing", "verify": "integrity", "digest": "integrity", "init": "integrity", "copy": "moves",
    "networks": "networks", "network": "networks", "city": "networks",  # issue #18
    "export": "read", "history": "read", "show": "read", "places": "read",
    "check": "sources", "disputes": "sources",  # issue #19
    "serve": "web", "publish": "web", "record": "write", "correct": "write", "retract": "write",
}


def _register_commands(command: str | None = None) -> None:
    """Register ``command``'s module (its commands register themselves on `app`), or every module."""
    from importlib import import_module

    for module in [COMMANDS[command]] if command in COMMANDS else sorted(set(COMMANDS.values())):
        import_module(f"amity.cli.{module}")


def fail(message: str, code: int = 1) -> None:
    """One line on stderr (recorded text in it escaped like a table's), then exit with ``code``."""
    from amity.cli.render import visible

    first = visible(" ".join(str(message).split())) or "failed"
    sys.stderr.write(f"amity: error: {first}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _for(argv: list[str]) -> typer.Typer:
    """The app, or for `amity COMMAND …` an app of that one command: typer inspects every command it is given
    (their signatures and option types, ~40 ms for all), so a command does not pay for the others."""
    named = [c for c in app.registered_commands if argv and (c.name or c.callback.__name__.replace("_", "-")) == argv[0]]  # type: ignore[union-attr]
    if not named:
        return app
    one = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False, pretty_exceptions_enable=False,
                      rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
    one.registered_commands = named
    one.registered_callback = app.registered_callback
    return one


def run(argv: list[str] | None = None) -> None:
    """Console entry point."""
    argv = argv if argv is not None else sys.argv[1:]
    _register_commands(argv[0] if argv else None)
    if hasattr(signal, "SIGXFSZ"):  # over a file size limit (ulimit -f) a write fails with a message, not a silent kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    command = get_command(_for(argv))
    try:
        rv = _main(command, argv)
    finally:
        _close_opened()
    if rv == 130:  # typer returns Ctrl-C (KeyboardInterrupt) as a silent exit code 130
        fail("interrupted; nothing half-written was kept", 130)
    if isinstance(rv, int) and rv:
        raise SystemExit(rv)


def _main(command, argv: list[str]):
    """The command's return value; every failure is one line and an exit code."""
    from amity.ledger.errors import AmityError, ImportProblems

    try:
        return command.main(args=argv, prog_name="amity", standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except cx.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        raise SystemExit(0) from None
    except cx.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        fail(exc.format_message() + hint, 2)
    except typer.Abort:
        fail("aborted", 130)
    except cx.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except ImportProblems as exc:
        from amity.cli.problems import summary

        fail(summary(exc), 1)
    except AmityError as exc:
        fail(str(exc), 1)
    except BrokenPipeError:
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        fail("interrupted; nothing half-written was kept", 130)
    except Exception as exc:  # never a traceback
        fail(f"internal error ({type(exc).__name__}): {exc}", 1)
