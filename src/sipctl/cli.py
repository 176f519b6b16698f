"""The command line: the typer app, its commands, and the one place errors become exit codes.

Each command lives in `sipctl/commands/<name>.py` and imports its service
inside the function, so `sipctl --help` and a one-school check pay only for
what they use.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import Annotated

# sipctl uses no pydantic plugin; looking for them scans every installed package's
# metadata, about 25 ms of each run. A user can still ask for them by setting this.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from sipctl import __version__
from sipctl.commands import check, diff, init, log, render, schema, status
from sipctl.errors import SipctlError

app = typer.Typer(
    name="sipctl",
    help="School improvement plans as YAML in git: scaffold, check, diff, render and audit.\n\n"
    "Start with `sipctl init maple --cycle 2022-23`, fill in the documents, then run "
    "`sipctl check`.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sipctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    no_history_cache: Annotated[
        bool,
        typer.Option(
            "--no-history-cache",
            envvar="SIPCTL_NO_HISTORY_CACHE",
            help="Walk the git history from scratch, and keep nothing in .git/sipctl/. "
            "By default the last walk is kept there and the next one reads only the commits "
            "made since.",
        ),
    ] = False,
) -> None:
    if no_history_cache:
        from sipctl.git.history import use_cache

        use_cache(False)


app.command("init")(init.init)
app.command("check")(check.check)
app.command("status")(status.status)
app.command("log")(log.log)
app.command("diff")(diff.diff)
app.command("render")(render.render)
app.command("schema")(schema.schema)


# Python's collector runs after every 700 new container objects and, every hundred runs,
# walks every object alive. A check builds millions of small dicts and lists that only
# reference counting frees, and keeps a school's plans alive while it judges them, so the
# default walked them again and again: a third of a whole-district check (16 s against
# 11 s on 1,800 schools). Cycles are still collected, 100,000 objects apart.
_GC_THRESHOLDS = (100_000, 20, 20)


def main() -> None:
    """Entry point: user errors print a message and exit 2, never a traceback."""
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        app()
    except SipctlError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"hint: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        _ctrl_c_ends_the_process()


def _ctrl_c_ends_the_process() -> None:
    """From here on the work is done or given up: a Ctrl-C while Python shuts down (its
    threading and atexit hooks) would print a traceback nothing can catch. The default
    action ends the process by the signal instead, which a shell reports as 130."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
