"""What the form says after a create: the status line for a failure, the notification for a success.

Plain code (no Textual), unit-tested on its own. Imported only once a create has run: it imports the API's
errors, which the form does not need before then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from cybrid_tui.api.errors import APIStatusError, CybridError, RateLimitError, TransportError, sentence
from cybrid_tui.forms.server_errors import fields_for_message

if TYPE_CHECKING:
    from cybrid_tui.api.models import Customer
    from cybrid_tui.api.safe_create import CreateResult
    from cybrid_tui.forms.values import FormValues

Severity = Literal["-error", "-warning"]


class FailureReport(NamedTuple):
    """The status line (`text`, styled by `severity`), and the fields the server's answer is about with
    what to write under them."""

    text: str
    severity: Severity
    fields: tuple[str, ...] = ()
    field_error: str = ""
    #: The server refused what was sent: the message stops applying once the input changes.
    about_input: bool = False


class Notice(NamedTuple):
    """A notification for the app after a create that needs telling."""

    title: str
    text: str
    severity: Literal["information", "warning"] = "information"
    timeout: float | None = None


def describe_failure(
    error: Exception, *, uncertain: bool, values: FormValues, tag: str, guarded: bool = True
) -> FailureReport:
    """What the form says when a create failed; the input is always kept. `guarded`: duplicate protection
    is on (off, an ambiguous failure is never retried: only the person can check the table)."""
    if uncertain and not guarded:
        title = error.title if isinstance(error, CybridError) else "Unexpected error"
        text = error.error_message if isinstance(error, CybridError) else type(error).__name__
        return FailureReport(
            f"{title}: {sentence(text)} The request may have reached Cybrid and duplicate protection is off: "
            "check the customers table before creating this customer again.",
            "-warning",
        )
    if uncertain:
        title = error.title if isinstance(error, CybridError) else "Unexpected error"
        text = error.error_message if isinstance(error, CybridError) else type(error).__name__
        return FailureReport(
            f"{title}: {sentence(text)} The request may have reached Cybrid. ctrl+s retries safely: the form "
            f"first looks for a customer tagged {tag}, so it is never created twice.",
            "-warning",
        )
    if isinstance(error, RateLimitError):
        wait = f" in {error.retry_after:g} s" if error.retry_after else " in a moment"
        return FailureReport(
            f"Rate limited: nothing was created. Press ctrl+s to try again{wait}.", "-warning"
        )
    if isinstance(error, TransportError):
        return FailureReport(
            f"{error.title}: {sentence(error.error_message)} Nothing reached Cybrid; ctrl+s tries again.",
            "-error",
        )
    if isinstance(error, APIStatusError):
        keys = fields_for_message(error.error_message, values)
        hint = ""
        if not values.details and error.message_code == "missing_parameter":
            hint = " This bank needs the customer's details: choose “Bank-provided details”."
        return FailureReport(
            f"{error.title}: {sentence(error.error_message)}{hint}",
            "-error",
            tuple(keys),
            error.error_message.rstrip("."),  # under a field, like the form's own errors: no full stop
            about_input=True,
        )
    text = str(error) if isinstance(error, CybridError) else type(error).__name__
    return FailureReport(f"Could not create the customer: {text}", "-error")


def describe_success(result: CreateResult[Customer], *, tag: str) -> Notice | None:
    """The notification after a create that needs one (a duplicate, or a customer found after a retry)."""
    if result.others:
        guids = ", ".join(other.guid[:8] for other in result.others)
        return Notice(
            "Possible duplicate",
            f"A late request also created {guids} with the same tag {tag}: "
            "check the table and remove the duplicate.",
            "warning",
            30,
        )
    if result.recovered:
        return Notice(
            "Found the customer",
            f"The earlier attempt had reached Cybrid: customer {result.record.guid[:8]} was created once "
            "and nothing was sent again.",
        )
    return None
