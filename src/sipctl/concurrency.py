"""How sipctl does work side by side: git history read in a thread beside the plans,
and worker processes for a large district."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


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
