"""A half-open circuit breaker: stop asking a service that keeps failing,
try again after a cool-down, and give up only when an outage outlasts its budget.

Closed, requests go through. It opens after `threshold` failed attempts in
a row that belong to at least two requests, or when a request has spent
its own retries without seeing any answer since it began (`trip`): then
the service, not the request, is in trouble. Open, no request starts for
a cool-down; then one probe goes (half-open). The probe's success closes
the breaker; its failure reopens it with the cool-down doubled.

An outage that outlasts `budget` seconds ends the asking for the rest of
the run when two or more requests failed in it (`given_up` says why, and
every request fails at once); when only one did, that request was the
trouble: it alone gives up (`Alone`) and the breaker lets the others try.
Until an answer comes, the outage goes on counting: should the next request
fail too, the run gives up at once instead of waiting the budget again.
So a ten-second burst of errors costs a pause, not the run; a dead service
costs at most the budget; a request the service always fails costs itself.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class GaveUp(Exception):
    """The outage outlasted its budget; the message says why."""


class Alone(Exception):
    """This request failed through a whole outage budget while no other did."""


class Breaker:
    """Thread-safe: `enter(request)` before each attempt of a request (any
    token naming it), then `succeeded()` or `failed(request, …)`."""

    def __init__(self, threshold: int, cooldown: float, budget: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self.threshold = max(1, threshold)
        self._first_cooldown = self._cooldown = cooldown
        self.budget = budget
        self._failures = 0  # failed attempts in a row
        self._failing: set[object] = set()  # the requests they belong to
        self._open_until: float | None = None  # None: closed
        self._outage_since: float | None = None  # when the breaker first opened since the last answer
        self._probing = False
        self.given_up: str | None = None
        self.openings = 0  # outages met: times the breaker opened from closed
        self.answers = 0  # attempts that got a real answer
        self.answered = False  # the service answered at least once in this run

    def enter(self, request: object) -> bool:
        """Wait until `request` may start an attempt; True when it is the half-open probe.

        Raises GaveUp once an outage of several requests has outlasted the
        budget, and Alone when only this request failed through it.
        """
        with self._cond:
            while True:
                if self.given_up:
                    raise GaveUp(self.given_up)
                if self._open_until is None:
                    return False
                now = self._clock()
                ends = (self._outage_since or now) + self.budget
                if now >= ends:
                    self._end_outage(request)
                    continue
                if now < self._open_until:
                    self._cond.wait(min(self._open_until, ends) - now)
                elif not self._probing:
                    self._probing = True
                    return True
                else:
                    self._cond.wait(ends - now)

    def succeeded(self) -> None:
        """An attempt got a real answer: the service works, close the breaker."""
        with self._cond:
            self.answers += 1
            self.answered = True
            self._close()

    def failed(self, request: object, probe: bool, wait: float = 0.0) -> bool:
        """An attempt of `request` failed; `probe`: it was the half-open probe;
        `wait`: the least pause the service asked for. Returns whether the
        breaker is now open, i.e. the failure is the service's."""
        with self._cond:
            self._failures += 1
            self._failing.add(request)
            if self._open_until is None:
                if self._failures < self.threshold or len(self._failing) < 2:
                    return False
                self._open(wait)
            elif probe:
                self._probing = False
                self._cooldown *= 2
                self._open_until = self._clock() + max(self._cooldown, wait)
            self._cond.notify_all()
            return True

    def trip(self, request: object) -> None:
        """`request` spent its retries without any answer since it began: open."""
        with self._cond:
            self._failing.add(request)
            if self._open_until is None:
                self._open(0.0)
            self._cond.notify_all()

    def give_up(self, reason: str) -> None:
        """Stop asking for the rest of the run (a fatal answer, an endless wait)."""
        with self._cond:
            if self.given_up is None:
                self.given_up = reason
            self._cond.notify_all()

    def _open(self, wait: float) -> None:
        now = self._clock()
        if self._outage_since is None:
            self.openings += 1
            self._outage_since = now
        self._open_until = now + max(self._cooldown, wait)

    def _close(self) -> None:
        """An answer came: the outage, if any, is over."""
        self._failures = 0
        self._failing.clear()
        self._outage_since = None
        self._let_through()

    def _let_through(self) -> None:
        self._open_until = None
        self._probing = False
        self._cooldown = self._first_cooldown
        self._cond.notify_all()

    def _end_outage(self, request: object) -> None:
        """The budget is spent: give up the run, or only the one failing request."""
        if len(self._failing) >= 2:
            self.give_up(f"it did not recover within {self.budget:g} s")
            return
        self._let_through()
        if request in self._failing:
            raise Alone()
