"""A half-open circuit breaker: stop asking a service that keeps failing,
try again after a cool-down, and give up only when an outage outlasts its budget.

Closed, requests go through. After `threshold` failed attempts in a row
(across all requests) it opens: no request starts for a cool-down, then one
probe goes (half-open). The probe's success closes the breaker; its failure
reopens it with the cool-down doubled. An outage longer than `budget`
seconds ends the asking for the rest of the run: `given_up` says why, and
every later request fails at once. So a ten-second burst of errors costs a
pause, not the run, and a dead service costs at most the budget.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class GaveUp(Exception):
    """The outage outlasted its budget (or could not be waited out); the message says why."""


class Breaker:
    """Thread-safe; `enter()` before each attempt, then `succeeded()` or `failed()`."""

    def __init__(self, threshold: int, cooldown: float, budget: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self.threshold = max(1, threshold)
        self._first_cooldown = self._cooldown = cooldown
        self.budget = budget
        self._failures = 0  # failed attempts in a row while closed
        self._open_until: float | None = None  # None: closed
        self._outage_since = 0.0
        self._probing = False
        self.given_up: str | None = None
        self.openings = 0  # outages met: times the breaker opened from closed
        self.answered = False  # the service answered at least once in this run

    def enter(self) -> bool:
        """Wait until a request may start; True when it is the half-open probe.

        Raises GaveUp once the outage has outlasted the budget.
        """
        with self._cond:
            while True:
                if self.given_up:
                    raise GaveUp(self.given_up)
                if self._open_until is None:
                    return False
                now = self._clock()
                ends = self._outage_since + self.budget
                if now >= ends:
                    self._give_up_locked(f"it did not recover within {self.budget:g} s")
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
            self.answered = True
            self._failures = 0
            self._open_until = None
            self._probing = False
            self._cooldown = self._first_cooldown
            self._cond.notify_all()

    def failed(self, probe: bool, wait: float = 0.0) -> bool:
        """An attempt failed (`probe`: it was the half-open probe; `wait`: the
        least pause the service asked for). Returns whether the breaker is now
        open, i.e. the failure is the service's, not this request's."""
        with self._cond:
            now = self._clock()
            if self._open_until is None:
                self._failures += 1
                if self._failures < self.threshold:
                    return False
                self._outage_since = now
                self.openings += 1
                self._open_until = now + max(self._cooldown, wait)
            elif probe:
                self._probing = False
                self._cooldown *= 2
                self._open_until = now + max(self._cooldown, wait)
            self._cond.notify_all()
            return True

    def give_up(self, reason: str) -> None:
        """Stop asking for the rest of the run (a fatal answer, an endless wait)."""
        with self._cond:
            self._give_up_locked(reason)

    def _give_up_locked(self, reason: str) -> None:
        if self.given_up is None:
            self.given_up = reason
        self._cond.notify_all()
