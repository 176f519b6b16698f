"""The command line: the typer app, its commands, and the one place errors become exit codes.

Each command lives in `sipctl/commands/<name>.py` and imports its service
inside the function, so `sipctl --help` and a one-school check pay only for
what they use.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys
from typing import TYPE_CHECKING, Annotated

# sipctl uses no pydantic plugin; looking for them scans every installed package's
# metadata, about 25 ms of each run. A user can still ask for them by setting this.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from sipctl import __version__
from sipctl.commands import check, diff, editor, init, log, remind, render, schema, status
from sipctl.commands.edit import edit
from sipctl.commands.fmt import fmt
from sipctl.errors import SipctlError

if TYPE_CHECKING:  # typer's own copy of click, which it names nowhere public
    from typer._click.core import Context, Parameter


class _NamedArgument(TyperArgument):
    """An argument whose name already says what to type (SCHOOL, DOC): no `<str>` beside it."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:  # the usage line: SCHOOL, not typer's {SCHOOL}
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name if self.nargs == 1 else f"{name}..."


def _what_to_type(params: list[Parameter]) -> list[Parameter]:
    """--help shows a value only where one is typed: typer's rich help prints
    `--strict <bool>` for a flag, which reads as if `--strict true` were needed."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
        elif isinstance(param, TyperArgument) and param.metavar:
            param.__class__ = _NamedArgument
    return params


class _Command(TyperCommand):
    def get_params(self, ctx: Context) -> list[Parameter]:
        return _what_to_type(super().get_params(ctx))


class _Group(TyperGroup):
    def get_params(self, ctx: Context) -> list[Parameter]:
        return _what_to_type(super().get_params(ctx))


app = typer.Typer(
    name="sipctl",
    help="School improvement plans as YAML in git: scaffold, check, diff, render and audit.\n\n"
    "Start with `sipctl init maple --cycle 2022-23`, fill in the documents, then run "
    "`sipctl check`.",
    no_args_is_help=True,
    add_completion=False,
    cls=_Group,
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


for _name, _function in (
    ("init", init.init),
    ("check", check.check),
    ("status", status.status),
    ("log", log.log),
    ("diff", diff.diff),
    ("render", render.render),
    ("remind", remind.remind),
    ("schema", schema.schema),
    ("fmt", fmt),
    ("editor", editor.editor),
    ("edit", edit),
):
    app.command(_name, cls=_Command)(_function)


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
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        # A `--repo` or `--out` past PATH_MAX, or a page named after a 255-byte school
        # folder: whichever path the system refused, nothing more can be done with it.
        typer.echo(f"error: a path is too long for the file system: {_shortened(exc)}", err=True)
        typer.echo(
            "hint: use shorter folder and file names (at most 255 bytes a name, 4,096 bytes "
            "a whole path)",
            err=True,
        )
        sys.exit(2)
    finally:
        _ctrl_c_ends_the_process()


def _shortened(exc: OSError) -> str:
    """The path an error names, its middle left out when it would fill the screen."""
    name = os.fsdecode(exc.filename) if exc.filename is not None else "(unnamed)"
    return name if len(name) <= 120 else f"{name[:60]}…{name[-40:]}"


def _ctrl_c_ends_the_process() -> None:
    """From here on the work is done or given up: a Ctrl-C while Python shuts down (its
    threading and atexit hooks) would print a traceback nothing can catch. The default
    action ends the process by the signal instead, which a shell reports as 130."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
