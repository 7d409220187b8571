"""The mock's identity-verification state machine (`mock/kyc_flow.py`): pure functions of time."""

from __future__ import annotations

import pytest

from cybrid_tui.mock.kyc_flow import Step, Timings, TransitionError, completion, journey, move, plan, step_at

T = Timings(storing_ms=1_000, step_ms=1_000, lifetime_ms=60_000)


def states(steps: list[Step]) -> list[tuple[int, str]]:
    return [(step.at_ms, step.state) for step in steps]


def test_without_behaviours_it_waits_for_the_person_then_expires() -> None:
    steps = plan(business=False, behaviours=(), start_ms=0, timings=T)

    assert states(steps) == [(0, "storing"), (1_000, "waiting"), (61_000, "expired")]
    assert step_at(steps, 999).state == "storing"
    assert step_at(steps, 1_000).persona_state == "waiting"
    assert step_at(steps, 60_999).state == "waiting"
    assert step_at(steps, 61_000).persona_state == "expired"
    assert completion(steps) is None


def test_passed_immediately_completes_passed_within_seconds() -> None:
    steps = plan(business=False, behaviours=("passed_immediately",), start_ms=0, timings=T)

    assert states(steps) == [(0, "storing"), (1_000, "waiting"), (2_000, "pending"), (3_000, "completed")]
    done = completion(steps)
    assert done is not None and (done.outcome, done.failure_codes) == ("passed", ())


def test_failed_immediately_fails_with_requested_failure_and_wins_over_passed() -> None:
    steps = plan(
        business=False, behaviours=("passed_immediately", "failed_immediately"), start_ms=0, timings=T
    )

    done = completion(steps)
    assert done is not None and (done.outcome, done.failure_codes) == ("failed", ("requested_failure",))


def test_every_business_passes_through_reviewing() -> None:
    automatic = plan(business=True, behaviours=("passed_immediately",), start_ms=0, timings=T)
    waiting = plan(business=True, behaviours=(), start_ms=0, timings=T)
    moved = move(waiting, 5_000, "completed", business=True, timings=T, outcome="passed")
    demo = journey(
        business=True, outcome="failed", failure_codes=("selfie_failure",), start_ms=0, end_ms=8_000
    )

    for steps in (automatic, moved, demo):
        names = [step.state for step in steps]
        assert names.index("reviewing") == names.index("completed") - 1, names
    assert states(moved)[-2:] == [(5_000, "reviewing"), (6_000, "completed")]


def test_admin_moves_keep_the_past_and_replan_the_future() -> None:
    steps = plan(business=False, behaviours=(), start_ms=0, timings=T)

    pending = move(steps, 10_000, "pending", business=False, timings=T)
    assert states(pending) == [(0, "storing"), (1_000, "waiting"), (10_000, "pending"), (70_000, "expired")]
    failed = move(
        pending, 20_000, "completed", business=False, timings=T, outcome="failed", failure_codes=("x",)
    )
    assert states(failed)[-1] == (20_000, "completed")
    assert (failed[-1].outcome, failed[-1].failure_codes) == ("failed", ("x",))
    passed = move(pending, 20_000, "completed", business=False, timings=T, failure_codes=("ignored",))
    assert passed[-1].failure_codes == ()  # a passed verification has no failure codes
    assert states(move(steps, 5_000, "expired", business=False, timings=T))[-1] == (5_000, "expired")


@pytest.mark.parametrize("terminal", ["completed", "expired"])
def test_nothing_moves_a_finished_verification(terminal: str) -> None:
    steps = move(
        plan(business=False, behaviours=(), start_ms=0, timings=T), 2_000, terminal, business=False, timings=T
    )

    with pytest.raises(TransitionError, match=f"already {terminal}"):
        move(steps, 3_000, "pending", business=False, timings=T)
    with pytest.raises(TransitionError, match="state must be one of"):
        move(
            plan(business=False, behaviours=(), start_ms=0, timings=T),
            0,
            "storing",
            business=False,
            timings=T,
        )


def test_a_demo_journey_ends_exactly_at_the_customers_decision() -> None:
    steps = journey(business=False, outcome="passed", failure_codes=(), start_ms=1_000, end_ms=31_000)

    assert [step.state for step in steps] == ["storing", "waiting", "pending", "completed"]
    assert steps[0].at_ms == 1_000 and steps[-1].at_ms == 31_000
    assert [step.at_ms for step in steps] == sorted(step.at_ms for step in steps)
