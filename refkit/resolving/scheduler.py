"""Run tasks on a few threads, most urgent first, each free to queue more.

The resolver's questions depend on one another (a printed DOI's batch
answer decides whether that reference needs a search, a search whether its
corrections need a batch), but most do not wait on each other at all. Given
as tasks that queue the questions their answers raise, they keep Crossref's
allowance busy from the first request to the last; the priority decides who
goes first when several could: what unlocks more work before what does not.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from typing import Callable

Task = Callable[[], None]


class Scheduler:
    """`submit` tasks (before or during `run`); `run` returns when none is
    queued or running, re-raising the first exception a task raised."""

    def __init__(self, workers: int) -> None:
        self._workers = max(1, workers)
        self._cond = threading.Condition()
        self._queue: list[tuple[int, int, Task]] = []
        self._order = itertools.count()  # first come, first served within a priority
        self._running = 0
        self._error: BaseException | None = None

    def submit(self, priority: int, task: Task) -> None:
        """Queue `task`; lower `priority` goes first."""
        with self._cond:
            heapq.heappush(self._queue, (priority, next(self._order), task))
            self._cond.notify()

    def run(self) -> None:
        """Run every task, those queued while running included."""
        threads = [threading.Thread(target=self._work, name=f"resolver-{n}", daemon=True)
                   for n in range(self._workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self._error is not None:
            raise self._error

    def _work(self) -> None:
        while (task := self._next()) is not None:
            try:
                task()
            except BaseException as exc:  # noqa: BLE001 - handed to run()'s caller
                with self._cond:
                    self._error = self._error or exc
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def _next(self) -> Task | None:
        """The most urgent task, waiting while others run that may queue one;
        None when all is done (or a task failed)."""
        with self._cond:
            while not self._queue and self._running and self._error is None:
                self._cond.wait()
            if not self._queue or self._error is not None:
                self._cond.notify_all()
                return None
            self._running += 1
            return heapq.heappop(self._queue)[2]
