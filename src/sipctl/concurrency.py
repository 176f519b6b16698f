"""How sipctl does work side by side: git history read in a thread beside the plans,
and worker processes for a large district; and how that work ends when sipctl is told
to stop."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import Generic, TypeVar

T = TypeVar("T")
B = TypeVar("B")
R = TypeVar("R")


class Background(Generic[T]):
    """A call run in a thread from now on; `result()` waits for it and re-raises what
    it raised."""

    def __init__(self, call: Callable[..., T], *args: object) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call, *args), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[..., T], *args: object) -> None:
        try:
            self._value = call(*args)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def ready(self) -> bool:
        """Whether the call has returned a value: `result()` would neither wait nor raise."""
        return not self._thread.is_alive() and self._error is None

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


# Below this many schools a worker pool costs more than it saves.
PARALLEL_MIN_SCHOOLS = 40


def uses_pool(schools: int) -> bool:
    """Whether checking this many schools is worth worker processes."""
    return schools >= PARALLEL_MIN_SCHOOLS and sys.platform != "win32"


def workers(jobs: int, schools: int) -> int:
    """How many worker processes `--jobs N` gives for this many schools: 0 when the work
    stays in one process (one job, or too few schools for a pool to pay)."""
    count = min(jobs, schools)
    return count if count > 1 and uses_pool(schools) else 0


def batches(items: Sequence[T], jobs: int, per_worker: int) -> list[Sequence[T]]:
    """`items` cut into about `per_worker` batches for each of `jobs` workers, in order."""
    size = max(1, len(items) // (jobs * per_worker))
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextlib.contextmanager
def forked_map(
    work: Callable[[B], R],
    batches: Sequence[B],
    jobs: int,
    initializer: Callable[[], None] | None = None,
) -> Iterator[Iterator[R]]:
    """`work(batch)` for each batch, in order, by `jobs` forked worker processes, all
    forked on entry: they inherit what the caller set up (a module global), nothing is
    pickled but each batch and its answer. Each worker runs `worker_started`, then
    `initializer`. SIGTERM or SIGHUP meanwhile shut the pool down (the batches begun
    finish, the others are cancelled) before they end the process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with stop_as_exception():
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(os.getpid(), initializer),
        )
        try:
            yield pool.map(work, batches)  # map submits every batch, and the pool forks
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int, initializer: Callable[[], None] | None) -> None:
    worker_started(parent)
    if initializer is not None:
        initializer()


# --- stopping -------------------------------------------------------------------------------
# Ctrl-C already raises KeyboardInterrupt; these would end the process on the spot.
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived inside `stop_as_exception()`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def stop_as_exception() -> Iterator[None]:
    """Inside the block, SIGTERM and SIGHUP raise Terminated (where they would have ended
    the process at once), so the `finally` blocks and `with` exits within it clean up:
    worker processes are shut down, a staging folder is removed. Leaving the block by
    Terminated ends the process by that signal, as it would have. Nested blocks leave it
    to the outermost; outside the main thread, or for a signal someone else handles,
    nothing changes."""
    installed = []
    if threading.current_thread() is threading.main_thread():
        for signum in STOPPING:
            if signal.getsignal(signum) is signal.SIG_DFL:
                signal.signal(signum, _raise_terminated)
                installed.append(signum)
    try:
        yield
    except Terminated as exc:
        if exc.signum not in installed:
            raise
        signal.signal(exc.signum, signal.SIG_DFL)
        os.kill(os.getpid(), exc.signum)  # ends the process: the default action
        raise
    finally:
        for signum in installed:
            signal.signal(signum, signal.SIG_DFL)


def worker_started(parent: int) -> None:
    """For a process forked by `parent` (its pid, taken before the fork): SIGTERM and
    SIGHUP end it (not the handlers of the parent it was forked from), and on Linux it
    gets SIGTERM when the parent dies, so a parent killed outright leaves no worker
    waiting for work forever."""
    for signum in STOPPING:
        signal.signal(signum, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
