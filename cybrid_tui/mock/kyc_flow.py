"""The identity-verification state machine as pure functions of time: a verification is a list of `Step`s
(when it entered which state), planned when it is created and re-planned when the admin moves it.

`storing` -> `waiting` (a Persona inquiry exists) -> `pending` (the person started) -> `reviewing` ->
`completed` (`outcome` passed or failed, with `failure_codes`); `expired` when a waiting or pending one
outlives its lifetime. Every business verification passes through `reviewing` (Cybrid reviews every KYB).
Sandbox `expected_behaviours` `passed_immediately` / `failed_immediately` complete within a few seconds
(Cybrid documents no timings: one `step` apart is the mock's choice); without them the verification waits for
the person, whom the admin paths play. No clock here: callers pass times in milliseconds, so tests need no
waiting.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cybrid_tui.api.vocab import OPEN_IDENTITY_VERIFICATION_STATES

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

PASSED_IMMEDIATELY = "passed_immediately"
FAILED_IMMEDIATELY = "failed_immediately"
REQUESTED_FAILURE = "requested_failure"
TERMINAL_STATES = ("completed", "expired")
#: States the admin may move a verification to.
ADMIN_TARGETS = ("pending", "reviewing", "completed", "expired")

#: Persona's inquiry state shown beside each verification state (None: no inquiry yet while storing).
PERSONA_STATES: dict[str, str | None] = {
    "storing": None,
    "waiting": "waiting",
    "pending": "pending",
    "reviewing": "reviewing",
    "completed": "completed",
    "expired": "expired",
}


@dataclass(frozen=True, slots=True)
class Step:
    """From `at_ms` on, the verification is in `state` (with `outcome` and `failure_codes` once completed)."""

    at_ms: int
    state: str
    outcome: str | None = None
    failure_codes: tuple[str, ...] = ()

    @property
    def persona_state(self) -> str | None:
        return PERSONA_STATES.get(self.state)


@dataclass(frozen=True, slots=True)
class Timings:
    """How long the mock's automatic steps take, in milliseconds."""

    storing_ms: int = 1_000
    step_ms: int = 1_000
    lifetime_ms: int = 86_400_000  # Persona inquiries expire after 24 h by default


class TransitionError(ValueError):
    """The admin asked for a move the state machine does not allow (e.g. out of `completed`)."""


def step_at(steps: Sequence[Step], now_ms: int) -> Step:
    """The step in force at `now_ms` (the first one for a moment before it was created)."""
    index = bisect_right([step.at_ms for step in steps], now_ms) - 1
    return steps[max(index, 0)]


def is_open(state: str) -> bool:
    return state in OPEN_IDENTITY_VERIFICATION_STATES


def completion(steps: Sequence[Step]) -> Step | None:
    """The planned `completed` step, if the plan ends in one."""
    last = steps[-1]
    return last if last.state == "completed" else None


def _finish(business: bool, outcome: str, codes: tuple[str, ...], from_ms: int, step_ms: int) -> list[Step]:
    steps = [Step(from_ms + step_ms, "pending")]
    if business:
        steps.append(Step(steps[-1].at_ms + step_ms, "reviewing"))
    steps.append(Step(steps[-1].at_ms + step_ms, "completed", outcome, codes))
    return steps


def plan(*, business: bool, behaviours: Collection[str], start_ms: int, timings: Timings) -> list[Step]:
    """The steps of a verification created at `start_ms` with these sandbox `expected_behaviours`."""
    waiting = Step(start_ms + timings.storing_ms, "waiting")
    steps = [Step(start_ms, "storing"), waiting]
    # Both behaviours at once: failing wins (the mock's choice; the safer reading of a contradictory request).
    if FAILED_IMMEDIATELY in behaviours:
        return steps + _finish(business, "failed", (REQUESTED_FAILURE,), waiting.at_ms, timings.step_ms)
    if PASSED_IMMEDIATELY in behaviours:
        return steps + _finish(business, "passed", (), waiting.at_ms, timings.step_ms)
    return [*steps, Step(waiting.at_ms + timings.lifetime_ms, "expired")]


def journey(
    *, business: bool, outcome: str, failure_codes: tuple[str, ...], start_ms: int, end_ms: int
) -> list[Step]:
    """A whole journey (the demo's activity): created at `start_ms`, completed at `end_ms`, evenly spaced."""
    states = ["storing", "waiting", "pending", *(["reviewing"] if business else [])]
    gap = max((end_ms - start_ms) // len(states), 0)
    steps = [Step(start_ms + index * gap, state) for index, state in enumerate(states)]
    return [*steps, Step(max(end_ms, steps[-1].at_ms), "completed", outcome, failure_codes)]


def move(
    steps: Sequence[Step],
    now_ms: int,
    target: str,
    *,
    business: bool,
    timings: Timings,
    outcome: str = "passed",
    failure_codes: tuple[str, ...] = (),
) -> list[Step]:
    """`steps` re-planned by the admin: what happened until `now_ms`, then `target` and what follows from it.

    Raises TransitionError for a verification already completed or expired, or an unknown target.
    """
    if target not in ADMIN_TARGETS:
        raise TransitionError(f"state must be one of {', '.join(ADMIN_TARGETS)}")
    current = step_at(steps, now_ms)
    if current.state in TERMINAL_STATES:
        raise TransitionError(f"identity verification is already {current.state}")
    kept = [step for step in steps if step.at_ms <= now_ms]
    if target == "pending":
        return [*kept, Step(now_ms, "pending"), Step(now_ms + timings.lifetime_ms, "expired")]
    if target in ("reviewing", "expired"):
        return [*kept, Step(now_ms, target)]
    codes = failure_codes if outcome == "failed" else ()
    if business and current.state != "reviewing":
        # Cybrid reviews every KYB: a business reaches `completed` only through `reviewing`.
        return [*kept, Step(now_ms, "reviewing"), Step(now_ms + timings.step_ms, "completed", outcome, codes)]
    return [*kept, Step(now_ms, "completed", outcome, codes)]
