from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from sipctl.commands.options import RepoOption

if TYPE_CHECKING:
    from sipctl.services.edit import EditSession


def edit(
    repo: RepoOption = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            metavar="N",
            min=1,
            max=65535,
            help="Serve the editor on this port of 127.0.0.1. Default: a free one.",
            show_default=False,
        ),
    ] = None,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", help="Print the address only; do not open a browser."),
    ] = False,
) -> None:
    """Edit the plans in a browser on this computer; each save becomes a git branch.

    Serves the district's admin/ folder (from `sipctl editor`) on 127.0.0.1 with
    decap-server, Decap CMS's local git backend, working in a git worktree of its
    own: a save becomes a cms/... branch of this repository, to push and open a
    pull request from. Your working copy, index and branches are not touched.
    Needs Node.js 20 or later. Ctrl-C stops it. See docs/editor.md.

    Example: sipctl edit
    """
    from sipctl.concurrency import stop_as_exception
    from sipctl.services.edit import editing

    typer.echo("starting the editor's local git backend (decap-server)...", err=True)
    try:
        with stop_as_exception(), editing(repo, port=port) as session:
            _announce(session)
            if not no_browser and _can_open_a_browser():
                import webbrowser

                webbrowser.open(session.address)
            session.wait()
    except KeyboardInterrupt:
        # After the `with`: decap-server and the page are stopped by now.
        typer.echo(
            "stopped; the saves are the cms/... branches (git branch --list 'cms/*')", err=True
        )
        raise


def _announce(session: EditSession) -> None:
    worktree = session.worktree
    yours = worktree.user_branch or "your HEAD"
    typer.echo(f"The editor is running: open {session.address}")
    typer.echo(
        f"Saves become cms/<collection>/<entry> branches of this repository, based on "
        f"{yours} ({worktree.base[:7]}); push one and open a pull request, e.g.\n"
        f"  git push origin cms/...   (list them: git branch --list 'cms/*')"
    )
    typer.echo(f"decap-server ({session.origin}) answers on {session.api}")
    typer.echo(f"  in the worktree {worktree.path}, its log in {session.log}")
    typer.echo("Press Ctrl-C to stop.")


def _can_open_a_browser() -> bool:
    """Only where a window can appear: without a display, Python's webbrowser would start
    a text browser (lynx, w3m) in this terminal."""
    if not sys.stdout.isatty():
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
