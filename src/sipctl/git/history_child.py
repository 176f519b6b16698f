"""The history of a whole-district check, read in a process of its own.

`check` reads history beside its plan check. In a thread, the Python half of that read
(decoding `git log`, finding each version's status, collecting the versions) takes
the GIL from the plan check, about 1.5 s of a 1,800-school check without the history
cache. A child Python process does it on the other core instead, and sends back only
what the deadline rules ask of the history (`History.for_deadlines`), which is small.

`check` uses it when one process checks a large district; beside `--jobs` workers
this process has nothing else to do, and the thread is cheaper. The child is a fresh
interpreter (`python -P -m sipctl.git.history_child`), not a fork: by then a terminal's
progress bar has a thread running, which a fork would copy mid-step, and a fresh
interpreter imports only what the history needs (about 70 ms). If the child fails, the
history is read again in the thread, so that its error is the one a reader in this
process would have met.
"""

from __future__ import annotations

import atexit
import contextlib
import pickle
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from sipctl.concurrency import Background
from sipctl.errors import GitError
from sipctl.git.history import History, cache_enabled, read_history, school_folders, use_cache

# Children still reading when this process ends (a Ctrl-C sent to it alone, an error)
# are stopped rather than left to finish a read nobody will take.
_running: set[subprocess.Popen[bytes]] = set()


@atexit.register
def _stop_children() -> None:
    for child in list(_running):
        with contextlib.suppress(OSError):
            child.kill()


def read_history_apart(root: Path, schools: Sequence[str] | None) -> Background[History]:
    """What `read_history_beside` gives, for the deadline rules, read in a child process."""
    return Background(_read_in_child, root, school_folders(schools))


def _read_in_child(root: Path, under: str | list[str]) -> History:
    history = ask_child(root, [under] if isinstance(under, str) else under)
    if history is not None:
        return history
    # The child failed: read it here, where the same failure raises its own error.
    return read_history(root, under, overlap=False).for_deadlines()


def ask_child(root: Path, folders: list[str]) -> History | None:
    """The child's answer; None if it failed for a reason other than a signal."""
    cache = "cache" if cache_enabled() else "no-cache"
    # -P: the working folder is not put on the module path, so a `sipctl` folder in
    # it cannot stand in for the installed one.
    command = [sys.executable, "-P", "-m", "sipctl.git.history_child", str(root), cache, *folders]
    try:
        child = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError:  # no Python to run (an embedded or frozen sipctl)
        return None
    with child:
        _running.add(child)
        try:
            answer, _ = child.communicate()
        finally:
            _running.discard(child)
    if child.returncode < 0:  # a Ctrl-C reaches the child too; this process stops as well
        raise GitError(f"reading git history was stopped by signal {-child.returncode}")
    if child.returncode != 0:
        return None
    try:
        history = pickle.loads(answer)  # our own child's answer, never a file
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return history if isinstance(history, History) else None


def _child(argv: list[str]) -> int:
    # A Ctrl-C reaches the whole process group: end by it quietly, the parent reports it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    root, cache, *folders = argv
    use_cache(cache == "cache")
    history = read_history(Path(root), folders, overlap=False)
    sys.stdout.buffer.write(pickle.dumps(history.for_deadlines(), pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
