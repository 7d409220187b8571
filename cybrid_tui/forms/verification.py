"""What the "Verify identity" screen decides, without Textual: whether a customer can be verified now, the
simulated outcomes of the sandbox, and the exact body a start sends.

    reason = start_refusal("verified")      # "This customer is already verified: ..." (None: go ahead)
    body, error = verification_body(guid, "individual", country="us", outcome="passes")
    body.to_json_body()                     # the preview, exactly what is sent

Cybrid starts a verification only for an `unverified` customer (KYC_NOTES.md, "Rules a good client follows");
the words below say what to do instead. The simulated outcome maps to the sandbox's `expected_behaviours`
and is offered only off production (the screen asks `cybrid_tui.guard`'s production rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from cybrid_tui.forms.validators import validate_country

if TYPE_CHECKING:
    from cybrid_tui.api.models.identity_verifications import PostIdentityVerification

#: Simulated outcome (sandbox and demo) -> the `expected_behaviours` sent; "none" waits for the person.
OUTCOMES: Final[dict[str, tuple[str, ...]]] = {
    "none": (),
    "passes": ("passed_immediately",),
    "fails": ("failed_immediately",),
}
#: How each outcome reads on the screen.
OUTCOME_LABELS: Final[dict[str, str]] = {
    "none": "None: wait for the person",
    "passes": "Passes (passed_immediately)",
    "fails": "Fails (failed_immediately)",
}

_REFUSALS: Final[dict[str, str]] = {
    "storing": "This customer is still being stored by Cybrid; verify it once it is unverified.",
    "verified": "This customer is already verified: there is nothing to verify.",
    "rejected": (
        "This customer was rejected. Reset it to unverified from the detail view (R) before verifying again."
    ),
    "frozen": "This customer is frozen: Cybrid does not verify a frozen customer (contact Cybrid support).",
}


def start_refusal(customer_state: str | None) -> str | None:
    """Why a verification cannot be started for a customer in `customer_state` (None: it can).

    An unknown state (one the API added since) is not refused here: Cybrid decides, and says why."""
    if customer_state in (None, "", "unverified"):
        return None
    return _REFUSALS.get(customer_state)


def verification_body(
    customer_guid: str,
    customer_type: str | None,
    *,
    country: str = "",
    outcome: str = "none",
) -> tuple[PostIdentityVerification | None, str | None]:
    """The body a start sends, or None and why not (a bad country, a customer type with no method)."""
    from cybrid_tui.api.models.identity_verifications import PostIdentityVerification

    country = country.strip()
    if country:
        problem = validate_country(country)
        if problem:
            return None, f"Country: {problem}"
    behaviours = OUTCOMES.get(outcome)
    if behaviours is None:
        return None, f"Unknown simulated outcome {outcome!r}"
    try:
        body = PostIdentityVerification.for_customer(
            customer_guid, customer_type or "", country_code=country or None, expected_behaviours=behaviours
        )
    except ValueError:
        kind = f"of type {customer_type}" if customer_type else "whose type is not known yet"
        return None, f"No verification method for a customer {kind}."
    return body, None
