"""decap-server, Decap CMS's local git backend, as a child process of `sipctl edit`.

Where it comes from, first found first: `SIPCTL_DECAP_SERVER` (the path of its
`dist/index.js` or of a program to run); the district's `node_modules/.bin/decap-server`;
the one installed beside sipctl's own source (`npm ci` in a checkout); else `npx --yes
decap-server@3.11.3`, the version sipctl is tested with, which npm downloads once. All
of them need Node.js, which is looked for before anything else is done.

It runs in a session of its own (so npx's child node goes with it), with its log in a
file, and is stopped with SIGTERM, then SIGKILL, when `sipctl edit` stops; on Linux it
also gets SIGTERM if sipctl itself is killed outright.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sipctl.errors import SipctlError

VERSION = "3.11.3"  # the decap-server the tests run (package.json)
ENV_VARIABLE = "SIPCTL_DECAP_SERVER"
NODE_MAJOR = 20  # decap-server 3.11's own minimum
_SOURCE_CHECKOUT = Path(__file__).resolve().parents[3]  # src/sipctl/services/ -> checkout
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class NodeMissing(SipctlError):
    """Node.js (or npx) is not installed or too old."""


class DecapServerFailed(SipctlError):
    """decap-server did not start, or stopped on its own."""


@dataclass(frozen=True)
class DecapCommand:
    argv: list[str]
    origin: str  # where it comes from, in the user's words
    startup: float  # seconds to wait for it to answer (npx may download it first)


def decap_command(district: Path) -> DecapCommand:
    """How to start decap-server for `district`; NodeMissing when Node.js is missing."""
    node = shutil.which("node")
    if node is None:
        raise NodeMissing(
            "Node.js is not installed: `sipctl edit` runs decap-server, Decap CMS's local "
            "git backend, with it",
            hint=f"install Node.js {NODE_MAJOR} or later with npm: `sudo apt install nodejs npm` "
            "(Debian, Ubuntu), `brew install node` (macOS), or from https://nodejs.org/",
        )
    _require_version(node)
    given = os.environ.get(ENV_VARIABLE)
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            raise DecapServerFailed(
                f"{ENV_VARIABLE} names {given}, which is not a file",
                hint="point it at decap-server's dist/index.js, or unset it",
            )
        argv = [node, str(path)] if path.suffix in (".js", ".cjs") else [str(path)]
        return DecapCommand(argv, f"{path} ({ENV_VARIABLE})", 30)
    for folder, whose in ((district, "the district's"), (_SOURCE_CHECKOUT, "sipctl's")):
        script = folder / "node_modules" / ".bin" / "decap-server"
        if script.exists():
            return DecapCommand([node, str(script.resolve())], f"{whose} {script}", 30)
    npx = shutil.which("npx")
    if npx is None:
        raise NodeMissing(
            "npx is not installed: `sipctl edit` fetches decap-server with it",
            hint="install npm with Node.js (`sudo apt install npm`), or install decap-server "
            f"in the district: npm install decap-server@{VERSION}",
        )
    return DecapCommand(
        [npx, "--yes", f"decap-server@{VERSION}"], f"npx decap-server@{VERSION}", 300
    )


def _require_version(node: str) -> None:
    try:
        out = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        major = int(out.strip().lstrip("v").split(".")[0])
    except (OSError, subprocess.SubprocessError, ValueError):
        return  # it may still run; if not, decap-server's own error says why
    if major < NODE_MAJOR:
        raise NodeMissing(
            f"Node.js {out.strip()} is too old for decap-server",
            hint=f"install Node.js {NODE_MAJOR} or later, e.g. from https://nodejs.org/",
        )


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class DecapServer:
    process: subprocess.Popen[bytes]
    api: str  # http://127.0.0.1:PORT/api/v1
    log: Path

    def failure(self, what: str) -> DecapServerFailed:
        return DecapServerFailed(
            f"decap-server {what}; the end of its log ({self.log}):\n{_tail(self.log)}"
        )

    def wait(self) -> None:
        """Until decap-server ends: a DecapServerFailed, since only sipctl should end it."""
        code = self.process.wait()
        raise self.failure(f"stopped on its own (exit code {code})")


@contextlib.contextmanager
def running_decap_server(
    command: DecapCommand, repository: Path, *, env: dict[str, str], log: Path
) -> Iterator[DecapServer]:
    """decap-server in git mode on `repository`, answering on 127.0.0.1; stopped (with
    every process it started) when the block ends."""
    port = free_port()
    env = {
        **env,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repository),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": env.get("LOG_LEVEL", "info"),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with _new_log(log) as sink:
        # cwd: decap-server reads a `.env` file from its working folder (dotenv); the log's
        # folder has none, where a district could commit one.
        process = subprocess.Popen(
            command.argv,
            cwd=log.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_dies_with_parent(),
        )
    server = DecapServer(process, f"http://127.0.0.1:{port}/api/v1", log)
    try:
        _wait_until_answering(server, command.startup)
        yield server
    finally:
        _stop(process)


def _new_log(log: Path) -> BinaryIO:
    """decap-server's log, made afresh; never through a link where it belongs (which would
    write wherever the link leads, out of the git folder)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.fdopen(os.open(log, flags, 0o644), "wb")
    except OSError as exc:
        raise SipctlError(
            f"cannot write {log}: {exc.strerror}",
            hint="remove that file; `sipctl edit` makes it again",
        ) from None


def _wait_until_answering(server: DecapServer, seconds: float) -> None:
    request = json.dumps({"action": "info"}).encode()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise server.failure(f"did not start (exit code {server.process.returncode})")
        try:
            post = urllib.request.Request(server.api, request, {"Content-Type": "application/json"})
            with urllib.request.urlopen(post, timeout=5) as answer:
                if json.load(answer).get("type") == "local_git":
                    return
        except (OSError, ValueError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise server.failure(f"did not answer within {seconds:.0f} seconds")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to decap-server's whole process group, SIGKILL after 5 seconds."""
    for signum, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _dies_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for the child to ask for SIGTERM when sipctl dies (SIGKILL
    included), so no decap-server is left holding its port."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def ask() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return ask


def _tail(log: Path, lines: int = 15) -> str:
    try:
        text = log.read_text("utf-8", "replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"
