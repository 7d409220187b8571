"""The status line under the table: connection, live refresh, loading progress, counts, PII, problems.

    DEMO │ ● live (2 s) │ refreshed 4 s ago │ 60 customers │ PII hidden
    ⚠ Network problem: Could not connect to the Cybrid API. Showing the last good data; retry in 8 s.

The second line appears only while something is wrong; the table keeps the last good data meanwhile.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar, Literal, NamedTuple

from rich.console import Group
from rich.text import Text
from textual.widget import Widget

from cybrid_tui.safe_text import safe_text
from cybrid_tui.timefmt import interval_text, relative

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cybrid_tui.pii import PiiView

Phase = Literal["connecting", "loading", "live"]

#: Plain-words headings for the error titles of `cybrid_tui.api.errors`.
PROBLEM_HEADINGS = {
    "Authentication": "Authentication failed",
    "Permission": "Permission denied",
    "Network": "Network problem",
    "Timed out": "Network problem (timed out)",
    "Server": "Server error",
    "Rate limited": "Rate limited",
    "Configuration": "Configuration problem",
    "Insecure connection refused": "Insecure connection refused",
    "Unexpected response": "Unexpected answer from the server",
}


def problem_heading(title: str) -> str:
    return PROBLEM_HEADINGS.get(title, title)


# NamedTuples rather than dataclasses: cheaper to create at import, before the first frame.
class Problem(NamedTuple):
    heading: str
    detail: str
    retry_in: float | None = None  # seconds until the next automatic try (None: no retry scheduled)
    since: float | None = None  # POSIX seconds when it was scheduled: the line counts down from there


def retry_countdown(seconds: float) -> str:
    """ "Retrying in 9 s." as whole seconds, rounded up (a countdown never says 0 before it is due);
    "Retrying in 1 min 30 s." past a minute; "Retrying now." once due."""
    whole = math.ceil(seconds - 1e-6)
    if whole <= 0:
        return "Retrying now."
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"Retrying in {rest} s."
    if minutes >= 10:  # seconds of a long wait are noise
        return f"Retrying in {math.ceil(whole / 60)} min."
    return f"Retrying in {minutes} min {rest} s." if rest else f"Retrying in {minutes} min."


def retry_left(problem: Problem, now: float) -> float | None:
    """Seconds until the problem's retry is due, on the clock `now` reads (None: no retry scheduled)."""
    if problem.retry_in is None:
        return None
    if problem.since is None:
        return problem.retry_in
    return max(0.0, problem.retry_in - (now - problem.since))


class StatusInfo(NamedTuple):
    demo: bool = False
    phase: Phase = "connecting"
    paused: bool = False
    refresh_seconds: float = 5.0
    last_refreshed: float | None = None  # POSIX seconds of the last good refresh
    now: float = 0.0
    loaded: int = 0
    expected: int | None = None  # customers the server reports while loading
    total: int = 0
    shown: int = 0
    filtered: bool = False
    pii: PiiView = "unknown"
    read_only: bool = False  # creating customers (and other changes) refused in this session
    problem: Problem | None = None
    sort: str | None = None  # "sorted by state ↑" when not the default order
    extra: tuple[str, ...] = ()
    #: A passing message on a line of its own, under any problem ("exported 31 customers to ./…csv").
    message: str = ""
    #: The adaptive pace while slowed down ("live · every 8 s (quiet)"); None: the usual "live (2 s)".
    pace: str | None = None
    #: Identity verifications in progress ("KYC 3 in progress"), or why they cannot be read; "": nothing.
    kyc: str = ""


#: The longest age of the last refresh that reads "refreshed just now" (see `refreshed_ago`).
JUST_NOW_SECONDS = 10.0


def refreshed_ago(info: StatusInfo) -> str:
    """How long ago the last good refresh was, as the status line says it.

    Within one refresh interval (plus a second for the refresh itself, up to `JUST_NOW_SECONDS`) it is
    "just now": the data is as fresh as live refresh makes it. Counting those seconds ("1 s ago") would
    change the line between every two refreshes, and so repaint it, for nothing a person needs; a refresh
    that is late or failing still shows its age (and the problem line says why)."""
    last = info.last_refreshed
    if last is None:
        return ""
    age = info.now - last
    if info.problem is not None:
        # Next to a fresh error "just now" would read as if the failed refresh had worked.
        return f"{max(0, int(age))} s ago" if age < 60 else relative(last, info.now)
    if 0 <= age < min(max(info.refresh_seconds, 1.0) + 1.0, JUST_NOW_SECONDS):
        return "just now"
    return relative(last, info.now)


class StatusBar(Widget):
    """Renders a `StatusInfo`: set `info` and it repaints only if the text changes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-bar--demo",
        "status-bar--live",
        "status-bar--paused",
        "status-bar--separator",
        "status-bar--problem",
        "status-bar--notice",
    }

    DEFAULT_CSS = """
    StatusBar {
        height: auto;
        max-height: 5;  /* the status line and a problem wrapped on up to 4 lines (80 columns) */
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._info = StatusInfo()
        self._plain = ""

    @property
    def info(self) -> StatusInfo:
        return self._info

    @info.setter
    def info(self, info: StatusInfo) -> None:
        self._info = info
        plain = self.plain_text
        if plain != self._plain:
            had_problem = "\n" in self._plain
            self._plain = plain
            # The problem line changes the bar's height (it may wrap, too).
            self.refresh(layout=had_problem or "\n" in plain)

    @property
    def plain_text(self) -> str:
        status, problem = self.build()
        return status.plain if problem is None else f"{status.plain}\n{problem.plain}"

    def build(self) -> tuple[Text, Text | None]:
        """The status line, and the problem line when something is wrong."""
        info = self._info
        style = self.get_component_rich_style
        sep_style = style("status-bar--separator", partial=True)
        parts: list[Text] = []
        if info.demo:
            parts.append(Text("DEMO", style("status-bar--demo", partial=True)))
        if info.read_only:
            parts.append(Text("read-only", style("status-bar--notice", partial=True)))
        # Before anything was loaded, a failure is the whole story: the line says so in the table's words
        # ("could not load"), not "connecting…" or "loaded 0 │ 0 customers" next to the error.
        unloaded = info.problem is not None and info.phase != "live" and not info.total
        if info.phase == "connecting":
            parts.append(Text("not connected" if unloaded else "connecting…"))
        elif unloaded:
            parts.append(Text("could not load"))
        elif info.phase == "loading":
            of = f" / {info.expected:,}" if info.expected is not None else ""
            parts.append(Text(f"loaded {info.loaded:,}{of}"))
        if info.paused:
            parts.append(Text("❚❚ paused (p resumes)", style("status-bar--paused", partial=True)))
        elif info.phase != "connecting" and not unloaded:
            parts.append(
                Text(
                    f"● {info.pace}" if info.pace else f"● live ({interval_text(info.refresh_seconds)})",
                    style("status-bar--live", partial=True),
                )
            )
        if info.last_refreshed is not None:
            parts.append(Text(f"refreshed {refreshed_ago(info)}"))
        if info.phase != "connecting" and not unloaded:
            noun = "customer" if info.total == 1 else "customers"
            count = f"{info.shown:,} of {info.total:,} {noun}" if info.filtered else f"{info.total:,} {noun}"
            parts.append(Text(count))
        if info.kyc:
            parts.append(Text(info.kyc))
        notice = style("status-bar--notice", partial=True)
        if info.pii == "hidden":
            parts.append(Text("PII hidden", notice))
        elif info.pii == "unavailable":
            parts.append(Text("no PII access", notice))
        if info.sort:
            parts.append(Text(info.sort))
        parts.extend(Text(safe_text(extra)) for extra in info.extra)
        status = Text(" │ ", sep_style).join(parts)
        status.no_wrap = True
        status.overflow = "ellipsis"
        message = Text(safe_text(info.message), style("status-bar--notice", partial=True))
        if info.problem is None:
            return status, (message if info.message else None)
        problem = info.problem
        # The detail is usually a server's error message: never drawn as sent (see `safe_text`).
        line = f"⚠ {safe_text(problem.heading)}: {safe_text(problem.detail)}"
        if not line.endswith("."):
            line += "."
        if info.total:
            line += " Showing the last good data."
        left = retry_left(problem, info.now)
        if left is not None:
            line += " " + retry_countdown(left)
        shown = Text(line, style("status-bar--problem", partial=True))
        return status, (Text("\n").join([shown, message]) if info.message else shown)

    def render(self) -> RenderableType:
        status, problem = self.build()
        return status if problem is None else Group(status, problem)
