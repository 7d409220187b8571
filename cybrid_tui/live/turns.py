"""Which of a live tick's optional reads go out this tick: the request budget, shared fairly.

Every tick reads page 0 of the customer list. The other reads are slots: the volatile batch (customers that
move on their own), one page of the slow sweep, and the listing of open identity verifications. A tick sends
at most two of them (3 requests in all), and with `take_turns_when_quiet` a tick with no customer `storing`
sends one (2 requests). Slots take turns round-robin in a fixed order, so each is read every 1 to 3 ticks;
a `storing` customer becomes `unverified` within seconds, so while one exists the volatile batch goes out
every tick and the others take turns for what is left.

The plan is made before the requests and committed after they succeeded: a failed tick leaves the rotation
where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

VOLATILE: Final = "volatile"
SWEEP: Final = "sweep"
VERIFICATIONS: Final = "verifications"
#: The rotation order.
SLOTS: Final = (VOLATILE, SWEEP, VERIFICATIONS)
#: Optional reads per tick besides page 0 (a tick is at most this plus one requests).
MAX_SLOTS: Final = 2


@dataclass(frozen=True, slots=True)
class Plan:
    chosen: frozenset[str]
    cursor: int

    def __contains__(self, slot: object) -> bool:
        return slot in self.chosen


class Turns:
    """The rotation over `SLOTS` (see the module doc)."""

    def __init__(self, *, take_turns_when_quiet: bool) -> None:
        self.take_turns_when_quiet = take_turns_when_quiet
        self._cursor = 0

    def plan(self, available: frozenset[str], *, storing: bool) -> Plan:
        """The slots of this tick among the `available` ones (those with something to read)."""
        budget = 1 if self.take_turns_when_quiet and not storing else MAX_SLOTS
        chosen: set[str] = set()
        if storing and VOLATILE in available:
            chosen.add(VOLATILE)
        cursor = self._cursor
        for step in range(len(SLOTS)):
            if len(chosen) >= budget:
                break
            index = (self._cursor + step) % len(SLOTS)
            slot = SLOTS[index]
            if slot in available and slot not in chosen:
                chosen.add(slot)
                cursor = index + 1
        return Plan(frozenset(chosen), cursor % len(SLOTS))

    def commit(self, plan: Plan) -> None:
        """The tick of `plan` succeeded: the rotation moves on."""
        self._cursor = plan.cursor
